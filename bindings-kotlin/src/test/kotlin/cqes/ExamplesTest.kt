package cqes

import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Test
import java.nio.file.Files

/** The examples (bindings-kotlin/examples) run against the sandbox, settings as system properties. */
class ExamplesTest {
    private val out = Files.createTempDirectory("cqes-examples")

    @BeforeEach
    fun settings() {
        Sandbox.reset()
        Sandbox.behave("approve", 100)
        mapOf("CQES_ENV" to Sandbox.baseUrl, "CQES_RP_ID" to RP, "CQES_CERT" to Sandbox.file("rp-$RP.pem").toString(),
            "CQES_KEY" to Sandbox.file("rp-$RP.key").toString(), "CQES_CA" to Sandbox.file("ca.pem").toString(),
            "CQES_IDENTIFICATION_URL" to Sandbox.pagesUrl).forEach(System::setProperty)
    }

    // Kotlin cannot name a file facade class (SignPdf.kt's `main`): call it as the JVM does.
    private fun example(name: String, vararg args: String) {
        Class.forName("cqes.examples.$name").getMethod("main", Array<String>::class.java).invoke(null, arrayOf(*args))
    }

    @Test
    fun signPdf() {
        val target = out.resolve("signed.pdf")
        val source = Files.write(out.resolve("in.pdf"), pdf())
        example("SignPdf", source.toString(), target.toString())
        assertTrue(Files.size(target) > pdf().size)
    }

    @Test
    fun identifyMobile() = example("IdentifyMobile")

    @Test
    fun resumeFlow() = example("ResumeFlow")

    @Test
    fun javaSign() {
        val target = out.resolve("signed-java.pdf")
        cqes.examples.JavaSign.main(arrayOf(target.toString()))
        assertTrue(Files.size(target) > pdf().size)
    }
}
