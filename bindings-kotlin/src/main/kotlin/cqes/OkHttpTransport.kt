package cqes

import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.runInterruptible
import kotlinx.coroutines.suspendCancellableCoroutine
import okhttp3.Call
import okhttp3.Callback
import okhttp3.OkHttpClient
import okhttp3.Request
import okhttp3.RequestBody.Companion.toRequestBody
import okhttp3.Response
import okio.Buffer
import java.io.ByteArrayInputStream
import java.io.IOException
import java.io.InterruptedIOException
import java.net.ConnectException
import java.net.NoRouteToHostException
import java.net.Proxy
import java.net.UnknownHostException
import java.nio.file.Files
import java.nio.file.Path
import java.security.KeyFactory
import java.security.KeyStore
import java.security.cert.CertificateFactory
import java.security.cert.X509Certificate
import java.security.spec.PKCS8EncodedKeySpec
import java.time.Duration
import java.util.Base64
import javax.net.ssl.KeyManagerFactory
import javax.net.ssl.SSLContext
import javax.net.ssl.SSLHandshakeException
import javax.net.ssl.TrustManagerFactory
import javax.net.ssl.X509TrustManager
import kotlin.coroutines.resume
import kotlin.coroutines.resumeWithException

/** The client certificate and key BORICA registered, as a `KeyStore` for mutual TLS. */
object Identity {
    /** A PKCS#12 (`.p12`/`.pfx`) file's bytes. */
    @JvmStatic
    fun pkcs12(bytes: ByteArray, password: CharArray): KeyStore = KeyStore.getInstance("PKCS12").apply {
        load(ByteArrayInputStream(bytes), password)
    }

    /** A PKCS#12 file. */
    @JvmStatic
    fun pkcs12(path: Path, password: CharArray): KeyStore = pkcs12(Files.readAllBytes(path), password)

    /** A PEM certificate chain and an unencrypted PKCS#8 PEM key (`BEGIN PRIVATE KEY`). */
    @JvmStatic
    fun pem(certPem: String, keyPem: String): KeyStore {
        val chain = certificates(certPem).toTypedArray()
        val der = Base64.getMimeDecoder().decode(
            keyPem.substringAfter("-----BEGIN PRIVATE KEY-----").substringBefore("-----END PRIVATE KEY-----"),
        )
        // PKCS#8 names its algorithm inside; try the ones B-Trust certificates use.
        val key = listOf("EC", "RSA", "Ed25519").firstNotNullOfOrNull { alg ->
            runCatching { KeyFactory.getInstance(alg).generatePrivate(PKCS8EncodedKeySpec(der)) }.getOrNull()
        } ?: throw IllegalArgumentException("the key is not an unencrypted PKCS#8 EC, RSA or Ed25519 key")
        return KeyStore.getInstance("PKCS12").apply {
            load(null, null)
            setKeyEntry("client", key, CharArray(0), chain)
        }
    }

    internal fun certificates(pem: String): List<X509Certificate> =
        CertificateFactory.getInstance("X.509").generateCertificates(ByteArrayInputStream(pem.toByteArray()))
            .map { it as X509Certificate }
}

/**
 * Settings of the OkHttp transport. [ca]: PEM certificates to trust instead of the system
 * store (the sandbox's CA); [trustManager]: your own instead. [proxy]: an HTTP proxy.
 */
data class TlsSettings @JvmOverloads constructor(
    val identity: KeyStore,
    val identityPassword: CharArray = CharArray(0),
    val ca: String? = null,
    val trustManager: X509TrustManager? = null,
    val connectTimeout: Duration = Duration.ofSeconds(10),
    val callTimeout: Duration = Duration.ofSeconds(30),
    val proxy: Proxy? = null,
)

/**
 * [Transport] over OkHttp 5 with mutual TLS. Redirects are never followed and OkHttp's
 * retry on connection failure is off: repeating a sign request is the core's decision.
 */
class OkHttpTransport(val http: OkHttpClient) : Transport {
    constructor(settings: TlsSettings) : this(client(settings))

    override suspend fun send(request: HttpRequest): HttpResponse {
        val body = if (request.method == Method.GET) null else request.body.toRequestBody(null)
        val builder = Request.Builder().url(request.url).method(request.method.name, body)
        request.headers.forEach { builder.addHeader(it.name, it.value) }
        val call = http.newCall(builder.build())
        try {
            call.await().use { response -> return read(response, request.expect.maxBytes.toLong()) }
        } catch (e: IOException) {
            throw TransportException(kind(e), "${request.method} ${request.logUrl}: ${e.javaClass.simpleName}")
        }
    }

    private suspend fun read(response: Response, max: Long): HttpResponse {
        val buffer = Buffer()
        runInterruptible(Dispatchers.IO) {
            val source = response.body.source()
            while (buffer.size <= max && source.read(buffer, 65536) != -1L) Unit
        }
        if (buffer.size > max) throw TransportException(TransportErrorKind.TOO_LARGE, "more than $max bytes")
        val headers = response.headers.map { (n, v) -> Header(n, v) }
        return HttpResponse(response.code.toUShort(), headers, buffer.readByteArray())
    }

    companion object {
        /** The OkHttpClient the transport uses for [settings]: add interceptors with `newBuilder()`. */
        @JvmStatic
        fun client(settings: TlsSettings): OkHttpClient {
            val kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm())
            kmf.init(settings.identity, settings.identityPassword)
            val trust = settings.trustManager ?: trustManager(settings.ca)
            val tls = SSLContext.getInstance("TLS").apply { init(kmf.keyManagers, arrayOf(trust), null) }
            return OkHttpClient.Builder()
                .sslSocketFactory(tls.socketFactory, trust)
                .followRedirects(false).followSslRedirects(false)
                .retryOnConnectionFailure(false)
                .connectTimeout(settings.connectTimeout).callTimeout(settings.callTimeout)
                .readTimeout(settings.callTimeout).writeTimeout(settings.callTimeout)
                .apply { settings.proxy?.let { proxy(it) } }
                .build()
        }

        /** The system's trust store, or only the CAs in [caPem]. */
        @JvmStatic
        fun trustManager(caPem: String?): X509TrustManager {
            val store = caPem?.let { pem ->
                KeyStore.getInstance(KeyStore.getDefaultType()).apply {
                    load(null, null)
                    Identity.certificates(pem).forEachIndexed { i, c -> setCertificateEntry("ca$i", c) }
                }
            }
            val tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm())
            tmf.init(store)
            return tmf.trustManagers.filterIsInstance<X509TrustManager>().first()
        }

        // Whether the request may have reached the server decides reconciling: only failures
        // before anything was sent are `connect`/`tls`. A reset inside an established TLS
        // session is an SSLException too, but not a handshake failure: `io` (maybe processed).
        private fun kind(e: IOException): TransportErrorKind = when (e) {
            is ConnectException, is UnknownHostException, is NoRouteToHostException -> TransportErrorKind.CONNECT
            is SSLHandshakeException -> TransportErrorKind.TLS
            is InterruptedIOException -> TransportErrorKind.TIMEOUT
            else -> TransportErrorKind.IO
        }
    }
}

/** Suspends until OkHttp answers; cancelling the coroutine cancels the call. */
internal suspend fun Call.await(): Response = suspendCancellableCoroutine { cont ->
    cont.invokeOnCancellation { cancel() }
    enqueue(object : Callback {
        override fun onFailure(call: Call, e: IOException) = cont.resumeWithException(e)
        override fun onResponse(call: Call, response: Response) =
            cont.resume(response) { _, r, _ -> r.close() }
    })
}
