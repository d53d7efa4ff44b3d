// Settings shared by the examples: the connection comes from CQES_* environment variables
// (or system properties of the same name), as for the cqes CLI:
//   CQES_ENV (uat, test or a base URL), CQES_RP_ID, CQES_CERT + CQES_KEY (PEM) or
//   CQES_P12 + CQES_P12_PASSWORD, CQES_CA (PEM, instead of the system store),
//   CQES_IDENTIFICATION_URL, CQES_EGN (the signer).
@file:JvmName("Settings")

package cqes.examples

import cqes.Client
import cqes.Identity
import cqes.TlsSettings
import cqes.Environment
import java.nio.file.Files
import java.nio.file.Path

fun setting(name: String, default: String? = null): String =
    System.getProperty(name) ?: System.getenv(name) ?: default ?: error("set $name")

fun clientFromEnvironment(): Client {
    val password = setting("CQES_P12_PASSWORD", "").toCharArray()
    val identity = System.getProperty("CQES_P12", System.getenv("CQES_P12"))
        ?.let { Identity.pkcs12(Path.of(it), password) }
        ?: Identity.pem(Files.readString(Path.of(setting("CQES_CERT"))), Files.readString(Path.of(setting("CQES_KEY"))))
    val environment = when (val env = setting("CQES_ENV", "uat")) {
        "uat" -> Environment.Uat
        "test" -> Environment.Test
        else -> Environment.Custom(env)
    }
    val ca = setting("CQES_CA", "").ifEmpty { null }?.let { Files.readString(Path.of(it)) }
    return Client.create(environment, setting("CQES_RP_ID", "12345678"), TlsSettings(identity, password, ca = ca),
        identificationUrl = setting("CQES_IDENTIFICATION_URL", "").ifEmpty { null })
}

fun signerEgn(): String = setting("CQES_EGN", "7501010010")

/** A one-page PDF, when no file is given. */
fun samplePdf(): ByteArray = ("%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [3 0 R]" +
    " /Count 1 >>\nendobj\n3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>\nendobj\nxref\n" +
    "0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000058 00000 n \n0000000115 00000 n \ntrailer\n" +
    "<< /Size 4 /Root 1 0 R >>\nstartxref\n186\n%%EOF\n").toByteArray()
