package cqes

import cqes.ffi.FlowInput
import cqes.ffi.NativeFlow
import cqes.ffi.OperationInput
import cqes.ffi.OperationOutput
import cqes.ffi.defaultFlowOptions
import cqes.ffi.newConfig
import cqes.ffi.validateConfig
import java.security.SecureRandom

/**
 * B-Trust client: one suspend function per operation ([Operations]) and per flow; safe to share between
 * coroutines and threads. The core builds every request and parses every answer; this class
 * only hands them to the [transport]. Java callers: [ClientBlocking].
 *
 * @throws ValidationException (constructor) a setting is invalid; the path names it.
 */
class Client @JvmOverloads constructor(
    /** The configuration every request is built with. */
    val config: Config,
    /** Where requests go: [OkHttpTransport] with mutual TLS, or your own. */
    val transport: Transport,
    /** Default options of every flow this client starts. */
    val flowOptions: FlowOptions = defaultFlowOptions(),
) : Operations() {
    init {
        validateConfig(config)
    }

    companion object {
        /** A client over OkHttp with mutual TLS; [environment]: `Environment.Uat`, `Test` or `Custom(url)`. */
        @JvmStatic
        @JvmOverloads
        fun create(
            environment: Environment,
            relyingPartyId: String,
            tls: TlsSettings,
            language: Language? = null,
            identificationUrl: String? = null,
        ): Client {
            val config = newConfig(environment, relyingPartyId).copy(language = language, identificationUrl = identificationUrl)
            return Client(config, OkHttpTransport(tls))
        }

        private val random = SecureRandom()
    }

    /** Builds, sends and parses any operation; [Operations] has one method per operation. */
    override suspend fun call(input: OperationInput): OperationOutput {
        val request = cqes.ffi.build(config, input)
        return cqes.ffi.parse(input.kind, transport.send(request))
    }

    /**
     * Parses the body B-Trust POSTs to a sign request's `callbackURL` (inferred shape); hand
     * it to the waiting flow with [RunningFlow.handleCallback].
     */
    fun parseSignCallback(body: ByteArray): SignCallback = cqes.ffi.parseSignCallback(body)

    /** Parses an identification or sign-session callback; it must name this relying party. */
    fun parseIdentificationCallback(body: ByteArray): IdentificationCallback =
        cqes.ffi.parseIdentificationCallback(config, body)

    /** The URL a customer opens for web identification. */
    fun identificationLink(sessionId: String): String = cqes.ffi.identificationLink(config, sessionId)

    // ----- flows: start* returns a RunningFlow, the plain name runs it to the end ------------

    fun startSign(input: SignFlowInput, options: FlowOptions? = null) = start(FlowInput.Sign(input), options) { (it as FlowOutcome.Sign).v1 }
    fun resumeSign(snapshot: String) = resume("btrust.sign", snapshot) { (it as FlowOutcome.Sign).v1 }
    suspend fun sign(input: SignFlowInput, options: FlowOptions? = null, onProgress: ((Progress) -> Unit)? = null) =
        startSign(input, options).use { it.run(onProgress) }
    suspend fun sign(identity: SignerIdentity, request: SignRequest, onProgress: ((Progress) -> Unit)? = null) =
        sign(SignFlowInput(identity, request), null, onProgress)

    /** Signing through a QR code: show `progress.userAction` (`UserAction.ShowQr`). */
    fun startSignViaQr(input: SignRequestViaQr, options: FlowOptions? = null) = start(FlowInput.QrSign(input), options) { (it as FlowOutcome.QrSign).v1 }
    fun resumeSignViaQr(snapshot: String) = resume("btrust.qrSign", snapshot) { (it as FlowOutcome.QrSign).v1 }
    suspend fun signViaQr(input: SignRequestViaQr, options: FlowOptions? = null, onProgress: ((Progress) -> Unit)? = null) =
        startSignViaQr(input, options).use { it.run(onProgress) }

    fun startIdentifyMobile(input: IdentificationRequest, options: FlowOptions? = null) =
        start(FlowInput.MobileIdentification(input), options) { (it as FlowOutcome.MobileIdentification).v1 }
    fun resumeIdentifyMobile(snapshot: String) = resume("btrust.mobileIdentification", snapshot) { (it as FlowOutcome.MobileIdentification).v1 }
    suspend fun identifyMobile(input: IdentificationRequest, options: FlowOptions? = null, onProgress: ((Progress) -> Unit)? = null) =
        startIdentifyMobile(input, options).use { it.run(onProgress) }

    /** Web (video) identification: send the customer to `progress.userAction` (`UserAction.OpenUrl`). */
    fun startIdentifyWeb(input: WebIdentificationFlowInput, options: FlowOptions? = null) =
        start(FlowInput.WebIdentification(input), options) { (it as FlowOutcome.WebIdentification).v1 }
    fun resumeIdentifyWeb(snapshot: String) = resume("btrust.webIdentification", snapshot) { (it as FlowOutcome.WebIdentification).v1 }
    suspend fun identifyWeb(input: WebIdentificationFlowInput, options: FlowOptions? = null, onProgress: ((Progress) -> Unit)? = null) =
        startIdentifyWeb(input, options).use { it.run(onProgress) }

    /** Signing with the one-time certificate a web identification issued. */
    fun startSignWithOtc(input: StartSignSessionRequest, options: FlowOptions? = null) =
        start(FlowInput.WebOtcSign(input), options) { (it as FlowOutcome.WebOtcSign).v1 }
    fun resumeSignWithOtc(snapshot: String) = resume("btrust.webOtcSign", snapshot) { (it as FlowOutcome.WebOtcSign).v1 }
    suspend fun signWithOtc(input: StartSignSessionRequest, options: FlowOptions? = null, onProgress: ((Progress) -> Unit)? = null) =
        startSignWithOtc(input, options).use { it.run(onProgress) }

    /** Consent to automatic remote signing: the access token, its expiry, the signed consent. */
    fun startRequestConsent(input: SendConsentRequestInput, options: FlowOptions? = null) =
        start(FlowInput.Consent(input), options) { (it as FlowOutcome.Consent).v1 }
    fun resumeRequestConsent(snapshot: String) = resume("btrust.consent", snapshot) { (it as FlowOutcome.Consent).v1 }
    suspend fun requestConsent(input: SendConsentRequestInput, options: FlowOptions? = null, onProgress: ((Progress) -> Unit)? = null) =
        startRequestConsent(input, options).use { it.run(onProgress) }

    /** Automatic signing at once with an access token (throws `ConsentRequiredException` when only a new consent helps). */
    fun startAutoSign(input: AutoSignFlowInput, options: FlowOptions? = null) =
        start(FlowInput.AutoSign(input), options) { (it as FlowOutcome.AutoSign).v1 }
    fun resumeAutoSign(snapshot: String) = resume("btrust.autoSign", snapshot) { (it as FlowOutcome.AutoSign).v1 }
    suspend fun autoSign(input: AutoSignFlowInput, options: FlowOptions? = null, onProgress: ((Progress) -> Unit)? = null) =
        startAutoSign(input, options).use { it.run(onProgress) }

    /** A batch signed in the background with an access token; every item's outcome. */
    fun startSignBatch(input: BatchSignFlowInput, options: FlowOptions? = null) =
        start(FlowInput.BatchSign(input), options) { (it as FlowOutcome.BatchSign).v1 }
    fun resumeSignBatch(snapshot: String) = resume("btrust.batchSign", snapshot) { (it as FlowOutcome.BatchSign).v1 }
    suspend fun signBatch(input: BatchSignFlowInput, options: FlowOptions? = null, onProgress: ((Progress) -> Unit)? = null) =
        startSignBatch(input, options).use { it.run(onProgress) }

    /** Signing through an OpenID Connect redirect: send the user to `progress.userAction` (`UserAction.OpenUrl`). */
    fun startSignWithOidc(input: OidcSignRequest, options: FlowOptions? = null) =
        start(FlowInput.OidcSign(input), options) { (it as FlowOutcome.OidcSign).v1 }
    fun resumeSignWithOidc(snapshot: String) = resume("btrust.signWithOidc", snapshot) { (it as FlowOutcome.OidcSign).v1 }
    suspend fun signWithOidc(input: OidcSignRequest, options: FlowOptions? = null, onProgress: ((Progress) -> Unit)? = null) =
        startSignWithOidc(input, options).use { it.run(onProgress) }

    private fun <T> start(input: FlowInput, options: FlowOptions?, outcome: (FlowOutcome) -> T): RunningFlow<T> {
        // The host's one duty towards randomness: 16 fresh bytes per flow. The core derives
        // the relyingPartyCallbackId (when the request has none) and the jitter seed.
        val entropy = ByteArray(16).also(random::nextBytes)
        val native = NativeFlow.start(config, input, (options ?: flowOptions).copy(entropy = entropy))
        return RunningFlow(native, transport, outcome)
    }

    private fun <T> resume(name: String, snapshot: String, outcome: (FlowOutcome) -> T): RunningFlow<T> {
        val native = NativeFlow.restore(snapshot)
        val actual = native.name()
        if (actual != name) {
            native.close()
            throw InvalidStateException("the snapshot is of flow $actual, not $name")
        }
        return RunningFlow(native, transport, outcome)
    }
}
