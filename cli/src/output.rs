//! What the user sees: a live progress line, summaries, `--json` output, and exit codes a
//! shell can act on.

use cqes_core::btrust::SignOutcome;
use cqes_core::flow::{Progress, UserAction};
use cqes_core::Error;
use indicatif::{ProgressBar, ProgressStyle};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Exit codes (documented in `cqes --help`).
pub fn exit_code(e: &Error) -> i32 {
    match e {
        Error::Validation { .. } => 2,
        Error::Api { .. } => 3,
        Error::Rejected { .. } => 4,
        Error::Expired { .. } => 5,
        Error::Transport { .. } => 6,
        Error::UnexpectedResponse { .. } => 7,
        Error::InvalidState { .. } => 8,
        Error::ConsentRequired { .. } => 9,
        Error::LimitExceeded { .. } => 10,
    }
}

/// Prints an error (to stderr, or as JSON to stdout) and returns its exit code.
pub fn report(e: &Error, as_json: bool) -> i32 {
    if as_json {
        let mut v = e.to_json();
        v["message"] = json!(e.to_string());
        println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
    } else {
        eprintln!("error: {e}");
        if let Error::Validation { issues } = e {
            for i in issues {
                eprintln!("  {}: {} ({})", i.path, i.message, i.code);
            }
        }
    }
    exit_code(e)
}

/// A live status line: state, elapsed time, next poll.
pub struct Live {
    bar: Option<ProgressBar>,
    started: Instant,
    shown_qr: bool,
}

impl Live {
    /// A spinner on stderr, or nothing (for `--json` and pipes).
    pub fn new(enabled: bool) -> Live {
        let bar = enabled.then(|| {
            let b = ProgressBar::new_spinner();
            b.set_style(
                ProgressStyle::with_template("{spinner:.cyan} {msg}")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            b.enable_steady_tick(Duration::from_millis(100));
            b
        });
        Live {
            bar,
            started: Instant::now(),
            shown_qr: false,
        }
    }

    /// Updates the line from a flow's progress.
    pub fn update(&mut self, p: &Progress) {
        let Some(bar) = &self.bar else { return };
        if let (
            Some(UserAction::ShowQr {
                qr_plain: Some(link),
                ..
            }),
            false,
        ) = (&p.user_action, self.shown_qr)
        {
            bar.println(format!("  scan this QR link with B-Trust Mobile: {link}"));
            self.shown_qr = true;
        }
        let now = cqes_core_now();
        let next = match p.next_request_at_ms {
            Some(t) if t > now => format!("next request in {:.1}s", (t - now) as f64 / 1000.0),
            Some(_) => "requesting…".to_owned(),
            None => "waiting for the answer…".to_owned(),
        };
        let items = match (p.items_done, p.items_total) {
            (Some(d), Some(t)) if p.state == "downloading" => format!(" · {d}/{t} downloaded"),
            _ => String::new(),
        };
        bar.set_message(format!(
            "{:<11} · {:>5.1}s elapsed · polls {} · {next}{items}",
            p.state,
            self.started.elapsed().as_secs_f64(),
            p.polls
        ));
    }

    /// Prints a line above the live line (or plainly without one).
    pub fn println(&self, text: &str) {
        match &self.bar {
            Some(b) if !b.is_hidden() => b.println(text),
            _ => eprintln!("{text}"),
        }
    }

    /// Removes the line.
    pub fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}

fn cqes_core_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

/// Writes every downloaded document into `dir`; returns a JSON summary per item.
pub fn save(outcome: &SignOutcome, dir: &Path) -> Result<Vec<Value>, Error> {
    std::fs::create_dir_all(dir)
        .map_err(|e| Error::invalid_state(format!("cannot create {}: {e}", dir.display())))?;
    let mut items = Vec::new();
    for item in &outcome.items {
        let mut v = json!({
            "index": item.index,
            "status": item.status.as_str(),
            "signatureType": item.signature_type.as_ref().map(|t| t.as_str().to_owned()),
            "contentId": item.content_id,
        });
        if let Some(doc) = &item.document {
            let name = doc
                .file_name
                .clone()
                .unwrap_or_else(|| format!("signed-{}", item.index));
            let path: PathBuf = dir.join(name);
            std::fs::write(&path, doc.content.as_bytes()).map_err(|e| {
                Error::invalid_state(format!("cannot write {}: {e}", path.display()))
            })?;
            v["file"] = json!(path.display().to_string());
            v["bytes"] = json!(doc.content.len());
        }
        if let Some(sig) = &item.signature {
            v["signatureBase64"] = json!(sig.to_base64());
        }
        items.push(v);
    }
    Ok(items)
}

/// Prints the outcome summary.
pub fn summary(outcome: &SignOutcome, items: &[Value], as_json: bool, extra: Value) {
    if as_json {
        let mut v = json!({
            "callbackId": outcome.callback_id,
            "rpCallbackId": outcome.rp_callback_id,
            "items": items,
            "certificateBytes": outcome.cert.as_ref().map(|c| c.len()),
        });
        if let (Some(o), Some(e)) = (v.as_object_mut(), extra.as_object()) {
            o.extend(e.clone());
        }
        println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
        return;
    }
    println!("signed ✔");
    println!(
        "  callbackId    {}",
        outcome
            .callback_id
            .as_deref()
            .unwrap_or("(found by rpCallbackId)")
    );
    println!("  rpCallbackId  {}", outcome.rp_callback_id);
    for item in items {
        let status = item["status"].as_str().unwrap_or("?");
        let kind = item["signatureType"].as_str().unwrap_or("");
        match (item["file"].as_str(), item["bytes"].as_u64()) {
            (Some(f), Some(n)) => println!(
                "  item #{}       {status} {kind} → {f} ({n} bytes)",
                item["index"]
            ),
            _ => println!("  item #{}       {status} {kind}", item["index"]),
        }
    }
}
