//! Delivers callbacks to relying parties with bounded retries (exponential backoff), as a
//! service that must not lose a notification to one dropped packet would.

use crate::app::App;
use crate::state::Notice;
use std::sync::{Arc, Weak};
use std::time::Duration;
use tokio::sync::mpsc::UnboundedReceiver;

/// Runs until the channel closes: each notice is delivered on its own task.
pub async fn run(app: Weak<App>, mut rx: UnboundedReceiver<Notice>, client: reqwest::Client) {
    while let Some(notice) = rx.recv().await {
        let Some(app) = app.upgrade() else { return };
        tokio::spawn(deliver(app, notice, client.clone()));
    }
}

async fn deliver(app: Arc<App>, notice: Notice, client: reqwest::Client) {
    let cfg = app.config.callbacks.clone();
    let mut delay = cfg.first_retry_ms;
    for attempt in 1..=cfg.attempts.max(1) {
        let sent = client
            .post(&notice.url)
            .timeout(Duration::from_millis(cfg.timeout_ms))
            .json(&notice.body)
            .send()
            .await;
        match sent {
            Ok(r) if r.status().is_success() => {
                tracing::info!(target: "cqes_sandbox::callback", attempt, status = r.status().as_u16(), "callback delivered");
                app.count(|s| s.callbacks_delivered += 1);
                return;
            }
            Ok(r) => {
                tracing::warn!(target: "cqes_sandbox::callback", attempt, status = r.status().as_u16(), "callback refused")
            }
            Err(e) => {
                tracing::warn!(target: "cqes_sandbox::callback", attempt, error = %e.without_url(), "callback failed")
            }
        }
        if attempt < cfg.attempts {
            tokio::time::sleep(Duration::from_millis(delay)).await;
            delay = delay.saturating_mul(2);
        }
    }
    app.count(|s| s.callbacks_failed += 1);
}
