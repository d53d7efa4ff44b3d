//! CMS (RFC 5652) SignedData in the CAdES-B shape, written as plain DER.
//!
//! Used for CAdES output directly and, detached, as the signature embedded in our PAdES-style
//! incremental update. B/T/LT/LTA all produce this same B-level structure: the sandbox has no
//! TSA or revocation data, so no signature timestamp, certificate values or archive
//! timestamps are added — a client that checks for those unsigned attributes will not find
//! them.

use sha2::{Digest, Sha256};

use super::der::{self, oids};
use super::time::UtcTime;
use super::{DocError, Keys};

/// Builds a DER `ContentInfo { id-signedData, SignedData }` over `content`.
///
/// `attached` embeds the content as eContent (`.p7m`); otherwise eContent is absent and a
/// verifier must be handed the content separately (`.p7s`, PDF embedding).
pub(crate) fn signed_data(
    content: &[u8],
    attached: bool,
    keys: &Keys<'_>,
    signing_time_ms: u64,
) -> Result<Vec<u8>, DocError> {
    let time = UtcTime::from_unix_ms(signing_time_ms)?;
    let sha256 = der::algorithm(oids::SHA256);

    let signed_attrs = signed_attributes(content, keys, &time);
    // The signature covers the attributes encoded as an explicit SET OF (tag 0x31), but they
    // are stored under the IMPLICIT [0] tag (RFC 5652 §5.4): same bytes, different first octet.
    let signature = keys.sign_der(&signed_attrs)?;
    let mut attrs_implicit = signed_attrs;
    if let Some(tag) = attrs_implicit.first_mut() {
        *tag = der::TAG_CTX0;
    }

    // IssuerAndSerialNumber ⇒ SignerInfo version 1 (RFC 5652 §5.3).
    let sid = der::seq(&[keys.cert.issuer, keys.cert.serial]);
    let signer_info = der::seq(&[
        &der::small_int(1),
        &sid,
        &sha256,
        &attrs_implicit,
        &der::algorithm(oids::ECDSA_WITH_SHA256),
        &der::octet_string(&signature),
    ]);

    let mut encap_parts = vec![der::oid(oids::DATA)];
    if attached {
        encap_parts.push(der::tlv(der::TAG_CTX0, &der::octet_string(content)));
    }
    let encap = der::tlv(der::TAG_SEQUENCE, &encap_parts.concat());

    // Version 1: only X.509 v3 certificates, id-data content, v1 SignerInfos (§5.1).
    let signed = der::seq(&[
        &der::small_int(1),
        &der::set_of(vec![sha256.clone()]),
        &encap,
        &der::tlv(der::TAG_CTX0, keys.cert_der),
        &der::set_of(vec![signer_info]),
    ]);
    Ok(der::seq(&[
        &der::oid(oids::SIGNED_DATA),
        &der::tlv(der::TAG_CTX0, &signed),
    ]))
}

/// content-type, signing-time, message-digest and signing-certificate-v2 — the mandatory
/// CAdES-B-B set (ETSI EN 319 122-1 §5.2), as a DER SET OF Attribute.
fn signed_attributes(content: &[u8], keys: &Keys<'_>, time: &UtcTime) -> Vec<u8> {
    let attr =
        |arcs: &[u64], value: Vec<u8>| der::seq(&[&der::oid(arcs), &der::set_of(vec![value])]);

    // ESSCertIDv2 with the default hash algorithm (SHA-256), which DER requires us to omit.
    let cert_hash = Sha256::digest(keys.cert_der);
    let ess_cert_id = der::seq(&[
        &der::octet_string(&cert_hash),
        &der::issuer_serial(&keys.cert),
    ]);
    let signing_cert_v2 = der::seq(&[&der::seq(&[&ess_cert_id])]);

    der::set_of(vec![
        attr(oids::CONTENT_TYPE, der::oid(oids::DATA)),
        attr(oids::SIGNING_TIME, time.der()),
        attr(
            oids::MESSAGE_DIGEST,
            der::octet_string(&Sha256::digest(content)),
        ),
        attr(oids::SIGNING_CERTIFICATE_V2, signing_cert_v2),
    ])
}
