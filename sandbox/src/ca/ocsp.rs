//! The CA's OCSP responder (RFC 6960): answers each requested certificate good, revoked (with
//! the time) or unknown (not issued by this CA), signed by the CA key itself (§2.6: the CA may
//! sign its own responses), echoing the request's nonce.

use super::{ecdsa_sha256, generalized_time, Authority};
use const_oid::db::rfc6960::ID_PKIX_OCSP_NONCE;
use der::asn1::{BitString, Null};
use der::{Decode, Encode};
use x509_ocsp::{
    AsResponseBytes, BasicOcspResponse, CertStatus, OcspGeneralizedTime, OcspRequest, OcspResponse,
    OcspResponseStatus, ResponderId, ResponseData, RevokedInfo, SingleResponse, Version,
};

/// How long an OCSP answer may be cached (its nextUpdate).
const OCSP_VALIDITY_MS: u64 = 24 * 3600 * 1000;

fn failure(status: OcspResponseStatus) -> Vec<u8> {
    OcspResponse {
        response_status: status,
        response_bytes: None,
    }
    .to_der()
    .unwrap_or_default()
}

impl Authority {
    /// The DER OCSPResponse to a DER OCSPRequest, as of `now_ms`. A request that does not
    /// parse gets `malformedRequest` (§2.3), as a real responder answers.
    pub fn ocsp_response(&self, request_der: &[u8], now_ms: u64) -> Vec<u8> {
        let Ok(request) = OcspRequest::from_der(request_der) else {
            return failure(OcspResponseStatus::MalformedRequest);
        };
        self.answer(&request, now_ms)
            .unwrap_or_else(|_| failure(OcspResponseStatus::InternalError))
    }

    /// The OCSP answer about one certificate (for embedding in a signed file's validation
    /// data), as of `now_ms`.
    pub fn ocsp_for(&self, cert: &x509_cert::Certificate, now_ms: u64) -> Result<Vec<u8>, String> {
        use sha2::Digest as _;
        let issuer = &self.ca_cert().tbs_certificate;
        let cert_id = x509_ocsp::CertId {
            hash_algorithm: spki::AlgorithmIdentifierOwned {
                oid: const_oid::db::rfc5912::ID_SHA_256,
                parameters: None,
            },
            issuer_name_hash: der::asn1::OctetString::new(
                sha2::Sha256::digest(issuer.subject.to_der().map_err(|e| e.to_string())?).to_vec(),
            )
            .map_err(|e| e.to_string())?,
            issuer_key_hash: der::asn1::OctetString::new(
                sha2::Sha256::digest(
                    issuer
                        .subject_public_key_info
                        .subject_public_key
                        .raw_bytes(),
                )
                .to_vec(),
            )
            .map_err(|e| e.to_string())?,
            serial_number: cert.tbs_certificate.serial_number.clone(),
        };
        let request = OcspRequest {
            tbs_request: x509_ocsp::TbsRequest {
                version: Version::V1,
                requestor_name: None,
                request_list: vec![x509_ocsp::Request {
                    req_cert: cert_id,
                    single_request_extensions: None,
                }],
                request_extensions: None,
            },
            optional_signature: None,
        };
        self.answer(&request, now_ms)
    }

    fn answer(&self, request: &OcspRequest, now_ms: u64) -> Result<Vec<u8>, String> {
        let e = |e: der::Error| e.to_string();
        // Like the CRL, answers are dated a minute back so a signature made now finds them issued.
        let this_update = now_ms.saturating_sub(60_000);
        let revoked = self.revoked_at(now_ms);
        let mut responses = Vec::new();
        for r in &request.tbs_request.request_list {
            let serial = r.req_cert.serial_number.as_bytes();
            let cert_status = match revoked.iter().find(|x| x.serial == serial) {
                Some(x) => CertStatus::Revoked(RevokedInfo {
                    revocation_time: OcspGeneralizedTime(generalized_time(x.at_ms)?),
                    revocation_reason: None,
                }),
                None if self.was_issued(serial) => CertStatus::Good(Null),
                None => CertStatus::Unknown(Null),
            };
            responses.push(SingleResponse {
                cert_id: r.req_cert.clone(),
                cert_status,
                this_update: OcspGeneralizedTime(generalized_time(this_update)?),
                next_update: Some(OcspGeneralizedTime(generalized_time(
                    this_update + OCSP_VALIDITY_MS,
                )?)),
                single_extensions: None,
            });
        }
        let nonce = request
            .tbs_request
            .request_extensions
            .as_ref()
            .and_then(|exts| {
                exts.iter()
                    .find(|x| x.extn_id == ID_PKIX_OCSP_NONCE)
                    .cloned()
            });
        let tbs = ResponseData {
            version: Version::V1,
            responder_id: ResponderId::ByName(self.ca_cert().tbs_certificate.subject.clone()),
            produced_at: OcspGeneralizedTime(generalized_time(now_ms)?),
            responses,
            response_extensions: nonce.map(|n| vec![n]),
        };
        let signature =
            BitString::from_bytes(&self.ca_sign(&tbs.to_der().map_err(e)?)).map_err(e)?;
        let basic = BasicOcspResponse {
            tbs_response_data: tbs,
            signature_algorithm: ecdsa_sha256(),
            signature,
            certs: None,
        };
        OcspResponse {
            response_status: OcspResponseStatus::Successful,
            response_bytes: Some(basic.to_response_bytes().map_err(e)?),
        }
        .to_der()
        .map_err(e)
    }
}
