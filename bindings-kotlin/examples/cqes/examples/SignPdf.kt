// Sign a PDF with the signer's cloud qualified certificate:  SignPdf [in.pdf] [out.pdf]
// The signer confirms in B-Trust Mobile; the flow polls until then and downloads the result.
@file:JvmName("SignPdf")

package cqes.examples

import cqes.Secret
import kotlinx.coroutines.runBlocking
import cqes.*
import java.nio.file.Files
import java.nio.file.Path

fun main(args: Array<String>) = runBlocking {
    val source = args.getOrNull(0)?.let { Files.readAllBytes(Path.of(it)) } ?: samplePdf()
    val target = Path.of(args.getOrNull(1) ?: "signed.pdf")
    val content = Content(
        confirmText = "Loan agreement no. 42", contentFormat = ContentFormat.BinaryBase64,
        data = ContentData.Bytes(source), // bytes: base64 happens in the core
        fileName = "agreement.pdf", signatureType = SignatureType.PadesBaselineB,
    )
    val outcome = clientFromEnvironment().sign(
        SignerIdentity.PersonalId(Secret(signerEgn())),
        SignRequest(listOf(content)),
    ) { p -> println("  ${p.state} (requests: ${p.requestsSent}, polls: ${p.polls})") }
    val document = outcome.items[0].document!!
    Files.write(target, document.content)
    println("signed: $target (${document.content.size} bytes), request ${outcome.rpCallbackId}")
}
