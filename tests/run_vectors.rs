//! Runs every conformance vector in `tests/vectors` against cqes-core.
//!
//! The format is documented in `tests/README.md`; every host runs the same files. A file or
//! case this runner cannot interpret (unknown directory, unknown key, missing expectation) is
//! a failure, never a skip.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use cqes_core::btrust::registry::{self, AnyFlow, FlowStep};
use cqes_core::btrust::Config;
use cqes_core::flow::FlowOptions;
use cqes_core::{Error, HttpRequest, HttpResponse, TransportErrorKind};
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

type Res = Result<(), String>;

fn vectors_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("vectors")
}

/// Checks that `obj` has only `allowed` keys.
fn keys(obj: &Map<String, Value>, allowed: &[&str], what: &str) -> Res {
    for k in obj.keys() {
        if !allowed.contains(&k.as_str()) {
            return Err(format!("{what}: unknown key {k:?} (allowed: {allowed:?})"));
        }
    }
    Ok(())
}

fn obj<'a>(v: &'a Value, what: &str) -> Result<&'a Map<String, Value>, String> {
    v.as_object()
        .ok_or_else(|| format!("{what} must be an object"))
}

/// `expected` ⊆ `actual`: every key of an expected object must match; arrays match
/// element-wise with equal length; scalars are equal.
fn subset(expected: &Value, actual: &Value, path: &str) -> Res {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for (k, ev) in e {
                let av = a
                    .get(k)
                    .ok_or_else(|| format!("{path}.{k}: missing (actual {actual})"))?;
                subset(ev, av, &format!("{path}.{k}"))?;
            }
            Ok(())
        }
        (Value::Array(e), Value::Array(a)) => {
            if e.len() != a.len() {
                return Err(format!(
                    "{path}: expected {} elements, got {}: {actual}",
                    e.len(),
                    a.len()
                ));
            }
            for (i, (ev, av)) in e.iter().zip(a).enumerate() {
                subset(ev, av, &format!("{path}[{i}]"))?;
            }
            Ok(())
        }
        (Value::Number(e), Value::Number(a)) if e.as_f64() == a.as_f64() => Ok(()),
        _ if expected == actual => Ok(()),
        _ => Err(format!("{path}: expected {expected}, got {actual}")),
    }
}

/// Exact equality, except that a top-level `raw` (the body as received: bytes, base64 in
/// JSON) is ignored unless expected, and compared as the JSON it holds when it is.
fn output_eq(expected: &Value, actual: &Value) -> Res {
    let mut actual = actual.clone();
    if let (Some(a), Some(e)) = (actual.as_object_mut(), expected.as_object()) {
        if !e.contains_key("raw") {
            a.remove("raw");
        } else if let Some(Value::String(b64)) = a.get("raw") {
            let body = cqes_core::blob::decode_base64_lenient(b64.as_bytes())
                .ok_or("raw is not base64")?;
            let json: Value = serde_json::from_slice(&body).map_err(|e| e.to_string())?;
            a.insert("raw".into(), json);
        }
    }
    if *expected == actual {
        Ok(())
    } else {
        Err(format!(
            "output differs:\n  expected {expected}\n  actual   {actual}"
        ))
    }
}

fn error_json(e: &Error) -> Value {
    e.to_json()
}

fn check_error(expected: &Value, actual: &Error) -> Res {
    subset(expected, &error_json(actual), "error")
}

fn response_from(v: &Value) -> Result<HttpResponse, String> {
    let o = obj(v, "response")?;
    keys(
        o,
        &["status", "headers", "body", "bodyJson", "bodyBase64"],
        "response",
    )?;
    let status = o
        .get("status")
        .and_then(Value::as_u64)
        .ok_or("response.status is required")? as u16;
    let mut resp = HttpResponse::new(status, Vec::new());
    if let Some(h) = o.get("headers") {
        for pair in h
            .as_array()
            .ok_or("response.headers is a list of [name, value]")?
        {
            let p = pair
                .as_array()
                .filter(|p| p.len() == 2)
                .ok_or("a header is [name, value]")?;
            resp = resp.with_header(
                p[0].as_str().ok_or("header name")?,
                p[1].as_str().ok_or("header value")?,
            );
        }
    }
    let bodies = ["body", "bodyJson", "bodyBase64"]
        .iter()
        .filter(|k| o.contains_key(**k))
        .count();
    if bodies > 1 {
        return Err("give at most one of body, bodyJson, bodyBase64".into());
    }
    let body: Vec<u8> = if let Some(b) = o.get("body") {
        b.as_str()
            .ok_or("response.body is text")?
            .as_bytes()
            .to_vec()
    } else if let Some(j) = o.get("bodyJson") {
        serde_json::to_vec(j).unwrap()
    } else if let Some(b) = o.get("bodyBase64") {
        cqes_core::blob::decode_base64_lenient(b.as_str().ok_or("bodyBase64 is text")?.as_bytes())
            .ok_or("bodyBase64 is not base64")?
    } else {
        Vec::new()
    };
    resp.body = cqes_core::Blob::from(body);
    Ok(resp)
}

/// A request as the JSON the vectors describe it with (`body` as text).
fn request_json(r: &HttpRequest) -> Value {
    json!({
        "method": r.method.as_str(),
        "url": r.url,
        "logUrl": r.log_url,
        "headers": r.headers.iter().map(|h| json!([h.name, h.value])).collect::<Vec<_>>(),
        "body": String::from_utf8(r.body.as_bytes().to_vec()).expect("bodies are UTF-8 JSON"),
        "idempotent": r.idempotent,
        "response": {"kind": r.expect.kind, "maxBytes": r.expect.max_bytes},
    })
}

fn config_of(file: &Map<String, Value>, case: &Map<String, Value>) -> Result<Config, String> {
    let v = case
        .get("config")
        .or_else(|| file.get("config"))
        .ok_or("a config is required (in the file or the case)")?;
    serde_json::from_value(v.clone()).map_err(|e| format!("config: {e}"))
}

// ----- requests / responses / validation -------------------------------------------------

fn run_request(file: &Map<String, Value>, case: &Map<String, Value>) -> Res {
    keys(
        case,
        &[
            "name",
            "operation",
            "config",
            "input",
            "expect",
            "expectError",
        ],
        "request case",
    )?;
    let config = config_of(file, case)?;
    let op = case
        .get("operation")
        .and_then(Value::as_str)
        .ok_or("operation")?;
    let input = case.get("input").ok_or("input")?;
    let result = registry::build_request(op, &config, input);
    match (case.get("expect"), case.get("expectError"), result) {
        (Some(e), None, Ok(req)) => {
            let eo = obj(e, "expect")?;
            keys(
                eo,
                &[
                    "method",
                    "url",
                    "logUrl",
                    "headers",
                    "body",
                    "bodyJson",
                    "idempotent",
                    "response",
                ],
                "expect",
            )?;
            for required in ["method", "url", "headers", "idempotent"] {
                if !eo.contains_key(required) {
                    return Err(format!("expect.{required} is required"));
                }
            }
            let mut expected = e.clone();
            let actual = request_json(&req);
            // `bodyJson` is compared as JSON (numbers by value), for examples copied from
            // the guide; otherwise `body` is compared byte for byte, and no body means empty.
            if let Some(b) = expected.as_object_mut().unwrap().remove("bodyJson") {
                let parsed: Value =
                    serde_json::from_str(actual["body"].as_str().unwrap_or_default())
                        .map_err(|e| format!("the body is not JSON: {e}"))?;
                subset(&b, &parsed, "body")?;
                if b.as_object().map(|o| o.len()) != parsed.as_object().map(|o| o.len()) {
                    return Err(format!(
                        "the body has other fields: expected {b}, got {parsed}"
                    ));
                }
            } else {
                expected
                    .as_object_mut()
                    .unwrap()
                    .entry("body")
                    .or_insert(json!(""));
            }
            subset(&expected, &actual, "request")
        }
        (None, Some(e), Err(err)) => check_error(e, &err),
        (Some(_), None, Err(err)) => Err(format!("expected a request, got error {err}")),
        (None, Some(_), Ok(req)) => Err(format!("expected an error, got {req:?}")),
        _ => Err("give exactly one of expect, expectError".into()),
    }
}

fn run_response(file: &Map<String, Value>, case: &Map<String, Value>) -> Res {
    keys(
        case,
        &[
            "name",
            "operation",
            "callback",
            "config",
            "response",
            "expect",
            "expectError",
        ],
        "response case",
    )?;
    let resp = response_from(case.get("response").ok_or("response")?)?;
    // A case is an operation's response, or a callback body the service POSTs.
    let result = match (case.get("operation"), case.get("callback")) {
        (Some(op), None) => registry::parse_response_json(op.as_str().ok_or("operation")?, resp),
        (None, Some(kind)) => registry::parse_callback_json(
            kind.as_str().ok_or("callback")?,
            &config_of(file, case)?,
            resp.body.as_bytes(),
        ),
        _ => return Err("give operation or callback".into()),
    };
    match (case.get("expect"), case.get("expectError"), result) {
        (Some(e), None, Ok(out)) => output_eq(e, &out),
        (None, Some(e), Err(err)) => check_error(e, &err),
        (Some(_), None, Err(err)) => Err(format!("expected an output, got error {err}")),
        (None, Some(_), Ok(out)) => Err(format!("expected an error, got {out}")),
        _ => Err("give exactly one of expect, expectError".into()),
    }
}

fn run_validation(file: &Map<String, Value>, case: &Map<String, Value>) -> Res {
    keys(
        case,
        &[
            "name",
            "rule",
            "operation",
            "config",
            "value",
            "input",
            "issues",
        ],
        "validation case",
    )?;
    let expected = case
        .get("issues")
        .ok_or("issues (use [] for valid input)")?;
    let issues: Value = if let Some(rule) = case.get("rule").and_then(Value::as_str) {
        let value = case.get("value").ok_or("value")?;
        json!(registry::check_rule(rule, value).map_err(|e| e.to_string())?)
    } else if let Some(op) = case.get("operation").and_then(Value::as_str) {
        let config = config_of(file, case)?;
        match registry::build_request(op, &config, case.get("input").ok_or("input")?) {
            Ok(_) => json!([]),
            Err(Error::Validation { issues }) => json!(issues),
            Err(other) => return Err(format!("expected validation issues, got {other}")),
        }
    } else {
        return Err("give rule+value or operation+input".into());
    };
    subset(expected, &issues, "issues")
}

// ----- flows -------------------------------------------------------------------------------

fn transport_kind(s: &str) -> Result<TransportErrorKind, String> {
    serde_json::from_value(json!(s)).map_err(|_| format!("unknown transport error kind {s:?}"))
}

fn step_json(step: &FlowStep) -> Result<Value, String> {
    Ok(match step {
        FlowStep::Send(o) => json!({"send": request_json(&o.request)}),
        FlowStep::Wait { until_ms } => json!({ "wait": until_ms }),
        FlowStep::Done(outcome) => {
            json!({"done": registry::to_json_value(outcome).map_err(|e| e.to_string())?})
        }
        FlowStep::Failed(e) => json!({ "failed": error_json(e) }),
    })
}

fn run_flow(
    file: &Map<String, Value>,
    case: &Map<String, Value>,
    rows: &mut BTreeMap<String, BTreeSet<String>>,
    tables: &mut BTreeMap<String, Vec<String>>,
) -> Res {
    keys(
        case,
        &["name", "flow", "config", "input", "options", "steps"],
        "flow case",
    )?;
    let config = config_of(file, case)?;
    let name = case.get("flow").and_then(Value::as_str).ok_or("flow")?;
    let options: FlowOptions = match case.get("options") {
        Some(o) => serde_json::from_value(o.clone()).map_err(|e| format!("options: {e}"))?,
        None => FlowOptions::default(),
    };
    let mut flow = AnyFlow::start(name, config, case.get("input").ok_or("input")?, options)
        .map_err(|e| format!("start: {e}"))?;
    tables.insert(
        name.to_owned(),
        flow.table().iter().map(|s| s.to_string()).collect(),
    );
    let taken = rows.entry(name.to_owned()).or_default();
    let mut last_id: Option<u64> = None;
    let steps = case.get("steps").and_then(Value::as_array).ok_or("steps")?;
    for (i, step) in steps.iter().enumerate() {
        let s = obj(step, "step")?;
        let at = |m: String| format!("step {i}: {m}");
        keys(
            s,
            &[
                "next",
                "expect",
                "respond",
                "transportError",
                "callback",
                "id",
                "now",
                "expectError",
                "snapshotRestore",
                "progress",
                "rows",
            ],
            "step",
        )
        .map_err(at)?;
        let now = s.get("now").and_then(Value::as_u64).unwrap_or(0);
        let id = s.get("id").and_then(Value::as_u64).or(last_id);
        let outcome: Result<(), Error>;
        if let Some(n) = s.get("next") {
            let now = n
                .as_u64()
                .ok_or_else(|| at("next takes the time (ms)".into()))?;
            let st = flow.next(now);
            if let FlowStep::Send(o) = &st {
                last_id = Some(o.id);
            }
            let expect = s
                .get("expect")
                .ok_or_else(|| at("a next step needs expect".into()))?;
            subset(expect, &step_json(&st)?, "step").map_err(at)?;
            outcome = Ok(());
        } else if let Some(r) = s.get("respond") {
            let id = id.ok_or_else(|| at("no request was sent yet".into()))?;
            outcome = flow.handle_response(id, response_from(r).map_err(at)?, now);
        } else if let Some(k) = s.get("transportError") {
            let id = id.ok_or_else(|| at("no request was sent yet".into()))?;
            let kind = transport_kind(k.as_str().unwrap_or_default()).map_err(at)?;
            outcome = flow.handle_transport_error(id, kind, now);
        } else if let Some(c) = s.get("callback") {
            let body = match c {
                Value::String(text) => text.clone().into_bytes(),
                other => serde_json::to_vec(other).unwrap(),
            };
            outcome = flow.handle_callback_body(&body, now);
        } else if s.contains_key("snapshotRestore") {
            let snap = flow.snapshot();
            let parsed: Value = serde_json::from_str(&snap)
                .map_err(|e| at(format!("snapshot is not JSON: {e}")))?;
            if parsed["version"] != json!(1) || parsed["flow"] != json!(name) {
                return Err(at(format!(
                    "snapshot header wrong: version {} flow {}",
                    parsed["version"], parsed["flow"]
                )));
            }
            let before = flow.take_transitions();
            taken.extend(before.iter().map(|r| r.to_string()));
            flow = AnyFlow::restore(&snap).map_err(|e| at(format!("restore: {e}")))?;
            outcome = Ok(());
        } else if let Some(p) = s.get("progress") {
            let actual = registry::to_json_value(&flow.progress()).unwrap();
            subset(p, &actual, "progress").map_err(at)?;
            outcome = Ok(());
        } else {
            return Err(at("unknown step kind".into()));
        }
        match (outcome, s.get("expectError")) {
            (Ok(()), None) => {}
            (Err(e), Some(exp)) => check_error(exp, &e).map_err(at)?,
            (Ok(()), Some(_)) => return Err(at("expected an error from the call".into())),
            (Err(e), None) => return Err(at(format!("unexpected error: {e}"))),
        }
        let step_rows = flow.take_transitions();
        if let Some(expected) = s.get("rows") {
            let actual = json!(step_rows);
            if *expected != actual {
                return Err(at(format!("rows: expected {expected}, took {actual}")));
            }
        }
        taken.extend(step_rows.iter().map(|r| r.to_string()));
    }
    Ok(())
}

/// What running every vector found; run once, read by the tests below.
struct Run {
    failures: Vec<String>,
    counts: BTreeMap<String, usize>,
    /// Per flow: the rows its vectors took.
    rows: BTreeMap<String, BTreeSet<String>>,
    /// Per flow: its table (`AnyFlow::table`).
    tables: BTreeMap<String, Vec<String>>,
}

fn run() -> &'static Run {
    static RUN: OnceLock<Run> = OnceLock::new();
    RUN.get_or_init(run_all)
}

fn run_all() -> Run {
    let root = vectors_dir();
    let mut failures = Vec::new();
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    let mut rows = BTreeMap::new();
    let mut tables = BTreeMap::new();
    let mut ops_seen = BTreeSet::new();
    let mut dirs: Vec<_> = std::fs::read_dir(&root)
        .expect("tests/vectors")
        .map(|e| e.unwrap().path())
        .collect();
    dirs.sort();
    for dir in dirs {
        let kind = dir.file_name().unwrap().to_string_lossy().to_string();
        if !dir.is_dir() {
            if kind.ends_with(".md") {
                continue;
            }
            failures.push(format!("{kind}: only directories belong in tests/vectors"));
            continue;
        }
        if !["requests", "responses", "validation", "flows"].contains(&kind.as_str()) {
            failures.push(format!("{kind}/: unknown vector directory"));
            continue;
        }
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        for path in files {
            let fname = format!("{kind}/{}", path.file_name().unwrap().to_string_lossy());
            if path.extension().and_then(|e| e.to_str()) != Some("json") {
                failures.push(format!("{fname}: not a .json file"));
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let file: Value = match serde_json::from_str(&text) {
                Ok(v) => v,
                Err(e) => {
                    failures.push(format!("{fname}: not JSON: {e}"));
                    continue;
                }
            };
            let Some(fo) = file.as_object() else {
                failures.push(format!("{fname}: not an object"));
                continue;
            };
            if let Err(e) = keys(fo, &["description", "config", "cases"], "file") {
                failures.push(format!("{fname}: {e}"));
                continue;
            }
            let Some(cases) = fo
                .get("cases")
                .and_then(Value::as_array)
                .filter(|c| !c.is_empty())
            else {
                failures.push(format!("{fname}: no cases"));
                continue;
            };
            for (i, case) in cases.iter().enumerate() {
                let Some(co) = case.as_object() else {
                    failures.push(format!("{fname} #{i}: not an object"));
                    continue;
                };
                let label = co
                    .get("name")
                    .and_then(Value::as_str)
                    .unwrap_or("?")
                    .to_owned();
                if let Some(op) = co.get("operation").and_then(Value::as_str) {
                    if kind != "validation" {
                        ops_seen.insert(format!("{kind}:{op}"));
                    }
                }
                let r = match kind.as_str() {
                    "requests" => run_request(fo, co),
                    "responses" => run_response(fo, co),
                    "validation" => run_validation(fo, co),
                    _ => run_flow(fo, co, &mut rows, &mut tables),
                };
                *counts.entry(kind.clone()).or_default() += 1;
                if let Err(e) = r {
                    failures.push(format!("{fname} #{i} ({label}): {e}"));
                }
            }
        }
    }
    // Every operation has request and response vectors.
    for op in registry::OPERATIONS {
        for kind in ["requests", "responses"] {
            if !ops_seen.contains(&format!("{kind}:{op}")) {
                failures.push(format!("no {kind} vector for operation {op}"));
            }
        }
    }
    Run {
        failures,
        counts,
        rows,
        tables,
    }
}

#[test]
fn conformance_vectors() {
    let Run {
        failures, counts, ..
    } = run();
    let total: usize = counts.values().sum();
    eprintln!("conformance vectors: {total} cases {counts:?}");
    if !failures.is_empty() {
        panic!(
            "{} vector failure(s):\n{}",
            failures.len(),
            failures.join("\n")
        );
    }
}

/// Every row of every flow's transition table is taken by at least one flow vector, and no
/// vector takes a row its flow's table lacks: a rule without a vector is a rule nobody has
/// seen fire, and a row outside the table is a rule nobody documented.
#[test]
fn every_table_row_is_taken_by_a_flow_vector() {
    let Run { rows, tables, .. } = run();
    let mut failures = Vec::new();
    for flow in registry::FLOWS {
        let Some(table) = tables.get(*flow) else {
            failures.push(format!("no flow vector for {flow}"));
            continue;
        };
        let taken = rows.get(*flow).cloned().unwrap_or_default();
        let missing: Vec<_> = table.iter().filter(|r| !taken.contains(*r)).collect();
        if !missing.is_empty() {
            failures.push(format!(
                "flow {flow}: table rows never taken by a vector: {missing:?}"
            ));
        }
        let unknown: Vec<_> = taken.iter().filter(|r| !table.contains(r)).collect();
        if !unknown.is_empty() {
            failures.push(format!(
                "flow {flow}: rows taken that are not in its table: {unknown:?}"
            ));
        }
    }
    let taken: usize = rows.values().map(BTreeSet::len).sum();
    eprintln!("transition-table rows taken by flow vectors: {taken}");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
