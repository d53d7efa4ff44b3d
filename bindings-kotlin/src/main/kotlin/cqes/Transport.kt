package cqes


/**
 * Sends one request exactly as the core built it and returns the answer as received. Send
 * once: never follow redirects, never retry (the core decides whether a request may be
 * repeated). On failure throw [TransportException] with the kind that says whether the
 * request may have reached the server. Implement it over Ktor, a test double, anything.
 */
fun interface Transport {
    suspend fun send(request: HttpRequest): HttpResponse
}
