//! PAdES: ISO 32000-1 signature fields in incremental updates, validated by pyHanko (a
//! separate program: `sandbox/tests/validators/pades.py` on pyHanko's API, and the
//! `pyhanko sign validate` CLI) against the sandbox CA at B-B, B-T, B-LT and B-LTA; refusals;
//! and a visible signature checked on a page rendered by poppler's `pdftoppm`.

mod common;

use common::{ca_pem, scratch, signer, venv_bin};
use cqes_sandbox::docgen::{
    check_pdf, sign_document, sign_document_with, DocError, Options, Visual,
};
use std::path::Path;
use std::process::Command;

const PAGE_OBJECTS: [&str; 3] = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Resources << >> >>",
];

/// Sandbox time for these signatures: now (the validators check against the real clock).
fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64
}

/// A hand-written PDF 1.4 with a classic `xref` table and `trailer`.
fn classic_pdf() -> Vec<u8> {
    let mut out = b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n".to_vec();
    let mut offsets = Vec::new();
    let info =
        "<< /Title (Hello \\(classic\\)) /Producer (hand) /Author <FEFF0041> /Pages 2 0 R >>";
    for (i, body) in PAGE_OBJECTS.iter().chain([&info]).enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{body}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(b"xref\n0 5\n0000000000 65535 f \n");
    for off in offsets {
        out.extend_from_slice(format!("{off:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size 5 /Root 1 0 R /Info 4 0 R /ID [<00112233445566778899AABBCCDDEEFF> <00112233445566778899AABBCCDDEEFF>] >>\nstartxref\n{xref}\n%%EOF\n"
        )
        .as_bytes(),
    );
    out
}

/// A hand-written PDF 1.5 whose only cross-reference section is an uncompressed xref stream;
/// it deliberately ends without a final newline.
fn xref_stream_pdf() -> Vec<u8> {
    let mut out = b"%PDF-1.5\n".to_vec();
    let mut offsets = Vec::new();
    let info = "<< /Title (Streamy) /Subject (xref stream test) >>";
    for (i, body) in PAGE_OBJECTS.iter().chain([&info]).enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{body}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    offsets.push(xref);
    // /W [1 2 1]: type, offset, generation. Object 0 is the head of the free list.
    let mut rows = vec![0u8, 0, 0, 255];
    for off in &offsets {
        rows.extend_from_slice(&[1, (off >> 8) as u8, (off & 0xff) as u8, 0]);
    }
    out.extend_from_slice(
        format!(
            "5 0 obj\n<< /Type /XRef /Size 6 /W [1 2 1] /Index [0 6] /Root 1 0 R /Info 4 0 R /Length {} >>\nstream\n",
            rows.len()
        )
        .as_bytes(),
    );
    out.extend_from_slice(&rows);
    out.extend_from_slice(format!("\nendstream\nendobj\nstartxref\n{xref}\n%%EOF").as_bytes());
    out
}

/// A PDF written by lopdf with object streams and a Flate-compressed xref stream.
fn lopdf_modern_pdf() -> Vec<u8> {
    use lopdf::{dictionary, Document, Object};
    let mut doc = Document::with_version("1.7");
    let pages_id = doc.new_object_id();
    let page_id = doc.add_object(dictionary! {
        "Type" => "Page", "Parent" => pages_id,
        "MediaBox" => vec![0.into(), 0.into(), 300.into(), 300.into()],
    });
    doc.objects.insert(
        pages_id,
        Object::Dictionary(
            dictionary! { "Type" => "Pages", "Kids" => vec![page_id.into()], "Count" => 1 },
        ),
    );
    let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    let info_id = doc.add_object(dictionary! { "Title" => Object::string_literal("Modern") });
    doc.trailer.set("Root", catalog_id);
    doc.trailer.set("Info", info_id);
    let mut out = Vec::new();
    doc.save_modern(&mut out).unwrap();
    out
}

/// Runs `pades.py` (pyHanko's API); returns (success, output).
fn pyhanko_api(dir: &Path, pdf: &[u8], level: &str) -> (bool, String) {
    let file = dir.join(format!("signed-{level}.pdf"));
    std::fs::write(&file, pdf).unwrap();
    let script = common::repo_root().join("sandbox/tests/validators/pades.py");
    let out = Command::new(venv_bin("python"))
        .arg(script)
        .arg(&file)
        .arg(ca_pem(dir))
        .arg(level)
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

/// Runs the `pyhanko sign validate` CLI with the sandbox CA as the only trust root.
fn pyhanko_cli(dir: &Path, pdf: &[u8]) -> (bool, String) {
    let file = dir.join("cli.pdf");
    std::fs::write(&file, pdf).unwrap();
    let out = Command::new(venv_bin("pyhanko"))
        .args(["sign", "validate", "--trust-replace", "--trust"])
        .arg(ca_pem(dir))
        .arg(&file)
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

/// Runs poppler's `pdfsig` (installed with poppler-utils by scripts/setup).
fn pdfsig(dir: &Path, pdf: &[u8]) -> (String, bool) {
    let file = dir.join("pdfsig.pdf");
    std::fs::write(&file, pdf).unwrap();
    let out = Command::new("pdfsig")
        .arg(&file)
        .output()
        .expect("pdfsig (poppler-utils) is installed by scripts/setup");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (text, out.status.success())
}

/// A copy with one byte of the original document changed (inside the signed range).
fn tampered(signed: &[u8], original_len: usize) -> Vec<u8> {
    let mut bad = signed.to_vec();
    let at = bad[..original_len]
        .windows(5)
        .position(|w| w == b"/Type")
        .unwrap();
    bad[at + 1] = b't';
    bad
}

fn pades_level(level: &str, original: &[u8]) {
    let dir = scratch(&format!("pades-{level}"));
    let doc = sign_document(
        &format!("PADES_BASELINE_{level}"),
        original,
        Some("c.pdf"),
        signer(),
        now(),
    )
    .unwrap();
    assert!(
        doc.bytes.starts_with(original),
        "the original bytes are kept"
    );
    assert_eq!(doc.content_type, "application/pdf");
    let (ok, out) = pyhanko_api(&dir, &doc.bytes, level);
    println!("pyHanko API, PAdES-B-{level}:\n{out}");
    assert!(ok, "pyHanko refused PAdES-B-{level}:\n{out}");
    let (ok, out) = pyhanko_cli(&dir, &doc.bytes);
    assert!(ok, "pyhanko sign validate refused PAdES-B-{level}:\n{out}");
    // "<field>:<sha256>:INTACT:TRUSTED,<modification level>" (the CLI's summary line).
    assert!(
        out.contains(":INTACT:TRUSTED"),
        "not intact and trusted:\n{out}"
    );
    println!("pyhanko sign validate, PAdES-B-{level}: {}", out.trim());
    // poppler's pdfsig: what the signature panel of Evince or Okular shows.
    let (panel, _) = pdfsig(&dir, &doc.bytes);
    for needle in [
        "Signature Field Name: Signature1",
        "Signer Certificate Common Name: Ivan Petrov",
        "Signature Type: ETSI.CAdES.detached",
        "Signature Validation: Signature is Valid.",
    ] {
        assert!(panel.contains(needle), "pdfsig lacks {needle:?}:\n{panel}");
    }
    let bad = tampered(&doc.bytes, original.len());
    let (panel, _) = pdfsig(&dir, &bad);
    assert!(
        !panel.contains("Signature is Valid."),
        "pdfsig accepted a tampered file:\n{panel}"
    );
    let (ok, out) = pyhanko_api(&dir, &bad, level);
    assert!(!ok, "a tampered PAdES-B-{level} passed:\n{out}");
    let (ok, out) = pyhanko_cli(&dir, &bad);
    assert!(
        !ok && !out.contains(":INTACT:"),
        "the CLI accepted a tampered file:\n{out}"
    );
}

#[test]
fn pades_b_validates_with_pyhanko() {
    pades_level("B", &classic_pdf());
}

#[test]
fn pades_t_validates_with_pyhanko() {
    pades_level("T", &xref_stream_pdf());
}

#[test]
fn pades_lt_validates_with_pyhanko() {
    pades_level("LT", &lopdf_modern_pdf());
}

#[test]
fn pades_lta_validates_with_pyhanko() {
    pades_level("LTA", &classic_pdf());
}

#[test]
fn every_pdf_shape_gets_a_signature_field() {
    for (label, pdf) in [
        ("classic", classic_pdf()),
        ("xref stream", xref_stream_pdf()),
        ("object streams", lopdf_modern_pdf()),
    ] {
        let doc = sign_document("PADES_BASELINE_B", &pdf, None, signer(), now()).unwrap();
        let parsed = lopdf::Document::load_mem(&doc.bytes).unwrap();
        assert!(
            parsed.xref_recovery.is_none(),
            "{label}: the update's xref reads"
        );
        let catalog = parsed.catalog().unwrap();
        let acro = parsed
            .get_dictionary(catalog.get(b"AcroForm").unwrap().as_reference().unwrap())
            .unwrap();
        assert_eq!(acro.get(b"SigFlags").unwrap().as_i64().unwrap(), 3);
        let fields = acro.get(b"Fields").unwrap().as_array().unwrap();
        let field = parsed
            .get_dictionary(fields[0].as_reference().unwrap())
            .unwrap();
        assert_eq!(field.get(b"FT").unwrap().as_name().unwrap(), b"Sig");
        let sig = parsed
            .get_dictionary(field.get(b"V").unwrap().as_reference().unwrap())
            .unwrap();
        assert_eq!(
            sig.get(b"Filter").unwrap().as_name().unwrap(),
            b"Adobe.PPKLite"
        );
        assert_eq!(
            sig.get(b"SubFilter").unwrap().as_name().unwrap(),
            b"ETSI.CAdES.detached"
        );
        let range: Vec<i64> = sig
            .get(b"ByteRange")
            .unwrap()
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n.as_i64().unwrap())
            .collect();
        // The ranges cover the whole file except /Contents.
        assert_eq!(range[0], 0, "{label}");
        assert_eq!((range[2] + range[3]) as usize, doc.bytes.len(), "{label}");
        assert_eq!(doc.bytes[range[1] as usize], b'<', "{label}");
        assert_eq!(doc.bytes[range[2] as usize - 1], b'>', "{label}");
    }
}

#[test]
fn refuses_what_cannot_be_signed() {
    let msg = |bytes: &[u8], page: Option<u32>| match check_pdf(bytes, page) {
        Err(DocError::NotPdf(m)) => m,
        other => panic!("expected a refusal, got {other:?}"),
    };
    assert!(msg(b"hello", None).contains("%PDF-"));
    // A tiny PDF without any cross-reference section.
    let tiny = b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n%%EOF\n";
    assert!(
        msg(tiny, None).contains("cross-reference"),
        "{}",
        msg(tiny, None)
    );
    let pdf = classic_pdf();
    let at = pdf.windows(11).rposition(|w| w == b"/Root 1 0 R").unwrap();
    let enc = [&pdf[..at], b"/Encrypt 9 0 R ", &pdf[at..]].concat();
    assert!(msg(&enc, None).contains("encrypted"), "{}", msg(&enc, None));
    let m = msg(&pdf, Some(2));
    assert!(
        m.contains("page 2 does not exist") && m.contains("1 page"),
        "{m}"
    );
    check_pdf(&pdf, Some(1)).unwrap();
    // And signing refuses the same things.
    assert!(matches!(
        sign_document("PADES_BASELINE_B", tiny, None, signer(), now()),
        Err(DocError::NotPdf(_))
    ));
}

#[test]
fn truncated_or_corrupted_input_never_panics() {
    for original in [classic_pdf(), xref_stream_pdf()] {
        for cut in (0..original.len()).step_by(7) {
            if let Ok(doc) =
                sign_document("PADES_BASELINE_B", &original[..cut], None, signer(), now())
            {
                assert!(doc.bytes.starts_with(&original[..cut]));
            }
        }
        for i in (0..original.len()).step_by(16) {
            for b in [b'<', b'(', b'0', b' ', 0xff] {
                let mut bad = original.clone();
                bad[i] = b;
                let _ = sign_document("PADES_BASELINE_B", &bad, None, signer(), now());
            }
        }
    }
}

/// Renders page 1 with poppler's pdftoppm (72 dpi, grey): (width, height, pixels).
fn render(dir: &Path, name: &str, pdf: &[u8]) -> (usize, usize, Vec<u8>) {
    let file = dir.join(format!("{name}.pdf"));
    std::fs::write(&file, pdf).unwrap();
    let prefix = dir.join(name);
    let out = Command::new("pdftoppm")
        .args(["-r", "72", "-gray", "-singlefile", "-f", "1", "-l", "1"])
        .arg(&file)
        .arg(&prefix)
        .output()
        .expect("pdftoppm (poppler-utils) is installed by scripts/setup");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let pgm = std::fs::read(dir.join(format!("{name}.pgm"))).unwrap();
    // "P5\n<w> <h>\n255\n" then one byte per pixel.
    let mut fields = Vec::new();
    let mut pos = 0;
    while fields.len() < 4 {
        while pgm[pos].is_ascii_whitespace() {
            pos += 1;
        }
        let start = pos;
        while !pgm[pos].is_ascii_whitespace() {
            pos += 1;
        }
        fields.push(String::from_utf8_lossy(&pgm[start..pos]).to_string());
    }
    assert_eq!(fields[0], "P5");
    let (w, h): (usize, usize) = (fields[1].parse().unwrap(), fields[2].parse().unwrap());
    (w, h, pgm[pos + 1..].to_vec())
}

#[test]
fn visible_signature_is_drawn_where_asked() {
    let dir = scratch("pades-visible");
    let pdf = classic_pdf();
    // A 150 × 60 pt box whose upper-left corner is at (20, 120) in a 200 × 200 pt page.
    let visual = Visual {
        page: 1,
        x: 20.0,
        y: 120.0,
        width: 150.0,
        height: 60.0,
    };
    let doc = sign_document_with(
        "PADES_BASELINE_B",
        &pdf,
        None,
        signer(),
        now(),
        &Options {
            visual: Some(visual),
        },
    )
    .unwrap();
    let (ok, out) = pyhanko_api(&dir, &doc.bytes, "B");
    assert!(ok, "{out}");
    let (w, h, before) = render(&dir, "unsigned", &pdf);
    let (w2, h2, after) = render(&dir, "signed", &doc.bytes);
    assert_eq!((w, h), (200, 200));
    assert_eq!((w2, h2), (w, h));
    // Pixel rows count from the top: the box spans y 120..60 in PDF space = rows 80..140.
    let non_white = |px: &[u8], x0: usize, x1: usize, y0: usize, y1: usize| {
        (y0..y1)
            .flat_map(|y| (x0..x1).map(move |x| (x, y)))
            .filter(|&(x, y)| px[y * w + x] < 250)
            .count()
    };
    let area = 150 * 60;
    assert_eq!(
        non_white(&before, 20, 170, 80, 140),
        0,
        "the unsigned page is blank there"
    );
    let inside = non_white(&after, 20, 170, 80, 140);
    assert!(
        inside * 2 > area,
        "the signature box fills its place ({inside} of {area} pixels)"
    );
    // Nothing is drawn outside the box.
    let total = non_white(&after, 0, w, 0, h);
    assert_eq!(total, inside, "drawing outside the requested box");
    // A page that does not exist is refused.
    let far = Visual { page: 3, ..visual };
    assert!(matches!(
        sign_document_with("PADES_BASELINE_B", &pdf, None, signer(), now(), &Options { visual: Some(far) }),
        Err(DocError::NotPdf(m)) if m.contains("page 3")
    ));
}

#[test]
fn deterministic_at_every_level() {
    let pdf = xref_stream_pdf();
    let t = now();
    for level in ["B", "LTA"] {
        let ty = format!("PADES_BASELINE_{level}");
        let a = sign_document(&ty, &pdf, None, signer(), t).unwrap();
        let b = sign_document(&ty, &pdf, None, signer(), t).unwrap();
        assert_eq!(a, b, "{ty}");
        assert_eq!(a.file_name, "signed.pdf");
    }
}

/// A signed PDF signed again (a second signer, or the same document sent twice) keeps the
/// first signature valid: pyHanko sees both, intact and trusted, the first one extended by
/// an allowed change (a new signature field).
#[test]
fn signing_a_signed_pdf_keeps_the_first_signature() {
    let dir = scratch("pades-twice");
    let once = sign_document("PADES_BASELINE_B", &classic_pdf(), None, signer(), now()).unwrap();
    let twice = sign_document("PADES_BASELINE_T", &once.bytes, None, signer(), now()).unwrap();
    assert!(twice.bytes.starts_with(&once.bytes));
    let (ok, out) = pyhanko_cli(&dir, &twice.bytes);
    assert!(ok, "{out}");
    for field in ["Signature1:", "Signature2:"] {
        let line = out
            .lines()
            .find(|l| l.starts_with(field))
            .unwrap_or_else(|| panic!("no {field} in {out}"));
        assert!(line.contains(":INTACT:TRUSTED"), "{line}");
    }
}
