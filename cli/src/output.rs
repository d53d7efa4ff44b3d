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

/// `item #3 ended with status ERROR` (the core's reason for an item that failed) → `(3, ERROR)`.
fn failed_item(reason: &str) -> Option<(&str, &str)> {
    let rest = reason.strip_prefix("item #")?;
    let (index, status) = rest.split_once(" ended with status ")?;
    (index.chars().all(|c| c.is_ascii_digit()) && !status.contains(' ')).then_some((index, status))
}

/// The first line of an error as the user reads it. Two cases read better than the core's
/// one-line `Display`: invalid input (its issues follow on their own lines, once), and an item
/// that ended `ERROR` in a request the service calls `COMPLETED` (which is not a service
/// error code, but what happened to that item).
pub fn headline(e: &Error) -> String {
    match e {
        Error::Validation { issues } => {
            let n = issues.len();
            format!("invalid input ({n} issue{})", if n == 1 { "" } else { "s" })
        }
        Error::Api {
            http_status: 200..=299,
            response_code,
            reason: Some(reason),
            ..
        } => match failed_item(reason) {
            Some((index, status)) => format!(
                "item #{index} was not signed: the service reports it {status} (the request as a whole is {}); the service gave no reason",
                response_code.as_deref().unwrap_or("final")
            ),
            None => e.to_string(),
        },
        _ => e.to_string(),
    }
}

/// Prints an error (to stderr, or as JSON to stdout) and returns its exit code.
pub fn report(e: &Error, as_json: bool) -> i32 {
    if as_json {
        let mut v = e.to_json();
        v["message"] = json!(headline(e));
        println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
    } else {
        eprintln!("error: {}", headline(e));
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

#[cfg(test)]
mod tests {
    use super::headline;
    use cqes_core::Error;

    #[test]
    fn an_item_that_ended_error_is_described_as_such() {
        let e = Error::Api {
            http_status: 200,
            code: Some("ERROR".into()),
            response_code: Some("COMPLETED".into()),
            reason: Some("item #1 ended with status ERROR".into()),
        };
        let line = headline(&e);
        assert_eq!(
            line,
            "item #1 was not signed: the service reports it ERROR (the request as a whole is COMPLETED); the service gave no reason"
        );
        assert!(!line.contains("code ERROR, responseCode COMPLETED"));
        // A real service error keeps the core's wording.
        let e = Error::Api {
            http_status: 500,
            code: Some("ERROR".into()),
            response_code: Some("ERROR".into()),
            reason: None,
        };
        assert_eq!(headline(&e), e.to_string());
    }

    #[test]
    fn invalid_input_is_a_count_and_its_issues_follow_once() {
        let e = Error::validation(cqes_core::validate::Issue {
            path: "identity.personalId".into(),
            code: cqes_core::validate::IssueCode::Checksum,
            message: "the check digit does not match".into(),
        });
        assert_eq!(headline(&e), "invalid input (1 issue)");
    }
}
