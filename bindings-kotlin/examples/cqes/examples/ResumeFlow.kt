// A web application does not hold a worker while the customer reaches for their phone: start
// the flow, store its snapshot, and finish it later in any process.
@file:JvmName("ResumeFlow")

package cqes.examples

import cqes.Secret
import kotlinx.coroutines.runBlocking
import cqes.*

fun main() = runBlocking {
    val client = clientFromEnvironment()
    val content = Content("Loan agreement no. 42", ContentFormat.BinaryBase64, ContentData.Bytes(samplePdf()),
        fileName = "agreement.pdf", signatureType = SignatureType.PadesBaselineB)
    val flow = client.startSign(SignFlowInput(SignerIdentity.PersonalId(Secret(signerEgn())), SignRequest(listOf(content))))
    check(flow.runPending() == null) // sent; now the customer has to act
    val snapshot = flow.snapshot() // save it with the order (it holds personal data: store it like any)
    flow.close()

    // Later, in another request handler or process:
    val outcome = client.resumeSign(snapshot).use { it.run() }
    println("signed ${outcome.items.size} document(s), request ${outcome.rpCallbackId}")
}
