//! `cqes demo ars`, and `consent request|status`, `autosign`, `token check` against a
//! sandbox in another process over mTLS, with exit codes.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

fn cqes() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_cqes"));
    for var in [
        "CQES_ENV",
        "CQES_RP_ID",
        "CQES_CERT",
        "CQES_KEY",
        "CQES_P12",
        "CQES_P12_PASSWORD",
        "CQES_CA",
        "CQES_CONFIG",
    ] {
        c.env_remove(var);
    }
    c
}

fn run_json(cmd: &mut Command) -> (i32, Value) {
    let out = cmd.arg("--json").output().unwrap();
    let code = out.status.code().unwrap_or(-1);
    let text = String::from_utf8_lossy(&out.stdout);
    let v = serde_json::from_str(&text).unwrap_or_else(|_| {
        panic!(
            "not JSON (exit {code}): {text} / {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (code, v)
}

fn tmp(name: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("cqes-ars-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn demo_ars_consents_signs_three_then_a_batch_of_ten() {
    let out = tmp("demo");
    let (code, v) = run_json(
        cqes()
            .args(["demo", "ars", "--approve-after-ms", "200", "--out"])
            .arg(&out),
    );
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["syncSigned"], 3);
    assert_eq!(v["batchSigned"], 10);
    let pdfs = std::fs::read_dir(&out).unwrap().count();
    assert_eq!(pdfs, 14, "13 signed invoices and the signed consent");
    let signed = std::fs::read(out.join("invoice-1-signed.pdf")).unwrap();
    assert!(signed.starts_with(b"%PDF"));
}

struct Serve(Child);
impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn consent_autosign_and_token_check_from_the_shell() {
    let certs = tmp("certs");
    let (code, _) = run_json(cqes().args(["sandbox", "certs", "--out"]).arg(&certs));
    assert_eq!(code, 0);
    let mut child = cqes()
        .args([
            "sandbox",
            "serve",
            "--port",
            "0",
            "--control-port",
            "0",
            "--approve-after-ms",
            "200",
            "--json",
            "--certs",
        ])
        .arg(&certs)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let _guard = Serve(child);
    let started: Value = serde_json::from_str(&line).unwrap();
    let base = started["baseUrl"].as_str().unwrap().to_owned();
    let conn = |c: &mut Command| {
        c.args(["--env", &base, "--rp-id", "12345678", "--p12"])
            .arg(certs.join("rp-12345678.p12"))
            .args(["--p12-password", "cqes", "--ca"])
            .arg(certs.join("ca.pem"));
    };
    let dir = tmp("work");
    let token = dir.join("token.json");
    let mut c = cqes();
    conn(&mut c);
    let (code, v) = run_json(
        c.args([
            "consent",
            "request",
            "--cert-id",
            "7742",
            "--org-id",
            "121234567",
            "--org-name",
            "Example Ltd",
            "--role",
            "Manager",
            "--subject",
            "Invoices",
            "--token-file",
        ])
        .arg(&token)
        .arg("--consent-out")
        .arg(dir.join("consent.pdf")),
    );
    assert_eq!(code, 0, "{v}");
    let callback_id = v["callbackId"].as_str().unwrap().to_owned();
    let file: Value = serde_json::from_slice(&std::fs::read(&token).unwrap()).unwrap();
    let secret = file["accessToken"].as_str().unwrap().to_owned();
    assert!(!secret.is_empty());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&token).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    assert!(std::fs::read(dir.join("consent.pdf"))
        .unwrap()
        .starts_with(b"%PDF"));

    let mut c = cqes();
    conn(&mut c);
    let (code, v) = run_json(c.args(["consent", "status", &callback_id]));
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["status"], "COMPLETED");
    assert!(
        !v.to_string().contains(&secret),
        "status never prints the token"
    );

    let doc = dir.join("invoice.pdf");
    std::fs::write(&doc, include_bytes!("../assets/sample-contract.pdf")).unwrap();
    let mut c = cqes();
    conn(&mut c);
    let out = dir.join("signed");
    let (code, v) = run_json(
        c.arg("autosign")
            .arg(&doc)
            .arg("--token-file")
            .arg(&token)
            .arg("--out")
            .arg(&out),
    );
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["signed"], 1);
    assert!(!v.to_string().contains(&secret));
    let file: Value = serde_json::from_slice(&std::fs::read(&token).unwrap()).unwrap();
    assert!(
        file["validatedAtMs"].is_u64(),
        "the validation is remembered"
    );

    let mut c = cqes();
    conn(&mut c);
    let (code, v) = run_json(
        c.args(["token", "check", "--remote", "--token-file"])
            .arg(&token),
    );
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["valid"], true);
    assert_eq!(v["advice"]["renew"], false);
    assert!(v["advice"]["daysLeft"].as_u64().unwrap() >= 364);

    // Revoked through the control API: autosign exits 9 (consent needed).
    let control = started["controlUrl"].as_str().unwrap().to_owned();
    let answer = post(&control, &format!("/ars/consents/{callback_id}/revoke"));
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    let mut c = cqes();
    conn(&mut c);
    let (code, v) = run_json(
        c.arg("autosign")
            .arg(&doc)
            .arg("--token-file")
            .arg(&token)
            .arg("--out")
            .arg(&out),
    );
    assert_eq!(code, 9, "{v}");
    assert_eq!(v["error"], "consent_required");
}

/// A bodiless POST to the control API (plain HTTP on loopback); returns the raw answer.
fn post(base: &str, path: &str) -> String {
    use std::io::{Read, Write};
    let host = base.trim_start_matches("http://");
    let mut s = std::net::TcpStream::connect(host).unwrap();
    write!(
        s,
        "POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    out
}
