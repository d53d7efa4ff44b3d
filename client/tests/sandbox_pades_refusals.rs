//! The sandbox refuses at submission, with a 400 in the service's envelope that names the
//! document, what it could not sign as PAdES: a PDF without a readable cross-reference
//! section, an encrypted PDF, a visible signature on a page the document does not have.
//! Nothing is stored (it never accepts and then fails silently).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod common;

use common::*;
use cqes_core::btrust::signing::{SendSignRequest, SendSignRequestInput, SignaturePosition};
use cqes_core::btrust::SignerIdentity;
use cqes_core::Error;
use cqes_sandbox::SandboxConfig;

fn input(content: cqes_core::btrust::Content) -> SendSignRequestInput {
    SendSignRequestInput {
        identity: SignerIdentity::PersonalId(EGN.into()),
        request: request(vec![content]),
    }
}

fn named(bytes: Vec<u8>, name: &str) -> cqes_core::btrust::Content {
    let mut c = cqes_core::btrust::Content::document("Please sign", bytes);
    c.file_name = Some(name.into());
    c.signature_type = Some("PADES_BASELINE_B".into());
    c
}

#[tokio::test]
async fn unsignable_pdfs_are_refused_with_400_naming_the_document() {
    let sb = sandbox(SandboxConfig::default()).await;
    let c = client(&sb);
    let tiny = b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n%%EOF\n".to_vec();
    let mut encrypted = pdf();
    let at = encrypted
        .windows(11)
        .rposition(|w| w == b"/Root 1 0 R")
        .unwrap();
    encrypted.splice(at..at, b"/Encrypt 9 0 R ".iter().copied());
    let mut far = named(pdf(), "one-page.pdf");
    far.pades_visual_signature = Some(true);
    far.signature_position = Some(SignaturePosition {
        image_height: 50,
        image_width: 150,
        image_x_axis: 40.0,
        image_y_axis: 700.0,
        page_number: 2,
    });
    for (content, expect) in [
        (named(tiny, "tiny.pdf"), "cross-reference"),
        (named(encrypted, "locked.pdf"), "encrypted"),
        (far, "page 2 does not exist"),
    ] {
        let name = content.file_name.clone().unwrap();
        let err = c
            .call::<SendSignRequest>(&input(content))
            .await
            .unwrap_err();
        let Error::Api {
            http_status: 400,
            response_code: Some(rc),
            reason: Some(reason),
            ..
        } = &err
        else {
            panic!("{name}: expected a 400 envelope, got {err}");
        };
        assert_eq!(rc, "BAD_REQUEST");
        assert!(
            reason.contains(&name) && reason.contains(expect),
            "{name}: {reason}"
        );
    }
    assert_eq!(sb.stats().sign_requests_created, 0, "nothing was stored");
    // The same document with a page that exists is accepted.
    let mut ok = named(pdf(), "one-page.pdf");
    ok.pades_visual_signature = Some(true);
    ok.signature_position = Some(SignaturePosition {
        image_height: 50,
        image_width: 150,
        image_x_axis: 40.0,
        image_y_axis: 700.0,
        page_number: 1,
    });
    let accepted = c.call::<SendSignRequest>(&input(ok)).await.unwrap();
    assert_eq!(accepted.http_status, 202);
    sb.stop().await;
}
