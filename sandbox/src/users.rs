//! Simulated B-Trust customers and how a `rpToClientAuthorization` value finds one.

use crate::ca::{Authority, Holder};
use crate::config::UserConfig;
use crate::docgen::Signer;
use cqes_core::btrust::SignerIdentity;
use std::sync::Arc;

/// A customer with a signing certificate minted by the sandbox CA.
pub struct User {
    /// Configuration.
    pub config: UserConfig,
    /// Key and certificate used to "sign" in this user's name.
    pub signer: Signer,
}

impl std::fmt::Debug for User {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("User")
            .field("cert_id", &self.config.cert_id)
            .finish_non_exhaustive()
    }
}

/// Mints a signing certificate for every configured user (shaped like a qualified one: see
/// [`crate::ca`]), naming the user's EGN, else LNC.
pub fn build(configs: &[UserConfig], authority: &Arc<Authority>) -> Result<Vec<User>, String> {
    configs
        .iter()
        .map(|c| {
            let id = c
                .egn
                .as_deref()
                .or(c.lnc.as_deref())
                .unwrap_or("0000000000");
            let identity = authority.issue(&Holder::Person { name: &c.name, id })?;
            Ok(User {
                signer: Signer {
                    cert_der: identity.cert_der(),
                    key_pkcs8_der: identity.key_der(),
                    authority: authority.clone(),
                },
                config: c.clone(),
            })
        })
        .collect()
}

/// Why an identity did not lead to a usable customer.
#[derive(Debug, PartialEq, Eq)]
pub enum Lookup {
    /// Nobody matches (or the customer has no active CQES): 404.
    NotFound,
    /// The profile's one-time code is wrong: 400.
    WrongOtp,
}

/// Finds the customer designated by an identity. `tokens` resolves client tokens.
pub fn find(
    users: &[User],
    identity: &SignerIdentity,
    token_user: impl Fn(&str) -> Option<usize>,
) -> Result<usize, Lookup> {
    let found = match identity {
        SignerIdentity::PersonalId(p) => {
            let bare = p.expose().strip_prefix("PI:BG-").unwrap_or(p.expose());
            users.iter().position(|u| {
                u.config.egn.as_deref() == Some(bare) || u.config.lnc.as_deref() == Some(bare)
            })
        }
        SignerIdentity::ProfileId { id, otp } => {
            let i = users
                .iter()
                .position(|u| u.config.profile_id == *id.expose());
            if let Some(i) = i {
                if users[i].config.otp != *otp.expose() {
                    return Err(Lookup::WrongOtp);
                }
            }
            i
        }
        SignerIdentity::ClientToken(t) => token_user(t.expose()),
        SignerIdentity::CertId(c) => users.iter().position(|u| u.config.cert_id == *c.expose()),
    };
    match found {
        Some(i) if users[i].config.has_cqes => Ok(i),
        _ => Err(Lookup::NotFound),
    }
}

/// Finds a customer by identifier type (`EGN`, `LNC`, `PHONE`, `EMAIL`) and value.
pub fn find_by(users: &[User], kind: &str, value: &str) -> Option<usize> {
    users.iter().position(|u| {
        let c = &u.config;
        c.has_cqes
            && match kind {
                "EGN" => c.egn.as_deref() == Some(value),
                "LNC" => c.lnc.as_deref() == Some(value),
                "PHONE" => c.phone == value,
                "EMAIL" => c.email.eq_ignore_ascii_case(value),
                _ => false,
            }
    })
}
