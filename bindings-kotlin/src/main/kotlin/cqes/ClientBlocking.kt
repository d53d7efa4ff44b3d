package cqes

import kotlinx.coroutines.runBlocking
import cqes.ffi.OperationInput
import cqes.ffi.OperationOutput
import java.util.function.Consumer

/**
 * [Client] for Java and other blocking callers: each method runs the suspend function on the
 * calling thread. Interrupting the thread cancels the call. Methods declare [CqesException]
 * (checked in Java): catch `CqesException.Rejected`, `CqesException.Validation`, ….
 */
class ClientBlocking(val client: Client) : BlockingOperations() {
    private fun <T> block(f: suspend () -> T): T = runBlocking { f() }
    private fun Consumer<Progress>?.fn(): ((Progress) -> Unit)? = this?.let { c -> { p: Progress -> c.accept(p) } }

    /** Any operation: `call(new OperationInput.GetCert(new GetCertInput(...)))`. */
    @Throws(CqesException::class)
    override fun call(input: OperationInput): OperationOutput = block { client.call(input) }

    @JvmOverloads
    @Throws(CqesException::class)
    fun sign(input: SignFlowInput, progress: Consumer<Progress>? = null): SignOutcome =
        block { client.sign(input, null, progress.fn()) }

    @JvmOverloads
    @Throws(CqesException::class)
    fun signViaQr(input: SignRequestViaQr, progress: Consumer<Progress>? = null): SignOutcome =
        block { client.signViaQr(input, null, progress.fn()) }

    @JvmOverloads
    @Throws(CqesException::class)
    fun identifyMobile(input: IdentificationRequest, progress: Consumer<Progress>? = null): MobileIdentificationOutcome =
        block { client.identifyMobile(input, null, progress.fn()) }

    @JvmOverloads
    @Throws(CqesException::class)
    fun identifyWeb(input: WebIdentificationFlowInput, progress: Consumer<Progress>? = null): WebIdentificationOutcome =
        block { client.identifyWeb(input, null, progress.fn()) }

    @JvmOverloads
    @Throws(CqesException::class)
    fun signWithOtc(input: StartSignSessionRequest, progress: Consumer<Progress>? = null): WebOtcSignOutcome =
        block { client.signWithOtc(input, null, progress.fn()) }

    @JvmOverloads
    @Throws(CqesException::class)
    fun requestConsent(input: SendConsentRequestInput, progress: Consumer<Progress>? = null): ConsentOutcome =
        block { client.requestConsent(input, null, progress.fn()) }

    @JvmOverloads
    @Throws(CqesException::class)
    fun autoSign(input: AutoSignFlowInput, progress: Consumer<Progress>? = null): AutoSignOutcome =
        block { client.autoSign(input, null, progress.fn()) }

    @JvmOverloads
    @Throws(CqesException::class)
    fun signBatch(input: BatchSignFlowInput, progress: Consumer<Progress>? = null): BatchSignOutcome =
        block { client.signBatch(input, null, progress.fn()) }

    @JvmOverloads
    @Throws(CqesException::class)
    fun signWithOidc(input: OidcSignRequest, progress: Consumer<Progress>? = null): OidcSignOutcome =
        block { client.signWithOidc(input, null, progress.fn()) }

    /** Runs a flow from [Client]'s `start*`/`resume*` to the end. */
    @JvmOverloads
    @Throws(CqesException::class)
    fun <T> run(flow: RunningFlow<T>, progress: Consumer<Progress>? = null): T = block { flow.run(progress.fn()) }

    /** Does what is due now; the outcome once finished, else null (store the snapshot). */
    @Throws(CqesException::class)
    fun <T> runPending(flow: RunningFlow<T>): T? = block { flow.runPending() }
}
