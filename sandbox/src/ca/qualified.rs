//! Certificates the sandbox CA issues for signing: test customers' certificates shaped like
//! B-Trust's qualified ones, the sandbox's seal, and the TSA.
//!
//! A customer's certificate carries (ETSI EN 319 412-1/-2/-5): subject `C=BG`, `CN`, `GN`,
//! `SN` and `serialNumber` with the semantics identifier `PNOBG-<EGN>` (a foreigner's LNC is
//! given the same way; inferred: no B-Trust certificate is among the seeds), key usage
//! digitalSignature + nonRepudiation (critical), the QCP-n-qscd policy, and the QC statements
//! QcCompliance, QcSSCD and QcType esign. Every certificate names the CA's CRL (distribution
//! point) and OCSP responder and certificate (authority information access).

use super::Authority;
use crate::pki::Identity;
use const_oid::db::rfc5912::{
    ID_AD_CA_ISSUERS, ID_AD_OCSP, ID_CE_CERTIFICATE_POLICIES, ID_CE_EXT_KEY_USAGE,
    ID_KP_TIME_STAMPING, ID_PE_AUTHORITY_INFO_ACCESS,
};
use der::asn1::{Any, Ia5String, ObjectIdentifier};
use der::{Encode, Sequence};
use rcgen::{
    CertificateParams, CrlDistributionPoint, CustomExtension, DistinguishedName, DnType, DnValue,
    Issuer, KeyPair, KeyUsagePurpose, SerialNumber,
};
use x509_cert::ext::pkix::certpolicy::PolicyInformation;
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::ext::pkix::{
    AccessDescription, AuthorityInfoAccessSyntax, CertificatePolicies, ExtendedKeyUsage,
};

/// id-pe-qcStatements (RFC 3739).
const ID_PE_QC_STATEMENTS: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.1.3");
/// ETSI EN 319 412-5 statements.
const QCS_COMPLIANCE: ObjectIdentifier = ObjectIdentifier::new_unwrap("0.4.0.1862.1.1");
const QCS_SSCD: ObjectIdentifier = ObjectIdentifier::new_unwrap("0.4.0.1862.1.4");
const QCS_TYPE: ObjectIdentifier = ObjectIdentifier::new_unwrap("0.4.0.1862.1.6");
const QCT_ESIGN: ObjectIdentifier = ObjectIdentifier::new_unwrap("0.4.0.1862.1.6.1");
const QCT_ESEAL: ObjectIdentifier = ObjectIdentifier::new_unwrap("0.4.0.1862.1.6.2");
/// QCP-n-qscd and QCP-l-qscd (ETSI EN 319 411-2).
const QCP_N_QSCD: ObjectIdentifier = ObjectIdentifier::new_unwrap("0.4.0.194112.1.2");
const QCP_L_QSCD: ObjectIdentifier = ObjectIdentifier::new_unwrap("0.4.0.194112.1.3");

/// Who a certificate is for.
#[derive(Clone, Copy, Debug)]
pub enum Holder<'a> {
    /// A test customer; `id` is the EGN or LNC.
    Person {
        /// Display name, "Given Family".
        name: &'a str,
        /// EGN or LNC (10 digits).
        id: &'a str,
    },
    /// The sandbox's "BORICA" seal (eID certificates).
    Seal,
    /// The time-stamping authority.
    Tsa,
}

/// QCStatement ::= SEQUENCE { statementId OID, statementInfo ANY OPTIONAL } (RFC 3739).
#[derive(Sequence)]
struct QcStatement {
    id: ObjectIdentifier,
    #[asn1(optional = "true")]
    info: Option<Any>,
}

fn arcs(oid: ObjectIdentifier) -> Vec<u64> {
    oid.arcs().map(u64::from).collect()
}

fn ext(
    oid: ObjectIdentifier,
    value: &impl Encode,
    critical: bool,
) -> Result<CustomExtension, String> {
    let mut e =
        CustomExtension::from_oid_content(&arcs(oid), value.to_der().map_err(|e| e.to_string())?);
    e.set_criticality(critical);
    Ok(e)
}

fn uri(s: &str) -> Result<GeneralName, String> {
    Ok(GeneralName::UniformResourceIdentifier(
        Ia5String::new(s).map_err(|e| e.to_string())?,
    ))
}

fn qc_statements(kind: ObjectIdentifier) -> Result<Vec<QcStatement>, String> {
    let types = Any::encode_from(&vec![kind]).map_err(|e| e.to_string())?;
    Ok(vec![
        QcStatement {
            id: QCS_COMPLIANCE,
            info: None,
        },
        QcStatement {
            id: QCS_SSCD,
            info: None,
        },
        QcStatement {
            id: QCS_TYPE,
            info: Some(types),
        },
    ])
}

fn policies(oid: ObjectIdentifier) -> CertificatePolicies {
    CertificatePolicies(vec![PolicyInformation {
        policy_identifier: oid,
        policy_qualifiers: None,
    }])
}

/// Mints a key pair and a certificate for `holder`, signed by the CA.
pub(super) fn issue(ca: &Authority, holder: &Holder<'_>) -> Result<Identity, String> {
    let err = |e: rcgen::Error| e.to_string();
    let ca_key = KeyPair::from_pem(&ca.ca_key_pem).map_err(err)?;
    let issuer = Issuer::from_ca_cert_pem(&ca.ca_cert_pem, ca_key).map_err(err)?;
    let key = KeyPair::generate().map_err(err)?;
    let mut p = CertificateParams::default();
    // 16 random bytes, positive: serial numbers must be unpredictable (CA/B BR 7.1).
    let mut serial = *uuid::Uuid::new_v4().as_bytes();
    serial[0] &= 0x7f;
    serial[0] |= 0x01;
    p.serial_number = Some(SerialNumber::from_slice(&serial));
    p.use_authority_key_identifier_extension = true;
    p.crl_distribution_points = vec![CrlDistributionPoint {
        uris: vec![ca.crl_url()],
    }];
    let aia = AuthorityInfoAccessSyntax(vec![
        AccessDescription {
            access_method: ID_AD_OCSP,
            access_location: uri(&ca.ocsp_url())?,
        },
        AccessDescription {
            access_method: ID_AD_CA_ISSUERS,
            access_location: uri(&ca.ca_issuers_url())?,
        },
    ]);
    p.custom_extensions
        .push(ext(ID_PE_AUTHORITY_INFO_ACCESS, &aia, false)?);
    let mut dn = DistinguishedName::new();
    dn.push(
        DnType::CountryName,
        DnValue::PrintableString("BG".try_into().map_err(err)?),
    );
    match holder {
        Holder::Person { name, id } => {
            let (given, family) = name.split_once(' ').unwrap_or((name, ""));
            dn.push(DnType::CommonName, DnValue::Utf8String((*name).to_owned()));
            dn.push(
                DnType::CustomDnType(vec![2, 5, 4, 42]),
                DnValue::Utf8String(given.to_owned()),
            );
            if !family.is_empty() {
                dn.push(
                    DnType::CustomDnType(vec![2, 5, 4, 4]),
                    DnValue::Utf8String(family.to_owned()),
                );
            }
            let sn = format!("PNOBG-{id}");
            dn.push(
                DnType::CustomDnType(vec![2, 5, 4, 5]),
                DnValue::PrintableString(sn.as_str().try_into().map_err(err)?),
            );
            p.key_usages = vec![
                KeyUsagePurpose::DigitalSignature,
                KeyUsagePurpose::ContentCommitment,
            ];
            p.custom_extensions.push(ext(
                ID_CE_CERTIFICATE_POLICIES,
                &policies(QCP_N_QSCD),
                false,
            )?);
            p.custom_extensions
                .push(ext(ID_PE_QC_STATEMENTS, &qc_statements(QCT_ESIGN)?, false)?);
        }
        Holder::Seal => {
            dn.push(DnType::OrganizationName, "cqes sandbox (BORICA emulator)");
            dn.push(DnType::CommonName, "BORICA sandbox seal");
            p.key_usages = vec![
                KeyUsagePurpose::DigitalSignature,
                KeyUsagePurpose::ContentCommitment,
            ];
            p.custom_extensions.push(ext(
                ID_CE_CERTIFICATE_POLICIES,
                &policies(QCP_L_QSCD),
                false,
            )?);
            p.custom_extensions
                .push(ext(ID_PE_QC_STATEMENTS, &qc_statements(QCT_ESEAL)?, false)?);
        }
        Holder::Tsa => {
            dn.push(DnType::OrganizationName, "cqes sandbox");
            dn.push(DnType::CommonName, "cqes sandbox TSA");
            p.key_usages = vec![KeyUsagePurpose::DigitalSignature];
            // RFC 3161 §2.3: the TSA's certificate has exactly this EKU, marked critical.
            let eku = ExtendedKeyUsage(vec![ID_KP_TIME_STAMPING]);
            p.custom_extensions
                .push(ext(ID_CE_EXT_KEY_USAGE, &eku, true)?);
        }
    }
    p.distinguished_name = dn;
    let cert = p.signed_by(&key, &issuer).map_err(err)?;
    Ok(Identity {
        cert_pem: cert.pem(),
        key_pem: key.serialize_pem(),
    })
}
