package cqes

import com.fasterxml.jackson.databind.JsonNode
import com.fasterxml.jackson.databind.node.ArrayNode
import com.fasterxml.jackson.databind.node.JsonNodeFactory
import com.fasterxml.jackson.databind.node.ObjectNode
import org.junit.jupiter.api.DynamicTest
import org.junit.jupiter.api.Order
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestFactory
import org.junit.jupiter.api.TestMethodOrder
import org.junit.jupiter.api.MethodOrderer
import org.junit.jupiter.api.Assertions.assertTrue
import cqes.ffi.*
import java.io.File
import java.util.Base64

/**
 * The shared conformance vectors (`tests/vectors`, format in tests/README.md) through the
 * Kotlin binding, as the Rust and Python runners run them: an unknown key or directory fails.
 * Beyond the JSON paths, every input is read into its typed Kotlin model and built again,
 * and every output and outcome crosses into Kotlin typed and is written back unchanged.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation::class)
class VectorsTest {
    class VectorError(message: String) : AssertionError(message)

    companion object {
        val dir = File(System.getProperty("cqes.vectors") ?: "../tests/vectors")
        val rows = mutableMapOf<String, MutableSet<String>>()
        val tables = mutableMapOf<String, List<String>>()
        val cases: List<Triple<String, JsonNode, JsonNode>> by lazy {
            dir.listFiles()!!.sorted().filter { it.extension != "md" }.flatMap { d ->
                check(d.isDirectory && d.name in setOf("flows", "requests", "responses", "validation")) { "unexpected entry ${d.name}" }
                d.listFiles()!!.sorted().flatMap { f ->
                    check(f.extension == "json") { "${f.name}: not a .json file" }
                    val file = JSON.readTree(f)
                    keys(file, "file", "description", "config", "cases")
                    file["cases"].mapIndexed { i, c -> Triple("${d.name}/${f.name}#$i ${c["name"]?.asText()}", file, c) }
                }
            }
        }
        val kinds = OperationKind.entries.associateBy(::operationName)

        fun keys(obj: JsonNode, what: String, vararg allowed: String) =
            obj.fieldNames().forEach { if (it !in allowed) throw VectorError("$what: unknown key $it") }

        /** `expected` ⊆ `actual` (numbers by value); [exact]: equal, except numbers by value. */
        fun same(e: JsonNode, a: JsonNode?, path: String, exact: Boolean = false) {
            fun fail(): Nothing = throw VectorError("$path: expected $e, got $a")
            when {
                a == null -> fail()
                e.isObject && a.isObject -> {
                    e.fieldNames().forEach { k -> same(e[k], a[k] ?: throw VectorError("$path.$k: missing in $a"), "$path.$k", exact) }
                    if (exact && a.size() != e.size()) fail()
                }
                e.isArray && a.isArray -> {
                    if (e.size() != a.size()) fail()
                    e.forEachIndexed { i, x -> same(x, a[i], "$path[$i]", exact) }
                }
                e.isNumber && a.isNumber -> if (e.decimalValue().compareTo(a.decimalValue()) != 0) fail()
                e != a -> fail()
            }
        }
    }

    private fun config(file: JsonNode, case: JsonNode): Config =
        configFromJson((case["config"] ?: file["config"] ?: throw VectorError("a config is required")).toString())

    private fun err(e: Throwable): JsonNode =
        if (e is CqesException) JSON.readTree(errorJson(e)) else throw VectorError("not a CqesException: $e")

    private fun response(v: JsonNode): HttpResponse {
        keys(v, "response", "status", "headers", "body", "bodyJson", "bodyBase64")
        val body = v["body"]?.asText()?.toByteArray() ?: v["bodyJson"]?.let { JSON.writeValueAsBytes(it) }
            ?: v["bodyBase64"]?.let { Base64.getDecoder().decode(it.asText()) } ?: ByteArray(0)
        val headers = v["headers"]?.map { Header(it[0].asText(), it[1].asText()) } ?: emptyList()
        return HttpResponse(v["status"].asInt().toUShort(), headers, body)
    }

    private fun requestJson(r: HttpRequest): JsonNode = JSON.valueToTree(mapOf(
        "method" to r.method.name, "url" to r.url, "logUrl" to r.logUrl,
        "headers" to r.headers.map { listOf(it.name, it.value) }, "body" to String(r.body),
        "idempotent" to r.idempotent,
        "response" to mapOf("kind" to r.expect.kind.name.lowercase(), "maxBytes" to r.expect.maxBytes.toLong()),
    ))

    private fun expectOne(case: JsonNode, result: Result<JsonNode>, check: (JsonNode, JsonNode) -> Unit) {
        when {
            case.has("expect") && !case.has("expectError") ->
                check(case["expect"], result.getOrElse { throw VectorError("expected a result, got $it") })
            case.has("expectError") && !case.has("expect") ->
                same(case["expectError"], err(result.fold({ throw VectorError("expected an error, got $it") }, { it })), "error")
            else -> throw VectorError("give exactly one of expect, expectError")
        }
    }

    private fun runRequest(file: JsonNode, case: JsonNode) {
        keys(case, "request case", "name", "operation", "config", "input", "expect", "expectError")
        val op = case["operation"].asText()
        val input = case["input"].toString()
        val built = runCatching { buildRequestJson(op, config(file, case), input) }
        expectOne(case, built.map(::requestJson)) { expected, actual ->
            val exp = expected.deepCopy<ObjectNode>()
            keys(exp, "expect", "method", "url", "logUrl", "headers", "body", "bodyJson", "idempotent", "response")
            listOf("method", "url", "headers", "idempotent").forEach { if (!exp.has(it)) throw VectorError("expect.$it is required") }
            exp.remove("bodyJson")?.let { b -> same(b, JSON.readTree(actual["body"].asText()), "body", exact = true) }
                ?: exp.putIfAbsent("body", JsonNodeFactory.instance.textNode(""))
            same(exp, actual, "request")
            // The typed Kotlin model reads the input and builds the byte-identical request.
            val typed = operationInputFromJson(op, input)
            if (typed.kind != operationOf(typed) || operationName(typed.kind) != op) throw VectorError("OperationInput.kind is wrong")
            if (requestJson(build(config(file, case), typed)) != actual) throw VectorError("typed round trip changed the request")
        }
    }

    private fun outputEq(expected: JsonNode, actual: JsonNode) {
        val a = actual.deepCopy<JsonNode>()
        if (a is ObjectNode && expected.isObject) {
            if (!expected.has("raw")) a.remove("raw")
            else if (a["raw"]?.isTextual == true) a.set<JsonNode>("raw", JSON.readTree(Base64.getDecoder().decode(a["raw"].asText())))
        }
        same(expected, a, "output", exact = true)
    }

    private fun runResponse(file: JsonNode, case: JsonNode) {
        keys(case, "response case", "name", "operation", "callback", "config", "response", "expect", "expectError")
        val resp = response(case["response"])
        val out = runCatching {
            when {
                case.has("operation") && !case.has("callback") -> {
                    val op = case["operation"].asText()
                    val wire = JSON.readTree(parseResponseJson(op, resp))
                    // The typed Kotlin output is written back unchanged.
                    val typed = parse(kinds.getValue(op), resp)
                    if (JSON.readTree(operationOutputJson(typed)) != wire) throw VectorError("typed round trip changed the output")
                    wire
                }
                case.has("callback") && !case.has("operation") -> {
                    val kind = case["callback"].asText()
                    val wire = JSON.readTree(parseCallbackJson(kind, config(file, case), resp.body))
                    if (kind == "sign") parseSignCallback(resp.body) else parseIdentificationCallback(config(file, case), resp.body)
                    wire
                }
                else -> throw VectorError("give operation or callback")
            }
        }
        out.exceptionOrNull()?.let { if (it is VectorError) throw it }
        expectOne(case, out, ::outputEq)
    }

    private fun runValidation(file: JsonNode, case: JsonNode) {
        keys(case, "validation case", "name", "rule", "operation", "config", "value", "input", "issues")
        val expected = case["issues"] ?: throw VectorError("issues (use [] for valid input)")
        val issues: JsonNode = when {
            case.has("rule") -> JSON.readTree(errorJson(CqesException.Validation(checkRule(case["rule"].asText(), case["value"].toString()))))["issues"]
            case.has("operation") -> try {
                buildRequestJson(case["operation"].asText(), config(file, case), case["input"].toString()); JSON.createArrayNode()
            } catch (e: CqesException.Validation) {
                err(e)["issues"]
            }
            else -> throw VectorError("give rule+value or operation+input")
        }
        same(expected, issues, "issues")
    }

    private fun stepJson(step: FlowStep): JsonNode = JSON.valueToTree(when (step) {
        is FlowStep.Send -> mapOf("send" to requestJson(step.v1.request))
        is FlowStep.Wait -> mapOf("wait" to step.untilMs?.toLong())
        is FlowStep.Done -> mapOf("done" to JSON.readTree(flowOutcomeJson(step.v1)))
        is FlowStep.Failed -> mapOf("failed" to err(step.v1))
    })

    private fun runFlow(file: JsonNode, case: JsonNode) {
        keys(case, "flow case", "name", "flow", "config", "input", "options", "steps")
        val name = case["flow"].asText()
        val options = case["options"]?.let { flowOptionsFromJson(it.toString()) } ?: defaultFlowOptions()
        var flow = NativeFlow.startJson(name, config(file, case), case["input"].toString(), options)
        // The typed Kotlin input starts the same flow (same snapshot).
        NativeFlow.start(config(file, case), flowInputFromJson(name, case["input"].toString()), options).use {
            if (it.snapshot() != flow.snapshot()) throw VectorError("typed input started a different flow")
        }
        tables[name] = flow.table()
        val taken = rows.getOrPut(name) { mutableSetOf() }
        var lastId: ULong? = null
        case["steps"].forEachIndexed { i, s ->
            try {
                keys(s, "step", "next", "expect", "respond", "transportError", "callback", "id", "now", "expectError",
                    "snapshotRestore", "progress", "rows")
                val now = s["now"]?.asLong()?.toULong() ?: 0u
                val id = s["id"]?.asLong()?.toULong() ?: lastId
                val error = try {
                    when {
                        s.has("next") -> {
                            val st = flow.next(s["next"].asLong().toULong())
                            if (st is FlowStep.Send) lastId = st.v1.id
                            same(s["expect"] ?: throw VectorError("a next step needs expect"), stepJson(st), "step")
                        }
                        s.has("respond") -> flow.handleResponse(id ?: throw VectorError("no request yet"), response(s["respond"]), now)
                        s.has("transportError") -> flow.handleTransportError(id ?: throw VectorError("no request yet"),
                            TransportErrorKind.valueOf(s["transportError"].asText().uppercase()), now)
                        s.has("callback") -> {
                            val c = s["callback"]
                            flow.handleCallback(if (c.isTextual) c.asText().toByteArray() else JSON.writeValueAsBytes(c), now)
                        }
                        s.has("snapshotRestore") -> {
                            val snap = flow.snapshot()
                            val head = JSON.readTree(snap)
                            if (head["version"]?.asInt() != 1 || head["flow"]?.asText() != name) throw VectorError("snapshot header wrong")
                            taken += flow.takeTransitions()
                            flow.close()
                            flow = NativeFlow.restore(snap)
                        }
                        s.has("progress") -> same(s["progress"], JSON.readTree(progressJson(flow.progress())), "progress")
                        else -> throw VectorError("unknown step kind")
                    }
                    null
                } catch (e: CqesException) {
                    e
                }
                if (error != null && !s.has("expectError")) throw VectorError("unexpected error: $error")
                if (error == null && s.has("expectError")) throw VectorError("expected an error from the call")
                error?.let { same(s["expectError"], err(it), "error") }
                val stepRows = flow.takeTransitions()
                if (s.has("rows") && JSON.valueToTree<ArrayNode>(stepRows) != s["rows"]) throw VectorError("rows: expected ${s["rows"]}, took $stepRows")
                taken += stepRows
            } catch (e: VectorError) {
                throw VectorError("step $i: ${e.message}")
            }
        }
        flow.close()
    }

    @TestFactory
    @Order(1)
    fun vectors(): List<DynamicTest> = cases.map { (label, file, case) ->
        DynamicTest.dynamicTest(label) {
            when (label.substringBefore('/')) {
                "requests" -> runRequest(file, case)
                "responses" -> runResponse(file, case)
                "validation" -> runValidation(file, case)
                else -> runFlow(file, case)
            }
        }
    }

    @Test
    @Order(2)
    fun everyOperationAndFlowRowIsCovered() {
        val seen = cases.filter { it.third.has("operation") }.map { it.first.substringBefore('/') to it.third["operation"].asText() }.toSet()
        val missing = operations().flatMap { op -> listOf("requests", "responses").filter { (it to op) !in seen }.map { "$it:$op" } }
        assertTrue(missing.isEmpty(), "operations without vectors: $missing")
        for (flow in flows()) {
            val table = tables[flow] ?: error("no flow vector for $flow")
            val untaken = table.filter { it !in rows[flow].orEmpty() }
            assertTrue(untaken.isEmpty(), "flow $flow: table rows never taken: $untaken")
        }
        // Guards against the collection silently shrinking.
        assertTrue(cases.size >= 361, "${cases.size} cases")
    }
}
