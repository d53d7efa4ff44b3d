//! CMS (RFC 5652) SignedData in the CAdES baseline shape (ETSI EN 319 122-1), built with the
//! `cms`/`x509-cert`/`der` types. Used for CAdES output, as the signature inside PAdES
//! (`/SubFilter /ETSI.CAdES.detached`), and for the TSA's time-stamp tokens ([`super::tsa`]).
//!
//! Levels: B-B has content-type, message-digest, signing-certificate-v2 and (except in PAdES,
//! where `/M` carries it) signing-time; B-T adds the signature-time-stamp unsigned attribute;
//! B-LT puts the validation data into SignedData (`certificates`: the CA and TSA certificates,
//! `crls`: the CA's CRL), which EN 319 122-1 §5.5 allows instead of certificate-values and
//! revocation-values. B-LTA is produced as B-LT: the archive-time-stamp-v3 attribute (with its
//! ats-hash-index-v3) is not implemented.

use super::{crypto, tsa, DocError, Keys, Level};
use cms::cert::{CertificateChoices, IssuerAndSerialNumber};
use cms::content_info::{CmsVersion, ContentInfo};
use cms::revocation::{RevocationInfoChoice, RevocationInfoChoices};
use cms::signed_data::{
    CertificateSet, EncapsulatedContentInfo, SignedData, SignerIdentifier, SignerInfo, SignerInfos,
};
use const_oid::db::rfc5911::{
    ID_AA_SIGNING_CERTIFICATE_V_2, ID_CONTENT_TYPE, ID_DATA, ID_MESSAGE_DIGEST, ID_SIGNED_DATA,
    ID_SIGNING_TIME,
};
use der::asn1::{Any, ObjectIdentifier, OctetString, SetOfVec};
use der::{Decode, Encode, Sequence, Tag};
use sha2::{Digest, Sha256};
use x509_cert::attr::Attribute;
use x509_cert::crl::CertificateList;
use x509_cert::ext::pkix::name::{GeneralName, GeneralNames};
use x509_cert::serial_number::SerialNumber;
use x509_cert::Certificate;

/// id-aa-signatureTimeStampToken (RFC 3161 appendix A).
const ID_AA_SIGNATURE_TIME_STAMP_TOKEN: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.2.14");

/// What one CAdES signature covers and how.
pub(crate) struct Cms<'a> {
    /// The signed data (for PAdES, the byte ranges).
    pub content: &'a [u8],
    /// Embed `content` as eContent (`.p7m`).
    pub attached: bool,
    /// The signing-time attribute (None for PAdES).
    pub signing_time: Option<u64>,
    /// Baseline level.
    pub level: Level,
    /// Time of the time-stamp and of the validation data.
    pub now: u64,
}

/// RFC 5035 `IssuerSerial ::= SEQUENCE { issuer GeneralNames, serialNumber }`, shared by the
/// CAdES signing-certificate-v2 attribute and XAdES `IssuerSerialV2`.
#[derive(Sequence)]
pub(crate) struct IssuerSerial {
    issuer: GeneralNames,
    serial: SerialNumber,
}

impl IssuerSerial {
    pub(crate) fn of(cert: &Certificate) -> Self {
        IssuerSerial {
            issuer: vec![GeneralName::DirectoryName(
                cert.tbs_certificate.issuer.clone(),
            )],
            serial: cert.tbs_certificate.serial_number.clone(),
        }
    }
}

/// ESSCertIDv2 with the default hash algorithm (SHA-256), which DER requires us to omit.
#[derive(Sequence)]
struct EssCertIdV2 {
    cert_hash: OctetString,
    issuer_serial: IssuerSerial,
}

/// SigningCertificateV2 without policies (RFC 5035).
#[derive(Sequence)]
struct SigningCertificateV2 {
    certs: Vec<EssCertIdV2>,
}

/// An attribute with one value.
pub(crate) fn attribute(oid: ObjectIdentifier, value: &impl Encode) -> Result<Attribute, DocError> {
    let value = Any::from_der(&value.to_der().map_err(crypto)?).map_err(crypto)?;
    Ok(Attribute {
        oid,
        values: SetOfVec::try_from(vec![value]).map_err(crypto)?,
    })
}

/// content-type, message-digest and signing-certificate-v2: the attributes every CAdES
/// signature (and every time-stamp token) carries.
pub(crate) fn essential_attributes(
    keys: &Keys<'_>,
    content_type: ObjectIdentifier,
    content: &[u8],
) -> Result<Vec<Attribute>, DocError> {
    let signing_cert = SigningCertificateV2 {
        certs: vec![EssCertIdV2 {
            cert_hash: OctetString::new(Sha256::digest(keys.cert_der).to_vec()).map_err(crypto)?,
            issuer_serial: IssuerSerial::of(&keys.cert),
        }],
    };
    Ok(vec![
        attribute(ID_CONTENT_TYPE, &content_type)?,
        attribute(
            ID_MESSAGE_DIGEST,
            &OctetString::new(Sha256::digest(content).to_vec()).map_err(crypto)?,
        )?,
        attribute(ID_AA_SIGNING_CERTIFICATE_V_2, &signing_cert)?,
    ])
}

fn algorithm(oid: ObjectIdentifier) -> spki::AlgorithmIdentifierOwned {
    spki::AlgorithmIdentifierOwned {
        oid,
        parameters: None,
    }
}

/// Everything one SignedData holds besides the signer.
pub(crate) struct Parts {
    pub econtent_type: ObjectIdentifier,
    pub econtent: Option<Vec<u8>>,
    pub signed_attrs: Vec<Attribute>,
    /// Certificates besides the signer's, DER.
    pub extra_certs: Vec<Vec<u8>>,
    /// CRLs, DER.
    pub crls: Vec<Vec<u8>>,
    /// Add a signature time-stamp at this time.
    pub timestamp_at: Option<u64>,
}

/// Signs `parts` with `keys` and returns the DER ContentInfo.
pub(crate) fn build(keys: &Keys<'_>, parts: Parts) -> Result<Vec<u8>, DocError> {
    let signed_attrs = SetOfVec::try_from(parts.signed_attrs).map_err(crypto)?;
    // The signature covers the DER of the attributes as a SET OF (RFC 5652 §5.4).
    let signature = keys.sign_der(&signed_attrs.to_der().map_err(crypto)?)?;
    let unsigned_attrs = match parts.timestamp_at {
        Some(at) => {
            let token = tsa::token(keys.authority, &Sha256::digest(&signature), at)?;
            let token = ContentInfo::from_der(&token).map_err(crypto)?;
            Some(
                SetOfVec::try_from(vec![attribute(ID_AA_SIGNATURE_TIME_STAMP_TOKEN, &token)?])
                    .map_err(crypto)?,
            )
        }
        None => None,
    };
    let signer_info = SignerInfo {
        // IssuerAndSerialNumber ⇒ SignerInfo version 1 (RFC 5652 §5.3).
        version: CmsVersion::V1,
        sid: SignerIdentifier::IssuerAndSerialNumber(IssuerAndSerialNumber {
            issuer: keys.cert.tbs_certificate.issuer.clone(),
            serial_number: keys.cert.tbs_certificate.serial_number.clone(),
        }),
        digest_alg: algorithm(const_oid::db::rfc5912::ID_SHA_256),
        signed_attrs: Some(signed_attrs),
        signature_algorithm: algorithm(const_oid::db::rfc5912::ECDSA_WITH_SHA_256),
        signature: OctetString::new(signature).map_err(crypto)?,
        unsigned_attrs,
    };
    let mut certs = vec![CertificateChoices::Certificate(keys.cert.clone())];
    for der in &parts.extra_certs {
        certs.push(CertificateChoices::Certificate(
            Certificate::from_der(der).map_err(crypto)?,
        ));
    }
    let crls = parts
        .crls
        .iter()
        .map(|der| {
            CertificateList::from_der(der)
                .map(RevocationInfoChoice::Crl)
                .map_err(crypto)
        })
        .collect::<Result<Vec<_>, _>>()?;
    let econtent = match parts.econtent {
        Some(bytes) => Some(Any::new(Tag::OctetString, bytes).map_err(crypto)?),
        None => None,
    };
    let signed = SignedData {
        // v1 for id-data content, v3 for any other eContentType (RFC 5652 §5.1).
        version: if parts.econtent_type == ID_DATA {
            CmsVersion::V1
        } else {
            CmsVersion::V3
        },
        digest_algorithms: SetOfVec::try_from(vec![algorithm(const_oid::db::rfc5912::ID_SHA_256)])
            .map_err(crypto)?,
        encap_content_info: EncapsulatedContentInfo {
            econtent_type: parts.econtent_type,
            econtent,
        },
        certificates: Some(CertificateSet::try_from(certs).map_err(crypto)?),
        crls: if crls.is_empty() {
            None
        } else {
            Some(RevocationInfoChoices(
                SetOfVec::try_from(crls).map_err(crypto)?,
            ))
        },
        signer_infos: SignerInfos::try_from(vec![signer_info]).map_err(crypto)?,
    };
    ContentInfo {
        content_type: ID_SIGNED_DATA,
        content: Any::encode_from(&signed).map_err(crypto)?,
    }
    .to_der()
    .map_err(crypto)
}

/// A CAdES signature over `c.content` at `c.level` (see the module docs).
pub(crate) fn signed_data(keys: &Keys<'_>, c: &Cms<'_>) -> Result<Vec<u8>, DocError> {
    let mut signed_attrs = essential_attributes(keys, ID_DATA, c.content)?;
    if let Some(ms) = c.signing_time {
        let time = crate::ca::x509_time(ms).map_err(DocError::Crypto)?;
        signed_attrs.push(attribute(ID_SIGNING_TIME, &time)?);
    }
    let (mut extra_certs, mut crls) = (Vec::new(), Vec::new());
    if c.level >= Level::Lt {
        let ca = keys.authority;
        extra_certs = vec![ca.ca_cert_der.clone(), ca.tsa.0.clone()];
        crls = vec![ca.crl_der(c.now).map_err(DocError::Crypto)?];
    }
    build(
        keys,
        Parts {
            econtent_type: ID_DATA,
            econtent: c.attached.then(|| c.content.to_vec()),
            signed_attrs,
            extra_certs,
            crls,
            timestamp_at: (c.level >= Level::T).then_some(c.now),
        },
    )
}
