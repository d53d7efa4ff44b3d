//! The identification page's link for a web session.

use crate::btrust::config::Config;
use crate::btrust::config::Environment;
use crate::error::Error;
use crate::http::encode_segment;
use crate::validate::{Issue, IssueCode};

/// Identification host of UAT (seed 001 §2.3's URL line; its prose says `idtest`).
pub const UAT_IDENTIFICATION_URL: &str = "https://iduat.borica.bg";
/// Identification host assumed for TEST (inferred by analogy; not documented).
pub const TEST_IDENTIFICATION_URL: &str = "https://idtest.borica.bg";

/// The page a customer's browser is sent to for web (video) identification:
/// `<identification host>/session/{sessionId}`, with `sessionId` from createRegistration
/// (not the webSessionId). The host is `config.identificationUrl` when set, else the
/// environment's; a custom environment must set it.
pub fn identification_link(config: &Config, session_id: &str) -> Result<String, Error> {
    let host = match (&config.identification_url, &config.environment) {
        (Some(url), _) => url.trim_end_matches('/').to_owned(),
        (None, Environment::Uat) => UAT_IDENTIFICATION_URL.to_owned(),
        (None, Environment::Test) => TEST_IDENTIFICATION_URL.to_owned(),
        (None, Environment::Custom(_)) => {
            return Err(Error::validation(Issue {
                path: "config.identificationUrl".into(),
                code: IssueCode::Required,
                message: "a custom environment needs identificationUrl, the host customers are sent to for identification".into(),
            }))
        }
    };
    let mut url = format!("{host}/session/");
    encode_segment(session_id, &mut url);
    Ok(url)
}
