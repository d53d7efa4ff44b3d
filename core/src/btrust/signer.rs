//! Who signs: the `rpToClientAuthorization` header (reference §3).
//!
//! Syntax `<mode>:<value>`, exactly one mode per request. Every value is personal data or a
//! credential, so each is a [`Secret`] and the header is redacted in `Debug` output.

use crate::btrust::rules;
use crate::btrust::rules::{check_otp, check_profile_id};
use crate::error::Error;
use crate::secret::Secret;
use crate::validate::{Issue, IssueCode, Validate, Validator};
use serde::{Deserialize, Serialize};

/// Name of the header that designates the signer.
pub const HEADER: &str = "rpToClientAuthorization";

/// How the relying party designates the signer. In JSON exactly one key:
/// `{"personalId": "…"}`, `{"profileId": {"id": "…", "otp": "…"}}`, `{"clientToken": "…"}`
/// or `{"certId": "…"}`.
#[crate::model]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub enum SignerIdentity {
    /// The signer's EGN or LNC (`personalId:<EGN|LNC>`).
    PersonalId(Secret<String>),
    /// A B-Trust profile id with the one-time authorization code from B-Trust Mobile
    /// (`profileId:<id>:<otp>`).
    ProfileId {
        /// Profile id, e.g. `032-552574`.
        id: Secret<String>,
        /// Authorization code shown in B-Trust Mobile (CQES → CODE).
        otp: Secret<String>,
    },
    /// A client token from `POST /v2/auth` (`clientToken:<token>`).
    ClientToken(Secret<String>),
    /// The certificate id, e.g. `22222` in "IVAN IVANOV(11111-22222)" (`certId:<id>`).
    CertId(Secret<String>),
}

impl SignerIdentity {
    /// The header value, `<mode>:<value>`.
    pub fn header_value(&self) -> Secret<String> {
        Secret::new(match self {
            SignerIdentity::PersonalId(v) => format!("personalId:{}", v.expose()),
            SignerIdentity::ProfileId { id, otp } => {
                format!("profileId:{}:{}", id.expose(), otp.expose())
            }
            SignerIdentity::ClientToken(v) => format!("clientToken:{}", v.expose()),
            SignerIdentity::CertId(v) => format!("certId:{}", v.expose()),
        })
    }

    /// Reads a header value `<mode>:<value>` (the inverse of [`SignerIdentity::header_value`]);
    /// the result still has to be validated. Used by servers (the sandbox) and by hosts that
    /// receive the header from elsewhere.
    pub fn from_header_value(value: &str) -> Result<Self, Error> {
        let bad = || {
            Error::validation(Issue {
                path: HEADER.to_owned(),
                code: IssueCode::InvalidFormat,
                message: "expected personalId:<EGN|LNC>, profileId:<id>:<otp>, clientToken:<token> or certId:<id>".to_owned(),
            })
        };
        let (mode, rest) = value.split_once(':').ok_or_else(bad)?;
        let s = |v: &str| Secret::new(v.to_owned());
        Ok(match mode {
            "personalId" => SignerIdentity::PersonalId(s(rest)),
            "profileId" => {
                let (id, otp) = rest.rsplit_once(':').ok_or_else(bad)?;
                SignerIdentity::ProfileId {
                    id: s(id),
                    otp: s(otp),
                }
            }
            "clientToken" => SignerIdentity::ClientToken(s(rest)),
            "certId" => SignerIdentity::CertId(s(rest)),
            _ => return Err(bad()),
        })
    }

    /// The header as a `(name, value)` pair.
    pub fn header(&self) -> (String, String) {
        (HEADER.to_owned(), self.header_value().into_inner())
    }
}

impl Validate for SignerIdentity {
    fn validate(&self, v: &mut Validator) {
        match self {
            SignerIdentity::PersonalId(p) => {
                v.field("personalId", |v| rules::check_personal_id(v, p.expose()))
            }
            SignerIdentity::ProfileId { id, otp } => v.field("profileId", |v| {
                v.field("id", |v| check_profile_id(v, id.expose()));
                v.field("otp", |v| check_otp(v, otp.expose()));
            }),
            SignerIdentity::ClientToken(t) => v.field("clientToken", |v| {
                rules::check_token(v, t.expose(), 512, "a client token")
            }),
            SignerIdentity::CertId(c) => v.field("certId", |v| {
                rules::check_digits(v, c.expose(), 19, "a certificate id")
            }),
        }
    }
}
