package cqes

import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import cqes.ffi.*
import java.io.File
import kotlin.random.Random

/**
 * Whatever goes into an exported function, only a [CqesException] comes out: no Rust panic
 * (`InternalException`), no JVM crash, no personal data in messages.
 */
class RobustnessTest {
    private val config = newConfig(Environment.Uat, RP)
    private val rng = Random(2026)

    private val junk: List<String> = listOf(
        "", "null", "0", "-1", "1e999", "[]", "[null]", "{}", """{"":null}""", "x".repeat(10_000), "\u0000",
        """{"callbackId":null}""", """{"callbackId":5}""", """{"identity":{"personalId":7}}""",
        """{"identity":{"personalId":"$EGN","certId":"1"}}""", """{"request":{"contents":"nope"}}""",
        """{"contents":[{"data":{"${'$'}bytes":"////"},"confirmText":1}]}""", """{"a":{"b":{"c":{"d":[1,[2,[3,{}]]]}}}}""",
        """{"personIdentityData":{"docType":"EGN","identificatorValue":"$EGN","dateOfBirth":"31-02-1975"}}""",
        "[".repeat(100_000), """{"version":1,"flow":"btrust.sign"}""", """{"version":99}""",
    )

    private fun only(f: () -> Any?) {
        try {
            f()
        } catch (e: CqesException) {
            assertFalse(EGN in e.toString() || EGN in (e.message ?: ""), "quotes personal data: $e")
        }
    }

    private fun bodies(): List<ByteArray> {
        val out = mutableListOf("", "null", "[]", "{}", """{"data":""", """{"data":{"signatures":5}}""").map { it.toByteArray() }
            .toMutableList<ByteArray>().apply { add(byteArrayOf(-1, -2)) }
        File(System.getProperty("cqes.vectors") ?: "../tests/vectors", "responses").listFiles()!!.forEach { f ->
            JSON.readTree(f)["cases"].forEach { c ->
                val r = c["response"]
                val body = (r["bodyJson"]?.toString() ?: r["body"]?.asText() ?: "").toByteArray()
                out += body
                if (body.isNotEmpty()) {
                    out += body.copyOf(rng.nextInt(body.size))
                    out += body.copyOf().also { it[rng.nextInt(it.size)] = (it[0].toInt() xor 0x5A).toByte() }
                }
            }
        }
        return out
    }

    @Test
    fun buildTakesAnyInput() {
        for (op in operations()) for (j in junk) {
            only { buildRequestJson(op, config, j) }
            only { operationInputFromJson(op, j) }
        }
        for (j in junk) {
            only { configFromJson(j) }
            only { flowOptionsFromJson(j) }
            only { buildRequestJson("nope", config, j) }
            only { validateConfig(newConfig(Environment.Custom(j), j)) }
            only { build(newConfig(Environment.Custom(j), j), OperationInput.GetCert(GetCertInput(Secret(j)))) }
            only { build(config, OperationInput.GetSignedResult(GetSignedResultInput(j))) }
        }
    }

    @Test
    fun parseTakesAnyResponse() {
        val odd = listOf(Header("Content-Disposition", "attachment; filename*=UTF-8''%ff%00"))
        for (body in bodies()) for (status in listOf(0, 200, 206, 404, 500)) for (kind in OperationKind.entries) {
            val response = HttpResponse(status.toUShort(), odd, body)
            only { parse(kind, response) }
            only { parseResponseJson(operationName(kind), response) }
        }
    }

    @Test
    fun callbacksRulesAndLinksTakeAnyInput() {
        for (body in bodies()) {
            only { parseSignCallback(body) }
            only { parseIdentificationCallback(config, body) }
            for (kind in listOf("sign", "identification", "nope")) only { parseCallbackJson(kind, config, body) }
        }
        for (rule in listOf("egn", "lnc", "phone", "email", "egnWithDateOfBirth", "nope")) for (j in junk) only { checkRule(rule, j) }
        for (j in junk) only { identificationLink(config, j) }
    }

    @Test
    fun junkJsonTextInAJsonValueFieldIsRefused() {
        // JsonValue crosses as JSON text; the core's lift parses it and refuses bad text with its
        // own validation error, which uniffi hands over as the function's CqesException.
        val reg = RegistrationRequest("https://bank.example.bg/c", "{not json", "r-1", "https://bank.example.bg/s",
            Language.En, true, true, null, null)
        val e = runCatching { build(config, OperationInput.CreateRegistration(CreateRegistrationInput("s-1", reg))) }.exceptionOrNull()
        assertTrue(e is CqesException.Validation, "$e")
    }

    @Test
    fun aLoneSurrogateStopsInKotlin() {
        // Not UTF-8: uniffi's string lowering refuses it before anything reaches Rust.
        assertThrows<java.nio.charset.CharacterCodingException> { configFromJson("\uD800") }
        assertThrows<java.nio.charset.CharacterCodingException> { checkRule("egn", "\"\uD800\"") }
        Unit
    }

    @Test
    fun flowsRefuseMisuseWithCqesExceptions() {
        for (j in junk) {
            assertThrows<CqesException> { NativeFlow.restore(j) }
            for (name in flows() + "nope") {
                only { NativeFlow.startJson(name, config, j, defaultFlowOptions()).close() }
                only { flowInputFromJson(name, j) }
            }
        }
        val flow = NativeFlow.startJson("btrust.sign", config,
            """{"identity":{"personalId":"$EGN"},"request":{"contents":[{"confirmText":"c","contentFormat":"TEXT","data":"hello"}],"relyingPartyCallbackId":"r-1"}}""",
            defaultFlowOptions())
        assertThrows<InvalidStateException> { flow.handleResponse(99u, HttpResponse(200u, emptyList(), ByteArray(0)), 0u) }
        for (kind in TransportErrorKind.entries) only { flow.handleTransportError(rng.nextLong().toULong(), kind, ULong.MAX_VALUE) }
        for (body in bodies().take(50)) only { flow.handleCallback(body, 0u) }
        repeat(5) { only { flow.next(rng.nextLong().toULong()) } }
        only { flow.snapshot(); flow.progress(); flow.config(); flow.takeTransitions(); flow.table() }
        flow.close()
        // A closed flow is a Kotlin-side error, not a crash.
        assertThrows<IllegalStateException> { flow.next(0u) }
    }
}
