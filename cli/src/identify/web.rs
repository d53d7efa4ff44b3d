//! Web identification as `cqes identify web` and `cqes demo identify` run it: the flow, with
//! the URL the customer must open, and the summary printed at the end.

use crate::output::Live;
use cqes::Client;
use cqes_core::btrust::identification::IdentificationCallback;
use cqes_core::flow::UserAction;
use cqes_core::Error;
use tokio::sync::mpsc;

/// Runs a web identification, printing the URL the customer must open.
pub(super) async fn web_identification(
    client: &Client,
    input: cqes_core::btrust::flows::WebIdentificationFlowInput,
    callbacks: Option<&mut mpsc::Receiver<IdentificationCallback>>,
    as_json: bool,
) -> Result<cqes_core::btrust::flows::WebIdentificationOutcome, Error> {
    let mut flow = client.start_web_identification(input)?;
    let mut live = Live::new(!as_json);
    let mut shown = false;
    let outcome = client
        .run(
            &mut flow,
            |p| {
                if let (Some(UserAction::OpenUrl { url }), false) = (&p.user_action, shown) {
                    live.println(&format!("  the customer opens: {url}"));
                    shown = true;
                }
                live.update(p)
            },
            callbacks,
        )
        .await;
    live.finish();
    outcome
}

pub(super) fn print_identified(
    o: &cqes_core::btrust::flows::WebIdentificationOutcome,
    file: Option<&str>,
    as_json: bool,
) {
    if as_json {
        return;
    }
    println!("identified ✔");
    println!("  identification URL   {}", o.identification_url);
    println!(
        "  clientIdentificator  {}",
        o.client_identificator.as_deref().unwrap_or("-")
    );
    println!(
        "  signSessionId        {}",
        o.sign_session_id.as_deref().unwrap_or("-")
    );
    if let Some(f) = file {
        println!("  eID certificate      → {f}");
    }
}
