//! OIDC signing (reference §8; every shape inferred, as in cqes-core): `POST /v2/oidc/sign`
//! answers the authorisation URL, a page on the pages listener where the tester logs in as a
//! customer and confirms (or cancels), then the result and the signer's data.

use super::{C, S};
use crate::app::App;
use crate::ars::{sign_now, OidcRecord};
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Extension, Form, Router};
use cqes_core::btrust::oidc::OidcSignRequest;
use serde::Deserialize;
use serde_json::json;
use std::sync::Arc;

pub(super) async fn sign(
    State(app): S,
    Extension(conn): C,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let ctx = begin_or_return!(app, conn, headers, "btrust.oidcSign");
    let req: OidcSignRequest = match crate::api::signing::read(&ctx, &body) {
        Ok(r) => r,
        Err(r) => return ctx.finish(r).await,
    };
    let now = app.clock.now_ms();
    let id = app.ids.uuid();
    let validity = now + app.config.validity_ms;
    if let Ok(mut a) = app.ars.lock() {
        a.oidc.insert(
            id.clone(),
            OidcRecord {
                rp_id: ctx.rp.config.id.clone(),
                contents: req.contents,
                redirect_uri: req.redirect_uri,
                state: req.state,
                validity_ms: validity,
                signed: None,
                rejected: false,
            },
        );
    }
    let url = format!("{}/oidc/{id}", app.pages_url);
    let response = ctx.ok(
        202,
        "ACCEPTED",
        json!({"callbackId": id, "authorizationUrl": url, "validity": crate::clock::iso(validity)}),
    );
    ctx.finish(response).await
}

/// What the result and user-data answers need of a request.
struct Seen {
    /// The signer and the sign request holding the documents, once confirmed.
    signed: Option<(usize, String)>,
    rejected: bool,
    expired: bool,
    items: usize,
}

/// The request's state, or `None` if this relying party has no such request.
fn lookup(app: &App, rp: &str, id: &str) -> Option<Seen> {
    let now = app.clock.now_ms();
    let a = app.ars.lock().ok()?;
    let r = a.oidc.get(id).filter(|r| r.rp_id == rp)?;
    Some(Seen {
        signed: r.signed.clone(),
        rejected: r.rejected,
        expired: now >= r.validity_ms,
        items: r.contents.len(),
    })
}

pub(super) async fn result(
    State(app): S,
    Extension(conn): C,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let ctx = begin_or_return!(app, conn, headers, "btrust.getOidcSignResult");
    let response = match lookup(&app, &ctx.rp.config.id, &id) {
        None => ctx.fail(404, "NOT_FOUND", "NOT_FOUND", None),
        Some(Seen {
            signed: Some((_, sign_id)),
            ..
        }) => {
            let sigs: Vec<serde_json::Value> = crate::ars::signatures(&app, &sign_id)
                .into_iter()
                .map(|s| json!({"signature": s["signature"], "signatureType": s["signatureType"], "status": s["status"]}))
                .collect();
            ctx.ok(200, "COMPLETED", json!({"signatures": sigs}))
        }
        Some(Seen {
            signed: None,
            rejected,
            expired,
            items: n,
        }) if rejected || expired => {
            let status = if rejected { "REJECTED" } else { "EXPIRED" };
            let sigs: Vec<serde_json::Value> = (0..n)
                .map(|_| json!({"signature": null, "status": status}))
                .collect();
            ctx.ok(200, status, json!({"signatures": sigs}))
        }
        Some(_) => ctx.ok(206, "IN_PROGRESS", serde_json::Value::Null),
    };
    ctx.finish(response).await
}

pub(super) async fn user_data(
    State(app): S,
    Extension(conn): C,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let ctx = begin_or_return!(app, conn, headers, "btrust.getOidcSignResultUserData");
    let response = match lookup(&app, &ctx.rp.config.id, &id) {
        Some(Seen {
            signed: Some((user, _)),
            ..
        }) => {
            let u = &app.users[user].config;
            let sub = u
                .egn
                .as_ref()
                .map(|e| format!("PNOBG-{e}"))
                .unwrap_or_else(|| format!("CERT-{}", u.cert_id));
            ctx.ok(
                200,
                "OK",
                json!({"sub": sub, "name": u.name, "certId": u.cert_id}),
            )
        }
        _ => ctx.fail(404, "NOT_FOUND", "NOT_FOUND", None),
    };
    ctx.finish(response).await
}

/// The page routes (merged into the pages listener's router).
pub fn pages() -> Router<Arc<App>> {
    Router::new()
        .route("/oidc/{id}", get(page))
        .route("/oidc/{id}/confirm", post(confirm))
        .route("/oidc/{id}/cancel", post(cancel))
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

async fn page(State(app): State<Arc<App>>, Path(id): Path<String>) -> Response {
    let docs = app.ars.lock().ok().and_then(|a| {
        a.oidc
            .get(&id)
            .filter(|r| r.signed.is_none() && !r.rejected)
            .map(|r| {
                r.contents
                    .iter()
                    .map(|c| escape(c.file_name.as_deref().unwrap_or(&c.confirm_text)))
                    .collect::<Vec<_>>()
            })
    });
    let Some(docs) = docs else {
        return (
            axum::http::StatusCode::NOT_FOUND,
            "no such request, or already answered",
        )
            .into_response();
    };
    let users: String = app
        .users
        .iter()
        .filter(|u| u.config.has_cqes)
        .map(|u| {
            format!(
                "<option value=\"{}\">{}</option>",
                escape(&u.config.cert_id),
                escape(&u.config.name)
            )
        })
        .collect();
    let items: String = docs.iter().map(|d| format!("<li>{d}</li>")).collect();
    let id = escape(&id);
    Html(format!(
        "<!doctype html><html lang=\"en\"><meta charset=\"utf-8\"><title>B-Trust sandbox: sign in and sign</title>\
         <h1>Sign in to sign</h1><p>Documents:</p><ul id=\"documents\">{items}</ul>\
         <form method=\"post\" action=\"/oidc/{id}/confirm\"><label>Log in as <select name=\"certId\" id=\"user\">{users}</select></label>\
         <button id=\"confirm\" type=\"submit\">Log in and sign</button></form>\
         <form method=\"post\" action=\"/oidc/{id}/cancel\"><button id=\"cancel\" type=\"submit\">Cancel</button></form></html>"
    ))
    .into_response()
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Confirm {
    cert_id: String,
}

/// Where the browser goes back to, with the request's id and state.
fn back(redirect: &str, id: &str, state: &Option<String>, error: Option<&str>) -> Redirect {
    let mut url = redirect.to_owned();
    url.push(if url.contains('?') { '&' } else { '?' });
    let mut q = format!("callbackId={id}");
    if let Some(s) = state {
        let mut enc = String::new();
        cqes_core::http::encode_segment(s, &mut enc);
        q.push_str(&format!("&state={enc}"));
    }
    if let Some(e) = error {
        q.push_str(&format!("&error={e}"));
    }
    url.push_str(&q);
    Redirect::to(&url)
}

async fn confirm(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    Form(form): Form<Confirm>,
) -> Response {
    let user = app
        .users
        .iter()
        .position(|u| u.config.cert_id == form.cert_id && u.config.has_cqes);
    let taken = app.ars.lock().ok().and_then(|a| {
        let r = a
            .oidc
            .get(&id)
            .filter(|r| r.signed.is_none() && !r.rejected)?;
        Some((
            r.rp_id.clone(),
            r.contents.clone(),
            r.redirect_uri.clone(),
            r.state.clone(),
        ))
    });
    let (Some(user), Some((rp, contents, redirect, state))) = (user, taken) else {
        return (
            axum::http::StatusCode::NOT_FOUND,
            "no such request or customer",
        )
            .into_response();
    };
    let Some(sign_id) = sign_now(&app, &rp, user, contents) else {
        return axum::http::StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    if let Ok(mut a) = app.ars.lock() {
        if let Some(r) = a.oidc.get_mut(&id) {
            r.signed = Some((user, sign_id));
        }
    }
    back(&redirect, &id, &state, None).into_response()
}

async fn cancel(State(app): State<Arc<App>>, Path(id): Path<String>) -> Response {
    let back_to = app.ars.lock().ok().and_then(|mut a| {
        let r = a.oidc.get_mut(&id).filter(|r| r.signed.is_none())?;
        r.rejected = true;
        Some((r.redirect_uri.clone(), r.state.clone()))
    });
    match back_to {
        Some((redirect, state)) => {
            back(&redirect, &id, &state, Some("access_denied")).into_response()
        }
        None => (axum::http::StatusCode::NOT_FOUND, "no such request").into_response(),
    }
}
