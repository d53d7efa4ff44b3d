//! The sandbox's configuration: registered relying parties, simulated users, timings, the
//! simulated user's behaviour and fault injection. Everything has a default, so an empty
//! `{}` (or no file at all) is a working sandbox.

use serde::{Deserialize, Serialize};

/// Relying-party id the default configuration registers (with every operation enabled).
pub const DEFAULT_RP: &str = "12345678";
/// A second relying party, enabled for polling only (to test "operation not enabled").
pub const LIMITED_RP: &str = "87654321";

/// Everything the sandbox can be told at start.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct SandboxConfig {
    /// Registered relying parties.
    pub relying_parties: Vec<RelyingPartyConfig>,
    /// Simulated B-Trust customers.
    pub users: Vec<UserConfig>,
    /// How long a sign or identification request can be acted on (default 5 minutes).
    pub validity_ms: u64,
    /// How long signed content stays downloadable (default 7 days, as BORICA documents).
    pub retention_ms: u64,
    /// How long archived content stays downloadable (default 10 years).
    pub archive_retention_ms: u64,
    /// What the simulated user does with new requests.
    pub behavior: Behavior,
    /// Fault injection.
    pub faults: FaultConfig,
    /// Largest request body accepted.
    pub max_body_bytes: usize,
    /// Outgoing callbacks.
    pub callbacks: CallbackConfig,
    /// Refuse JSON bodies with fields the operation does not know (400 naming them). Off by
    /// default: B-Trust is a Spring service, and Spring (Jackson with
    /// `FAIL_ON_UNKNOWN_PROPERTIES` off, Spring Boot's default) ignores them (inferred). On
    /// for developers who want their typos caught.
    pub strict_json: bool,
    /// Makes every id and token reproducible (tests only): the same seed gives the same
    /// callbackIds, clientTokens, session ids and codes in the same order. Absent (the
    /// default), they come from the operating system's CSPRNG and cannot be predicted.
    pub id_seed: Option<u64>,
    /// Sandbox time at start (Unix ms); absent: real time.
    pub clock_start_ms: Option<u64>,
}

impl Default for SandboxConfig {
    fn default() -> Self {
        SandboxConfig {
            relying_parties: vec![
                RelyingPartyConfig {
                    id: DEFAULT_RP.to_owned(),
                    name: "Demo Bank".to_owned(),
                    operations: vec!["*".to_owned()],
                    cert_fingerprint: None,
                },
                RelyingPartyConfig {
                    id: LIMITED_RP.to_owned(),
                    name: "Read-only Portal".to_owned(),
                    operations: vec![
                        "btrust.getSignedResult".to_owned(),
                        "btrust.getCert".to_owned(),
                    ],
                    cert_fingerprint: None,
                },
            ],
            users: default_users(),
            validity_ms: 5 * 60_000,
            retention_ms: 7 * 24 * 3_600_000,
            archive_retention_ms: 10 * 365 * 24 * 3_600_000,
            behavior: Behavior::default(),
            faults: FaultConfig::default(),
            max_body_bytes: 128 << 20,
            callbacks: CallbackConfig::default(),
            strict_json: false,
            id_seed: None,
            clock_start_ms: None,
        }
    }
}

/// A relying party registered with the sandbox.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RelyingPartyConfig {
    /// The id sent in `relyingPartyID`.
    pub id: String,
    /// A display name.
    #[serde(default)]
    pub name: String,
    /// Operation names it may call (`btrust.sendSignRequest`, …); `"*"` for all.
    #[serde(default)]
    pub operations: Vec<String>,
    /// SHA-256 (hex) of its client certificate; when absent, the certificate the sandbox's
    /// PKI minted for this id.
    #[serde(default)]
    pub cert_fingerprint: Option<String>,
}

impl RelyingPartyConfig {
    /// Whether the relying party may call `operation`.
    pub fn allows(&self, operation: &str) -> bool {
        self.operations.iter().any(|o| o == "*" || o == operation)
    }
}

/// A simulated B-Trust customer.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UserConfig {
    /// Display name (appears in certificates).
    pub name: String,
    /// EGN, if Bulgarian.
    #[serde(default)]
    pub egn: Option<String>,
    /// LNC, if a foreigner.
    #[serde(default)]
    pub lnc: Option<String>,
    /// B-Trust profile id.
    pub profile_id: String,
    /// The authorization code B-Trust Mobile would show (fixed in the sandbox).
    pub otp: String,
    /// Certificate id (`certId`).
    pub cert_id: String,
    /// Phone, E.164.
    pub phone: String,
    /// E-mail.
    pub email: String,
    /// Registered devices.
    #[serde(default)]
    pub devices: Vec<String>,
    /// Whether the user has an active cloud QES (false: sign requests get 404).
    #[serde(default = "yes")]
    pub has_cqes: bool,
}

fn yes() -> bool {
    true
}

/// The sandbox's default customers (valid EGN/LNC check digits).
pub fn default_users() -> Vec<UserConfig> {
    let user = |name: &str,
                egn: Option<&str>,
                lnc: Option<&str>,
                profile: &str,
                cert: &str,
                phone: &str,
                email: &str,
                has: bool| UserConfig {
        name: name.to_owned(),
        egn: egn.map(str::to_owned),
        lnc: lnc.map(str::to_owned),
        profile_id: profile.to_owned(),
        otp: "523112".to_owned(),
        cert_id: cert.to_owned(),
        phone: phone.to_owned(),
        email: email.to_owned(),
        devices: vec!["B-Trust Mobile (Android)".to_owned()],
        has_cqes: has,
    };
    vec![
        user(
            "Ivan Petrov",
            Some("7501010010"),
            None,
            "032-552574",
            "7742",
            "+359888133443",
            "ivan.petrov@example.bg",
            true,
        ),
        user(
            "Maria Ivanova",
            Some("0442291233"),
            None,
            "100-200300",
            "7743",
            "+359878000111",
            "maria.ivanova@example.bg",
            true,
        ),
        user(
            "John Smith",
            None,
            Some("1234567893"),
            "555-000111",
            "7744",
            "+447700900123",
            "john.smith@example.com",
            true,
        ),
        user(
            "Georgi Georgiev",
            Some("8001010008"),
            None,
            "200-300400",
            "7745",
            "+359899000222",
            "georgi@example.bg",
            false,
        ),
    ]
}

/// What the simulated user does with a new request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Behavior {
    /// `approve`, `reject` or `ignore` (leave it to the control API, or to expire).
    pub mode: BehaviorMode,
    /// After how long (sandbox clock) the user acts.
    #[serde(default)]
    pub after_ms: u64,
}

impl Default for Behavior {
    fn default() -> Self {
        Behavior {
            mode: BehaviorMode::Ignore,
            after_ms: 0,
        }
    }
}

/// The simulated user's automatic choice.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BehaviorMode {
    /// Approve (sign / complete identification) after `afterMs`.
    Approve,
    /// Reject after `afterMs`.
    Reject,
    /// Do nothing: the control API acts, or the request expires.
    Ignore,
}

/// Fault injection, deterministic from `seed`: the n-th request to an operation gets the
/// same fault on every run.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct FaultConfig {
    /// Seed of the decisions.
    pub seed: u64,
    /// Rules, first match wins.
    pub rules: Vec<FaultRule>,
}

/// When and how to misbehave.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FaultRule {
    /// Operation name (`btrust.sendSignRequest`, …) or `*`.
    pub operation: String,
    /// Fraction of requests affected (0–1).
    pub rate: f64,
    /// Faults to choose from (uniformly, deterministically).
    pub kinds: Vec<FaultKind>,
    /// Delay of `slow` responses.
    #[serde(default = "default_slow")]
    pub slow_ms: u64,
    /// Inject at most this many faults with this rule (e.g. 1: only the first request).
    #[serde(default)]
    pub limit: Option<u64>,
}

fn default_slow() -> u64 {
    3_000
}

/// One kind of misbehaviour.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FaultKind {
    /// 500 before doing anything.
    Error,
    /// Do the work (store the request), then answer 500.
    ErrorAfterCommit,
    /// Answer after `slowMs`.
    Slow,
    /// Do the work, answer 200 with a body that is not JSON.
    Malformed,
    /// Do the work, answer 200 with an empty body.
    Empty,
    /// Do the work, then drop the connection without answering.
    CommitThenDrop,
    /// Drop the connection without doing anything.
    Drop,
    /// Answer `302 Found` to another host (a misconfigured proxy); clients must not follow.
    Redirect,
}

/// Outgoing callbacks to `callbackURL` / `requestCallbackUrl`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct CallbackConfig {
    /// Attempts per callback (the first included).
    pub attempts: u32,
    /// Delay before the second attempt; doubles each time.
    pub first_retry_ms: u64,
    /// Timeout of one attempt.
    pub timeout_ms: u64,
}

impl Default for CallbackConfig {
    fn default() -> Self {
        CallbackConfig {
            attempts: 5,
            first_retry_ms: 200,
            timeout_ms: 5_000,
        }
    }
}

/// A setting that cannot be used: where (`rules[0].rate`) and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invalid {
    /// Path of the setting, relative to what was checked.
    pub field: String,
    /// What is wrong, without echoing more than the setting's own value.
    pub reason: String,
}

impl std::fmt::Display for Invalid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.reason)
    }
}

fn invalid(field: String, reason: impl Into<String>) -> Result<(), Invalid> {
    Err(Invalid {
        field,
        reason: reason.into(),
    })
}

/// Longest delay a `slow` fault may add (10 minutes): longer is a hung test, not a fault.
pub const MAX_SLOW_MS: u64 = 600_000;
/// Longest wait of the simulated user (one day).
pub const MAX_AFTER_MS: u64 = 86_400_000;

impl FaultConfig {
    /// Refuses rules that cannot mean anything: a rate outside 0..1 (or not a number), no
    /// kinds, an operation name cqes-core does not know, an absurd delay.
    pub fn check(&self) -> Result<(), Invalid> {
        let known = cqes_core::btrust::registry::OPERATIONS;
        for (i, r) in self.rules.iter().enumerate() {
            let at = |f: &str| format!("rules[{i}].{f}");
            if r.operation != "*" && !known.contains(&r.operation.as_str()) {
                invalid(
                    at("operation"),
                    "unknown operation; use \"*\" or a name such as \"btrust.sendSignRequest\" (GET /faults/operations lists them)",
                )?;
            }
            if !r.rate.is_finite() || !(0.0..=1.0).contains(&r.rate) {
                invalid(
                    at("rate"),
                    format!("must be between 0 and 1, got {}", r.rate),
                )?;
            }
            if r.kinds.is_empty() {
                invalid(at("kinds"), "give at least one fault kind")?;
            }
            if r.slow_ms > MAX_SLOW_MS {
                invalid(at("slowMs"), format!("at most {MAX_SLOW_MS} ms"))?;
            }
        }
        Ok(())
    }
}

impl Behavior {
    /// Refuses a wait longer than [`MAX_AFTER_MS`].
    pub fn check(&self) -> Result<(), Invalid> {
        if self.after_ms > MAX_AFTER_MS {
            invalid("afterMs".into(), format!("at most {MAX_AFTER_MS} ms"))?;
        }
        Ok(())
    }
}

impl SandboxConfig {
    /// Checks what the control API checks, at start (paths from the file's root).
    pub fn check(&self) -> Result<(), Invalid> {
        let under = |p: &str, e: Invalid| Invalid {
            field: format!("{p}.{}", e.field),
            reason: e.reason,
        };
        self.faults.check().map_err(|e| under("faults", e))?;
        self.behavior.check().map_err(|e| under("behavior", e))?;
        if self.max_body_bytes == 0 {
            invalid("maxBodyBytes".into(), "must be positive")?;
        }
        if self.relying_parties.is_empty() {
            invalid(
                "relyingParties".into(),
                "register at least one relying party",
            )?;
        }
        Ok(())
    }
}
