//! The JSON wire encoder, and scrubbing of text quoted in errors.
//!
//! [`to_vec`] writes a request body in one pass into a buffer sized exactly beforehand: byte
//! strings ([`crate::Blob`], [`crate::ContentData::Bytes`]) are base64-encoded by a SIMD encoder
//! straight into that buffer, in small cache-resident chunks, so a 10 MiB document is never held
//! twice and the buffer never grows. Everything else is plain `serde_json`.

use serde::Serialize;
use serde_json::ser::Formatter;
use std::cell::RefCell;
use std::io;
use std::rc::Rc;

/// serde_json formatter that writes byte strings as standard base64 strings.
///
/// With `count_only`, byte strings are not encoded: only their encoded length is added to
/// `blob_bytes`, so a first pass can size the output buffer exactly. Otherwise they are
/// encoded straight into `out`, the very buffer the serializer writes to (shared through
/// `Rc<RefCell>`; serde_json never holds a borrow while it calls the formatter), so the
/// encoded bytes are written once, with no scratch buffer in between.
struct WireFormatter {
    count_only: bool,
    blob_bytes: usize,
    out: Option<Rc<RefCell<Vec<u8>>>>,
}

impl Formatter for WireFormatter {
    fn write_byte_array<W>(&mut self, writer: &mut W, value: &[u8]) -> io::Result<()>
    where
        W: ?Sized + io::Write,
    {
        let encoded = base64_simd::STANDARD.encoded_length(value.len());
        if self.count_only {
            self.blob_bytes += encoded + 2;
            return Ok(());
        }
        match &self.out {
            Some(out) => {
                let mut out = out.borrow_mut();
                out.push(b'"');
                base64_simd::STANDARD.encode_append(value, &mut *out);
                out.push(b'"');
                Ok(())
            }
            // Not writing into a shared buffer: encode through the writer.
            None => {
                writer.write_all(b"\"")?;
                writer.write_all(base64_simd::STANDARD.encode_to_string(value).as_bytes())?;
                writer.write_all(b"\"")
            }
        }
    }
}

/// The serializer's end of the shared output buffer.
struct Shared(Rc<RefCell<Vec<u8>>>);

impl io::Write for Shared {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.0.borrow_mut().extend_from_slice(buf);
        Ok(())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Counts bytes instead of storing them.
struct Counter(usize);

impl io::Write for Counter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0 += buf.len();
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Exact length of `value` as written by [`to_vec`], computed without writing it.
pub fn encoded_len<T: Serialize + ?Sized>(value: &T) -> Result<usize, serde_json::Error> {
    let mut counter = WireFormatter {
        count_only: true,
        blob_bytes: 0,
        out: None,
    };
    let mut sized = serde_json::Serializer::with_formatter(Counter(0), &mut counter);
    value.serialize(&mut sized)?;
    Ok(sized.into_inner().0 + counter.blob_bytes)
}

/// Serialises `value` as compact JSON, byte strings as base64, into a buffer of exactly the
/// right size (one allocation, no regrowth, no intermediate copy of any byte string).
pub fn to_vec<T: Serialize + ?Sized>(value: &T) -> Result<Vec<u8>, serde_json::Error> {
    let exact = encoded_len(value)?;
    write_exact(value, exact)
}

/// Why [`to_vec_limited`] wrote nothing.
#[derive(Debug)]
pub enum LimitedError {
    /// The output would have this many bytes, more than allowed.
    TooLarge(usize),
    /// Serialisation failed.
    Json(serde_json::Error),
}

/// [`to_vec`], refusing (before allocating) output longer than `max_bytes`.
pub fn to_vec_limited<T: Serialize + ?Sized>(
    value: &T,
    max_bytes: u64,
) -> Result<Vec<u8>, LimitedError> {
    let exact = encoded_len(value).map_err(LimitedError::Json)?;
    if exact as u64 > max_bytes {
        return Err(LimitedError::TooLarge(exact));
    }
    write_exact(value, exact).map_err(LimitedError::Json)
}

fn write_exact<T: Serialize + ?Sized>(
    value: &T,
    exact: usize,
) -> Result<Vec<u8>, serde_json::Error> {
    let out = Rc::new(RefCell::new(Vec::with_capacity(exact)));
    let mut ser = serde_json::Serializer::with_formatter(
        Shared(Rc::clone(&out)),
        WireFormatter {
            count_only: false,
            blob_bytes: 0,
            out: Some(Rc::clone(&out)),
        },
    );
    value.serialize(&mut ser)?;
    drop(ser);
    let out = Rc::try_unwrap(out)
        .map(RefCell::into_inner)
        .unwrap_or_else(|rc| rc.borrow().clone());
    debug_assert_eq!(out.len(), exact);
    Ok(out)
}

/// [`to_vec`] as a `String`.
pub fn to_string<T: Serialize + ?Sized>(value: &T) -> Result<String, serde_json::Error> {
    let bytes = to_vec(value)?;
    // serde_json and base64 only ever write UTF-8.
    String::from_utf8(bytes).map_err(|e| serde_json::Error::io(io::Error::other(e)))
}

// `&mut F` is a formatter when `F` is; serde_json does not provide this impl itself.
impl Formatter for &mut WireFormatter {
    fn write_byte_array<W>(&mut self, writer: &mut W, value: &[u8]) -> io::Result<()>
    where
        W: ?Sized + io::Write,
    {
        (**self).write_byte_array(writer, value)
    }
}

/// Masks what may be personal data or a credential in text quoted from a response or an
/// input, and shortens it to `max_chars` characters:
/// runs of 6 or more digits (EGN, LNC, phone, OTP, ids), e-mail addresses, and long
/// tokens of letters and digits (client tokens, base64 fragments).
pub fn scrub(text: &str, max_chars: usize) -> String {
    let mut out = String::with_capacity(text.len().min(max_chars * 2));
    for word in split_keep(text) {
        if word.chars().all(|c| c.is_whitespace() || is_punct(c)) {
            out.push_str(word);
        } else if word.contains('@') && word.len() > 3 {
            out.push_str("[email]");
        } else {
            let digits = longest_digit_run(word);
            let alnum = word.chars().filter(|c| c.is_ascii_alphanumeric()).count();
            let has_digit = word.chars().any(|c| c.is_ascii_digit());
            if digits >= 6 || (alnum >= 20 && has_digit) || alnum >= 40 {
                out.push_str("[redacted]");
            } else {
                out.push_str(word);
            }
        }
    }
    if out.chars().count() > max_chars {
        let cut: String = out.chars().take(max_chars).collect();
        return format!("{cut}…");
    }
    out
}

fn is_punct(c: char) -> bool {
    matches!(
        c,
        '{' | '}' | '[' | ']' | '"' | ':' | ',' | '<' | '>' | '=' | '(' | ')' | ';' | '\''
    )
}

/// Splits into alternating runs of separators and words, keeping both.
fn split_keep(text: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut start = 0;
    let mut in_sep: Option<bool> = None;
    for (i, c) in text.char_indices() {
        let sep = c.is_whitespace() || is_punct(c);
        match in_sep {
            Some(prev) if prev != sep => {
                parts.push(&text[start..i]);
                start = i;
            }
            _ => {}
        }
        in_sep = Some(sep);
    }
    if start < text.len() {
        parts.push(&text[start..]);
    }
    parts
}

fn longest_digit_run(word: &str) -> usize {
    let (mut best, mut cur) = (0, 0);
    for c in word.chars() {
        if c.is_ascii_digit() {
            cur += 1;
            best = best.max(cur);
        } else {
            cur = 0;
        }
    }
    best
}

/// A short, scrubbed, printable excerpt of a response body for error reports.
pub fn excerpt(body: &[u8]) -> String {
    const MAX: usize = 160;
    let head = &body[..body.len().min(MAX * 4)];
    let text = String::from_utf8_lossy(head);
    let printable: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    scrub(printable.trim(), MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blob::Blob;
    const CHUNK_IN: usize = 12 * 1024;

    #[derive(Serialize)]
    struct Doc<'a> {
        name: &'a str,
        data: Blob,
    }

    #[test]
    fn bytes_become_base64_and_size_is_exact() {
        for n in [
            0usize,
            1,
            2,
            3,
            CHUNK_IN - 1,
            CHUNK_IN,
            CHUNK_IN + 1,
            3 * CHUNK_IN + 2,
        ] {
            let bytes: Vec<u8> = (0..n).map(|i| (i * 7 % 251) as u8).collect();
            let doc = Doc {
                name: "a\"b",
                data: Blob::from(bytes.clone()),
            };
            let out = to_vec(&doc).unwrap();
            assert_eq!(out.capacity(), out.len(), "buffer must not regrow (n={n})");
            let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
            assert_eq!(v["name"], "a\"b");
            assert_eq!(
                v["data"].as_str().unwrap(),
                base64_simd::STANDARD.encode_to_string(&bytes)
            );
        }
    }

    #[test]
    fn scrub_masks_personal_data() {
        let s = scrub(
            "EGN 7705256443 mail ivan@example.bg token TPC7416DC60EEEC8252E2531413010AD170 ok",
            200,
        );
        assert!(!s.contains("7705256443") && !s.contains("ivan@") && !s.contains("TPC74"));
        assert!(s.starts_with("EGN [redacted] mail [email] token [redacted] ok"));
        assert_eq!(scrub("short text", 5), "short…");
    }
}
