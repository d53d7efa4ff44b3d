//! Document content: base64, PDF detection, file names.

use super::*;
use crate::validate::{IssueCode, Validator};

/// Standard base64 with padding (what `BINARY_BASE64` and `DIGEST` content must be).
pub fn check_base64(v: &mut Validator, s: &str) -> bool {
    if s.is_empty() {
        v.issue(IssueCode::Required, "base64 content is required");
        return false;
    }
    if base64_simd::STANDARD.check(s.as_bytes()).is_err() {
        v.issue(
            IssueCode::InvalidBase64,
            "not standard base64 (alphabet A–Z a–z 0–9 + /, padded with = to a multiple of 4, no line breaks)",
        );
        return false;
    }
    true
}

/// Number of bytes standard, padded base64 text decodes to (0 when it is not base64).
pub fn base64_decoded_len(s: &str) -> usize {
    base64_simd::STANDARD
        .decoded_length(s.as_bytes())
        .unwrap_or(0)
}

/// The first `max` decoded bytes of base64 text (for magic-byte checks without decoding all).
pub fn base64_prefix(s: &str, max: usize) -> Vec<u8> {
    let chars = (max.div_ceil(3) * 4).min(s.len() / 4 * 4);
    base64_simd::STANDARD
        .decode_to_vec(&s.as_bytes()[..chars])
        .unwrap_or_default()
}

/// Whether bytes start a PDF: `%PDF-` within the first 1024 bytes, as PDF readers accept.
pub fn looks_like_pdf(head: &[u8]) -> bool {
    let head = &head[..head.len().min(1024)];
    head.windows(5).any(|w| w == b"%PDF-")
}

/// A document's `fileName`: 1 to 250 characters, no control characters, no directories.
pub fn check_file_name(v: &mut Validator, s: &str) {
    let n = s.chars().count();
    if s.trim().is_empty() {
        v.issue(IssueCode::Required, "a file name must not be empty");
    } else if n > MAX_FILE_NAME_CHARS {
        v.issue(
            IssueCode::TooLong,
            format!("a file name has at most {MAX_FILE_NAME_CHARS} characters"),
        );
    } else if s.chars().any(|c| c.is_control() || c == '/' || c == '\\') {
        v.issue(
            IssueCode::InvalidFormat,
            "a file name must not contain control characters or path separators",
        );
    }
}
