//! SIGNATURE: raw ECDSA over a digest or over full content, and signer validation.

mod common;

use common::{cert_verifying_key, signer, T};
use cqes_sandbox::docgen::{sign_digest, sign_document, sign_raw, DocError, Signer};
use p256::ecdsa::signature::hazmat::PrehashVerifier;
use p256::ecdsa::signature::Verifier;
use p256::ecdsa::Signature;
use sha2::{Digest, Sha256, Sha384, Sha512};

#[test]
fn sign_digest_sha256_sha384_sha512() {
    let key = cert_verifying_key(signer());
    let data = b"document body";
    for digest in [
        Sha256::digest(data).to_vec(),
        Sha384::digest(data).to_vec(),
        Sha512::digest(data).to_vec(),
    ] {
        let der = sign_digest(&digest, signer()).unwrap();
        let sig = Signature::from_der(&der).unwrap();
        key.verify_prehash(&digest, &sig).unwrap();
        assert!(key.verify_prehash(&[0u8; 32], &sig).is_err());
        // RFC 6979: deterministic.
        assert_eq!(der, sign_digest(&digest, signer()).unwrap());
    }
    // A SHA-256 prehash signature is exactly an ECDSA-with-SHA256 signature of the data.
    let sig = Signature::from_der(&sign_digest(&Sha256::digest(data), signer()).unwrap()).unwrap();
    key.verify(data, &sig).unwrap();
}

#[test]
fn sign_digest_rejects_odd_lengths() {
    for len in [0, 20, 31, 33, 65] {
        assert!(
            matches!(
                sign_digest(&vec![1; len], signer()),
                Err(DocError::Crypto(_))
            ),
            "{len}"
        );
    }
}

#[test]
fn sign_raw_and_signature_type() {
    let key = cert_verifying_key(signer());
    let content = b"text or binary \x00\xff content";
    let der = sign_raw(content, signer()).unwrap();
    key.verify(content, &Signature::from_der(&der).unwrap())
        .unwrap();

    let doc = sign_document("SIGNATURE", content, Some("a.txt"), signer(), T).unwrap();
    assert_eq!(doc.bytes, der);
    assert_eq!(
        (doc.file_name.as_str(), doc.content_type),
        ("a.txt.sig", "application/octet-stream")
    );
    assert_eq!(
        sign_document("SIGNATURE", content, None, signer(), T)
            .unwrap()
            .file_name,
        "signature.sig"
    );
}

#[test]
fn bad_signer_material_and_types() {
    let other = rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).unwrap();
    let mismatched = Signer {
        cert_der: signer().cert_der.clone(),
        key_pkcs8_der: other.serialize_der(),
        authority: signer().authority.clone(),
    };
    let garbage_cert = Signer {
        cert_der: vec![0x30, 0x03, 0x02, 0x01, 0x01],
        key_pkcs8_der: signer().key_pkcs8_der.clone(),
        authority: signer().authority.clone(),
    };
    let garbage_key = Signer {
        cert_der: signer().cert_der.clone(),
        key_pkcs8_der: vec![1, 2, 3],
        authority: signer().authority.clone(),
    };
    for bad in [&mismatched, &garbage_cert, &garbage_key] {
        assert!(matches!(sign_raw(b"x", bad), Err(DocError::Crypto(_))));
        assert!(matches!(
            sign_digest(&[0; 32], bad),
            Err(DocError::Crypto(_))
        ));
        assert!(matches!(
            sign_document("CADES_BASELINE_B_ATACHED", b"x", None, bad, T),
            Err(DocError::Crypto(_))
        ));
    }
    let err = sign_document("CADES_BASELINE_X_ATACHED", b"x", None, signer(), T).unwrap_err();
    assert!(matches!(err, DocError::Crypto(_)));
    assert!(
        err.to_string().contains("unsupported signature type"),
        "{err}"
    );
    // Times past year 9999 cannot be encoded.
    assert!(matches!(
        sign_document("CADES_BASELINE_B_ATACHED", b"x", None, signer(), u64::MAX),
        Err(DocError::Crypto(_))
    ));
}

#[test]
fn errors_are_std_errors() {
    let e: Box<dyn std::error::Error> = Box::new(DocError::NotPdf("no header".into()));
    assert_eq!(e.to_string(), "not a usable PDF: no header");
}
