package cqes

import com.fasterxml.jackson.databind.JsonNode
import com.fasterxml.jackson.databind.ObjectMapper
import com.sun.net.httpserver.HttpServer
import cqes.ffi.defaultFlowOptions
import cqes.ffi.newConfig
import java.net.InetSocketAddress
import java.net.URI
import java.net.http.HttpClient
import java.net.http.HttpRequest.BodyPublishers
import java.net.http.HttpResponse.BodyHandlers
import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.CopyOnWriteArrayList
import java.util.concurrent.TimeUnit

const val RP = "12345678"
const val EGN = "7501010010"

val JSON = ObjectMapper()

/** Fast polling: the sandbox acts in milliseconds, so tests should too. */
val FAST: FlowOptions = defaultFlowOptions().copy(
    poll = PollPolicy(50u, 50u, 200u, 1.5, 0.2, 50u, 5u, 1_000u, 60_000u),
)

/** The B-Trust sandbox (`cqes sandbox serve`, ephemeral ports, real mutual TLS), one per test run, stopped by PID. */
object Sandbox {
    private val http = HttpClient.newHttpClient()
    val certs: Path = Files.createTempDirectory("cqes-certs")
    private val process: Process
    val baseUrl: String
    val controlUrl: String
    val pagesUrl: String

    init {
        val bin = System.getProperty("cqes.bin") ?: error("set -Dcqes.bin to the cqes binary")
        process = ProcessBuilder(bin, "--json", "sandbox", "serve", "--port", "0", "--control-port", "0",
            "--pages-port", "0", "--certs", certs.toString())
            .redirectError(ProcessBuilder.Redirect.INHERIT).start()
        val line = process.inputStream.bufferedReader().readLine() ?: error("the sandbox did not start")
        val info = JSON.readTree(line)
        baseUrl = info["baseUrl"].asText(); controlUrl = info["controlUrl"].asText(); pagesUrl = info["pagesUrl"].asText()
        Runtime.getRuntime().addShutdownHook(Thread {
            // The sandbox stops on Ctrl-C (SIGINT); kill it if it does not.
            ProcessBuilder("kill", "-INT", process.pid().toString()).start().waitFor()
            if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly()
        })
    }

    fun control(method: String, path: String, body: Any? = null): JsonNode {
        val req = java.net.http.HttpRequest.newBuilder(URI(controlUrl + path))
            .header("content-type", "application/json")
            .method(method, body?.let { BodyPublishers.ofString(JSON.writeValueAsString(it)) } ?: BodyPublishers.noBody())
            .build()
        val resp = http.send(req, BodyHandlers.ofString())
        check(resp.statusCode() in 200..299) { "control $method $path: ${resp.statusCode()} ${resp.body()}" }
        return JSON.readTree(resp.body().ifEmpty { "null" })
    }

    /** What the simulated user does with new requests: approve, reject or ignore. */
    fun behave(mode: String, afterMs: Int = 0) = control("PUT", "/behavior", mapOf("mode" to mode, "afterMs" to afterMs))

    fun reset() {
        behave("ignore"); control("PUT", "/faults", emptyMap<String, Any>())
    }

    fun file(name: String): Path = certs.resolve(name)

    fun tls(identity: java.security.KeyStore? = pemIdentity()): TlsSettings =
        TlsSettings(identity ?: emptyKeyStore(), ca = Files.readString(file("ca.pem")))

    fun pemIdentity(rp: String = RP) = Identity.pem(Files.readString(file("rp-$rp.pem")), Files.readString(file("rp-$rp.key")))

    fun config(rp: String = RP): Config =
        newConfig(Environment.Custom(baseUrl), rp).copy(identificationUrl = pagesUrl)

    fun client(rp: String = RP, tls: TlsSettings = tls(pemIdentity(rp))): Client =
        Client(config(rp), OkHttpTransport(tls), FAST)

    private fun emptyKeyStore() = java.security.KeyStore.getInstance("PKCS12").apply { load(null, null) }
}

/** A minimal one-page PDF. */
fun pdf(): ByteArray = ("%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [3 0 R]" +
    " /Count 1 >>\nendobj\n3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>\nendobj\nxref\n" +
    "0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000058 00000 n \n0000000115 00000 n \ntrailer\n" +
    "<< /Size 4 /Root 1 0 R >>\nstartxref\n186\n%%EOF\n").toByteArray()

/** The relying party's callback endpoint and landing pages on loopback (POST /cb → [onCallback]). */
class Receiver : AutoCloseable {
    @Volatile var onCallback: ((ByteArray) -> Unit)? = null
    val bodies = CopyOnWriteArrayList<ByteArray>()
    val landed = CopyOnWriteArrayList<String>()
    private val server = HttpServer.create(InetSocketAddress("127.0.0.1", 0), 0)
    val url = "http://127.0.0.1:${server.address.port}"

    init {
        server.createContext("/") { ex ->
            var status = 200
            var reply = ByteArray(0)
            if (ex.requestMethod == "POST") {
                val body = ex.requestBody.readAllBytes()
                bodies.add(body)
                status = runCatching { onCallback?.invoke(body) }.fold({ 200 }, { 400 })
            } else {
                landed.add(ex.requestURI.path.trim('/')); reply = "landed".toByteArray()
            }
            ex.sendResponseHeaders(status, if (reply.isEmpty()) -1 else reply.size.toLong())
            ex.responseBody.use { it.write(reply) }
        }
        server.start()
    }

    override fun close() = server.stop(0)
}
