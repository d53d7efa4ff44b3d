// Benchmarks of the Kotlin binding (not a test: it prints figures). Run after a release build:
//   mvn -q -f bindings-kotlin/pom.xml test-compile exec:java -Dcqes.profile=release \
//       -Dexec.mainClass=cqes.bench.Bench -Dexec.classpathScope=test
// 1. Building a sign request for a 10 MiB PDF: cqes (typed model → core → HttpRequest)
//    versus java.util.Base64 + Jackson writing the same body.
// 2. A small build + parse round trip through Client with an in-memory transport.
@file:JvmName("Bench")

package cqes.bench

import com.fasterxml.jackson.databind.ObjectMapper
import cqes.Client
import cqes.Secret
import cqes.Transport
import kotlinx.coroutines.runBlocking
import cqes.*
import cqes.ffi.OperationInput
import cqes.ffi.build
import cqes.ffi.newConfig
import java.util.Base64

private const val MIB = 1 shl 20
private const val EGN = "7501010010"

/** Seconds per call, best and median of [repeat] samples of [number] calls each. */
private fun time(repeat: Int, number: Int = 1, f: () -> Any?): Pair<Double, Double> {
    val samples = (0 until repeat).map {
        val t0 = System.nanoTime()
        repeat(number) { f() }
        (System.nanoTime() - t0) / 1e9 / number
    }.sorted()
    return samples.first() to samples[samples.size / 2]
}

private fun document(size: Int): ByteArray {
    val head = "%PDF-1.7\n".toByteArray()
    return ByteArray(size) { i -> if (i < head.size) head[i] else ((i * 31 + 7) and 0xFF).toByte() }
}

fun main() {
    val config = newConfig(Environment.Uat, "12345678")
    val pdf = document(10 * MIB)
    val mapper = ObjectMapper()
    fun cqesBuild() = build(config, OperationInput.SendSignRequest(SendSignRequestInput(
        SignerIdentity.PersonalId(Secret(EGN)),
        SignRequest(listOf(Content("Loan agreement", ContentFormat.BinaryBase64, ContentData.Bytes(pdf),
            fileName = "agreement.pdf", signatureType = SignatureType.PadesBaselineB)), "bench-1"))))
    fun plainBuild(): ByteArray = mapper.writeValueAsBytes(mapOf(
        "contents" to listOf(linkedMapOf("confirmText" to "Loan agreement", "contentFormat" to "BINARY_BASE64",
            "data" to Base64.getEncoder().encodeToString(pdf), "fileName" to "agreement.pdf", "signatureType" to "PADES_BASELINE_B")),
        "relyingPartyCallbackId" to "bench-1"))
    // Same output, so the comparison is fair.
    check(mapper.readTree(cqesBuild().body) == mapper.readTree(plainBuild())) { "the two bodies differ" }
    repeat(3) { cqesBuild(); plainBuild() } // warm-up (JIT)
    val (c, cm) = time(15) { cqesBuild() }
    val (p, pm) = time(15) { plainBuild() }
    println("kotlin: build a sign request for a 10 MiB PDF (best of 15, after warm-up)")
    println("  cqes                   %8.2f ms  %6.0f MiB/s  (median %.2f ms)".format(c * 1e3, 10 / c, cm * 1e3))
    println("  Base64 + Jackson       %8.2f ms  %6.0f MiB/s  (median %.2f ms)".format(p * 1e3, 10 / p, pm * 1e3))
    println("  ratio (plain / cqes)   %.2fx".format(p / c))

    val answer = """{"responseCode":"IN_PROGRESS","code":"IN_PROGRESS","message":"in progress","data":{"signatures":[{"signature":null,"signatureType":"PADES_BASELINE_B","status":"IN_PROGRESS"}],"cert":null}}""".toByteArray()
    val canned = Transport { HttpResponse(206u, listOf(Header("content-type", "application/json")), answer) }
    val client = Client(config, canned)
    val input = GetSignedResultInput("351f00e7-c0c2-4ffb-967d-2b8220e0806e")
    // One coroutine for the whole run, as a server calls suspend functions (no runBlocking per call).
    runBlocking {
        check(client.getSignedResult(input).data.signatures[0].status == SignatureStatus.InProgress)
        repeat(20_000) { client.getSignedResult(input) } // warm-up
        val samples = (0 until 25).map {
            val t0 = System.nanoTime()
            repeat(5_000) { client.getSignedResult(input) }
            (System.nanoTime() - t0) / 1e3 / 5_000
        }.sorted()
        println("kotlin: small round trip (client.getSignedResult: typed input → build → transport → parse → typed output)")
        println("  %.1f µs per call (median %.1f µs, best of 25 × 5000 calls)".format(samples.first(), samples[12]))
    }
}
