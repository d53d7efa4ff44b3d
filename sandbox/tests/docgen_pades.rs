//! PAdES: incremental update over classic-table and cross-reference-stream PDFs.

mod common;

use common::{have, openssl_cms_verify, scratch, signer, T};
use cqes_sandbox::docgen::{sign_document, DocError};

const PAGE_OBJECTS: [&str; 3] = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Resources << >> >>",
];

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

fn last_startxref(pdf: &[u8]) -> u64 {
    let at = pdf.windows(9).rposition(|w| w == b"startxref").unwrap();
    let rest = String::from_utf8_lossy(&pdf[at + 9..]);
    rest.split_whitespace().next().unwrap().parse().unwrap()
}

/// Pure-Rust check of our own cross-reference section: every entry must point at `n 0 obj`.
fn check_new_xref(out: &[u8], orig_len: usize, stream: bool) {
    let tail = String::from_utf8_lossy(&out[orig_len..]).into_owned();
    let xref_off = last_startxref(out) as usize;
    let (first, entries): (u64, Vec<u64>) = if stream {
        assert!(
            tail.contains("/Type /XRef") && !tail.contains("\ntrailer\n"),
            "{tail}"
        );
        let dict_end = out[xref_off..]
            .windows(7)
            .position(|w| w == b"stream\n")
            .unwrap();
        let dict = String::from_utf8_lossy(&out[xref_off..xref_off + dict_end]).into_owned();
        let w: usize = dict
            .split("/W [1 ")
            .nth(1)
            .unwrap()
            .split(' ')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        let first = dict
            .split("/Index [")
            .nth(1)
            .unwrap()
            .split(' ')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        let rows = &out[xref_off + dict_end + 7..];
        let offs = rows
            .chunks(1 + w + 2)
            .take(3)
            .map(|r| {
                assert_eq!(r[0], 1);
                r[1..=w].iter().fold(0u64, |a, b| (a << 8) | u64::from(*b))
            })
            .collect();
        (first, offs)
    } else {
        assert!(
            out[xref_off..].starts_with(b"xref\n"),
            "startxref must point at our table"
        );
        let table = String::from_utf8_lossy(&out[xref_off..]).into_owned();
        let mut lines = table.lines().skip(1);
        let header: Vec<u64> = lines
            .next()
            .unwrap()
            .split(' ')
            .map(|n| n.parse().unwrap())
            .collect();
        let offs = lines
            .take(header[1] as usize)
            .map(|l| l[..10].parse().unwrap())
            .collect();
        (header[0], offs)
    };
    for (i, off) in entries.iter().enumerate() {
        let expect = format!("{} 0 obj", first + i as u64);
        assert!(
            out[*off as usize..].starts_with(expect.as_bytes()),
            "entry {expect} -> {off}"
        );
    }
    let prev = format!("/Prev {}", last_startxref(&out[..orig_len]));
    assert!(tail.contains(&prev), "missing {prev}");
}

/// Signs `original` and runs every check we have; returns the signed bytes.
fn check_pades(label: &str, original: &[u8], stream: bool, title: Option<&[u8]>) -> Vec<u8> {
    let doc = sign_document(
        "PADES_BASELINE_B",
        original,
        Some("contract.pdf"),
        signer(),
        T,
    )
    .unwrap();
    assert_eq!(doc.file_name, "contract-signed.pdf");
    assert_eq!(doc.content_type, "application/pdf");
    let out = doc.bytes;
    assert!(
        out.starts_with(original),
        "original bytes must be untouched"
    );
    assert!(out.len() > original.len());
    assert!(out.ends_with(b"%%EOF\n"));
    check_new_xref(&out, original.len(), stream);

    let pdf = lopdf::Document::load_mem(&out).unwrap();
    assert_eq!(pdf.get_pages().len(), 1);
    let info_id = pdf.trailer.get(b"Info").unwrap().as_reference().unwrap();
    let info = pdf.get_dictionary(info_id).unwrap();
    assert_eq!(
        info.get(b"Producer").unwrap().as_str().unwrap(),
        b"cqes sandbox"
    );
    assert_eq!(
        info.get(b"ModDate").unwrap().as_str().unwrap(),
        b"D:20240531160837Z"
    );
    if let Some(title) = title {
        assert_eq!(info.get(b"Title").unwrap().as_str().unwrap(), title);
    }
    let sig_id = info
        .get(b"CqesSandboxSignature")
        .unwrap()
        .as_reference()
        .unwrap();
    let cms = pdf
        .get_object(sig_id)
        .unwrap()
        .as_stream()
        .unwrap()
        .content
        .clone();
    assert_eq!(cms[0], 0x30);

    let dir = scratch(label);
    if have("openssl", "version") {
        openssl_cms_verify(&dir, &cms, Some(original)).unwrap();
        println!("{label}: openssl cms -verify -content original: OK");
    }
    if have("qpdf", "--version") {
        let path = dir.join("signed.pdf");
        std::fs::write(&path, &out).unwrap();
        let res = std::process::Command::new("qpdf")
            .arg("--check")
            .arg(&path)
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&res.stdout).into_owned()
            + &String::from_utf8_lossy(&res.stderr);
        assert!(
            res.status.success() && !text.contains("WARNING"),
            "qpdf --check: {text}"
        );
        println!("{label}: qpdf --check: OK");
    }
    out
}

#[test]
fn classic_xref_table() {
    let original = classic_pdf();
    let out = check_pades("classic", &original, false, Some(b"Hello (classic)"));
    let tail = String::from_utf8_lossy(&out[original.len()..]).into_owned();
    // /ID keeps its first element and changes the second.
    assert!(
        tail.contains("/ID [<00112233445566778899AABBCCDDEEFF> <"),
        "{tail}"
    );
    assert!(tail.contains("/Root 1 0 R") && tail.contains("/Size 7"));
    // Parseable entries of the old Info are carried over; the old Producer is replaced.
    assert!(tail.contains("/Author <FEFF0041>") && !tail.contains("(hand)"));
}

#[test]
fn xref_stream() {
    let original = xref_stream_pdf();
    let out = check_pades("xrefstm", &original, true, Some(b"Streamy"));
    let tail = String::from_utf8_lossy(&out[original.len()..]).into_owned();
    assert!(
        tail.contains("/Size 9") && tail.contains("/Index [6 3]"),
        "{tail}"
    );
}

#[test]
fn compressed_xref_stream_and_object_streams() {
    let original = lopdf_modern_pdf();
    // The old Info lives in a compressed object stream, which we do not decode: nothing is
    // copied, but the update must still be valid.
    check_pades("modern", &original, true, None);
}

#[test]
fn signing_twice_chains_updates() {
    let once = check_pades("twice-1", &classic_pdf(), false, Some(b"Hello (classic)"));
    let twice = check_pades("twice-2", &once, false, Some(b"Hello (classic)"));
    assert!(twice.starts_with(&once));
    let once = check_pades("twice-3", &xref_stream_pdf(), true, Some(b"Streamy"));
    check_pades("twice-4", &once, true, Some(b"Streamy"));
}

#[test]
fn deterministic() {
    let pdf = classic_pdf();
    let a = sign_document("PADES_BASELINE_LTA", &pdf, None, signer(), T).unwrap();
    let b = sign_document("PADES_BASELINE_T", &pdf, None, signer(), T).unwrap();
    assert_eq!(a, b);
    assert_eq!(a.file_name, "signed.pdf");
}

#[test]
fn rejects_non_pdf_and_unusable_pdf() {
    let reject = |bytes: &[u8]| sign_document("PADES_BASELINE_B", bytes, None, signer(), T);
    for bad in [&b""[..], b"hello world", b"<xml/>", &[0u8; 2048]] {
        assert!(matches!(reject(bad), Err(DocError::NotPdf(_))), "{bad:?}");
    }
    // Header beyond the first 1024 bytes.
    let late = [vec![b' '; 1100], classic_pdf()].concat();
    assert!(matches!(reject(&late), Err(DocError::NotPdf(_))));
    // A header but no usable cross-reference section.
    assert!(matches!(
        reject(b"%PDF-1.7\ngarbage\nstartxref\n5\n%%EOF"),
        Err(DocError::NotPdf(_))
    ));
    // Encrypted documents are refused rather than corrupted.
    // (The trailer follows the table, so lengthening it shifts no offsets.)
    let pdf = classic_pdf();
    let at = pdf.windows(11).rposition(|w| w == b"/Root 1 0 R").unwrap();
    let enc = [&pdf[..at], b"/Encrypt 9 0 R ", &pdf[at..]].concat();
    assert!(matches!(reject(&enc), Err(DocError::NotPdf(m)) if m.contains("encrypted")));
}

#[test]
fn truncated_or_corrupted_input_never_panics() {
    // Every prefix and a sweep of single-byte corruptions: an error or a valid update,
    // never a panic.
    for original in [classic_pdf(), xref_stream_pdf()] {
        for cut in 0..original.len() {
            if let Ok(doc) = sign_document("PADES_BASELINE_B", &original[..cut], None, signer(), T)
            {
                assert!(doc.bytes.starts_with(&original[..cut]));
            }
        }
        for i in (0..original.len()).step_by(16) {
            for b in [b'<', b'(', b'0', b' ', 0xff] {
                let mut bad = original.clone();
                bad[i] = b;
                let _ = sign_document("PADES_BASELINE_B", &bad, None, signer(), T);
            }
        }
    }
}
