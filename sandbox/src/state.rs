//! What the sandbox remembers: sign requests with per-item states, signed content with its
//! retention, client tokens, and the counters tests read. All lifecycle rules live here
//! (reference §10): a request is `IN_PROGRESS` until the simulated user acts or its validity
//! passes; items then become `SIGNED`/`REJECTED`/`EXPIRED` (or `ERROR` when a document
//! cannot be signed); `SIGNED` turns `RECEIVED` once downloaded; content is removed after the
//! retention period (`REMOVED`).

use crate::config::BehaviorMode;
use crate::docgen;
use crate::users::User;
use cqes_core::blob::ContentData;
use cqes_core::btrust::{Content, ContentFormat, SignatureStatus, SignatureType};
use serde::Serialize;
use std::collections::HashMap;

/// How a sign request was created.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SignKind {
    /// `POST /v2/sign` to a designated customer.
    Sign,
    /// `POST /v2/signviaqr`: bound to a customer when "scanned" (approved).
    Qr,
    /// `POST /v2/sign/by/cmrid`.
    CmrId,
}

/// One item of a sign request.
#[derive(Debug)]
pub struct ItemRecord {
    /// What the relying party sent.
    pub content: Content,
    /// Current state.
    pub status: SignatureStatus,
    /// Base64 signature (`SIGNATURE`) or the content id (others), once signed.
    pub signature: Option<String>,
    /// The effective output format.
    pub signature_type: SignatureType,
}

/// A sign request.
#[derive(Debug)]
pub struct SignRecord {
    /// The service's id.
    pub callback_id: String,
    /// Owner.
    pub rp_id: String,
    /// The relying party's id, if given.
    pub rp_callback_id: Option<String>,
    /// How it was created.
    pub kind: SignKind,
    /// The designated customer (index into the user list); QR requests get one on approval.
    pub user: Option<usize>,
    /// Items in request order.
    pub items: Vec<ItemRecord>,
    /// Creation (sandbox clock).
    pub created_ms: u64,
    /// End of validity (sandbox clock).
    pub validity_ms: u64,
    /// Where to POST state changes.
    pub callback_url: Option<String>,
    /// Whether every item is final.
    pub completed: bool,
}

impl SignRecord {
    /// The certificate that signed it, for `SIGNATURE` items.
    pub fn has_raw_signature(&self) -> bool {
        self.items
            .iter()
            .any(|i| i.signature_type == SignatureType::Signature && i.status.is_signed())
    }
}

/// A stored signed document.
#[derive(Debug)]
pub struct StoredContent {
    /// Owner.
    pub rp_id: String,
    /// The request and item it belongs to.
    pub callback_id: String,
    /// Index of the item.
    pub index: usize,
    /// The file.
    pub bytes: Vec<u8>,
    /// Its name.
    pub file_name: String,
    /// Its MIME type.
    pub content_type: &'static str,
    /// When it is removed (sandbox clock).
    pub expires_ms: u64,
    /// Whether it was archived (evidence reports exist only then).
    pub archived: bool,
}

/// Everything mutable.
#[derive(Debug, Default)]
pub struct State {
    /// Sign requests by callbackId.
    pub requests: HashMap<String, SignRecord>,
    /// (rp id, rpCallbackId) → callbackId.
    pub by_rp_callback: HashMap<(String, String), String>,
    /// Signed content by id.
    pub contents: HashMap<i32, StoredContent>,
    /// Last content id handed out, when ids are counted (a `State` without `ids`, in unit
    /// tests of the lifecycle).
    pub next_content_id: i32,
    /// Where content ids come from (the sandbox's CSPRNG): a content id is a download
    /// address, so one must not tell the next.
    pub ids: Option<std::sync::Arc<crate::ids::Entropy>>,
    /// Client tokens → user index.
    pub tokens: HashMap<String, usize>,
}

/// A state change to report to the relying party's callback URL.
#[derive(Debug, Clone)]
pub struct Notice {
    /// Where.
    pub url: String,
    /// What (JSON).
    pub body: serde_json::Value,
}

/// The user's decision on a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    /// Sign every item.
    Approve,
    /// Decline.
    Reject,
    /// Let it lapse.
    Expire,
}

/// Retention periods, from the configuration.
#[derive(Clone, Copy, Debug)]
pub struct Retention {
    /// Normal content.
    pub normal_ms: u64,
    /// Archived content.
    pub archived_ms: u64,
}

/// Picks the output format the service would use when none was asked: by content, as peers
/// do (PDF → PAdES, XML → XAdES enveloped, else CAdES detached). Inferred.
pub fn default_signature_type(bytes: &[u8]) -> SignatureType {
    let head = &bytes[..bytes.len().min(1024)];
    if cqes_core::btrust::rules::looks_like_pdf(head) {
        SignatureType::PadesBaselineB
    } else if String::from_utf8_lossy(head)
        .trim_start_matches('\u{feff}')
        .trim_start()
        .starts_with('<')
    {
        SignatureType::XadesBaselineBEnveloped
    } else {
        SignatureType::CadesBaselineBDetached
    }
}

/// The bytes an item's `data` stands for.
pub fn item_bytes(content: &Content) -> Vec<u8> {
    match (&content.data, &content.content_format) {
        (ContentData::Bytes(b), _) => b.as_bytes().to_vec(),
        (ContentData::Encoded(s), ContentFormat::Text) => s.as_bytes().to_vec(),
        (ContentData::Encoded(s), _) => base64_simd::STANDARD
            .decode_to_vec(s.as_bytes())
            .unwrap_or_default(),
    }
}

impl State {
    /// Applies the user's decision to a pending request: signs every item (real signed
    /// files, stored for download), or marks them rejected/expired. Returns the callback to
    /// send, if the request asked for one.
    pub fn decide(
        &mut self,
        callback_id: &str,
        decision: Decision,
        users: &[User],
        now: u64,
        retention: Retention,
    ) -> Option<Notice> {
        let mut stored = Vec::new();
        let items = self.requests.get(callback_id).map_or(0, |r| r.items.len());
        let mut fresh = self.fresh_content_ids(items);
        let record = self.requests.get_mut(callback_id)?;
        if record.completed {
            return None;
        }
        if decision == Decision::Approve && record.user.is_none() {
            // A QR or CMR request is picked up by the first customer with a CQES.
            record.user = users.iter().position(|u| u.config.has_cqes);
        }
        for (index, item) in record.items.iter_mut().enumerate() {
            if item.status != SignatureStatus::InProgress {
                continue;
            }
            item.status = match decision {
                Decision::Reject => SignatureStatus::Rejected,
                Decision::Expire => SignatureStatus::Expired,
                Decision::Approve => {
                    let Some(user) = record.user.and_then(|u| users.get(u)) else {
                        item.status = SignatureStatus::Error;
                        continue;
                    };
                    match sign_item(item, &user.signer, now) {
                        Ok(Signed::Raw(sig)) => {
                            item.signature = Some(sig);
                            SignatureStatus::Signed
                        }
                        Ok(Signed::File(doc)) => {
                            // One id was drawn per item.
                            let id = fresh.pop().unwrap_or_default();
                            let archived = item.content.to_be_archived == Some(true);
                            stored.push((
                                id,
                                StoredContent {
                                    rp_id: record.rp_id.clone(),
                                    callback_id: record.callback_id.clone(),
                                    index,
                                    bytes: doc.bytes,
                                    file_name: doc.file_name,
                                    content_type: doc.content_type,
                                    expires_ms: now
                                        + if archived {
                                            retention.archived_ms
                                        } else {
                                            retention.normal_ms
                                        },
                                    archived,
                                },
                            ));
                            item.signature = Some(id.to_string());
                            if archived {
                                SignatureStatus::Archived
                            } else {
                                SignatureStatus::Signed
                            }
                        }
                        Err(_) => SignatureStatus::Error,
                    }
                }
            };
        }
        record.completed = true;
        let notice = record.callback_url.as_ref().map(|url| Notice {
            url: url.clone(),
            body: serde_json::json!({
                "code": "COMPLETED",
                "callbackId": record.callback_id,
                "relyingPartyCallbackId": record.rp_callback_id,
                "status": record.items.first().map(|i| i.status.as_str().to_owned()),
            }),
        });
        self.contents.extend(stored);
        notice
    }

    /// `n` content ids not in use: random positive 32-bit numbers (B-Trust's are integers).
    fn fresh_content_ids(&mut self, n: usize) -> Vec<i32> {
        let mut out = Vec::with_capacity(n);
        while out.len() < n {
            let id = match &self.ids {
                Some(e) => e.range(1, i32::MAX as u64) as i32,
                None => {
                    self.next_content_id += 1;
                    self.next_content_id
                }
            };
            if !self.contents.contains_key(&id) && !out.contains(&id) {
                out.push(id);
            }
        }
        out
    }

    /// Applies time and the automatic behaviour to every pending request; returns the
    /// callbacks due.
    pub fn tick(
        &mut self,
        users: &[User],
        now: u64,
        behavior: (BehaviorMode, u64),
        retention: Retention,
    ) -> Vec<Notice> {
        let due: Vec<(String, Decision)> = self
            .requests
            .values()
            .filter(|r| !r.completed)
            .filter_map(|r| {
                if now >= r.validity_ms {
                    Some((r.callback_id.clone(), Decision::Expire))
                } else if now >= r.created_ms + behavior.1 {
                    match behavior.0 {
                        BehaviorMode::Approve => Some((r.callback_id.clone(), Decision::Approve)),
                        BehaviorMode::Reject => Some((r.callback_id.clone(), Decision::Reject)),
                        BehaviorMode::Ignore => None,
                    }
                } else {
                    None
                }
            })
            .collect();
        let notices = due
            .into_iter()
            .filter_map(|(id, d)| self.decide(&id, d, users, now, retention))
            .collect();
        self.expire_contents(now);
        notices
    }

    /// Removes content past its retention; its item reads `REMOVED`.
    fn expire_contents(&mut self, now: u64) {
        let gone: Vec<i32> = self
            .contents
            .iter()
            .filter(|(_, c)| now >= c.expires_ms)
            .map(|(id, _)| *id)
            .collect();
        for id in gone {
            if let Some(c) = self.contents.remove(&id) {
                if let Some(item) = self
                    .requests
                    .get_mut(&c.callback_id)
                    .and_then(|r| r.items.get_mut(c.index))
                {
                    item.status = SignatureStatus::Removed;
                }
            }
        }
    }

    /// Hands out a document and marks its item `RECEIVED` (archived items stay `ARCHIVED`).
    pub fn download(&mut self, rp_id: &str, id: i32) -> Option<(Vec<u8>, String, &'static str)> {
        let c = self.contents.get(&id).filter(|c| c.rp_id == rp_id)?;
        let out = (c.bytes.clone(), c.file_name.clone(), c.content_type);
        if let Some(item) = self
            .requests
            .get_mut(&c.callback_id)
            .and_then(|r| r.items.get_mut(c.index))
        {
            if item.status == SignatureStatus::Signed {
                item.status = SignatureStatus::Received;
            }
        }
        Some(out)
    }
}

enum Signed {
    Raw(String),
    File(docgen::SignedDoc),
}

fn sign_item(
    item: &ItemRecord,
    signer: &docgen::Signer,
    now: u64,
) -> Result<Signed, docgen::DocError> {
    let bytes = item_bytes(&item.content);
    if item.signature_type == SignatureType::Signature {
        let sig = if item.content.content_format == ContentFormat::Digest {
            docgen::sign_digest(&bytes, signer)?
        } else {
            docgen::sign_raw(&bytes, signer)?
        };
        return Ok(Signed::Raw(base64_simd::STANDARD.encode_to_string(sig)));
    }
    let options = docgen::Options {
        visual: docgen::visual_of(&item.content),
    };
    let doc = docgen::sign_document_with(
        item.signature_type.as_str(),
        &bytes,
        item.content.file_name.as_deref(),
        signer,
        now,
        &options,
    )?;
    Ok(Signed::File(doc))
}

/// splitmix64: deterministic fault decisions from a seed (never ids: see `crate::ids`).
pub fn splitmix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}
