package cqes


/**
 * A secret string (profile id, OTP, token) from the core's `SecretString`: its [toString]
 * is redacted so personal data stays out of logs and exception messages.
 */
class Secret(val value: String) {
    override fun toString(): String = "[redacted]"
    override fun equals(other: Any?): Boolean = other is Secret && other.value == value
    override fun hashCode(): Int = value.hashCode()
}

// The exception names every cqes host uses; the classes are uniffi's `CqesException` cases.
typealias ValidationException = CqesException.Validation
typealias ApiException = CqesException.Api
typealias SigningRejectedException = CqesException.Rejected
typealias SigningExpiredException = CqesException.Expired
typealias ConsentRequiredException = CqesException.ConsentRequired
typealias LimitExceededException = CqesException.LimitExceeded
typealias UnexpectedResponseException = CqesException.UnexpectedResponse
typealias TransportException = CqesException.Transport
typealias InvalidStateException = CqesException.InvalidState

/**
 * The instant the service meant, or null when the core could not read the text (`raw` keeps
 * it). `java.time` rather than `kotlin.time.Instant`: it is stable, in every JVM since 8 and
 * on Android since API 26 (with desugaring below).
 */
val Timestamp.instant: java.time.Instant?
    get() = epochMs?.let(java.time.Instant::ofEpochMilli)
