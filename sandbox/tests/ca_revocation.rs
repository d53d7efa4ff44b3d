//! The sandbox CA publishes revocation data as a real one does: every certificate names a
//! CRL and an OCSP responder on the pages port; `openssl crl` and `openssl ocsp` (programs
//! nobody here wrote) read them, before and after a test customer's certificate is revoked
//! through the control API. Also: the certificate looks qualified (`openssl x509 -text`).

mod common;

use common::{ca_pem, sandbox, scratch};
use std::io::{Read, Write};
use std::path::Path;
use std::process::Command;

/// A plain HTTP/1.1 request on loopback; returns (status, body).
fn http(method: &str, url: &str) -> (u16, Vec<u8>) {
    let rest = url.strip_prefix("http://").unwrap();
    let (host, path) = rest.split_at(rest.find('/').unwrap());
    let mut s = std::net::TcpStream::connect(host).unwrap();
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: {host}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8_lossy(&raw[..split]).to_string();
    let status = head[9..12].parse().unwrap();
    let mut body = raw[split + 4..].to_vec();
    if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        let mut out = Vec::new();
        let mut rest = &body[..];
        loop {
            let eol = rest.windows(2).position(|w| w == b"\r\n").unwrap();
            let n = usize::from_str_radix(std::str::from_utf8(&rest[..eol]).unwrap().trim(), 16)
                .unwrap();
            if n == 0 {
                break;
            }
            out.extend_from_slice(&rest[eol + 2..eol + 2 + n]);
            rest = &rest[eol + 2 + n + 2..];
        }
        body = out;
    }
    (status, body)
}

fn openssl(args: &[&str], dir: &Path) -> String {
    let out = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "openssl {args:?}:\n{text}");
    text
}

fn ocsp_status(dir: &Path, cert: &str) -> String {
    let url = format!("{}/ca/ocsp", sandbox().pages_url);
    openssl(
        &[
            "ocsp", "-issuer", "ca.pem", "-cert", cert, "-url", &url, "-CAfile", "ca.pem",
        ],
        dir,
    )
}

fn crl_text(dir: &Path) -> String {
    let (status, crl) = http("GET", &format!("{}/ca/crl", sandbox().pages_url));
    assert_eq!(status, 200);
    std::fs::write(dir.join("crl.der"), crl).unwrap();
    // -verify checks the CA's signature on the CRL.
    openssl(
        &[
            "crl", "-inform", "DER", "-in", "crl.der", "-CAfile", "ca.pem", "-verify", "-noout",
            "-text",
        ],
        dir,
    )
}

#[test]
fn revoking_a_customer_shows_in_the_crl_and_ocsp() {
    let dir = scratch("revocation");
    ca_pem(&dir);
    let sb = sandbox();
    // The last default customer, so the signing tests (customer 0) are not affected.
    let user = sb.app.users.last().unwrap();
    let cert_id = user.config.cert_id.clone();
    let (status, pem) = http(
        "GET",
        &format!("{}/users/{cert_id}/certificate", sb.control_url),
    );
    assert_eq!(status, 200);
    std::fs::write(dir.join("user.pem"), &pem).unwrap();

    let text = openssl(&["x509", "-in", "user.pem", "-noout", "-text"], &dir);
    let serial = openssl(&["x509", "-in", "user.pem", "-noout", "-serial"], &dir);
    let serial = serial.trim().strip_prefix("serial=").unwrap().to_string();
    for needle in [
        "Non Repudiation",
        "qcStatements",
        "0.4.0.194112.1.2",
        "serialNumber",
        "PNOBG-",
        &format!("URI:{}/ca/crl", sb.pages_url),
        &format!("OCSP - URI:{}/ca/ocsp", sb.pages_url),
        &format!("CA Issuers - URI:{}/ca/ca.crt", sb.pages_url),
    ] {
        assert!(text.contains(needle), "certificate lacks {needle}:\n{text}");
    }
    openssl(&["verify", "-CAfile", "ca.pem", "user.pem"], &dir);

    let before = ocsp_status(&dir, "user.pem");
    assert!(before.contains("user.pem: good"), "{before}");
    assert!(before.contains("Response verify OK"), "{before}");
    assert!(!crl_text(&dir).contains(&serial));

    let (status, body) = http(
        "POST",
        &format!("{}/users/{cert_id}/revoke", sb.control_url),
    );
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    let after = ocsp_status(&dir, "user.pem");
    assert!(after.contains("user.pem: revoked"), "{after}");
    assert!(after.contains("Revocation Time"), "{after}");
    let crl = crl_text(&dir);
    assert!(
        crl.contains(&format!("Serial Number: {serial}")),
        "serial {serial} not in:\n{crl}"
    );
    // openssl verify with the CRL (as PEM) now refuses the certificate.
    openssl(
        &["crl", "-inform", "DER", "-in", "crl.der", "-out", "crl.pem"],
        &dir,
    );
    let out = Command::new("openssl")
        .args([
            "verify",
            "-crl_check",
            "-CRLfile",
            "crl.pem",
            "-CAfile",
            "ca.pem",
            "user.pem",
        ])
        .current_dir(&dir)
        .output()
        .unwrap();
    let text =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success() && text.contains("revoked"), "{text}");

    // Unknown customers and unknown routes are refused.
    assert_eq!(
        http("POST", &format!("{}/users/nobody/revoke", sb.control_url)).0,
        404
    );
}

#[test]
fn the_ca_certificate_is_published() {
    let dir = scratch("ca-cert");
    ca_pem(&dir);
    let (status, der) = http("GET", &format!("{}/ca/ca.crt", sandbox().pages_url));
    assert_eq!(status, 200);
    std::fs::write(dir.join("published.der"), der).unwrap();
    let a = openssl(
        &[
            "x509",
            "-inform",
            "DER",
            "-in",
            "published.der",
            "-noout",
            "-fingerprint",
        ],
        &dir,
    );
    let b = openssl(&["x509", "-in", "ca.pem", "-noout", "-fingerprint"], &dir);
    assert_eq!(a, b);
}
