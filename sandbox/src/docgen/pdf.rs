//! PAdES-style output: the original PDF plus one incremental update (ISO 32000-1 §7.5.6).
//!
//! The update adds (a) a new document Info dictionary — entries of the old one that parse are
//! carried over, `/Producer`, `/ModDate` and `/CqesSandboxSignature` are set — and (b) a stream
//! holding a detached CAdES/CMS SignedData over the *original input bytes*. The original bytes
//! are never modified, so `openssl cms -verify -binary -content original.pdf` validates it.
//!
//! SIMPLIFICATION: this is not an ISO 32000 signature field (no AcroForm `/Sig` dictionary with
//! `/ByteRange`), so PDF viewers show no signature panel; the CMS is reachable through the
//! trailer's Info dictionary instead. B/T/LT/LTA produce the same structure.

use sha2::{Digest, Sha256};

use super::pdf_syntax::{get, Kind, Lexer};
use super::time::UtcTime;
use super::{cms, DocError, Keys, Signer};

fn not_pdf(msg: impl Into<String>) -> DocError {
    DocError::NotPdf(msg.into())
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn rfind(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w == needle)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02X}")).collect()
}

/// What we need from the cross-reference section that the last `startxref` points at.
struct Previous<'a> {
    /// The `startxref` value, verbatim: our `/Prev`.
    offset: u64,
    /// Whether that section is a cross-reference stream (then ours is one too).
    is_stream: bool,
    size: u64,
    root: (u64, u64),
    info: Option<(u64, u64)>,
    /// Raw first element of `/ID`, which an update must keep (§14.4).
    id0: Option<&'a [u8]>,
    encrypted: bool,
}

/// Locates and parses the last cross-reference section's trailer (classic `trailer`
/// dictionary or the dictionary of a `/Type /XRef` stream object).
fn previous_section(buf: &[u8], header: usize) -> Result<Previous<'_>, DocError> {
    let sx = rfind(buf, b"startxref").ok_or_else(|| not_pdf("no startxref"))?;
    let offset = Lexer::new(buf, sx + 9)
        .uint()
        .ok_or_else(|| not_pdf("startxref is not followed by an offset"))?;
    // Offsets are from the file start; some producers count from the `%PDF-` header instead.
    let bases = if header > 0 { vec![0, header] } else { vec![0] };
    for base in bases {
        let Some(pos) = usize::try_from(offset)
            .ok()
            .and_then(|o| o.checked_add(base))
        else {
            continue;
        };
        if let Some(prev) = parse_section(buf, pos, offset) {
            return Ok(prev);
        }
    }
    Err(not_pdf(
        "startxref does not point at a readable cross-reference section",
    ))
}

fn parse_section(buf: &[u8], pos: usize, offset: u64) -> Option<Previous<'_>> {
    let mut lx = Lexer::new(buf, pos);
    lx.skip_ws();
    let is_stream = !lx.starts_with(b"xref");
    if is_stream {
        // `n g obj << ... /Type /XRef ... >> stream`
        lx.uint()?;
        lx.uint()?;
        lx.skip_ws();
        if lx.token() != b"obj" {
            return None;
        }
    } else {
        // Table rows hold only digits, spaces and f/n, so the first "trailer" ends the table.
        let t = find(buf.get(lx.pos..)?, b"trailer")?;
        lx.pos += t + b"trailer".len();
    }
    let dict = lx.value()?;
    let Kind::Dict(entries) = dict.kind else {
        return None;
    };
    if is_stream
        && !matches!(
            get(&entries, b"Type").map(|o| &o.kind),
            Some(Kind::Name(b"XRef"))
        )
    {
        return None;
    }
    let reference = |key: &[u8]| match get(&entries, key).map(|o| &o.kind) {
        Some(Kind::Ref(n, g)) => Some((*n, *g)),
        _ => None,
    };
    let size = match get(&entries, b"Size")?.kind {
        Kind::Int(n) => u64::try_from(n).ok().filter(|n| *n > 0)?,
        _ => return None,
    };
    let id0 = match get(&entries, b"ID").map(|o| &o.kind) {
        Some(Kind::Array(items)) => items
            .first()
            .filter(|o| matches!(o.kind, Kind::Str))
            .map(|o| o.raw),
        _ => None,
    };
    Some(Previous {
        offset,
        is_stream,
        size,
        root: reference(b"Root")?,
        info: reference(b"Info"),
        id0,
        encrypted: get(&entries, b"Encrypt").is_some(),
    })
}

/// Raw `/Key value` pairs of the old Info dictionary worth keeping. The object is found by
/// scanning for its last `n g obj` header (the newest revision); an Info dictionary stored in
/// a compressed object stream is not decoded, and then nothing is copied.
fn old_info_entries(buf: &[u8], (num, gen): (u64, u64)) -> Vec<u8> {
    let needle = format!("{num} {gen} obj");
    let mut end = buf.len();
    while let Some(at) = rfind(buf.get(..end).unwrap_or_default(), needle.as_bytes()) {
        end = at;
        // Reject partial matches such as "11 0 obj" when looking for "1 0 obj".
        let boundary = at == 0 || buf.get(at - 1).is_some_and(|b| !b.is_ascii_digit());
        let Some(dict) = boundary
            .then(|| Lexer::new(buf, at + needle.len()).value())
            .flatten()
        else {
            continue;
        };
        let Kind::Dict(entries) = dict.kind else {
            continue;
        };
        let mut out = Vec::new();
        for e in entries {
            if !matches!(e.key, b"Producer" | b"ModDate" | b"CqesSandboxSignature") {
                out.extend_from_slice(b"/");
                out.extend_from_slice(e.key);
                out.extend_from_slice(b" ");
                out.extend_from_slice(e.value.raw);
                out.extend_from_slice(b"\n");
            }
        }
        return out;
    }
    Vec::new()
}

/// Appends the incremental update described in the module docs.
pub(crate) fn sign_pdf(
    original: &[u8],
    signer: &Signer,
    signing_time_ms: u64,
) -> Result<Vec<u8>, DocError> {
    let head = original.get(..1024).unwrap_or(original);
    let header =
        find(head, b"%PDF-").ok_or_else(|| not_pdf("no %PDF- header in the first 1024 bytes"))?;
    let prev = previous_section(original, header)?;
    if prev.encrypted {
        // Our new strings and stream would have to be encrypted with the document key.
        return Err(not_pdf("encrypted PDFs are not supported"));
    }
    let time = UtcTime::from_unix_ms(signing_time_ms)?;
    let signature = cms::signed_data(original, false, &Keys::load(signer)?, signing_time_ms)?;

    let info_num = prev.size;
    let sig_num = prev.size + 1;
    let mut out = original.to_vec();
    if !matches!(out.last(), Some(b'\n' | b'\r')) {
        out.push(b'\n');
    }

    let info_off = out.len() as u64;
    out.extend_from_slice(format!("{info_num} 0 obj\n<<\n").as_bytes());
    if let Some(info) = prev.info {
        out.extend_from_slice(&old_info_entries(original, info));
    }
    out.extend_from_slice(
        format!(
            "/Producer (cqes sandbox)\n/ModDate ({})\n/CqesSandboxSignature {sig_num} 0 R\n>>\nendobj\n",
            time.pdf()
        )
        .as_bytes(),
    );

    let sig_off = out.len() as u64;
    out.extend_from_slice(
        format!(
            "{sig_num} 0 obj\n<< /Length {} /CqesFormat /ETSI.CAdES.detached >>\nstream\n",
            signature.len()
        )
        .as_bytes(),
    );
    out.extend_from_slice(&signature);
    out.extend_from_slice(b"\nendstream\nendobj\n");

    // The second ID element must change with each update; derive it from what was signed.
    let id_hash = Sha256::new()
        .chain_update(original)
        .chain_update(signing_time_ms.to_be_bytes())
        .finalize();
    let id1 = hex(id_hash.get(..16).unwrap_or_default());
    let mut common = format!(
        "/Root {} {} R /Info {info_num} 0 R /Prev {} /ID [",
        prev.root.0, prev.root.1, prev.offset
    )
    .into_bytes();
    match prev.id0 {
        // Copied as raw bytes: a literal string may hold arbitrary binary.
        Some(raw) => common.extend_from_slice(raw),
        None => common.extend_from_slice(format!("<{id1}>").as_bytes()),
    }
    common.extend_from_slice(format!(" <{id1}>]").as_bytes());

    let xref_off = out.len() as u64;
    if prev.is_stream {
        // An uncompressed cross-reference stream listing our two objects and itself.
        let xref_num = prev.size + 2;
        let width = (8 - (xref_off.leading_zeros() / 8) as usize).max(1);
        let mut rows = Vec::new();
        for off in [info_off, sig_off, xref_off] {
            rows.push(1u8);
            rows.extend_from_slice(off.to_be_bytes().get(8 - width..).unwrap_or_default());
            rows.extend_from_slice(&[0, 0]);
        }
        out.extend_from_slice(
            format!(
                "{xref_num} 0 obj\n<< /Type /XRef /Size {} /W [1 {width} 2] /Index [{info_num} 3] ",
                prev.size + 3,
            )
            .as_bytes(),
        );
        out.extend_from_slice(&common);
        out.extend_from_slice(format!(" /Length {} >>\nstream\n", rows.len()).as_bytes());
        out.extend_from_slice(&rows);
        out.extend_from_slice(b"\nendstream\nendobj\n");
    } else {
        if sig_off > 9_999_999_999 {
            return Err(not_pdf(
                "file too large for a classic cross-reference table",
            ));
        }
        // Each entry is exactly 20 bytes: 10-digit offset, 5-digit generation, type, EOL.
        out.extend_from_slice(
            format!(
                "xref\n{info_num} 2\n{info_off:010} 00000 n \n{sig_off:010} 00000 n \ntrailer\n<< /Size {} ",
                prev.size + 2
            )
            .as_bytes(),
        );
        out.extend_from_slice(&common);
        out.extend_from_slice(b" >>\n");
    }
    out.extend_from_slice(format!("startxref\n{xref_off}\n%%EOF\n").as_bytes());
    Ok(out)
}
