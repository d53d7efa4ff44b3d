//! CAdES: DER CMS SignedData, attached and detached.

mod common;

use cms::content_info::ContentInfo;
use cms::signed_data::{SignedData, SignerIdentifier};
use common::{cert_verifying_key, have, openssl_cms_print, openssl_cms_verify, scratch, signer, T};
use cqes_sandbox::docgen::sign_document;
use p256::ecdsa::signature::Verifier;
use p256::ecdsa::Signature;
use sha2::{Digest, Sha256};
use x509_cert::der::asn1::OctetString;
use x509_cert::der::{Decode, Encode};

const CONTENT: &[u8] = b"Line one\r\nLine two\n\x00\xffbinary tail";

/// Independent pure-Rust verification with the RustCrypto `cms` parser: structure, sid,
/// message digest, and the ECDSA signature over the DER SET of signed attributes.
/// Returns the encapsulated content, if any.
fn verify_with_cms_crate(der: &[u8], content: &[u8]) -> Option<Vec<u8>> {
    let ci = ContentInfo::from_der(der).unwrap();
    assert_eq!(ci.content_type.to_string(), "1.2.840.113549.1.7.2");
    let sd: SignedData = ci.content.decode_as().unwrap();
    assert_eq!(
        sd.digest_algorithms.get(0).unwrap().oid.to_string(),
        "2.16.840.1.101.3.4.2.1"
    );
    assert_eq!(
        sd.encap_content_info.econtent_type.to_string(),
        "1.2.840.113549.1.7.1"
    );
    // The signer's certificate, plus the CA's and the TSA's from B-LT on.
    assert!(matches!(sd.certificates.as_ref().unwrap().0.len(), 1 | 3));

    let cert = x509_cert::Certificate::from_der(&signer().cert_der).unwrap();
    let si = sd.signer_infos.0.get(0).unwrap();
    let SignerIdentifier::IssuerAndSerialNumber(sid) = &si.sid else {
        panic!("sid kind")
    };
    assert_eq!(sid.issuer, cert.tbs_certificate.issuer);
    assert_eq!(sid.serial_number, cert.tbs_certificate.serial_number);
    assert_eq!(
        si.signature_algorithm.oid.to_string(),
        "1.2.840.10045.4.3.2"
    );

    let attrs = si.signed_attrs.as_ref().unwrap();
    let find = |oid: &str| attrs.iter().find(|a| a.oid.to_string() == oid).unwrap();
    let digest = find("1.2.840.113549.1.9.4")
        .values
        .get(0)
        .unwrap()
        .decode_as::<OctetString>()
        .unwrap();
    assert_eq!(digest.as_bytes(), &Sha256::digest(content)[..]);
    find("1.2.840.113549.1.9.3"); // content-type
    let time = find("1.2.840.113549.1.9.5")
        .values
        .get(0)
        .unwrap()
        .to_der()
        .unwrap();
    assert_eq!(
        &time[2..],
        b"240531160837Z",
        "signing-time from signing_time_ms"
    );
    find("1.2.840.113549.1.9.16.2.47"); // signing-certificate-v2

    let sig = Signature::from_der(si.signature.as_bytes()).unwrap();
    cert_verifying_key(signer())
        .verify(&attrs.to_der().unwrap(), &sig)
        .unwrap();

    sd.encap_content_info
        .econtent
        .map(|any| any.decode_as::<OctetString>().unwrap().as_bytes().to_vec())
}

#[test]
fn attached_all_levels() {
    for t in [
        "CADES_BASELINE_B_ATACHED",
        "CADES_BASELINE_T_ATACHED",
        "CADES_BASELINE_LT_ATACHED",
        "CADES_BASELINE_LTA_ATACHED",
        "CADES_BASELINE_LTA_ENVELOPED",
    ] {
        let doc = sign_document(t, CONTENT, Some("data.bin"), signer(), T).unwrap();
        assert_eq!(doc.file_name, "data.bin.p7m", "{t}");
        assert_eq!(doc.content_type, "application/pkcs7-mime");
        assert_eq!(
            verify_with_cms_crate(&doc.bytes, CONTENT).as_deref(),
            Some(CONTENT)
        );
    }
    let doc = sign_document("CADES_BASELINE_B_ATACHED", CONTENT, None, signer(), T).unwrap();
    assert_eq!(doc.file_name, "signed.p7m");
    if have("openssl", "version") {
        let dir = scratch("cades-attached");
        assert_eq!(openssl_cms_verify(&dir, &doc.bytes, None).unwrap(), CONTENT);
        let printed = openssl_cms_print(&dir, &doc.bytes);
        for needle in [
            "signingTime",
            "messageDigest",
            "contentType",
            "signingCertificateV2",
            "issuerAndSerialNumber",
        ] {
            assert!(printed.contains(needle), "missing {needle} in:\n{printed}");
        }
        println!("CAdES attached: openssl cms -verify: OK");
    }
}

#[test]
fn detached_all_levels() {
    for lvl in ["B", "T", "LT", "LTA"] {
        let t = format!("CADES_BASELINE_{lvl}_DETACHED");
        let doc = sign_document(&t, CONTENT, Some("data.bin"), signer(), T).unwrap();
        assert_eq!(doc.file_name, "data.bin.p7s");
        assert_eq!(doc.content_type, "application/pkcs7-signature");
        assert_eq!(
            verify_with_cms_crate(&doc.bytes, CONTENT),
            None,
            "no eContent"
        );
    }
    let doc = sign_document(
        "CADES_BASELINE_B_DETACHED",
        CONTENT,
        Some("data.bin"),
        signer(),
        T,
    )
    .unwrap();
    if have("openssl", "version") {
        let dir = scratch("cades-detached");
        assert_eq!(
            openssl_cms_verify(&dir, &doc.bytes, Some(CONTENT)).unwrap(),
            CONTENT
        );
        // Tampered content must fail.
        let res = openssl_cms_verify(&dir, &doc.bytes, Some(b"tampered"));
        assert!(res.is_err(), "openssl accepted tampered content");
        println!("CAdES detached: openssl cms -verify -content: OK (tampered rejected)");
    }
}

#[test]
fn empty_and_large_content() {
    for content in [Vec::new(), vec![0x5A; 300_000]] {
        let doc = sign_document("CADES_BASELINE_B_ATACHED", &content, None, signer(), T).unwrap();
        assert_eq!(
            verify_with_cms_crate(&doc.bytes, &content),
            Some(content.clone())
        );
    }
}

#[test]
fn far_future_time_uses_generalized_time() {
    // 2100-01-01: signing-time must switch to GeneralizedTime, and still verify.
    let doc = sign_document(
        "CADES_BASELINE_B_DETACHED",
        CONTENT,
        None,
        signer(),
        4_102_444_800_000,
    )
    .unwrap();
    let needle = b"\x18\x0f21000101000000Z";
    assert!(doc.bytes.windows(needle.len()).any(|w| w == needle));
    if have("openssl", "version") {
        openssl_cms_verify(&scratch("cades-2100"), &doc.bytes, Some(CONTENT)).unwrap();
    }
}

/// Every level verifies with `openssl cms -verify` building the chain to the sandbox CA
/// (no `-noverify`); T carries a time-stamp token, LT the CA's CRL; tampering fails.
#[test]
fn levels_verify_against_the_sandbox_ca() {
    let dir = scratch("cades-chain");
    let ca = common::ca_pem(&dir);
    for lvl in ["B", "T", "LT", "LTA"] {
        for packaging in ["ATACHED", "DETACHED"] {
            let t = format!("CADES_BASELINE_{lvl}_{packaging}");
            let doc = sign_document(&t, CONTENT, None, signer(), T).unwrap();
            let sig = dir.join(format!("{t}.der"));
            std::fs::write(&sig, &doc.bytes).unwrap();
            let content = dir.join("content.bin");
            let run = |data: &[u8]| {
                std::fs::write(&content, data).unwrap();
                let mut cmd = std::process::Command::new("openssl");
                cmd.args([
                    "cms", "-verify", "-binary", "-inform", "DER", "-purpose", "any", "-CAfile",
                ])
                .arg(&ca)
                .arg("-in")
                .arg(&sig)
                .args(["-out", "/dev/null"]);
                if packaging == "DETACHED" {
                    cmd.arg("-content").arg(&content);
                }
                // Verify at the signing time (the fixed test clock).
                cmd.args(["-attime", &(T / 1000).to_string()]);
                cmd.output().unwrap()
            };
            let out = run(CONTENT);
            assert!(
                out.status.success(),
                "{t}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            if packaging == "DETACHED" {
                assert!(
                    !run(b"tampered").status.success(),
                    "{t}: tampered content verified"
                );
            } else {
                let mut bad = doc.bytes.clone();
                let at = bad
                    .windows(CONTENT.len())
                    .position(|w| w == CONTENT)
                    .unwrap();
                bad[at] ^= 1;
                std::fs::write(&sig, &bad).unwrap();
                assert!(
                    !run(CONTENT).status.success(),
                    "{t}: tampered eContent verified"
                );
            }
            let printed = openssl_cms_print(&dir, &doc.bytes);
            assert_eq!(
                printed.contains("id-smime-aa-timeStampToken"),
                lvl != "B",
                "{t}: signature time-stamp"
            );
            assert_eq!(
                printed
                    .split_once("crls:")
                    .is_none_or(|(_, rest)| rest.trim_start().starts_with("<ABSENT>")),
                lvl == "B" || lvl == "T",
                "{t}: CRL in SignedData"
            );
        }
    }
}
