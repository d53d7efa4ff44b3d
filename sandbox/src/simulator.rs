//! A B-Trust Mobile simulator on the pages port (`/mobile`), for a developer who tests by
//! hand: pick a test customer, see the sign requests waiting for them (relying party, confirm
//! text, each document with a preview link, validity counting down), approve, reject or let
//! one expire, and "scan" a QR request by pasting its link.
//!
//! | method | path | effect |
//! |---|---|---|
//! | GET | `/mobile` | the page |
//! | GET | `/mobile/api/requests?user=N` | `{nowMs, requests}`: what customer N sees |
//! | POST | `/mobile/api/requests/{callbackId}/approve\|reject\|expire` `{"user": N}` | the customer acts |
//! | POST | `/mobile/api/scan` `{"user": N, "link": "…/qr/{callbackId}"}` | the customer scans a QR request |
//! | GET | `/mobile/requests/{callbackId}/documents/{index}` | a document of a request |
//!
//! Every action goes through [`crate::control::requests::decide`], the code path of the control
//! API's `POST /requests/{id}/{action}`, so the page and the API cannot disagree.
//!
//! Origin: the page calls its own port with `fetch`, so its POSTs carry
//! `Origin: http://127.0.0.1:<pages port>`, which the pages listener accepts (the one origin it
//! accepts besides requests with no `Origin`, see [`crate::http::origin_problem`]). A page of any
//! other site, or a request through another host name (DNS rebinding), is refused with 403
//! before it reaches these handlers. Documents come from relying parties and are served on this
//! origin, so only PDFs are shown inline; anything else is plain text or a download, never HTML
//! that could script the page's origin.

use crate::app::App;
use crate::state::{Decision, SignKind};
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};
use std::sync::Arc;

type S = State<Arc<App>>;

/// The simulator's routes (merged into the pages router).
pub fn routes() -> Router<Arc<App>> {
    Router::new()
        .route("/mobile", get(page))
        .route("/mobile/api/requests", get(list))
        .route("/mobile/api/requests/{callback_id}/{action}", post(act))
        .route("/mobile/api/scan", post(scan))
        .route(
            "/mobile/requests/{callback_id}/documents/{index}",
            get(document),
        )
}

fn error(status: u16, field: Option<&str>, message: &str) -> Response {
    crate::api::json_response(
        status,
        &json!({
            "responseCode": if status == 400 { "BAD_REQUEST" } else if status == 404 { "NOT_FOUND" } else { "CONFLICT" },
            "code": if status == 400 { "BAD_REQUEST" } else if status == 404 { "NOT_FOUND" } else { "CONFLICT" },
            "message": match field { Some(f) => format!("{f}: {message}"), None => message.to_owned() },
            "data": field.map(|f| json!({"field": f})),
        }),
    )
}

/// The customer a request names, if it is one who can sign (has a cloud QES).
fn customer(app: &App, user: Option<usize>) -> Result<usize, Response> {
    match user {
        None => Err(error(400, Some("user"), "pick a customer")),
        Some(u) if app.users.get(u).is_some_and(|x| x.config.has_cqes) => Ok(u),
        Some(_) => Err(error(
            400,
            Some("user"),
            "not a customer with a cloud QES in this sandbox",
        )),
    }
}

#[derive(Deserialize)]
struct ListQuery {
    user: Option<usize>,
}

/// Whether customer `user` sees this pending request: sent to them, scanned by them, or a
/// CMR-id request nobody has taken yet.
fn visible(r: &crate::state::SignRecord, user: usize) -> bool {
    !r.completed && (r.user == Some(user) || (r.user.is_none() && r.kind == SignKind::CmrId))
}

async fn list(State(app): S, Query(q): Query<ListQuery>) -> Response {
    let user = match customer(&app, q.user) {
        Ok(u) => u,
        Err(r) => return r,
    };
    app.tick();
    let Ok(state) = app.state.lock() else {
        return error(409, None, "busy");
    };
    let mut requests: Vec<(u64, Value)> = state
        .requests
        .values()
        .filter(|r| visible(r, user))
        .map(|r| {
            let rp = app
                .rps
                .iter()
                .find(|p| p.config.id == r.rp_id)
                .map(|p| p.config.name.clone())
                .unwrap_or_else(|| r.rp_id.clone());
            let docs: Vec<Value> = r
                .items
                .iter()
                .enumerate()
                .map(|(i, item)| {
                    json!({
                        "fileName": item.content.file_name.clone().unwrap_or_else(|| format!("document {}", i + 1)),
                        "confirmText": item.content.confirm_text,
                        "signatureType": item.signature_type.as_str(),
                        "href": format!("/mobile/requests/{}/documents/{i}", r.callback_id),
                    })
                })
                .collect();
            (
                r.created_ms,
                json!({
                    "callbackId": r.callback_id,
                    "relyingParty": rp,
                    "relyingPartyId": r.rp_id,
                    "kind": r.kind,
                    "validityMs": r.validity_ms,
                    "documents": docs,
                }),
            )
        })
        .collect();
    drop(state);
    // ARS consents wait in B-Trust Mobile beside sign requests.
    requests.extend(crate::control::ars::consent_cards(&app, user));
    requests.sort_by_key(|(t, _)| *t);
    Json(json!({
        "nowMs": app.clock.now_ms(),
        "requests": requests.into_iter().map(|(_, v)| v).collect::<Vec<_>>(),
    }))
    .into_response()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ActBody {
    user: Option<usize>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ScanBody {
    user: Option<usize>,
    link: String,
}

/// Takes a request for `user` (a scanned QR, a CMR-id request) if nobody has; `Err` when it
/// does not exist, is final, or belongs to another customer.
fn claim(app: &App, callback_id: &str, user: usize, scanning: bool) -> Result<(), Response> {
    let mut state = app.state.lock().map_err(|_| error(409, None, "busy"))?;
    let Some(r) = state.requests.get_mut(callback_id) else {
        return Err(error(404, None, "No sign request has this id."));
    };
    if r.completed {
        return Err(error(409, None, "The request is already final."));
    }
    match r.user {
        Some(u) if u == user => Ok(()),
        Some(_) => Err(error(409, None, "The request is for another customer.")),
        None if scanning && r.kind != SignKind::Qr => Err(error(
            400,
            Some("link"),
            "this request was not sent as a QR code",
        )),
        None if scanning || r.kind == SignKind::CmrId => {
            r.user = Some(user);
            Ok(())
        }
        None => Err(error(409, None, "Scan the QR code of this request first.")),
    }
}

async fn act(
    State(app): S,
    Path((callback_id, action)): Path<(String, String)>,
    bytes: Bytes,
) -> Response {
    let b: ActBody = match crate::control::input::json_body(&bytes) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let user = match customer(&app, b.user) {
        Ok(u) => u,
        Err(r) => return r,
    };
    if crate::control::ars::is_consent(&app, &callback_id) {
        return match crate::control::ars::decide_consent(&app, &callback_id, &action, Some(user)) {
            Ok(v) => Json(v).into_response(),
            Err(r) => r,
        };
    }
    let decision = match crate::control::requests::decision(&action) {
        Some(d) if !action.ends_with("-all") => d,
        _ => return error(400, Some("action"), "is approve, reject or expire"),
    };
    app.tick();
    if let Err(r) = claim(&app, &callback_id, user, false) {
        return r;
    }
    crate::control::requests::decide(&app, vec![callback_id.clone()], decision);
    let statuses: Vec<String> = app
        .state
        .lock()
        .ok()
        .and_then(|s| {
            s.requests.get(&callback_id).map(|r| {
                r.items
                    .iter()
                    .map(|i| i.status.as_str().to_owned())
                    .collect()
            })
        })
        .unwrap_or_default();
    let verb = match decision {
        Decision::Approve => "approved",
        Decision::Reject => "rejected",
        Decision::Expire => "left to expire",
    };
    Json(json!({"callbackId": callback_id, "action": action, "result": verb, "items": statuses}))
        .into_response()
}

async fn scan(State(app): S, bytes: Bytes) -> Response {
    let b: ScanBody = match crate::control::input::json_body(&bytes) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let user = match customer(&app, b.user) {
        Ok(u) => u,
        Err(r) => return r,
    };
    let link = b.link.trim();
    if link.is_empty() {
        return error(
            400,
            Some("link"),
            "empty; paste the link the QR code encodes",
        );
    }
    let prefix = format!("{}/qr/", app.base_url);
    let Some(id) = link
        .strip_prefix(&prefix)
        .filter(|id| !id.is_empty() && !id.contains('/'))
    else {
        return error(
            400,
            Some("link"),
            &format!("not a QR link of this sandbox (they start with {prefix})"),
        );
    };
    app.tick();
    match claim(&app, id, user, true) {
        Ok(()) => Json(json!({"callbackId": id})).into_response(),
        Err(r) => r,
    }
}

async fn document(State(app): S, Path((callback_id, index)): Path<(String, usize)>) -> Response {
    let found = app.state.lock().ok().and_then(|s| {
        let item = s.requests.get(&callback_id)?.items.get(index)?;
        Some((
            crate::state::item_bytes(&item.content),
            item.content.file_name.clone(),
        ))
    });
    let Some((bytes, name)) = found else {
        return error(404, None, "No such document.");
    };
    let head = &bytes[..bytes.len().min(1024)];
    let (content_type, inline) = if cqes_core::btrust::rules::looks_like_pdf(head) {
        ("application/pdf", true)
    } else if std::str::from_utf8(&bytes).is_ok() {
        ("text/plain; charset=utf-8", true)
    } else {
        ("application/octet-stream", false)
    };
    let ascii: String = name
        .unwrap_or_else(|| format!("document-{}", index + 1))
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || ".-_ ".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut r = bytes.into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    let disposition = format!(
        "{}; filename=\"{ascii}\"",
        if inline { "inline" } else { "attachment" }
    );
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    r
}

async fn page(State(app): S) -> Html<String> {
    let options: String = app
        .users
        .iter()
        .enumerate()
        .filter(|(_, u)| u.config.has_cqes)
        .map(|(i, u)| {
            let id = u.config.egn.as_deref().map(|e| ("EGN", e)).or(u
                .config
                .lnc
                .as_deref()
                .map(|l| ("LNC", l)));
            let tail = id
                .map(|(k, v)| format!(" ({k} …{})", &v[v.len().saturating_sub(4)..]))
                .unwrap_or_default();
            format!(
                "<option value=\"{i}\">{}{}</option>",
                crate::pages::esc(&u.config.name),
                crate::pages::esc(&tail)
            )
        })
        .collect();
    let body = format!(
        r#"<h1>B-Trust Mobile <span class=muted>(simulator)</span></h1>
<label for="customer">Customer</label><select id="customer"><option value="">— pick a test customer —</option>{options}</select>
<div id="status" class="muted" role="status"></div>
<h2>Waiting for you</h2><div id="requests"><p class=muted>Pick a customer.</p></div>
<h2>Scan a QR code</h2>
<label for="scan-link">Link the QR code encodes</label><input id="scan-link" placeholder="{base}/qr/…" autocomplete="off">
<button id="scan" class="secondary" type="button">Scan</button>
<style>{style}</style><script>{script}</script>"#,
        base = crate::pages::esc(&app.base_url),
        style = STYLE,
        script = SCRIPT,
    );
    Html(crate::pages::page("B-Trust Mobile (simulator)", &body))
}

const STYLE: &str = ".request{border:1px solid #d7dde4;border-radius:8px;padding:12px 16px;margin:12px 0}\
.rp{font-weight:600;font-size:1.05em}.confirm{margin:8px 0 4px}.countdown{color:#8a5a00;margin:8px 0}\
h2{font-size:1.1em;margin-top:26px}.request button{margin-right:8px}";

/// The page's behaviour: poll the customer's requests every second, count validity down,
/// post the customer's actions. Text from relying parties goes through `textContent` only.
const SCRIPT: &str = r#"
const $ = (id) => document.getElementById(id);
let skew = 0, data = { requests: [] };
function user() { return $('customer').value; }
function say(text, isError) { $('status').textContent = text; $('status').className = isError ? 'error' : 'muted'; }
function el(tag, cls, text) { const e = document.createElement(tag); if (cls) e.className = cls; if (text !== undefined) e.textContent = text; return e; }
async function post(path, body) {
  const r = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const j = await r.json().catch(() => ({}));
  if (!r.ok) throw new Error(j.message || ('HTTP ' + r.status));
  return j;
}
function left(ms) { const s = Math.max(0, Math.ceil(ms / 1000)); return Math.floor(s / 60) + ':' + String(s % 60).padStart(2, '0'); }
function render() {
  const box = $('requests');
  box.replaceChildren();
  if (!user()) { box.append(el('p', 'muted', 'Pick a customer.')); return; }
  if (!data.requests.length) { box.append(el('p', 'muted', 'No requests are waiting.')); return; }
  for (const r of data.requests) {
    const card = el('div', 'request'); card.dataset.callbackId = r.callbackId;
    card.append(el('div', 'rp', r.relyingParty));
    for (const d of r.documents) {
      card.append(el('p', 'confirm', d.confirmText));
      const a = el(d.href ? 'a' : 'span', 'doc', d.fileName); if (d.href) { a.href = d.href; a.target = '_blank'; a.rel = 'noopener'; }
      const li = el('div', 'docline'); li.append(a, el('span', 'muted', ' ' + d.signatureType)); card.append(li);
    }
    const c = el('div', 'countdown'); c.dataset.validity = r.validityMs; card.append(c);
    for (const [action, label, cls] of [['approve', 'Sign', 'primary'], ['reject', 'Reject', 'secondary'], ['expire', 'Let it expire', 'secondary']]) {
      const b = el('button', action + ' ' + cls, label); b.type = 'button';
      b.onclick = async () => {
        try { const j = await post('/mobile/api/requests/' + encodeURIComponent(r.callbackId) + '/' + action, { user: Number(user()) });
          say('Request ' + j.result + ': ' + j.items.join(', '), false); } catch (e) { say(e.message, true); }
        refresh();
      };
      card.append(b);
    }
    box.append(card);
  }
  tick();
}
function tick() {
  for (const c of document.querySelectorAll('.countdown')) c.textContent = 'valid for ' + left(Number(c.dataset.validity) - (Date.now() + skew));
}
async function refresh() {
  if (!user()) { data = { requests: [] }; render(); return; }
  try {
    const r = await fetch('/mobile/api/requests?user=' + encodeURIComponent(user()));
    const j = await r.json();
    if (!r.ok) throw new Error(j.message || ('HTTP ' + r.status));
    skew = j.nowMs - Date.now();
    const ids = j.requests.map((x) => x.callbackId).join();
    if (ids !== data.requests.map((x) => x.callbackId).join()) { data = j; render(); } else { data = j; }
  } catch (e) { say(e.message, true); }
}
$('customer').onchange = () => { say('', false); refresh(); };
$('scan').onclick = async () => {
  try { await post('/mobile/api/scan', { user: user() === '' ? null : Number(user()), link: $('scan-link').value }); say('Scanned: the request is now in your list.', false); $('scan-link').value = ''; }
  catch (e) { say(e.message, true); }
  refresh();
};
setInterval(refresh, 1000); setInterval(tick, 250); refresh();
"#;
