//! XAdES: enveloped, enveloping and detached XML signatures.

mod common;

use std::process::Command;

use base64_simd::STANDARD as B64;
use common::{cert_verifying_key, have, scratch, signer, T};
use cqes_sandbox::docgen::{sign_document, DocError};
use p256::ecdsa::signature::Verifier;
use p256::ecdsa::Signature;
use quick_xml::events::Event;
use sha2::{Digest, Sha256};

fn b64_sha256(bytes: &[u8]) -> String {
    B64.encode_to_string(Sha256::digest(bytes))
}

/// The substring from the first `open` to the following `close`, inclusive.
fn element<'a>(doc: &'a str, open: &str, close: &str) -> &'a str {
    let start = doc.find(open).unwrap_or_else(|| panic!("no {open}"));
    let end = doc[start..].find(close).unwrap() + start + close.len();
    &doc[start..end]
}

/// The text of the first `<tag ...>` element (attributes allowed).
fn text_of<'a>(doc: &'a str, tag: &str) -> &'a str {
    let start = doc
        .match_indices(&format!("<{tag}"))
        .map(|(i, _)| i)
        .find(|&i| matches!(doc.as_bytes()[i + tag.len() + 1], b'>' | b' '))
        .unwrap_or_else(|| panic!("no <{tag}>"));
    let body = start + doc[start..].find('>').unwrap() + 1;
    let end = body + doc[body..].find(&format!("</{tag}>")).unwrap();
    &doc[body..end]
}

/// Well-formedness: quick-xml parses to the end with balanced tags and one root element;
/// xmllint double-checks when installed.
fn assert_well_formed(xml: &[u8]) {
    let mut reader = quick_xml::Reader::from_reader(xml);
    let (mut depth, mut roots) = (0i32, 0);
    loop {
        match reader.read_event().unwrap() {
            Event::Start(_) => {
                roots += i32::from(depth == 0);
                depth += 1;
            }
            Event::Empty(_) => roots += i32::from(depth == 0),
            Event::End(_) => depth -= 1,
            Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!((depth, roots), (0, 1));
    if have("xmllint", "--version") {
        let dir = scratch("xmllint");
        std::fs::write(dir.join("x.xml"), xml).unwrap();
        let res = Command::new("xmllint")
            .arg("--noout")
            .arg(dir.join("x.xml"))
            .output()
            .unwrap();
        assert!(
            res.status.success(),
            "{}",
            String::from_utf8_lossy(&res.stderr)
        );
    }
}

/// Checks what every packaging shares: SignedProperties digest, SignatureValue over the
/// SignedInfo bytes, the certificate in KeyInfo, and the first Reference's DigestValue.
fn check_common(xml: &str, expected_doc_digest: &str) {
    assert!(xml.contains("<ds:Signature xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\""));
    let signed_info = element(xml, "<ds:SignedInfo", "</ds:SignedInfo>");
    let doc_ref = element(signed_info, "<ds:Reference Id=", "</ds:Reference>");
    assert_eq!(text_of(doc_ref, "ds:DigestValue"), expected_doc_digest);

    let props = element(xml, "<xades:SignedProperties", "</xades:SignedProperties>");
    let props_ref = element(signed_info, "<ds:Reference Type=", "</ds:Reference>");
    assert_eq!(
        text_of(props_ref, "ds:DigestValue"),
        b64_sha256(props.as_bytes())
    );
    assert!(props.contains("<xades:SigningTime>2024-05-31T16:08:37Z</xades:SigningTime>"));
    assert!(
        props.contains(&b64_sha256(&signer().cert_der)),
        "SigningCertificateV2 digest"
    );

    let sig = B64
        .decode_to_vec(text_of(xml, "ds:SignatureValue"))
        .unwrap();
    let sig = Signature::from_slice(&sig).unwrap();
    cert_verifying_key(signer())
        .verify(signed_info.as_bytes(), &sig)
        .unwrap();
    assert_eq!(
        text_of(xml, "ds:X509Certificate"),
        B64.encode_to_string(&signer().cert_der)
    );
}

/// Full XML-DSig verification (references + signature) with xmlsec1, if installed. Files
/// are written to a scratch dir that is also the working directory, so a detached
/// signature's relative URI resolves.
fn xmlsec1_verify(label: &str, xml: &[u8], extra_files: &[(&str, &[u8])]) {
    if !have("xmlsec1", "--version") {
        return;
    }
    let dir = scratch(label);
    std::fs::write(dir.join("cert.der"), &signer().cert_der).unwrap();
    std::fs::write(dir.join("sig.xml"), xml).unwrap();
    for (name, bytes) in extra_files {
        std::fs::write(dir.join(name), bytes).unwrap();
    }
    let res = Command::new("xmlsec1")
        .current_dir(&dir)
        .args(["--verify", "--pubkey-cert-der", "cert.der"])
        .args([
            "--id-attr:Id",
            "http://uri.etsi.org/01903/v1.3.2#:SignedProperties",
        ])
        .args(["--id-attr:Id", "http://www.w3.org/2000/09/xmldsig#:Object"])
        .arg("sig.xml")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&res.stderr).into_owned();
    assert!(
        res.status.success() && text.contains("SignedInfo References (ok/all): 2/2"),
        "xmlsec1 --verify {label}: {text}"
    );
    println!("{label}: xmlsec1 --verify: OK (2/2 references)");
}

const CANONICAL: &str = "<doc xmlns=\"urn:x\"><a b=\"1\">text &amp; more</a>\n</doc>";

#[test]
fn enveloped_canonical_input_verifies_end_to_end() {
    let doc = sign_document(
        "XADES_BASELINE_B_ENVELOPED",
        CANONICAL.as_bytes(),
        Some("inv.xml"),
        signer(),
        T,
    )
    .unwrap();
    assert_eq!(
        (doc.file_name.as_str(), doc.content_type),
        ("inv-signed.xml", "application/xml")
    );
    assert_well_formed(&doc.bytes);
    let xml = String::from_utf8(doc.bytes.clone()).unwrap();
    // Inserted as the last child of the root, everything else untouched.
    let sig = element(&xml, "<ds:Signature ", "</ds:Signature>");
    assert_eq!(xml.replace(sig, ""), CANONICAL);
    assert!(xml.ends_with("</ds:Signature></doc>"));
    assert!(xml.contains("#enveloped-signature"));
    // Documented reference: the exclusive canonical form, here identical to the input.
    check_common(&xml, &b64_sha256(CANONICAL.as_bytes()));
    xmlsec1_verify("enveloped", &doc.bytes, &[]);
}

#[test]
fn enveloped_keeps_prolog_and_expands_empty_root() {
    // (input, how the output must end, exclusive canonical form of the input)
    for (input, expect_end, canonical) in [
        (
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE r>\n<r a='1'><x/></r>\n<!-- tail -->\n",
            "</ds:Signature></r>\n<!-- tail -->\n",
            "<r a=\"1\"><x></x></r>",
        ),
        ("\u{feff}<r/>", "</ds:Signature></r>", "<r></r>"),
        ("<p:r xmlns:p=\"urn:p\" />", "</ds:Signature></p:r>", "<p:r xmlns:p=\"urn:p\"></p:r>"),
    ] {
        let doc = sign_document("XADES_BASELINE_LTA_ENVELOPED", input.as_bytes(), None, signer(), T).unwrap();
        assert_eq!(doc.file_name, "signed.xml");
        assert_well_formed(&doc.bytes);
        let xml = String::from_utf8(doc.bytes.clone()).unwrap();
        assert!(xml.ends_with(expect_end), "{xml}");
        check_common(&xml, &b64_sha256(canonical.as_bytes()));
        xmlsec1_verify("enveloped-prolog", &doc.bytes, &[]);
    }
}

/// A realistic, far-from-canonical document: prolog, comments, PIs, namespaces (used and
/// unused), CDATA, references, CRLF, attribute white space. The DigestValue is over its
/// exclusive canonical form, so a real verifier accepts it.
const MESSY: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n<!-- lead -->\n\
<?xml-stylesheet href=\"a.css\" type=\"text/css\"?>\n\
<inv:Invoice xmlns:inv=\"urn:inv\" xmlns:unused=\"urn:u\" xmlns=\"urn:d\" xml:lang=\"bg\">\r\n\
  <inv:Line  qty='2' id=\"L1\"   price=\"1.50\"/>\n\
  <Note>\u{41f}\u{43b}\u{430}\u{449}\u{430}\u{43d}\u{435} &amp; &lt;x&gt; &#x41;&#66; \"q\" 'a'</Note>\n\
  <![CDATA[raw <cdata> & stuff]]><!-- inner -->\n\
  <x:Ext xmlns:x=\"urn:x\" x:attr=\"v&#10;w\" plain=\"a\nb\"><x:Empty/></x:Ext>\n\
</inv:Invoice>\n<!-- trailing -->\n";

#[test]
fn enveloped_non_canonical_document_verifies() {
    let doc = sign_document(
        "XADES_BASELINE_B_ENVELOPED",
        MESSY.as_bytes(),
        Some("inv.xml"),
        signer(),
        T,
    )
    .unwrap();
    assert_well_formed(&doc.bytes);
    let xml = String::from_utf8(doc.bytes.clone()).unwrap();
    let sig = element(&xml, "<ds:Signature ", "</ds:Signature>");
    assert_eq!(xml.replace(sig, ""), MESSY, "only the signature is added");
    let canonical = "<?xml-stylesheet href=\"a.css\" type=\"text/css\"?>\n\
<inv:Invoice xmlns:inv=\"urn:inv\" xml:lang=\"bg\">\n\
  <inv:Line id=\"L1\" price=\"1.50\" qty=\"2\"></inv:Line>\n\
  <Note xmlns=\"urn:d\">\u{41f}\u{43b}\u{430}\u{449}\u{430}\u{43d}\u{435} &amp; &lt;x&gt; AB \"q\" 'a'</Note>\n\
  raw &lt;cdata&gt; &amp; stuff\n\
  <x:Ext xmlns:x=\"urn:x\" plain=\"a b\" x:attr=\"v&#xA;w\"><x:Empty></x:Empty></x:Ext>\n\
</inv:Invoice>";
    check_common(&xml, &b64_sha256(canonical.as_bytes()));
    xmlsec1_verify("enveloped-messy", &doc.bytes, &[]);
}

#[test]
fn enveloped_outside_canonicalizer_scope_hashes_raw_bytes() {
    // An internal DTD subset can change the canonical form (default attributes), which the
    // light canonicalizer does not model: the documented fallback is the raw input bytes.
    let input = "<!DOCTYPE r [<!ATTLIST r d CDATA \"x\">]><r/>";
    let doc = sign_document(
        "XADES_BASELINE_B_ENVELOPED",
        input.as_bytes(),
        None,
        signer(),
        T,
    )
    .unwrap();
    assert_well_formed(&doc.bytes);
    check_common(
        &String::from_utf8(doc.bytes).unwrap(),
        &b64_sha256(input.as_bytes()),
    );
}

#[test]
fn enveloping_wraps_any_bytes() {
    let content: Vec<u8> = (0..=255u8).cycle().take(1000).collect();
    let doc = sign_document(
        "XADES_BASELINE_T_ENVELOPING",
        &content,
        Some("blob.bin"),
        signer(),
        T,
    )
    .unwrap();
    assert_eq!(doc.file_name, "blob.bin-signed.xml");
    assert_well_formed(&doc.bytes);
    let xml = String::from_utf8(doc.bytes.clone()).unwrap();
    assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ds:Signature "));
    let object = element(&xml, "<ds:Object Id=", "</ds:Object>");
    let b64: String = object[object.find('>').unwrap() + 1..object.len() - "</ds:Object>".len()]
        .split_whitespace()
        .collect();
    assert_eq!(B64.decode_to_vec(b64).unwrap(), content);
    check_common(&xml, &b64_sha256(&content));
    xmlsec1_verify("enveloping", &doc.bytes, &[]);

    let named = sign_document(
        "XADES_BASELINE_B_ENVELOPING",
        b"<x/>",
        Some("x.xml"),
        signer(),
        T,
    )
    .unwrap();
    assert_eq!(named.file_name, "x-signed.xml");
}

#[test]
fn detached_references_file_name() {
    let content = b"detached payload \x00\x01";
    let doc = sign_document(
        "XADES_BASELINE_LT_DETACHED",
        content,
        Some("my file.bin"),
        signer(),
        T,
    )
    .unwrap();
    assert_eq!(doc.file_name, "my file.bin.xades.xml");
    assert_well_formed(&doc.bytes);
    let xml = String::from_utf8(doc.bytes.clone()).unwrap();
    assert!(xml.contains("URI=\"my%20file.bin\""));
    assert!(!xml.contains("ZGV0YWNoZWQ"), "content must not be embedded");
    check_common(&xml, &b64_sha256(content));
    xmlsec1_verify("detached", &doc.bytes, &[("my file.bin", content)]);

    let anon = sign_document("XADES_BASELINE_B_DETACHED", content, None, signer(), T).unwrap();
    assert_eq!(anon.file_name, "signed.xades.xml");
    let xml = String::from_utf8(anon.bytes).unwrap();
    let doc_ref = element(&xml, "<ds:Reference Id=", ">");
    assert!(!doc_ref.contains("URI"), "no name, no URI: {doc_ref}");
    check_common(&xml, &b64_sha256(content));
}

#[test]
fn malformed_xml_is_rejected_for_enveloped_only() {
    for bad in [
        &b""[..],
        b"not xml",
        b"<a><b></a>",
        b"<a>",
        b"<a/><b/>",
        b"<a x='1' x='2'/>",
        b"\xff\xfe<\x00a\x00/\x00>\x00",
    ] {
        for lvl in ["B", "T", "LT", "LTA"] {
            let t = format!("XADES_BASELINE_{lvl}_ENVELOPED");
            assert!(
                matches!(
                    sign_document(&t, bad, None, signer(), T),
                    Err(DocError::NotXml(_))
                ),
                "{bad:?}"
            );
        }
        // Enveloping and detached take arbitrary bytes.
        sign_document("XADES_BASELINE_B_ENVELOPING", bad, None, signer(), T).unwrap();
        sign_document("XADES_BASELINE_B_DETACHED", bad, None, signer(), T).unwrap();
    }
}

#[test]
fn deterministic_and_unique_ids() {
    let a = sign_document(
        "XADES_BASELINE_B_ENVELOPED",
        CANONICAL.as_bytes(),
        None,
        signer(),
        T,
    )
    .unwrap();
    let b = sign_document(
        "XADES_BASELINE_B_ENVELOPED",
        CANONICAL.as_bytes(),
        None,
        signer(),
        T,
    )
    .unwrap();
    assert_eq!(a, b);
    // Counter-signing the signed output must not duplicate Id values.
    let twice = sign_document("XADES_BASELINE_B_ENVELOPED", &a.bytes, None, signer(), T).unwrap();
    assert_well_formed(&twice.bytes);
    let xml = String::from_utf8(twice.bytes).unwrap();
    let ids: Vec<&str> = xml
        .split(" Id=\"")
        .skip(1)
        .map(|s| &s[..s.find('"').unwrap()])
        .collect();
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(ids.len(), unique.len(), "{ids:?}");
}

#[test]
fn truncated_xml_never_panics() {
    for cut in 0..MESSY.len() {
        let _ = sign_document(
            "XADES_BASELINE_B_ENVELOPED",
            &MESSY.as_bytes()[..cut],
            None,
            signer(),
            T,
        );
    }
}

/// B-T and B-LT: xmlsec1 verifies the signature with the chain to the sandbox CA (trusting
/// only the CA, taking the signer certificate from KeyInfo); `openssl ts -verify` checks the
/// signature time-stamp token against the CA over the exc-c14n form of `ds:SignatureValue`;
/// B-LT carries the certificates and revocation values.
#[test]
fn time_stamped_levels_verify_against_the_sandbox_ca() {
    let dir = scratch("xades-levels");
    let ca = common::ca_pem(&dir);
    for lvl in ["B", "T", "LT", "LTA"] {
        let t = format!("XADES_BASELINE_{lvl}_ENVELOPING");
        let doc = sign_document(&t, b"payload", Some("p.bin"), signer(), T).unwrap();
        let xml = String::from_utf8(doc.bytes.clone()).unwrap();
        std::fs::write(dir.join("sig.xml"), &doc.bytes).unwrap();
        let res = Command::new("xmlsec1")
            .current_dir(&dir)
            .args(["--verify", "--trusted-pem"])
            .arg(&ca)
            .args(["--verification-time", "2024-05-31 16:08:37"])
            .args([
                "--id-attr:Id",
                "http://uri.etsi.org/01903/v1.3.2#:SignedProperties",
            ])
            .args(["--id-attr:Id", "http://www.w3.org/2000/09/xmldsig#:Object"])
            .arg("sig.xml")
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&res.stderr).into_owned();
        assert!(res.status.success(), "xmlsec1 --verify {t}: {text}");
        // A tampered copy (other content in the signed ds:Object) fails.
        let original = B64.encode_to_string(b"payload");
        assert!(xml.contains(&original), "{t}");
        let bad = xml.replace(&original, &B64.encode_to_string(b"paylaod"));
        std::fs::write(dir.join("bad.xml"), bad).unwrap();
        let res = Command::new("xmlsec1")
            .current_dir(&dir)
            .args(["--verify", "--trusted-pem"])
            .arg(&ca)
            .args(["--verification-time", "2024-05-31 16:08:37"])
            .args([
                "--id-attr:Id",
                "http://uri.etsi.org/01903/v1.3.2#:SignedProperties",
            ])
            .args(["--id-attr:Id", "http://www.w3.org/2000/09/xmldsig#:Object"])
            .arg("bad.xml")
            .output()
            .unwrap();
        assert!(!res.status.success(), "xmlsec1 accepted a tampered {t}");
        if lvl == "B" {
            assert!(!xml.contains("SignatureTimeStamp"), "{t}");
            continue;
        }
        let token = B64
            .decode_to_vec(text_of(&xml, "xades:EncapsulatedTimeStamp"))
            .unwrap();
        std::fs::write(dir.join("token.der"), &token).unwrap();
        let id_at = xml.find("<ds:SignatureValue Id=\"").unwrap() + 23;
        let id = &xml[id_at..id_at + xml[id_at..].find('"').unwrap()];
        let canonical = format!(
            "<ds:SignatureValue xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\" Id=\"{id}\">{}</ds:SignatureValue>",
            text_of(&xml, "ds:SignatureValue")
        );
        let digest = hex::encode(Sha256::digest(canonical.as_bytes()));
        let res = Command::new("openssl")
            .current_dir(&dir)
            .args([
                "ts",
                "-verify",
                "-token_in",
                "-in",
                "token.der",
                "-digest",
                &digest,
                "-CAfile",
            ])
            .arg(&ca)
            .output()
            .unwrap();
        let out = String::from_utf8_lossy(&res.stdout).into_owned()
            + &String::from_utf8_lossy(&res.stderr);
        assert!(
            res.status.success() && out.contains("Verification: OK"),
            "{t}: {out}"
        );
        let wrong = hex::encode(Sha256::digest(b"something else"));
        let res = Command::new("openssl")
            .current_dir(&dir)
            .args([
                "ts",
                "-verify",
                "-token_in",
                "-in",
                "token.der",
                "-digest",
                &wrong,
                "-CAfile",
            ])
            .arg(&ca)
            .output()
            .unwrap();
        assert!(
            !res.status.success(),
            "{t}: a token verified against the wrong imprint"
        );
        let lt = lvl == "LT" || lvl == "LTA";
        for needle in [
            "xades:CertificateValues",
            "xades:EncapsulatedCRLValue",
            "xades:EncapsulatedOCSPValue",
        ] {
            assert_eq!(xml.contains(needle), lt, "{t}: {needle}");
        }
    }
}
