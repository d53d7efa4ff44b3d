//! The two pages a real customer visits, served by the sandbox as small, plain HTML on a
//! loopback listener without client certificates (browsers have none):
//!
//! - `/session/{sessionId}`: video identification (BORICA: `iduat.borica.bg/session/…`).
//!   The tester picks who is being identified and completes or cancels; the browser is then
//!   sent to the registration's `successUrl` or `cancelUrl`.
//! - `/cqes/api/web-identification/{token}`: the documents of a sign session
//!   (`clientDocumentUrl`). The "SMS code" is shown on the page; entering it signs the
//!   documents, then the browser goes to `successUrl`; rejecting goes to `cancelUrl`.
//! - `/mobile`: a B-Trust Mobile simulator for sign requests (see [`crate::simulator`]).
//!
//! The listener answers only to its own address and origin (see [`crate::http`]): the forms
//! here post to the same origin, which passes; another site's page cannot.

use crate::app::App;
use crate::ident::Outcome;
use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use cqes_core::blob::ContentData;
use serde::Deserialize;
use std::sync::Arc;

/// The pages router.
pub fn router(app: Arc<App>) -> Router {
    Router::new()
        .route("/session/{session_id}", get(identification_page))
        .route("/session/{session_id}/complete", post(complete))
        .route("/session/{session_id}/cancel", post(cancel))
        .route("/cqes/api/web-identification/{token}", get(documents_page))
        .route(
            "/cqes/api/web-identification/{token}/document/{index}",
            get(document),
        )
        .route("/cqes/api/web-identification/{token}/sign", post(sign))
        .route("/cqes/api/web-identification/{token}/reject", post(reject))
        .merge(crate::api::ars::pages())
        .merge(crate::ca::http::routes())
        .merge(crate::simulator::routes())
        .with_state(app)
}

type S = State<Arc<App>>;

/// HTML-escapes text.
pub(crate) fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// A page in the sandbox's look, with `body` (HTML) as its content.
pub(crate) fn page(title: &str, body: &str) -> String {
    format!(
        r#"<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{t}</title><style>
body{{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;background:#eef2f7;margin:0;color:#1d2733}}
header{{background:#0b3d6e;color:#fff;padding:14px 28px;font-weight:600;letter-spacing:.02em}}
header span{{opacity:.75;font-weight:400;margin-left:8px}}
main{{max-width:560px;margin:32px auto;background:#fff;border-radius:10px;box-shadow:0 2px 12px rgba(0,0,0,.08);padding:28px 32px}}
h1{{font-size:1.35em;margin-top:0}} .muted{{color:#5b6b7c}} .sms{{background:#fff8d6;border:1px solid #ecd77a;border-radius:6px;padding:10px 14px;margin:16px 0}}
label{{display:block;margin:14px 0 6px}} select,input{{font-size:1em;padding:8px;width:100%;box-sizing:border-box}}
button{{font-size:1em;padding:10px 18px;border:0;border-radius:6px;cursor:pointer;margin-top:16px}}
.primary{{background:#0b6e3d;color:#fff}} .secondary{{background:#d7dde4;color:#1d2733}} .error{{color:#b00020;font-weight:600}}
li{{margin:6px 0}} form.inline{{display:inline}}
</style></head><body><header>B-Trust<span>sandbox — not BORICA</span></header><main>{b}</main></body></html>"#,
        t = esc(title),
        b = body
    )
}

fn not_found(what: &str) -> Response {
    (
        StatusCode::NOT_FOUND,
        Html(page(
            "Not found",
            &format!("<h1>Not found</h1><p class=muted>{}</p>", esc(what)),
        )),
    )
        .into_response()
}

fn see_other(url: &str) -> Response {
    let mut r = StatusCode::SEE_OTHER.into_response();
    if let Ok(v) = HeaderValue::from_str(url) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    r
}

/// `(resultId, language, service, reason, outcome, redirects)` of the web session with this registration session.
fn find_session(
    app: &App,
    session_id: &str,
) -> Option<(u64, String, String, Outcome, String, String)> {
    let i = app.ident.lock().ok()?;
    i.web.values().find_map(|w| {
        let r = w
            .registration
            .as_ref()
            .filter(|r| r.session_id == session_id)?;
        Some((
            w.result_id,
            r.language.clone(),
            w.reason.clone(),
            w.outcome,
            r.success_url.clone(),
            r.cancel_url.clone(),
        ))
    })
}

async fn identification_page(State(app): S, Path(session_id): Path<String>) -> Response {
    app.tick();
    let Some((_, lang, reason, outcome, ..)) = find_session(&app, &session_id) else {
        return not_found("No identification session with this id.");
    };
    let bg = lang == "bg";
    if outcome != Outcome::Pending {
        return Html(page(
            "Identification",
            &format!(
                "<h1>{}</h1>",
                if bg {
                    "Идентификацията е приключила."
                } else {
                    "This identification has ended."
                }
            ),
        ))
        .into_response();
    }
    let options: String = app
        .users
        .iter()
        .enumerate()
        .map(|(i, u)| format!("<option value=\"{i}\">{}</option>", esc(&u.config.name)))
        .collect();
    let body = format!(
        r#"<h1>{title}</h1>
<p class=muted>{why}: <b id="reason">{reason}</b></p>
<p>{steps}</p>
<form method="post" action="/session/{sid}/complete">
<label for="user">{who}</label><select id="user" name="user">{options}</select>
<button id="complete" class="primary" type="submit">{complete}</button></form>
<form method="post" action="/session/{sid}/cancel" class="inline"><button id="cancel" class="secondary" type="submit">{cancel}</button></form>"#,
        title = if bg {
            "Видео идентификация"
        } else {
            "Video identification"
        },
        why = if bg { "Причина" } else { "Reason" },
        reason = esc(&reason),
        steps = if bg {
            "В пясъчника стъпките (имейл, телефон, документ, жизненост, селфи) се симулират."
        } else {
            "In the sandbox, the e-mail, phone, ID document, liveness and selfie checks are simulated."
        },
        who = if bg {
            "Идентифицирай като"
        } else {
            "Identify as"
        },
        complete = if bg {
            "Завърши идентификацията"
        } else {
            "Complete identification"
        },
        cancel = if bg { "Откажи" } else { "Cancel" },
        sid = esc(&session_id),
    );
    Html(page("Identification", &body)).into_response()
}

#[derive(Deserialize)]
struct UserForm {
    user: Option<usize>,
}

async fn complete(
    State(app): S,
    Path(session_id): Path<String>,
    Form(f): Form<UserForm>,
) -> Response {
    let Some((result_id, _, _, outcome, success, _)) = find_session(&app, &session_id) else {
        return not_found("No identification session with this id.");
    };
    if outcome == Outcome::Pending {
        let ctx = app.ident_ctx(app.clock.now_ms());
        if let Ok(mut i) = app.ident.lock() {
            i.complete_web(result_id, f.user.filter(|u| *u < app.users.len()), &ctx);
        }
    }
    see_other(&success)
}

async fn cancel(State(app): S, Path(session_id): Path<String>) -> Response {
    let Some((result_id, _, _, _, _, cancel_url)) = find_session(&app, &session_id) else {
        return not_found("No identification session with this id.");
    };
    let ctx = app.ident_ctx(app.clock.now_ms());
    let notice = app
        .ident
        .lock()
        .ok()
        .and_then(|mut i| i.cancel_web(result_id, &ctx));
    app.notify(notice);
    see_other(&cancel_url)
}

struct SignView {
    result_id: u64,
    outcome: Outcome,
    waiting: bool,
    titles: Vec<(String, String)>,
    otp: String,
    phone: String,
    success: String,
    cancel: String,
}

fn find_sign(app: &App, token: &str) -> Option<SignView> {
    let i = app.ident.lock().ok()?;
    let s = i.signs.values().find(|s| s.token == token)?;
    let phone = s
        .user
        .and_then(|u| app.users.get(u))
        .map(|u| {
            let p = &u.config.phone;
            let keep = p.len().saturating_sub(3);
            format!("{}{}", "•".repeat(keep.min(9)), &p[keep..])
        })
        .unwrap_or_default();
    Some(SignView {
        result_id: s.result_id,
        outcome: s.outcome,
        waiting: s.queue.is_empty(),
        titles: s
            .documents
            .iter()
            .map(|d| (d.legal_file_name.clone(), d.file_name.clone()))
            .collect(),
        otp: s.otp.clone(),
        phone,
        success: s.success_url.clone(),
        cancel: s.cancel_url.clone(),
    })
}

fn documents_html(token: &str, v: &SignView, error: Option<&str>) -> String {
    let docs: String = v
        .titles
        .iter()
        .enumerate()
        .map(|(i, (title, file))| {
            format!(
                "<li><a href=\"/cqes/api/web-identification/{t}/document/{i}\">{}</a> <span class=muted>({})</span></li>",
                esc(title),
                esc(file),
                t = esc(token)
            )
        })
        .collect();
    let err = error
        .map(|e| format!("<p id=\"error\" class=\"error\">{}</p>", esc(e)))
        .unwrap_or_default();
    format!(
        r#"<h1>Documents to sign</h1><ul id="documents">{docs}</ul>
<div class="sms">SMS to {phone}: your signing code is <b id="otp">{otp}</b> <span class=muted>(shown here because this is the sandbox)</span></div>{err}
<form method="post" action="/cqes/api/web-identification/{t}/sign">
<label for="otp-input">Code from the SMS</label><input id="otp-input" name="otp" inputmode="numeric" autocomplete="one-time-code">
<button id="sign" class="primary" type="submit">Sign with a one-time certificate</button></form>
<form method="post" action="/cqes/api/web-identification/{t}/reject" class="inline"><button id="reject" class="secondary" type="submit">Reject</button></form>"#,
        phone = esc(&v.phone),
        otp = esc(&v.otp),
        t = esc(token)
    )
}

async fn documents_page(State(app): S, Path(token): Path<String>) -> Response {
    app.tick();
    let Some(v) = find_sign(&app, &token) else {
        return not_found("No sign session with this address.");
    };
    if v.outcome != Outcome::Pending || !v.waiting {
        return Html(page(
            "Documents",
            "<h1>This signing session has ended.</h1>",
        ))
        .into_response();
    }
    Html(page("Documents to sign", &documents_html(&token, &v, None))).into_response()
}

async fn document(State(app): S, Path((token, index)): Path<(String, usize)>) -> Response {
    let bytes = app.ident.lock().ok().and_then(|i| {
        let s = i.signs.values().find(|s| s.token == token)?;
        let d = s.documents.get(index)?;
        Some(match &d.content_as_base64 {
            ContentData::Bytes(b) => b.as_bytes().to_vec(),
            ContentData::Encoded(t) => base64_simd::STANDARD
                .decode_to_vec(t.as_bytes())
                .unwrap_or_default(),
        })
    });
    match bytes {
        Some(b) => ([(header::CONTENT_TYPE, "application/pdf")], b).into_response(),
        None => not_found("No such document."),
    }
}

#[derive(Deserialize)]
struct OtpForm {
    otp: String,
}

async fn sign(State(app): S, Path(token): Path<String>, Form(f): Form<OtpForm>) -> Response {
    let Some(v) = find_sign(&app, &token) else {
        return not_found("No sign session with this address.");
    };
    let ctx = app.ident_ctx(app.clock.now_ms());
    let result = app
        .ident
        .lock()
        .map_err(|_| "busy")
        .and_then(|mut i| i.submit_otp(v.result_id, &f.otp, &ctx));
    match result {
        Ok(()) => see_other(&v.success),
        Err(e) => (
            StatusCode::BAD_REQUEST,
            Html(page(
                "Documents to sign",
                &documents_html(
                    &token,
                    &v,
                    Some(&format!("The code was not accepted: {e}.")),
                ),
            )),
        )
            .into_response(),
    }
}

async fn reject(State(app): S, Path(token): Path<String>) -> Response {
    let Some(v) = find_sign(&app, &token) else {
        return not_found("No sign session with this address.");
    };
    let notice = app
        .ident
        .lock()
        .ok()
        .and_then(|mut i| i.cancel_sign(v.result_id, &app.ids));
    app.notify(notice);
    see_other(&v.cancel)
}
