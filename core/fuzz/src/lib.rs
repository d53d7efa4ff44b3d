//! What the fuzz targets share: the conformance vectors read once per process (configs,
//! operation inputs, response and callback bodies, flows replayed to every state they pass
//! through), JSON edits for structured mutation, and the invariants every target checks.
//!
//! Everything is built once (`OnceLock`) and cloned per input, so a target spends its time in
//! the code under test, not in setup.

use arbitrary::{Arbitrary, Unstructured};
use cqes_core::btrust::registry::AnyFlow;
use cqes_core::btrust::Config;
use cqes_core::flow::FlowOptions;
use cqes_core::{Error, HttpResponse, TransportErrorKind};
use serde_json::{json, Map, Value};
use std::sync::OnceLock;

/// The vector files, compiled in so the targets need no working directory.
const FILES: &[&str] = &[
    include_str!("../../../tests/vectors/flows/auto-sign.json"),
    include_str!("../../../tests/vectors/flows/batch-sign.json"),
    include_str!("../../../tests/vectors/flows/consent.json"),
    include_str!("../../../tests/vectors/flows/mobile-identification.json"),
    include_str!("../../../tests/vectors/flows/oidc-sign.json"),
    include_str!("../../../tests/vectors/flows/qr-sign.json"),
    include_str!("../../../tests/vectors/flows/sign.json"),
    include_str!("../../../tests/vectors/flows/web-identification.json"),
    include_str!("../../../tests/vectors/flows/web-otc-sign.json"),
    include_str!("../../../tests/vectors/requests/ars-oidc.json"),
    include_str!("../../../tests/vectors/requests/identification.json"),
    include_str!("../../../tests/vectors/requests/signing.json"),
    include_str!("../../../tests/vectors/responses/ars-oidc.json"),
    include_str!("../../../tests/vectors/responses/download.json"),
    include_str!("../../../tests/vectors/responses/identification.json"),
    include_str!("../../../tests/vectors/responses/poll.json"),
    include_str!("../../../tests/vectors/responses/qr-and-certificates.json"),
    include_str!("../../../tests/vectors/responses/sign.json"),
    include_str!("../../../tests/vectors/validation/identification.json"),
    include_str!("../../../tests/vectors/validation/operations.json"),
    include_str!("../../../tests/vectors/validation/rules.json"),
];

/// A flow state met while replaying a flow vector, and the options it was started with.
#[derive(Clone)]
pub struct FlowState {
    /// The flow.
    pub flow: AnyFlow,
    /// The id the flow was last waiting an answer for, if any.
    pub outstanding: Option<u64>,
}

/// Everything the vectors give, read once.
pub struct Vectors {
    /// Every config a vector file or case names (at least one).
    pub configs: Vec<Config>,
    /// (operation, input) of every request and validation case.
    pub inputs: Vec<(String, Value)>,
    /// (flow, input, options) of every flow case.
    pub flow_inputs: Vec<(String, Value, FlowOptions)>,
    /// (status, headers, body) of every response in the vectors (operation answers and flow
    /// steps).
    pub responses: Vec<HttpResponse>,
    /// (kind, body) of every callback body.
    pub callbacks: Vec<(String, Vec<u8>)>,
    /// (rule, value) of every rule case.
    pub rules: Vec<(String, Value)>,
    /// Every state every flow vector passes through.
    pub states: Vec<FlowState>,
    /// The snapshots of those states, parsed.
    pub snapshots: Vec<Value>,
}

fn response_of(v: &Value) -> Option<HttpResponse> {
    let status = v.get("status")?.as_u64()? as u16;
    let mut r = HttpResponse::new(status, Vec::new());
    for pair in v
        .get("headers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if let (Some(n), Some(val)) = (pair[0].as_str(), pair[1].as_str()) {
            r = r.with_header(n, val);
        }
    }
    let body = if let Some(b) = v.get("body").and_then(Value::as_str) {
        b.as_bytes().to_vec()
    } else if let Some(j) = v.get("bodyJson") {
        serde_json::to_vec(j).ok()?
    } else if let Some(b) = v.get("bodyBase64").and_then(Value::as_str) {
        cqes_core::blob::decode_base64_lenient(b.as_bytes())?
    } else {
        Vec::new()
    };
    r.body = cqes_core::Blob::from(body);
    Some(r)
}

fn callback_body(c: &Value) -> Vec<u8> {
    match c {
        Value::String(s) => s.clone().into_bytes(),
        other => serde_json::to_vec(other).unwrap_or_default(),
    }
}

fn transport_kind(s: &str) -> Option<TransportErrorKind> {
    serde_json::from_value(json!(s)).ok()
}

/// Replays one flow case, recording every state it passes through.
fn replay(v: &mut Vectors, config: Config, case: &Map<String, Value>) {
    let Some(name) = case.get("flow").and_then(Value::as_str) else {
        return;
    };
    let Some(input) = case.get("input") else {
        return;
    };
    let options: FlowOptions = case
        .get("options")
        .and_then(|o| serde_json::from_value(o.clone()).ok())
        .unwrap_or_default();
    v.flow_inputs
        .push((name.to_owned(), input.clone(), options.clone()));
    let Ok(mut flow) = AnyFlow::start(name, config, input, options) else {
        return;
    };
    let mut last: Option<u64> = None;
    let mut outstanding: Option<u64> = None;
    let record = |v: &mut Vectors, flow: &AnyFlow, outstanding: Option<u64>| {
        v.states.push(FlowState {
            flow: flow.clone(),
            outstanding,
        });
        if let Ok(s) = serde_json::from_str(&flow.snapshot()) {
            v.snapshots.push(s);
        }
    };
    record(v, &flow, None);
    for s in case
        .get("steps")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let now = s.get("now").and_then(Value::as_u64).unwrap_or(0);
        let id = s.get("id").and_then(Value::as_u64).or(last);
        if let Some(n) = s.get("next").and_then(Value::as_u64) {
            if let cqes_core::btrust::registry::FlowStep::Send(o) = flow.next(n) {
                last = Some(o.id);
                outstanding = Some(o.id);
            }
        } else if let Some(r) = s.get("respond") {
            if let Some(resp) = response_of(r) {
                v.responses.push(resp.clone());
                if flow.handle_response(id.unwrap_or(0), resp, now).is_ok() {
                    outstanding = None;
                }
            }
        } else if let Some(k) = s.get("transportError").and_then(Value::as_str) {
            if let Some(kind) = transport_kind(k) {
                if flow
                    .handle_transport_error(id.unwrap_or(0), kind, now)
                    .is_ok()
                {
                    outstanding = None;
                }
            }
        } else if let Some(c) = s.get("callback") {
            let body = callback_body(c);
            let kind = cqes_core::btrust::registry::FLOW_INFO
                .iter()
                .find(|i| i.name == name)
                .map_or("sign", |i| i.callback);
            v.callbacks.push((kind.to_owned(), body.clone()));
            let _ = flow.handle_callback_body(&body, now);
        } else if s.get("snapshotRestore").is_some() {
            if let Ok(f) = AnyFlow::restore(&flow.snapshot()) {
                flow = f;
                outstanding = None;
            }
        }
        record(v, &flow, outstanding);
    }
}

fn load() -> Vectors {
    let mut v = Vectors {
        configs: Vec::new(),
        inputs: Vec::new(),
        flow_inputs: Vec::new(),
        responses: Vec::new(),
        callbacks: Vec::new(),
        rules: Vec::new(),
        states: Vec::new(),
        snapshots: Vec::new(),
    };
    let default = Config::new(cqes_core::btrust::Environment::Uat, "12345678");
    v.configs.push(default.clone());
    for text in FILES {
        let Ok(file) = serde_json::from_str::<Value>(text) else {
            continue;
        };
        let file_config: Option<Config> = file
            .get("config")
            .and_then(|c| serde_json::from_value(c.clone()).ok());
        if let Some(c) = &file_config {
            v.configs.push(c.clone());
        }
        for case in file
            .get("cases")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let Some(case) = case.as_object() else {
                continue;
            };
            let config: Config = case
                .get("config")
                .and_then(|c| serde_json::from_value(c.clone()).ok())
                .map(|c: Config| {
                    v.configs.push(c.clone());
                    c
                })
                .or_else(|| file_config.clone())
                .unwrap_or_else(|| default.clone());
            if case.contains_key("flow") {
                replay(&mut v, config, case);
                continue;
            }
            if let (Some(op), Some(input)) = (
                case.get("operation").and_then(Value::as_str),
                case.get("input"),
            ) {
                v.inputs.push((op.to_owned(), input.clone()));
            }
            if let Some(r) = case.get("response").and_then(response_of) {
                match case.get("callback").and_then(Value::as_str) {
                    Some(kind) => v
                        .callbacks
                        .push((kind.to_owned(), r.body.as_bytes().to_vec())),
                    None => v.responses.push(r),
                }
            }
            if let (Some(rule), Some(value)) =
                (case.get("rule").and_then(Value::as_str), case.get("value"))
            {
                v.rules.push((rule.to_owned(), value.clone()));
            }
        }
    }
    v.configs.dedup();
    v
}

/// The vectors, read on first use.
pub fn vectors() -> &'static Vectors {
    static V: OnceLock<Vectors> = OnceLock::new();
    V.get_or_init(load)
}

/// Picks an element by an arbitrary index (never fails on an empty input).
pub fn pick<'a, T>(u: &mut Unstructured<'_>, items: &'a [T]) -> Option<&'a T> {
    if items.is_empty() {
        return None;
    }
    let i = u.choose_index(items.len()).unwrap_or(0);
    items.get(i)
}

/// B-Trust field names and codes (generated from the vectors and the schema into the
/// dictionary; a few here so structured values name real fields).
pub const FIELDS: &[&str] = &[
    "identity",
    "personalId",
    "request",
    "contents",
    "confirmText",
    "contentFormat",
    "data",
    "signatureType",
    "fileName",
    "relyingPartyCallbackId",
    "callbackURL",
    "payer",
    "isLogin",
    "padesVisualSignature",
    "signaturePosition",
    "pageNumber",
    "imageXAxis",
    "imageYAxis",
    "imageHeight",
    "imageWidth",
    "toBeArchived",
    "hashAlgorithm",
    "$bytes",
    "profileId",
    "phone",
    "email",
    "dateOfBirth",
    "egn",
    "lnc",
    "code",
    "responseCode",
    "message",
    "data",
    "callbackId",
    "validity",
    "signatures",
    "signature",
    "status",
    "cert",
    "resultId",
    "sessionId",
    "otp",
    "documentsForSign",
    "contentAsBase64",
    "legalFileName",
    "cmrId",
    "rpCallbackId",
    "relyingPartyId",
    "environment",
    "language",
    "limits",
    "version",
    "flow",
    "state",
    "items",
    "id",
    "requestId",
    "deadlineMs",
    "polls",
    "attempt",
];

/// Strings with meaning to the core: valid and nearly valid ids, dates, codes, base64.
pub const STRINGS: &[&str] = &[
    "",
    "7501010010",
    "0442291233",
    "1000000009",
    "+359888123456",
    "a@b.bg",
    "https://rp.example.bg/cb",
    "http://x",
    "JVBERi0xLjcK",
    "aGVsbG8=",
    "====",
    "COMPLETED",
    "IN_PROGRESS",
    "ACCEPTED",
    "REJECTED",
    "EXPIRED",
    "SIGNED",
    "OK",
    "ERROR",
    "PADES_BASELINE_B",
    "CADES_BASELINE_B_DETACHED",
    "XADES_BASELINE_B_ENVELOPED",
    "SIGNATURE",
    "BINARY_BASE64",
    "DIGEST",
    "SHA256",
    "RELYING_PARTY",
    "CLIENT",
    "uat",
    "production",
    "bg",
    "en",
    "2023-11-14T22:18:20.000Z",
    "2019-01-23T23.59.57.000+0000",
    "1700000000000",
    "1975-01-01",
    "btrust.sign",
    "a.pdf",
    "../x",
    "\u{0}",
    "Договор",
    "EGN",
    "PNOBG-7501010010",
];

/// An arbitrary JSON value built from the field names and strings above, depth-limited.
pub fn value(u: &mut Unstructured<'_>, depth: u32) -> Value {
    let tag: u8 = u.arbitrary().unwrap_or(0);
    match tag % 11 {
        0 => Value::Null,
        1 => Value::Bool(u.arbitrary().unwrap_or(false)),
        2 => json!(u.arbitrary::<i64>().unwrap_or(0)),
        3 => json!(u
            .arbitrary::<f64>()
            .ok()
            .filter(|f| f.is_finite())
            .unwrap_or(1.5)),
        4 => json!(u.arbitrary::<u8>().unwrap_or(0)),
        5 | 6 => json!(pick(u, STRINGS).copied().unwrap_or_default()),
        7 => json!(u.arbitrary::<String>().unwrap_or_default()),
        8 if depth > 0 => {
            let n = u.int_in_range(0..=3).unwrap_or(0);
            Value::Array((0..n).map(|_| value(u, depth - 1)).collect())
        }
        _ if depth > 0 => {
            let n = u.int_in_range(0..=4).unwrap_or(0);
            let mut m = Map::new();
            for _ in 0..n {
                let k = pick(u, FIELDS).copied().unwrap_or("x").to_owned();
                m.insert(k, value(u, depth - 1));
            }
            Value::Object(m)
        }
        _ => Value::Null,
    }
}

/// One edit of a JSON document: the target node is chosen by its index in a pre-order walk.
#[derive(Arbitrary, Debug)]
pub enum Edit {
    /// Replace the node with an arbitrary value.
    Replace(u16),
    /// Remove the node (from its object or array).
    Remove(u16),
    /// Add a field (an object) or an element (an array) with an arbitrary value.
    Insert(u16),
    /// Swap a string node for a near variant (truncated, doubled, emptied).
    Tweak(u16, u8),
}

fn count(v: &Value) -> usize {
    1 + match v {
        Value::Array(a) => a.iter().map(count).sum(),
        Value::Object(m) => m.values().map(count).sum(),
        _ => 0,
    }
}

/// The node at pre-order index `i` (0 = the root) and, for removal, its parent and key.
fn node_mut(v: &mut Value, mut i: usize) -> Option<&mut Value> {
    fn walk<'a>(v: &'a mut Value, i: &mut usize) -> Option<&'a mut Value> {
        if *i == 0 {
            return Some(v);
        }
        *i -= 1;
        match v {
            Value::Array(a) => a.iter_mut().find_map(|c| walk(c, i)),
            Value::Object(m) => m.values_mut().find_map(|c| walk(c, i)),
            _ => None,
        }
    }
    walk(v, &mut i)
}

/// Applies arbitrary edits to `doc` (at most `max` of them).
pub fn mutate(u: &mut Unstructured<'_>, doc: &mut Value, max: usize) {
    for _ in 0..max {
        if u.is_empty() {
            return;
        }
        let Ok(edit) = u.arbitrary::<Edit>() else {
            return;
        };
        let n = count(doc);
        match edit {
            Edit::Replace(i) => {
                let new = value(u, 2);
                if let Some(node) = node_mut(doc, i as usize % n) {
                    *node = new;
                }
            }
            Edit::Remove(i) => {
                // Remove a child of the chosen container, so the root always stays.
                if let Some(node) = node_mut(doc, i as usize % n) {
                    match node {
                        Value::Object(m) => {
                            if let Some(k) = m.keys().next().cloned() {
                                let k = m
                                    .keys()
                                    .nth(u.choose_index(m.len()).unwrap_or(0))
                                    .cloned()
                                    .unwrap_or(k);
                                m.remove(&k);
                            }
                        }
                        Value::Array(a) if !a.is_empty() => {
                            let j = u.choose_index(a.len()).unwrap_or(0);
                            a.remove(j);
                        }
                        _ => {}
                    }
                }
            }
            Edit::Insert(i) => {
                let k = pick(u, FIELDS).copied().unwrap_or("x").to_owned();
                let new = value(u, 2);
                match node_mut(doc, i as usize % n) {
                    Some(Value::Object(m)) => {
                        m.insert(k, new);
                    }
                    Some(Value::Array(a)) => a.push(new),
                    _ => {}
                }
            }
            Edit::Tweak(i, how) => {
                if let Some(Value::String(s)) = node_mut(doc, i as usize % n) {
                    match how % 5 {
                        0 => s.clear(),
                        1 => {
                            let cut = s
                                .char_indices()
                                .nth(s.chars().count() / 2)
                                .map_or(0, |c| c.0);
                            s.truncate(cut);
                        }
                        2 => *s = s.repeat(2),
                        3 => s.push(char::from(how)),
                        _ => *s = s.to_uppercase(),
                    }
                }
            }
        }
    }
}

/// Checks what every error the core returns must satisfy: it has a stable code, displays
/// without panicking, serialises, and quotes no long digit run (an EGN, a phone number) that
/// was in `input`.
pub fn check_error(e: &Error, input: &[u8]) {
    assert!(
        matches!(
            e.code(),
            "validation"
                | "api"
                | "rejected"
                | "expired"
                | "consent_required"
                | "limit_exceeded"
                | "unexpected_response"
                | "transport"
                | "invalid_state"
        ),
        "untyped error code {}",
        e.code()
    );
    let text = e.to_string();
    assert!(!text.is_empty(), "an error with no message");
    // The service's own `code`/`responseCode` are quoted as sent (they are codes, not
    // free text); everything else must be scrubbed.
    let text = match e {
        Error::Api {
            http_status,
            reason,
            ..
        } => Error::Api {
            http_status: *http_status,
            code: None,
            response_code: None,
            reason: reason.clone(),
        }
        .to_string(),
        _ => text,
    };
    let _ = format!("{e:?}");
    if let Error::Validation { issues } = e {
        assert!(!issues.is_empty(), "a validation error with no issue");
        for i in issues {
            assert!(!i.path.is_empty(), "an issue with no path: {i:?}");
            // Paths name the caller's own fields (an unknown key is named so it can be
            // fixed); messages must not quote values.
            assert_no_leak(&i.message, input);
        }
        return;
    }
    assert_no_leak(&text, input);
}

/// Digit runs the core's own messages contain (examples, limits): not quoted from input.
const FIXED_DIGITS: &[&str] = &["359888123456", "33554432", "268435456", "134217728"];

/// Fails if `text` contains a run of 9 or more digits that also occurs in `input` (personal
/// data — EGN, LNC, phone numbers — must never be quoted back).
pub fn assert_no_leak(text: &str, input: &[u8]) {
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_digit() {
            let start = i;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            let run = &b[start..i];
            if run.len() >= 9 && !FIXED_DIGITS.iter().any(|f| f.as_bytes() == run) {
                let leaked = input.windows(run.len()).any(|w| w == run);
                assert!(!leaked, "digits from the input quoted in a message: {text}");
            }
        } else {
            i += 1;
        }
    }
}

/// Every transport error kind, for arbitrary choice.
pub const TRANSPORT_KINDS: &[TransportErrorKind] = &[
    TransportErrorKind::Connect,
    TransportErrorKind::Tls,
    TransportErrorKind::Timeout,
    TransportErrorKind::Io,
    TransportErrorKind::TooLarge,
    TransportErrorKind::Other,
];

/// Statuses with meaning to the parsers, for arbitrary choice (an arbitrary `u16` is also
/// used).
pub const STATUSES: &[u16] = &[
    200, 201, 202, 204, 206, 301, 400, 401, 403, 404, 409, 429, 500, 502, 503,
];

/// Header names the parsers read.
pub const HEADER_NAMES: &[&str] = &[
    "Content-Type",
    "Content-Disposition",
    "Content-Length",
    "Retry-After",
    "X-Request-Id",
];

/// An arbitrary response: a vector's response (maybe with its JSON body mutated) or arbitrary
/// status, headers and body.
pub fn response(u: &mut Unstructured<'_>) -> HttpResponse {
    let v = vectors();
    let mode: u8 = u.arbitrary().unwrap_or(0);
    let status = if mode & 0x10 != 0 {
        u.arbitrary().unwrap_or(200)
    } else {
        pick(u, STATUSES).copied().unwrap_or(200)
    };
    let mut resp = match mode % 4 {
        0 | 1 => {
            let mut r = pick(u, &v.responses)
                .cloned()
                .unwrap_or_else(|| HttpResponse::new(200, Vec::new()));
            if mode & 0x20 != 0 {
                r.status = status;
            }
            if mode % 4 == 1 {
                if let Ok(mut doc) = serde_json::from_slice::<Value>(r.body.as_bytes()) {
                    mutate(u, &mut doc, 4);
                    r.body = cqes_core::Blob::from(serde_json::to_vec(&doc).unwrap_or_default());
                }
            }
            r
        }
        2 => {
            let doc = value(u, 4);
            HttpResponse::new(status, serde_json::to_vec(&doc).unwrap_or_default())
        }
        _ => {
            let len = u.arbitrary_len::<u8>().unwrap_or(0);
            let body = u.bytes(len).unwrap_or_default().to_vec();
            HttpResponse::new(status, body)
        }
    };
    if mode & 0x40 != 0 {
        let n = u.int_in_range(0..=2).unwrap_or(0);
        for _ in 0..n {
            let name = pick(u, HEADER_NAMES).copied().unwrap_or("Content-Type");
            let value: String = u.arbitrary().unwrap_or_default();
            resp = resp.with_header(name, &value);
        }
    }
    resp
}

/// Drives a flow and checks the flow contract on every call:
/// - at most one request outstanding (`next` never hands out a second before the first is
///   answered);
/// - `Done` and `Failed` are final (`next` keeps returning the same step, across
///   snapshot/restore too);
/// - a non-idempotent request is never handed out again after it may have reached the
///   service, unless an idempotent request was answered in between (a reconcile), or its
///   previous attempt failed before anything was sent (`connect`, `tls`);
/// - an answer under an id that is not outstanding is refused with `invalid_state` and leaves
///   the flow unchanged; the answer to the outstanding request is always accepted;
/// - a refused callback leaves the flow unchanged; every error is typed;
/// - a `Wait` with no time is only returned while a request is outstanding.
pub struct Driver {
    /// The flow under test.
    pub flow: AnyFlow,
    /// The outstanding request: id, whether idempotent, its identity (method, URL, body).
    pub outstanding: Option<(u64, bool, Vec<u8>)>,
    /// Non-idempotent requests that may have reached the service and not been reconciled.
    tainted: Vec<Vec<u8>>,
    /// The final step, once seen.
    final_step: Option<cqes_core::btrust::registry::FlowStep>,
    /// Ids handed out so far (stale ids to report).
    pub ids: Vec<u64>,
    /// Whether the flow came from a real (unmutated) state: then `Failed` must not be
    /// `invalid_state` (server faults never produce it).
    pub trusted: bool,
}

fn identity(r: &cqes_core::HttpRequest) -> Vec<u8> {
    let mut k = r.method.as_str().as_bytes().to_vec();
    k.push(b' ');
    k.extend_from_slice(r.url.as_bytes());
    k.push(b'\n');
    k.extend_from_slice(r.body.as_bytes());
    k
}

impl Driver {
    /// Starts checking `flow`; `outstanding` is the id it is known to wait an answer for.
    pub fn new(flow: AnyFlow, outstanding: Option<u64>, trusted: bool) -> Self {
        Driver {
            flow,
            outstanding: outstanding.map(|id| (id, true, Vec::new())),
            tainted: Vec::new(),
            final_step: None,
            ids: outstanding.into_iter().collect(),
            trusted,
        }
    }

    /// `next`, checked.
    pub fn next(&mut self, now: u64) {
        use cqes_core::btrust::registry::FlowStep;
        let step = self.flow.next(now);
        if let Some(f) = &self.final_step {
            assert_eq!(&step, f, "a final step changed");
            return;
        }
        match &step {
            FlowStep::Send(o) => {
                assert!(
                    self.outstanding.is_none(),
                    "a second request handed out while {:?} is outstanding",
                    self.outstanding.as_ref().map(|o| o.0)
                );
                if self.trusted {
                    let base = self.flow.config().environment.base_url();
                    assert!(
                        o.request.url.starts_with(base),
                        "request outside the service"
                    );
                }
                let key = identity(&o.request);
                if !o.request.idempotent {
                    assert!(
                        !self.tainted.contains(&key),
                        "a non-idempotent request handed out twice without a reconcile: {:?}",
                        o.request
                    );
                    self.tainted.push(key.clone());
                }
                self.outstanding = Some((o.id, o.request.idempotent, key));
                self.ids.push(o.id);
            }
            FlowStep::Wait { until_ms } => {
                if until_ms.is_none() {
                    assert!(
                        self.outstanding.is_some(),
                        "Wait(None) with nothing outstanding"
                    );
                } else if let Some(t) = until_ms {
                    if now < 1 << 62 {
                        assert!(*t > now, "Wait until {t} at {now}: a busy loop");
                    }
                }
            }
            FlowStep::Done(_) => self.final_step = Some(step.clone()),
            FlowStep::Failed(e) => {
                // An edited snapshot may hold any recorded error (even a validation error
                // with no issue): there only its type and display are checked.
                if self.trusted {
                    check_error(e, &[]);
                } else {
                    let _ = (e.code(), e.to_string());
                }
                if self.trusted {
                    assert_ne!(
                        e.code(),
                        "invalid_state",
                        "a flow failed with invalid_state: {e}"
                    );
                }
                self.final_step = Some(step.clone());
            }
        }
    }

    /// Checks the result of reporting an answer under `id`; `reached` is whether the answer
    /// proves the service saw the request (a response) or that it never left (`connect`,
    /// `tls`: then it is no longer in doubt).
    fn reported(
        &mut self,
        id: u64,
        before: Option<AnyFlow>,
        r: Result<(), Error>,
        settled: Settled,
    ) {
        match self.outstanding.take() {
            Some((out, idempotent, key)) if out == id => {
                if let Err(e) = r {
                    panic!("the answer to the outstanding request was refused: {e}");
                }
                match settled {
                    // An idempotent request answered is a reconcile: the service was asked
                    // and answered, so what was in doubt before is settled.
                    Settled::Answered if idempotent => self.tainted.clear(),
                    Settled::NeverSent => self.tainted.retain(|k| *k != key),
                    _ => {}
                }
            }
            other => {
                self.outstanding = other;
                let e = r.expect_err("an answer under an id that is not outstanding was accepted");
                assert_eq!(e.code(), "invalid_state", "a wrong id gave {e}");
                check_error(&e, &[]);
                if let Some(b) = before {
                    self.flow.take_transitions();
                    assert!(
                        self.flow == b,
                        "a refused answer changed the flow: {e}\nbefore {b:?}\nafter {:?}",
                        self.flow
                    );
                }
            }
        }
    }

    /// `handle_response`, checked.
    pub fn respond(&mut self, id: u64, resp: HttpResponse, now: u64) {
        let before = self.before(id);
        let r = self.flow.handle_response(id, resp, now);
        self.reported(id, before, r, Settled::Answered);
    }

    /// `handle_transport_error`, checked.
    pub fn transport_error(&mut self, id: u64, kind: TransportErrorKind, now: u64) {
        let before = self.before(id);
        let r = self.flow.handle_transport_error(id, kind, now);
        let settled = if kind.may_have_been_processed() {
            Settled::InDoubt
        } else {
            Settled::NeverSent
        };
        self.reported(id, before, r, settled);
    }

    /// A copy of the flow when `id` is not the outstanding one (it must come back unchanged).
    fn before(&mut self, id: u64) -> Option<AnyFlow> {
        // Transition rows are a log, not state: a refused report adds its row (X1) there.
        self.flow.take_transitions();
        let is_out = self.outstanding.as_ref().is_some_and(|o| o.0 == id);
        (!is_out).then(|| self.flow.clone())
    }

    /// `handle_callback_body`, checked.
    pub fn callback(&mut self, body: &[u8], now: u64) {
        self.flow.take_transitions();
        let before = self.flow.clone();
        if let Err(e) = self.flow.handle_callback_body(body, now) {
            check_error(&e, body);
            self.flow.take_transitions();
            assert!(self.flow == before, "a refused callback changed the flow");
        }
    }

    /// Snapshot and restore, checked: the snapshot restores, and restoring it twice gives the
    /// same flow. A request in flight is lost (the flow reconciles or resends it).
    pub fn snapshot_restore(&mut self) {
        let s = self.flow.snapshot();
        let mut f = match AnyFlow::restore(&s) {
            Ok(f) => f,
            Err(e) => panic!("a flow's own snapshot did not restore: {e}"),
        };
        // Restoring may take rows (a lost request); rows are a log, not state.
        f.take_transitions();
        let again = AnyFlow::restore(&f.snapshot()).ok().map(|mut a| {
            a.take_transitions();
            a
        });
        assert!(
            again.as_ref() == Some(&f),
            "snapshot/restore is not stable:\n{:?}\n{:?}",
            f,
            again
        );
        self.flow = f;
        self.outstanding = None;
    }

    /// `progress`, checked: it serialises.
    pub fn progress(&self) {
        let p = self.flow.progress();
        assert_eq!(p.flow, self.flow.name());
        let _ = serde_json::to_vec(&p);
    }
}

/// What an answer says about whether the outstanding request reached the service.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Settled {
    /// A response: the service saw it.
    Answered,
    /// A transport error after which it may or may not have been processed.
    InDoubt,
    /// It never left the host (`connect`, `tls`).
    NeverSent,
}
