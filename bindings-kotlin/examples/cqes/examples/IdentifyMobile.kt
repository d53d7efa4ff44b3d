// Identify a person through B-Trust Mobile and keep their eID certificate (a PDF).
@file:JvmName("IdentifyMobile")

package cqes.examples

import cqes.Secret
import cqes.SigningRejectedException
import kotlinx.coroutines.runBlocking
import cqes.*

fun main() = runBlocking {
    val person = PersonIdentityData(DocType.Egn, Secret(signerEgn()), Secret("01-01-1975"))
    try {
        val result = clientFromEnvironment().identifyMobile(
            IdentificationRequest(person, phoneNumber = null, email = null, payer = null, identificationReason = "Opening a current account"),
        )
        println("identified: eID certificate of ${result.eidCertificate?.size} bytes, identificator ${result.identificator}")
    } catch (e: SigningRejectedException) {
        println("the customer declined")
    }
}
