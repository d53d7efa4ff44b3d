//! Where requests go and who sends them: environment, relying-party id, language, limits.

use crate::http::{Header, HttpRequest, Method, ResponseExpectation, ResponseKind, UrlBuilder};
use crate::validate::{IssueCode, Validate, Validator};
use crate::Blob;
use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// UAT base URL (seed 001; public clients).
pub const UAT_BASE_URL: &str = "https://cqes-rpuat.b-trust.bg/signing-api";
/// TEST base URL (the Swagger's `host`).
pub const TEST_BASE_URL: &str = "https://cqes-rptest.b-trust.bg/signing-api";

/// A B-Trust environment. No production URL is public yet: use [`Environment::Custom`].
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[cfg_attr(
    feature = "ts",
    derive(ts_rs::TS),
    ts(type = "\"uat\" | \"test\" | (string & {})")
)]
pub enum Environment {
    /// `https://cqes-rpuat.b-trust.bg/signing-api`
    Uat,
    /// `https://cqes-rptest.b-trust.bg/signing-api`
    Test,
    /// Any other base URL (the sandbox, production once published), up to `/signing-api`.
    Custom(String),
}

impl Environment {
    /// The base URL every path is appended to.
    pub fn base_url(&self) -> &str {
        match self {
            Environment::Uat => UAT_BASE_URL,
            Environment::Test => TEST_BASE_URL,
            Environment::Custom(url) => url.trim_end_matches('/'),
        }
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for Environment {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Environment".into()
    }
    fn inline_schema() -> bool {
        true
    }
    /// `"uat"`, `"test"` or a base URL.
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({"type": "string", "description": "\"uat\", \"test\" or a base URL up to /signing-api"})
    }
}

impl Serialize for Environment {
    /// `"uat"`, `"test"`, or the custom base URL.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Environment::Uat => s.serialize_str("uat"),
            Environment::Test => s.serialize_str("test"),
            Environment::Custom(url) => s.serialize_str(url),
        }
    }
}

impl<'de> Deserialize<'de> for Environment {
    /// `"uat"` / `"test"` (any case) or an absolute base URL.
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Environment;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("\"uat\", \"test\" or a base URL")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Environment, E> {
                Ok(match v.to_ascii_lowercase().as_str() {
                    "uat" => Environment::Uat,
                    "test" => Environment::Test,
                    _ => Environment::Custom(v.to_owned()),
                })
            }
        }
        d.deserialize_str(V)
    }
}

open_enum! {
    /// Language of the service's messages (`Accept-language`).
    pub enum Language {
        /// Bulgarian.
        Bg = "bg",
        /// English.
        En = "en",
    }
}

/// Size limits the core enforces and hands to hosts as hints. These are SDK guards, not
/// published BORICA limits (none are public).
#[crate::model]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct Limits {
    /// Largest JSON response accepted (default 32 MiB: poll results may carry signatures).
    pub max_json_response_bytes: u64,
    /// Largest downloaded file accepted (default 256 MiB).
    pub max_download_bytes: u64,
    /// Largest request body the core will build (default 128 MiB).
    pub max_request_body_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_json_response_bytes: 32 << 20,
            max_download_bytes: 256 << 20,
            max_request_body_bytes: 128 << 20,
        }
    }
}

/// Everything a request needs besides its own input.
#[crate::model]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Config {
    /// Where to send requests.
    pub environment: Environment,
    /// The numeric id BORICA issued to the relying party (`relyingPartyID` header).
    pub relying_party_id: String,
    /// Language of the service's messages; the service's default when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<Language>,
    /// Size limits.
    #[serde(default)]
    pub limits: Limits,
    /// Where customers are sent for web identification (`<url>/session/{sessionId}`).
    /// Defaults to `https://iduat.borica.bg` (UAT) and `https://idtest.borica.bg` (TEST);
    /// required for custom environments (the sandbox serves its own pages).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identification_url: Option<String>,
}

impl Config {
    /// A configuration with default limits and no language preference.
    pub fn new(environment: Environment, relying_party_id: impl Into<String>) -> Self {
        Config {
            environment,
            relying_party_id: relying_party_id.into(),
            language: None,
            limits: Limits::default(),
            identification_url: None,
        }
    }

    /// Sets the language (builder style).
    pub fn with_language(mut self, language: Language) -> Self {
        self.language = Some(language);
        self
    }

    /// A URL builder at the environment's base.
    pub(crate) fn url(&self) -> UrlBuilder {
        UrlBuilder::new(self.environment.base_url())
    }

    /// Assembles a request with the headers every operation sends, in a fixed order:
    /// `Accept`, `Accept-language`, `Content-Type` (with a body), `relyingPartyID`, then
    /// `extra` (operation-specific, e.g. `rpToClientAuthorization`).
    pub(crate) fn request(
        &self,
        method: Method,
        url: UrlBuilder,
        body: Option<Vec<u8>>,
        extra: Vec<(String, String)>,
        kind: ResponseKind,
    ) -> HttpRequest {
        let (url, log_url) = url.finish();
        let accept = match kind {
            ResponseKind::Json => "application/json",
            ResponseKind::Binary => "application/octet-stream, application/json;q=0.5",
        };
        let mut headers = vec![Header::new("Accept", accept)];
        if let Some(lang) = &self.language {
            headers.push(Header::new("Accept-language", lang.as_str()));
        }
        if body.is_some() {
            headers.push(Header::new("Content-Type", "application/json"));
        }
        headers.push(Header::new(
            "relyingPartyID",
            self.relying_party_id.as_str(),
        ));
        headers.extend(extra.into_iter().map(Header::from));
        let max_bytes = match kind {
            ResponseKind::Json => self.limits.max_json_response_bytes,
            ResponseKind::Binary => self.limits.max_download_bytes,
        };
        HttpRequest {
            idempotent: method == Method::Get,
            method,
            url,
            log_url,
            headers,
            body: body.map(Blob::from).unwrap_or_default(),
            expect: ResponseExpectation { kind, max_bytes },
        }
    }
}

impl Validate for Config {
    fn validate(&self, v: &mut Validator) {
        v.field("relyingPartyId", |v| {
            let id = &self.relying_party_id;
            if id.is_empty() {
                v.issue(
                    IssueCode::Required,
                    "the relying-party id BORICA issued is required",
                );
            } else if !id.bytes().all(|b| b.is_ascii_digit()) || id.len() > 20 {
                v.issue(
                    IssueCode::InvalidFormat,
                    "a relying-party id is a string of at most 20 digits",
                );
            }
        });
        if let Environment::Custom(url) = &self.environment {
            v.field("environment", |v| {
                super::rules::check_service_url(v, url);
            });
        }
        if let Some(url) = &self.identification_url {
            v.field("identificationUrl", |v| {
                super::rules::check_service_url(v, url)
            });
        }
        if let Some(url) = &self.identification_url {
            v.field("identificationUrl", |v| {
                super::rules::check_service_url(v, url)
            });
        }
        if let Some(lang) = &self.language {
            if !lang.is_known() {
                v.issue_at(
                    "language",
                    IssueCode::UnknownValue,
                    "language must be \"bg\" or \"en\"",
                );
            }
        }
        let l = &self.limits;
        v.field("limits", |v| {
            for (name, value) in [
                ("maxJsonResponseBytes", l.max_json_response_bytes),
                ("maxDownloadBytes", l.max_download_bytes),
                ("maxRequestBodyBytes", l.max_request_body_bytes),
            ] {
                if value == 0 {
                    v.issue_at(
                        name,
                        IssueCode::OutOfRange,
                        "a limit must be at least 1 byte",
                    );
                }
            }
        });
    }
}
