package cqes

import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.withTimeoutOrNull
import cqes.ffi.NativeFlow

/**
 * A running flow: the only loop in the package. The core decides everything (what to send,
 * when to poll, whether a lost request may be repeated, when to give up); this class moves
 * bytes and time between it and a [Transport]. Get one from a [Client]'s `start*`/`resume*`.
 *
 * [run] drives it to the end (cancel the coroutine to stop it; [snapshot] then resumes it,
 * reconciling a request that was in flight). Web applications that cannot hold a worker use
 * [runPending] and store [snapshot]. [handleCallback] may be called from any thread.
 */
class RunningFlow<T> internal constructor(
    private val native: NativeFlow,
    private val transport: Transport,
    private val outcome: (FlowOutcome) -> T,
) : AutoCloseable {
    private val wake = Channel<Unit>(Channel.CONFLATED)
    private val progressState = MutableStateFlow(native.progress())
    private var reported: Progress? = null

    /** The flow's name, e.g. `btrust.sign`. */
    val name: String get() = native.name()

    /** Progress as it changes (a `Flow<Progress>`): show `userAction` (a QR code, a URL). */
    val progress: StateFlow<Progress> = progressState.asStateFlow()

    /** The whole state as versioned JSON text; holds personal data, store it like any. */
    fun snapshot(): String = native.snapshot()

    /**
     * Hands over a callback body your endpoint received for this flow; a waiting [run] wakes
     * at once. Identification callbacks must name this relying party.
     * @throws InvalidStateException the callback belongs to another request.
     * @throws ValidationException the body is not a callback.
     */
    fun handleCallback(body: ByteArray) {
        native.handleCallback(body, nowMs())
        wake.trySend(Unit)
    }

    /**
     * Runs the flow to the end and returns its outcome; [onProgress] is called whenever the
     * progress changes.
     * @throws CqesException the flow failed ([SigningRejectedException], …).
     */
    suspend fun run(onProgress: ((Progress) -> Unit)? = null): T = drive(onProgress, block = true)!!

    /** Does what is due now; the outcome once finished, else null (store [snapshot]). */
    suspend fun runPending(onProgress: ((Progress) -> Unit)? = null): T? = drive(onProgress, block = false)

    private suspend fun drive(onProgress: ((Progress) -> Unit)?, block: Boolean): T? {
        while (true) {
            val step = native.next(nowMs())
            val now = native.progress()
            progressState.value = now
            if (onProgress != null && now != reported) {
                reported = now
                onProgress(now)
            }
            when (step) {
                is FlowStep.Send -> exchange(step.v1.id, step.v1.request)
                is FlowStep.Wait -> {
                    if (!block) return null
                    // No deadline: only a callback or a later call can move the flow on.
                    val delayMs = step.untilMs?.let { it.toLong() - nowMs().toLong() } ?: Long.MAX_VALUE
                    if (delayMs > 0) withTimeoutOrNull(delayMs) { wake.receive() }
                }
                is FlowStep.Done -> return outcome(step.v1)
                is FlowStep.Failed -> throw step.v1
            }
        }
    }

    private suspend fun exchange(id: ULong, request: HttpRequest) {
        val response = try {
            transport.send(request)
        } catch (e: TransportException) {
            native.handleTransportError(id, e.kind, nowMs())
            return
        }
        native.handleResponse(id, response, nowMs())
    }

    /** Frees the native flow now rather than at garbage collection. */
    override fun close() = native.close()
}

/** Wall-clock milliseconds: flows resume in other processes, so a per-process clock won't do. */
internal fun nowMs(): ULong = System.currentTimeMillis().toULong()
