//! The `cqes` binary end to end: the demo, `sandbox certs`, `sandbox serve` in a child
//! process, and `cert`/`sign`/`status`/`download` against it over mTLS, with exit codes.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::path::Path;
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
    let d = std::env::temp_dir().join(format!("cqes-cli-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn demo_signs_the_sample_and_writes_a_real_pdf() {
    let out = tmp("demo");
    let (code, v) = run_json(
        cqes()
            .args(["demo", "--approve-after-ms", "300", "--out"])
            .arg(&out),
    );
    assert_eq!(code, 0, "{v}");
    let file = v["items"][0]["file"].as_str().unwrap();
    let bytes = std::fs::read(file).unwrap();
    assert!(bytes.starts_with(b"%PDF"));
    assert!(
        bytes.len() > 869,
        "the signed file carries an incremental update"
    );
    assert_eq!(v["items"][0]["status"], "SIGNED");
    assert!(Path::new(file)
        .file_name()
        .unwrap()
        .to_string_lossy()
        .ends_with("-signed.pdf"));
    let (code, v) = run_json(
        cqes()
            .args(["demo", "--reject", "--approve-after-ms", "100", "--out"])
            .arg(&out),
    );
    assert_eq!(code, 4, "rejection exits 4: {v}");
    assert_eq!(v["error"], "rejected");
}

#[test]
fn demo_identify_runs_web_identification_then_one_time_signing() {
    let out = tmp("demo-identify");
    let (code, v) = run_json(
        cqes()
            .args(["demo", "identify", "--act-after-ms", "200", "--out"])
            .arg(&out),
    );
    assert_eq!(code, 0, "{v}");
    assert!(v["identificationUrl"]
        .as_str()
        .unwrap()
        .contains("/session/"));
    assert_eq!(v["clientIdentificator"].as_str().unwrap().len(), 64);
    let signed = std::fs::read(v["signedDocuments"][0].as_str().unwrap()).unwrap();
    assert!(
        signed.starts_with(include_bytes!("../assets/sample-contract.pdf")),
        "an incremental update of the sample"
    );
    assert!(std::fs::read(v["eidCertificate"].as_str().unwrap())
        .unwrap()
        .starts_with(b"%PDF"));
}

struct Serve(Child);
impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn commands_against_a_sandbox_in_another_process() {
    let certs = tmp("certs");
    let (code, v) = run_json(cqes().args(["sandbox", "certs", "--out"]).arg(&certs));
    assert_eq!(code, 0);
    assert!(v["files"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f == "rp-12345678.p12"));
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
    // Certificate lookup.
    let mut c = cqes();
    conn(&mut c);
    let (code, v) = run_json(c.args(["cert", "--egn", "7501010010"]));
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["certId"], "7742");
    // Sign a file, keep the result.
    let dir = tmp("sign");
    let doc = dir.join("offer.pdf");
    std::fs::write(&doc, include_bytes!("../assets/sample-contract.pdf")).unwrap();
    let mut c = cqes();
    conn(&mut c);
    let (code, v) = run_json(
        c.arg("sign")
            .arg(&doc)
            .args([
                "--personal-id",
                "7501010010",
                "--rp-callback-id",
                "cli-1",
                "--out",
            ])
            .arg(&dir),
    );
    assert_eq!(code, 0, "{v}");
    let signed = v["items"][0]["file"].as_str().unwrap().to_owned();
    assert!(std::fs::read(&signed).unwrap().starts_with(b"%PDF"));
    // Status by rpCallbackId: downloaded once already.
    let mut c = cqes();
    conn(&mut c);
    let (code, v) = run_json(c.args(["status", "--rp-callback-id", "cli-1"]));
    assert_eq!(code, 0);
    assert_eq!(v["data"]["signatures"][0]["status"], "RECEIVED");
    let content_id = v["data"]["signatures"][0]["signature"]
        .as_str()
        .unwrap()
        .to_owned();
    // Download again by content id.
    let again = dir.join("again.pdf");
    let mut c = cqes();
    conn(&mut c);
    let (code, _) = run_json(c.args(["download", &content_id, "--out"]).arg(&again));
    assert_eq!(code, 0);
    assert_eq!(
        std::fs::read(&again).unwrap(),
        std::fs::read(&signed).unwrap()
    );
    // A duplicate rpCallbackId: the service refuses, exit code 3.
    let mut c = cqes();
    conn(&mut c);
    let (code, v) = run_json(c.arg("sign").arg(&doc).args([
        "--personal-id",
        "7501010010",
        "--rp-callback-id",
        "cli-1",
    ]));
    assert_eq!(code, 3, "{v}");
    assert_eq!(v["responseCode"], "RP_CALLBACK_ID_DUPLICATE");
    // Invalid input never leaves the machine: exit 2, with the path.
    let mut c = cqes();
    conn(&mut c);
    let (code, v) = run_json(
        c.arg("sign")
            .arg(&doc)
            .args(["--personal-id", "7501010011"]),
    );
    assert_eq!(code, 2);
    assert_eq!(v["issues"][0]["path"], "identity.personalId");
    assert!(
        !v.to_string().contains("7501010011"),
        "the EGN is not echoed"
    );
    // Identification through B-Trust Mobile (the sandbox's customer approves after 200 ms).
    let mut c = cqes();
    conn(&mut c);
    let (code, v) = run_json(
        c.args([
            "identify",
            "mobile",
            "--egn",
            "7501010010",
            "--dob",
            "01-01-1975",
            "--reason",
            "KYC",
            "--out",
        ])
        .arg(&dir),
    );
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["identificator"].as_str().unwrap().len(), 64);
    assert!(std::fs::read(v["eidCertificate"].as_str().unwrap())
        .unwrap()
        .starts_with(b"%PDF"));
    let mut c = cqes();
    conn(&mut c);
    let (code, v) = run_json(c.args([
        "identify",
        "mobile",
        "--egn",
        "7501010010",
        "--dob",
        "02-01-1975",
        "--reason",
        "KYC",
    ]));
    assert_eq!(code, 2, "a date of birth that disagrees with the EGN: {v}");
    assert_eq!(v["issues"][0]["path"], "personIdentityData.dateOfBirth");
    // Missing settings are explained, not guessed.
    let (code, v) = run_json(cqes().args(["status", "--rp-callback-id", "x"]));
    assert_eq!(code, 2);
    assert_eq!(v["issues"][0]["path"], "env");
}

#[test]
fn sandbox_serve_help_lists_only_what_a_server_uses() {
    let out = cqes()
        .args(["sandbox", "serve", "--help"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let help = String::from_utf8_lossy(&out.stdout);
    for client_only in [
        "--rp-id",
        "--p12",
        "--proxy",
        "--env",
        "--cert ",
        "--ca ",
        "--timeout",
    ] {
        assert!(!help.contains(client_only), "{client_only} in:\n{help}");
    }
    for server in [
        "--port",
        "--control-port",
        "--pages-port",
        "--strict-json",
        "--id-seed",
    ] {
        assert!(help.contains(server), "{server} missing in:\n{help}");
    }
    // The commands that connect still take them, after their name as before it.
    let out = cqes().args(["sign", "--help"]).output().unwrap();
    let help = String::from_utf8_lossy(&out.stdout);
    assert!(help.contains("--rp-id") && help.contains("--p12"), "{help}");
    // And a server refuses them rather than ignoring them.
    let out = cqes()
        .args(["sandbox", "serve", "--rp-id", "12345678"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

/// A sandbox in a child process with a configuration file; returns (base URL, guard).
fn serve_with(config: &str, certs: &Path) -> (String, Serve) {
    let cfg = certs.join("config.json");
    std::fs::write(&cfg, config).unwrap();
    let mut child = cqes()
        .args([
            "sandbox",
            "serve",
            "--port",
            "0",
            "--control-port",
            "0",
            "--pages-port",
            "0",
            "--json",
            "--certs",
        ])
        .arg(certs)
        .arg("--config")
        .arg(&cfg)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let guard = Serve(child);
    let started: Value = serde_json::from_str(&line).unwrap_or_else(|_| panic!("{line}"));
    (started["baseUrl"].as_str().unwrap().to_owned(), guard)
}

#[test]
fn a_service_that_always_answers_500_exits_3_and_input_errors_print_once() {
    let certs = tmp("always-500");
    let (base, _guard) = serve_with(
        r#"{"faults": {"seed": 1, "rules": [{"operation": "*", "rate": 1, "kinds": ["error"]}]}}"#,
        &certs,
    );
    let conn = |c: &mut Command| {
        c.args(["--env", &base, "--rp-id", "12345678", "--p12"])
            .arg(certs.join("rp-12345678.p12"))
            .args(["--p12-password", "cqes", "--ca"])
            .arg(certs.join("ca.pem"))
            .args(["--timeout", "5"]);
    };
    let doc = certs.join("offer.pdf");
    std::fs::write(&doc, include_bytes!("../assets/sample-contract.pdf")).unwrap();
    // The service answered every time (500): exit 3, not 6 (transport). Connection flags
    // work after the command too (here the CA: without it the TLS handshake would fail).
    let (code, v) = run_json(
        cqes()
            .args([
                "--env",
                &base,
                "--rp-id",
                "12345678",
                "cert",
                "--egn",
                "7501010010",
                "--p12",
            ])
            .arg(certs.join("rp-12345678.p12"))
            .args(["--p12-password", "cqes", "--ca"])
            .arg(certs.join("ca.pem")),
    );
    assert_eq!(code, 3, "{v}");
    let mut c = cqes();
    conn(&mut c);
    let (code, v) = run_json(
        c.arg("sign")
            .arg(&doc)
            .args(["--personal-id", "7501010010"]),
    );
    assert_eq!(code, 3, "{v}");
    assert_eq!(v["error"], "api", "{v}");
    // Invalid input: the issue is printed once, on its own line.
    let mut c = cqes();
    conn(&mut c);
    let out = c
        .arg("sign")
        .arg(&doc)
        .args(["--personal-id", "7501010011"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.matches("identity.personalId").count(), 1, "{err}");
    assert!(err.starts_with("error: invalid input (1 issue)"), "{err}");
}
