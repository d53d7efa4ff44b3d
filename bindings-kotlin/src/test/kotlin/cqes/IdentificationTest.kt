package cqes

import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Assertions.*
import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import java.net.URI
import java.net.http.HttpClient
import java.net.http.HttpRequest.BodyPublishers
import java.net.http.HttpResponse.BodyHandlers

/** Remote Identification end to end against the sandbox: mobile, web (woken by callbacks), one-time signing. */
class IdentificationTest {
    private val ivan = PersonIdentityData(DocType.Egn, Secret(EGN), Secret("01-01-1975"))

    @BeforeEach
    fun reset() = Sandbox.reset()

    private fun mobile(reason: String = "Opening an account") =
        IdentificationRequest(ivan, Secret("+359888133443"), Secret("ivan.petrov@example.bg"), Payer.RelyingParty, reason)

    private fun web(r: Receiver, language: Language = Language.En) = WebIdentificationFlowInput(
        requestCallbackUrl = "${r.url}/cb", identificationReason = "Opening an account",
        registration = RegistrationRequest(cancelUrl = "${r.url}/cancel", deviceFingerprint = "{}", externalRef = "order-1",
            successUrl = "${r.url}/ok", userLanguage = language, verifyEmailAddress = true, verifyPhoneNumber = true,
            showGtcGdp = null, showMainInfo = null),
        onlyMetadata = false, withoutOtc = false,
    )

    private fun documents() = listOf("a", "b").map {
        DocumentForSign(ContentData.Bytes(pdf()), "$it.pdf", "Document $it", false, null, null)
    }

    @Test
    fun mobileIdentificationReturnsTheEidCertificate() = runBlocking {
        Sandbox.behave("approve", 150)
        val out = Sandbox.client().identifyMobile(mobile())
        assertEquals("%PDF", String(out.eidCertificate!!.copyOf(4)))
        assertEquals(64, out.identificator!!.length)
        assertEquals("Demo Bank", out.identificationBefore)
        assertFalse(EGN in ivan.toString())
    }

    @Test
    fun mobileIdentificationRejectedThenExpired() = runBlocking {
        Sandbox.behave("reject", 50)
        assertThrows<SigningRejectedException> { runBlocking { Sandbox.client().identifyMobile(mobile("KYC")) } }
        Sandbox.behave("ignore")
        val flow = Sandbox.client().startIdentifyMobile(mobile("KYC"))
        assertNull(flow.runPending())
        Sandbox.control("POST", "/clock/advance", mapOf("ms" to 3_600_000))
        assertThrows<SigningExpiredException> { runBlocking { flow.run() } }
        Unit
    }

    @Test
    fun webIdentificationThenOneTimeSigning() = runBlocking {
        Sandbox.behave("approve", 200)
        Receiver().use { receiver ->
            val client = Sandbox.client()
            val flow = client.startIdentifyWeb(web(receiver))
            receiver.onCallback = flow::handleCallback
            val links = mutableListOf<String>()
            val ident = flow.run { (it.userAction as? UserAction.OpenUrl)?.let { a -> links += a.url } }
            assertTrue(links.isNotEmpty() && links[0].startsWith("${Sandbox.pagesUrl}/session/"))
            assertEquals(ProcessState.CreateSignSessionRequest, ident.processState)
            assertEquals("%PDF", String(ident.eidDocument!!.copyOf(4)))
            val reg = client.getRegistrationStatus(GetRegistrationStatusInput(ident.registrationId))
            assertEquals(RegistrationStatus.Finalized to ReviewStatus.Allowed, reg.data.status to reg.data.reviewStatus)

            val sign = client.startSignWithOtc(StartSignSessionRequest(ident.clientIdentificator!!, ident.signSessionId!!,
                documents(), null, "${receiver.url}/cancel", "${receiver.url}/ok"))
            receiver.onCallback = sign::handleCallback
            val signed = sign.run()
            assertEquals(listOf("a-signed.pdf", "b-signed.pdf"), signed.documents.map { it.filename })
            assertTrue(receiver.bodies.isNotEmpty(), "the sandbox called back")
            val event = client.parseIdentificationCallback(receiver.bodies.last())
            assertEquals(RP, event.relyingPartyId)
        }
    }

    @Test
    fun theCustomerPagesDriveTheFlow() = runBlocking {
        Receiver().use { receiver ->
            val flow = Sandbox.client().startIdentifyWeb(web(receiver, Language.Bg))
            receiver.onCallback = flow::handleCallback
            assertNull(flow.runPending())
            val url = (flow.progress.value.userAction as UserAction.OpenUrl).url
            // A browser: open the page, complete it, follow the redirect to the success URL.
            val browser = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build()
            val page = browser.send(java.net.http.HttpRequest.newBuilder(URI(url)).build(), BodyHandlers.ofString())
            assertTrue("Видео идентификация" in page.body(), "the page speaks the registration's language")
            val done = browser.send(java.net.http.HttpRequest.newBuilder(URI("$url/complete"))
                .header("content-type", "application/x-www-form-urlencoded")
                .POST(BodyPublishers.ofString("user=1")).build(), BodyHandlers.ofString())
            assertEquals("landed", done.body())
            assertEquals(ProcessState.CreateSignSessionRequest, flow.run().processState)
            assertEquals(listOf("ok"), receiver.landed.toList())
        }
    }

    @Test
    fun cancellingOnThePageIsARejection() = runBlocking {
        Sandbox.behave("reject", 100)
        Receiver().use { receiver ->
            val flow = Sandbox.client().startIdentifyWeb(web(receiver))
            receiver.onCallback = flow::handleCallback
            assertThrows<SigningRejectedException> { runBlocking { flow.run() } }
        }
        Unit
    }

    @Test
    fun callbackBodiesAreVerified() {
        val client = Sandbox.client()
        val body = """{"relyingPartyId":"12345678","code":"OK","data":{"processState":"CREATE_SIGN_SESSION_REQUEST","sessionId":"s-1","resultId":95}}"""
        val event = client.parseIdentificationCallback(body.toByteArray())
        assertEquals(Triple(ProcessState.CreateSignSessionRequest, "s-1", "95"), Triple(event.processState, event.sessionId, event.resultId))
        val e = assertThrows<ValidationException> { client.parseIdentificationCallback(body.replace("12345678", "99999999").toByteArray()) }
        assertEquals("relyingPartyId", e.issues[0].path)
        assertThrows<ValidationException> { client.parseIdentificationCallback("not json".toByteArray()) }
        val sign = client.parseSignCallback("""{"data": {"callbackId": "c-1", "status": "SIGNED"}}""".toByteArray())
        assertEquals("c-1" to "SIGNED", sign.callbackId to sign.status)
    }
}
