//! Shared test helpers: a throwaway signer and optional external validators.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use cqes_sandbox::docgen::Signer;
use p256::ecdsa::VerifyingKey;
use x509_cert::der::Decode;

/// 2024-05-31T16:08:37Z, an arbitrary fixed "sandbox clock" value.
pub const T: u64 = 1_717_171_717_000;

/// A sandbox running for the whole test binary (on its own runtime's worker thread), so
/// that the CRL and OCSP URLs in its certificates answer while validators run.
pub fn sandbox() -> &'static cqes_sandbox::Sandbox {
    static LIVE: OnceLock<(tokio::runtime::Runtime, cqes_sandbox::Sandbox)> = OnceLock::new();
    &LIVE
        .get_or_init(|| {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(1)
                .enable_all()
                .build()
                .unwrap();
            let sb = rt
                .block_on(cqes_sandbox::Sandbox::start(Default::default()))
                .unwrap();
            (rt, sb)
        })
        .1
}

/// The first test customer's signer (certificate from the sandbox CA).
pub fn signer() -> &'static Signer {
    &sandbox().app.users[0].signer
}

/// The sandbox CA certificate, PEM, written to `dir/ca.pem`.
pub fn ca_pem(dir: &Path) -> PathBuf {
    let path = dir.join("ca.pem");
    std::fs::write(&path, &sandbox().pki.ca_cert_pem).unwrap();
    path
}

/// The repository root.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// A program of the validators' virtualenv (`.venv-validators/`, made by `scripts/setup`
/// from `sandbox/tests/validators/requirements.txt`). Missing validators fail the test: a
/// signed-file test that cannot run must not pass.
pub fn venv_bin(program: &str) -> PathBuf {
    let path = repo_root().join(".venv-validators/bin").join(program);
    assert!(
        path.exists(),
        "{} is missing: run ./scripts/setup (it installs pyHanko into .venv-validators)",
        path.display()
    );
    path
}

/// The public key, taken from the certificate (not from the key pair).
pub fn cert_verifying_key(signer: &Signer) -> VerifyingKey {
    let cert = x509_cert::Certificate::from_der(&signer.cert_der).unwrap();
    let spki = &cert.tbs_certificate.subject_public_key_info;
    VerifyingKey::from_sec1_bytes(spki.subject_public_key.raw_bytes()).unwrap()
}

/// Whether an external tool can be run (`tool version`-style probe).
pub fn have(tool: &str, probe: &str) -> bool {
    let ok = Command::new(tool)
        .arg(probe)
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        eprintln!("NOTE: `{tool}` not found on PATH; skipping the checks that need it");
    }
    ok
}

/// A fresh per-test scratch directory under the system temp dir.
pub fn scratch(name: &str) -> PathBuf {
    // Unique per call: tests run in parallel threads of one process, and a folder shared by
    // name was emptied and rewritten under another test's feet (an intermittent failure).
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("cqes-docgen-{}-{n}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// `openssl cms -verify -noverify` (signature + content, no chain building); with `content`
/// the signature is detached. Returns the recovered content, or openssl's complaint.
pub fn openssl_cms_verify(
    dir: &Path,
    sig_der: &[u8],
    content: Option<&[u8]>,
) -> Result<Vec<u8>, String> {
    let sig = dir.join("sig.der");
    let out = dir.join("out.bin");
    std::fs::write(&sig, sig_der).unwrap();
    let mut cmd = Command::new("openssl");
    cmd.args([
        "cms",
        "-verify",
        "-binary",
        "-inform",
        "DER",
        "-noverify",
        "-in",
    ])
    .arg(&sig)
    .arg("-out")
    .arg(&out);
    if let Some(content) = content {
        let path = dir.join("content.bin");
        std::fs::write(&path, content).unwrap();
        cmd.arg("-content").arg(path);
    }
    let res = cmd.output().unwrap();
    if !res.status.success() {
        return Err(format!(
            "openssl cms -verify failed: {}{}",
            String::from_utf8_lossy(&res.stdout),
            String::from_utf8_lossy(&res.stderr)
        ));
    }
    Ok(std::fs::read(out).unwrap())
}

/// `openssl cms -cmsout -print` text, to check structure (attributes, sid).
pub fn openssl_cms_print(dir: &Path, sig_der: &[u8]) -> String {
    let sig = dir.join("print.der");
    std::fs::write(&sig, sig_der).unwrap();
    let res = Command::new("openssl")
        .args(["cms", "-cmsout", "-print", "-inform", "DER", "-in"])
        .arg(&sig)
        .output()
        .unwrap();
    assert!(res.status.success());
    String::from_utf8(res.stdout).unwrap()
}
