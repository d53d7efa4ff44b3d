//! The sandbox's time-stamping authority (RFC 3161): a TimeStampToken is a CMS SignedData
//! whose content is a TSTInfo (the `x509-tsp` type), signed with the TSA certificate the
//! sandbox CA issued (extended key usage timeStamping, critical). Tokens are made in-process
//! when a signature needs one (B-T and above; the PAdES document time-stamp of B-LTA).

use super::cades::{build, essential_attributes, Parts};
use super::{crypto, DocError, Keys};
use crate::ca::Authority;
use der::asn1::{Any, Int, ObjectIdentifier, OctetString};
use der::Encode;
use x509_tsp::{MessageImprint, TspVersion, TstInfo};

/// id-ct-TSTInfo (RFC 3161 §2.4.2).
const ID_CT_TST_INFO: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.1.4");
/// The sandbox TSA's policy: an arc under the private-use example OID (RFC 7229 §2,
/// id-TEST 1.3.6.1.5.5.7.13), marked as a test policy.
const SANDBOX_TSA_POLICY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.13.1");

/// A DER TimeStampToken (ContentInfo) over a SHA-256 `imprint`, dated `at_ms`.
pub(crate) fn token(
    authority: &Authority,
    imprint: &[u8],
    at_ms: u64,
) -> Result<Vec<u8>, DocError> {
    let keys = Keys::from_parts(&authority.tsa.0, &authority.tsa.1, authority)?;
    // A serial unique per token: the time and the imprint, after 0x01 (positive, minimal).
    let mut serial = vec![1u8];
    serial.extend_from_slice(&at_ms.to_be_bytes());
    serial.extend_from_slice(imprint.get(..8).unwrap_or_default());
    let tst = TstInfo {
        version: TspVersion::V1,
        policy: SANDBOX_TSA_POLICY,
        message_imprint: MessageImprint {
            hash_algorithm: spki::AlgorithmIdentifier::<Any> {
                oid: const_oid::db::rfc5912::ID_SHA_256,
                parameters: None,
            },
            hashed_message: OctetString::new(imprint.to_vec()).map_err(crypto)?,
        },
        serial_number: Int::new(&serial).map_err(crypto)?,
        gen_time: crate::ca::generalized_time(at_ms).map_err(DocError::Crypto)?,
        accuracy: None,
        ordering: false,
        nonce: None,
        tsa: None,
        extensions: None,
    };
    let tst_der = tst.to_der().map_err(crypto)?;
    build(
        &keys,
        Parts {
            econtent_type: ID_CT_TST_INFO,
            signed_attrs: essential_attributes(&keys, ID_CT_TST_INFO, &tst_der)?,
            econtent: Some(tst_der),
            extra_certs: Vec::new(),
            crls: Vec::new(),
            timestamp_at: None,
        },
    )
}
