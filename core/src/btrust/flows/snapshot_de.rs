//! Reading the engines' tagged states back from snapshots without serde's buffer for tagged
//! and untagged enums (see [`crate::de::Tagged`]): one plain struct per variant, with the
//! flattened fields written out. Snapshots keep the format serde writes.

use super::mobile_engine::Phase as MobilePhase;
use super::mobile_ident::MobileIdentificationOutcome;
use super::sign::{SignOutcome, SignedItem};
use super::signing::Phase as SignPhase;
use super::waiting::{Retry, Schedule};
use super::web_engine::{Kind, Phase as WebPhase, WebOutcome};
use super::web_ident::WebIdentificationOutcome;
use super::web_otc::WebOtcSignOutcome;
use crate::blob::Blob;
use crate::btrust::identification::ProcessState;
use crate::btrust::identification::SignedDocument;
use crate::btrust::web_identification::RegistrationRequest;
use crate::de::{deserialize_tagged, Tagged};
use crate::error::Error;
use crate::time::Timestamp;
use serde::de::Error as _;
use serde::{Deserialize, Deserializer};

/// `{schedule}`, `{outcome}` and `{error}`: the variants with one nested member.
#[derive(Deserialize)]
struct One<T> {
    #[serde(alias = "schedule", alias = "outcome", alias = "error")]
    value: T,
}

/// A `Retry` flattened beside one more member.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SignPoll {
    next_at_ms: u64,
    interval_ms: u64,
    failures: u32,
    final_poll: bool,
    by_rp_id: bool,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SignDownload {
    items: Vec<SignedItem>,
    cert: Option<Blob>,
    next: usize,
    not_before_ms: u64,
    failures: u32,
}

impl Tagged for SignPhase {
    const TAG: &'static str = "phase";
    const VARIANTS: &'static [&'static str] =
        &["submit", "reconcile", "poll", "download", "done", "failed"];

    fn variant<'de, D: Deserializer<'de>>(tag: &str, rest: D) -> Result<Self, D::Error> {
        Ok(match tag {
            "submit" => SignPhase::Submit {
                retry: Retry::deserialize(rest)?,
            },
            "reconcile" => SignPhase::Reconcile {
                retry: Retry::deserialize(rest)?,
            },
            "poll" => {
                let p = SignPoll::deserialize(rest)?;
                SignPhase::Poll {
                    schedule: Schedule {
                        next_at_ms: p.next_at_ms,
                        interval_ms: p.interval_ms,
                        failures: p.failures,
                        final_poll: p.final_poll,
                    },
                    by_rp_id: p.by_rp_id,
                }
            }
            "download" => {
                let d = SignDownload::deserialize(rest)?;
                SignPhase::Download {
                    items: d.items,
                    cert: d.cert,
                    next: d.next,
                    retry: Retry {
                        not_before_ms: d.not_before_ms,
                        failures: d.failures,
                    },
                }
            }
            "done" => SignPhase::Done {
                outcome: One::<SignOutcome>::deserialize(rest)?.value,
            },
            // "failed": `deserialize_tagged` refused any other tag.
            _ => SignPhase::Failed {
                error: One::<Error>::deserialize(rest)?.value,
            },
        })
    }
}

impl Tagged for MobilePhase {
    const TAG: &'static str = "phase";
    const VARIANTS: &'static [&'static str] = &["submit", "poll", "done", "failed"];

    fn variant<'de, D: Deserializer<'de>>(tag: &str, rest: D) -> Result<Self, D::Error> {
        Ok(match tag {
            "submit" => MobilePhase::Submit {
                retry: Retry::deserialize(rest)?,
            },
            "poll" => MobilePhase::Poll {
                schedule: One::<Schedule>::deserialize(rest)?.value,
            },
            "done" => MobilePhase::Done {
                outcome: One::<MobileIdentificationOutcome>::deserialize(rest)?.value,
            },
            _ => MobilePhase::Failed {
                error: One::<Error>::deserialize(rest)?.value,
            },
        })
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WebFetch {
    process_state: ProcessState,
    session_id: String,
    not_before_ms: u64,
    failures: u32,
}

impl Tagged for WebPhase {
    const TAG: &'static str = "phase";
    const VARIANTS: &'static [&'static str] =
        &["start", "register", "await", "fetch", "done", "failed"];

    fn variant<'de, D: Deserializer<'de>>(tag: &str, rest: D) -> Result<Self, D::Error> {
        Ok(match tag {
            "start" => WebPhase::Start {
                retry: Retry::deserialize(rest)?,
            },
            "register" => WebPhase::Register {
                retry: Retry::deserialize(rest)?,
            },
            "await" => WebPhase::Await {
                schedule: One::<Schedule>::deserialize(rest)?.value,
            },
            "fetch" => {
                let f = WebFetch::deserialize(rest)?;
                WebPhase::Fetch {
                    process_state: f.process_state,
                    session_id: f.session_id,
                    retry: Retry {
                        not_before_ms: f.not_before_ms,
                        failures: f.failures,
                    },
                }
            }
            "done" => WebPhase::Done {
                outcome: One::<WebOutcome>::deserialize(rest)?.value,
            },
            _ => WebPhase::Failed {
                error: One::<Error>::deserialize(rest)?.value,
            },
        })
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct KindIdentification {
    registration: RegistrationRequest,
    only_metadata: Option<bool>,
    without_otc: bool,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct KindSign {
    sign_session_id: String,
}

impl Tagged for Kind {
    const TAG: &'static str = "kind";
    const VARIANTS: &'static [&'static str] = &["identification", "sign"];

    fn variant<'de, D: Deserializer<'de>>(tag: &str, rest: D) -> Result<Self, D::Error> {
        Ok(match tag {
            "identification" => {
                let k = KindIdentification::deserialize(rest)?;
                Kind::Identification {
                    registration: k.registration,
                    only_metadata: k.only_metadata,
                    without_otc: k.without_otc,
                }
            }
            _ => Kind::Sign {
                sign_session_id: KindSign::deserialize(rest)?.sign_session_id,
            },
        })
    }
}

/// Every member of either outcome: an identification has `webSessionId`, a signing
/// `documents` (serde's untagged reading tried them in that order).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct AnyWebOutcome {
    web_session_id: Option<String>,
    result_id: String,
    registration_id: Option<String>,
    identification_url: Option<String>,
    process_state: Option<ProcessState>,
    client_identificator: Option<String>,
    sign_session_id: Option<String>,
    sign_session_id_expire_date: Option<Timestamp>,
    eid_document: Option<Blob>,
    documents: Option<Vec<SignedDocument>>,
}

impl<'de> Deserialize<'de> for WebOutcome {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let o = AnyWebOutcome::deserialize(d)?;
        if let (Some(web_session_id), Some(registration_id), Some(url), Some(state)) = (
            o.web_session_id,
            o.registration_id,
            o.identification_url,
            o.process_state,
        ) {
            return Ok(WebOutcome::Identification(WebIdentificationOutcome {
                web_session_id,
                result_id: o.result_id,
                registration_id,
                identification_url: url,
                process_state: state,
                client_identificator: o.client_identificator,
                sign_session_id: o.sign_session_id,
                sign_session_id_expire_date: o.sign_session_id_expire_date,
                eid_document: o.eid_document,
            }));
        }
        let documents = o
            .documents
            .ok_or_else(|| D::Error::custom("a web outcome is an identification or a signing"))?;
        Ok(WebOutcome::Sign(WebOtcSignOutcome {
            result_id: o.result_id,
            documents,
            client_identificator: o.client_identificator,
            sign_session_id: o.sign_session_id,
            sign_session_id_expire_date: o.sign_session_id_expire_date,
        }))
    }
}

macro_rules! read_tagged {
    ($($t:ty),*) => {$(
        impl<'de> Deserialize<'de> for $t {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                deserialize_tagged(d)
            }
        }
    )*};
}
read_tagged!(SignPhase, MobilePhase, WebPhase, Kind);

/// Names every variant without `..`: a variant added to a state stops the build here until the
/// readers above know it too (a snapshot would otherwise lose it). Fields need no guard: the
/// readers build every variant with a struct literal, which must name them all.
#[allow(dead_code)]
fn readers_know_every_field(s: &SignPhase, m: &MobilePhase, w: &WebPhase, k: &Kind) {
    match s {
        SignPhase::Submit { retry: _ }
        | SignPhase::Reconcile { retry: _ }
        | SignPhase::Poll {
            schedule: _,
            by_rp_id: _,
        }
        | SignPhase::Download {
            items: _,
            cert: _,
            next: _,
            retry: _,
        }
        | SignPhase::Done { outcome: _ }
        | SignPhase::Failed { error: _ } => {}
    }
    match m {
        MobilePhase::Submit { retry: _ }
        | MobilePhase::Poll { schedule: _ }
        | MobilePhase::Done { outcome: _ }
        | MobilePhase::Failed { error: _ } => {}
    }
    match w {
        WebPhase::Start { retry: _ }
        | WebPhase::Register { retry: _ }
        | WebPhase::Await { schedule: _ }
        | WebPhase::Fetch {
            process_state: _,
            session_id: _,
            retry: _,
        }
        | WebPhase::Done { outcome: _ }
        | WebPhase::Failed { error: _ } => {}
    }
    match k {
        Kind::Identification {
            registration: _,
            only_metadata: _,
            without_otc: _,
        }
        | Kind::Sign { sign_session_id: _ } => {}
    }
}
