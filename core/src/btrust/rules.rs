//! Field rules of the B-Trust APIs. Each rule records issues at the validator's current path
//! and never quotes the value (most of these values are personal data).
//!
//! EGN: 10 digits, weights 2,4,8,5,10,9,7,3,6, sum mod 11 (10 → 0) is the last digit, and the
//! first six digits are a birth date that exists (month +20 = 1800s, +40 = 2000s).
//! LNC: 10 digits, weights 21,19,17,13,11,9,7,3,1, sum mod 10 is the last digit.

use crate::time::days_in_month;
use crate::validate::{IssueCode, Validator};

/// Longest `fileName` the service stores (a VARCHAR(250) column, reference §4.1).
pub const MAX_FILE_NAME_CHARS: usize = 250;
/// Longest URL accepted for callbacks and redirects (a common proxy limit; inferred).
pub const MAX_URL_CHARS: usize = 2048;

/// A calendar date.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Date {
    /// Year.
    pub year: i64,
    /// Month 1–12.
    pub month: u32,
    /// Day 1–31.
    pub day: u32,
}

fn ten_digits(s: &str) -> Option<[u32; 10]> {
    let b = s.as_bytes();
    if b.len() != 10 || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let mut d = [0u32; 10];
    for (i, c) in b.iter().enumerate() {
        d[i] = (c - b'0') as u32;
    }
    Some(d)
}

/// The birth date encoded in an EGN's first six digits, if it exists.
pub fn egn_birth_date(s: &str) -> Option<Date> {
    let d = ten_digits(s)?;
    let yy = (d[0] * 10 + d[1]) as i64;
    let mm = d[2] * 10 + d[3];
    let dd = d[4] * 10 + d[5];
    let (year, month) = match mm {
        1..=12 => (1900 + yy, mm),
        21..=32 => (1800 + yy, mm - 20),
        41..=52 => (2000 + yy, mm - 40),
        _ => return None,
    };
    (dd >= 1 && dd <= days_in_month(year, month)).then_some(Date {
        year,
        month,
        day: dd,
    })
}

/// Whether the EGN's check digit matches.
pub fn egn_checksum_ok(s: &str) -> bool {
    const W: [u32; 9] = [2, 4, 8, 5, 10, 9, 7, 3, 6];
    ten_digits(s).is_some_and(|d| {
        let sum: u32 = W.iter().zip(d.iter()).map(|(w, x)| w * x).sum();
        (sum % 11) % 10 == d[9]
    })
}

/// Whether the LNC's check digit matches.
pub fn lnc_checksum_ok(s: &str) -> bool {
    const W: [u32; 9] = [21, 19, 17, 13, 11, 9, 7, 3, 1];
    ten_digits(s).is_some_and(|d| {
        let sum: u32 = W.iter().zip(d.iter()).map(|(w, x)| w * x).sum();
        sum % 10 == d[9]
    })
}

/// Whether `s` is a valid EGN (format, birth date and checksum).
pub fn is_valid_egn(s: &str) -> bool {
    egn_birth_date(s).is_some() && egn_checksum_ok(s)
}

/// Whether `s` is a valid LNC.
pub fn is_valid_lnc(s: &str) -> bool {
    lnc_checksum_ok(s)
}

/// EGN (Bulgarian personal number). Returns the birth date when the EGN is valid.
pub fn check_egn(v: &mut Validator, s: &str) -> Option<Date> {
    if s.is_empty() {
        v.issue(IssueCode::Required, "an EGN is required");
        return None;
    }
    if ten_digits(s).is_none() {
        v.issue(IssueCode::InvalidFormat, "an EGN is exactly 10 digits");
        return None;
    }
    let date = egn_birth_date(s);
    if date.is_none() {
        v.issue(
            IssueCode::InvalidDate,
            "the birth date encoded in the EGN's first six digits does not exist",
        );
    }
    if !egn_checksum_ok(s) {
        v.issue(IssueCode::Checksum, "the EGN's check digit does not match");
        return None;
    }
    date
}

/// LNC (personal number of a foreigner).
pub fn check_lnc(v: &mut Validator, s: &str) {
    if s.is_empty() {
        v.issue(IssueCode::Required, "an LNC is required");
    } else if ten_digits(s).is_none() {
        v.issue(IssueCode::InvalidFormat, "an LNC is exactly 10 digits");
    } else if !lnc_checksum_ok(s) {
        v.issue(IssueCode::Checksum, "the LNC's check digit does not match");
    }
}

/// The `personalId` of `rpToClientAuthorization`: a valid EGN or LNC. The ETSI form
/// `PI:BG-<LNC>` one public client sends for foreigners is accepted too (reference §3).
pub fn check_personal_id(v: &mut Validator, s: &str) {
    let bare = s.strip_prefix("PI:BG-").unwrap_or(s);
    if bare.is_empty() {
        v.issue(
            IssueCode::Required,
            "a personal id (EGN or LNC) is required",
        );
    } else if ten_digits(bare).is_none() {
        v.issue(
            IssueCode::InvalidFormat,
            "a personal id is an EGN or LNC of exactly 10 digits",
        );
    } else if !is_valid_egn(bare) && !is_valid_lnc(bare) {
        v.issue(
            IssueCode::Checksum,
            "not a valid EGN or LNC (check digit or birth date)",
        );
    }
}

/// `dateOfBirth` in `dd-MM-yyyy` (seed 001). The service also refuses future dates; the core
/// has no clock, so that check is the service's.
pub fn check_date_of_birth(v: &mut Validator, s: &str) -> Option<Date> {
    if s.is_empty() {
        v.issue(IssueCode::Required, "a date of birth is required");
        return None;
    }
    let b = s.as_bytes();
    let shape = b.len() == 10
        && b[2] == b'-'
        && b[5] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 2 || i == 5 || c.is_ascii_digit());
    if !shape {
        v.issue(
            IssueCode::InvalidFormat,
            "a date of birth is written dd-MM-yyyy",
        );
        return None;
    }
    let num = |r: std::ops::Range<usize>| s[r].parse::<u32>().unwrap_or(0);
    let (day, month, year) = (num(0..2), num(3..5), num(6..10) as i64);
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) || year < 1800 {
        v.issue(IssueCode::InvalidDate, "the date of birth does not exist");
        return None;
    }
    Some(Date { year, month, day })
}

/// An EGN and a date of birth given together must name the same day.
pub fn check_birth_date_agrees(v: &mut Validator, egn_date: Date, dob: Date) {
    if egn_date != dob {
        v.issue(
            IssueCode::Mismatch,
            "the date of birth differs from the one encoded in the EGN",
        );
    }
}

/// A phone number in E.164: `+`, a non-zero digit, 7 to 15 digits in all.
pub fn check_phone(v: &mut Validator, s: &str) {
    if s.is_empty() {
        v.issue(IssueCode::Required, "a phone number is required");
        return;
    }
    let digits = s.strip_prefix('+').unwrap_or("");
    let ok = (7..=15).contains(&digits.len())
        && digits.bytes().all(|b| b.is_ascii_digit())
        && !digits.starts_with('0');
    if !ok {
        v.issue(
            IssueCode::InvalidFormat,
            "a phone number is in E.164 form: + and 7 to 15 digits, e.g. +359888123456",
        );
    }
}

/// An e-mail address (RFC 5321 shape: dot-atom local part, a dotted domain of LDH labels).
pub fn check_email(v: &mut Validator, s: &str) {
    if s.is_empty() {
        v.issue(IssueCode::Required, "an e-mail address is required");
        return;
    }
    if !is_email(s) {
        v.issue(IssueCode::InvalidFormat, "not a valid e-mail address");
    }
}

fn is_email(s: &str) -> bool {
    if s.len() > 254 {
        return false;
    }
    let Some((local, domain)) = s.rsplit_once('@') else {
        return false;
    };
    let atext = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+/=?^_`{|}~-".contains(c);
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && local
            .split('.')
            .all(|p| !p.is_empty() && p.chars().all(atext));
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
        && labels
            .last()
            .is_some_and(|tld| tld.len() >= 2 && !tld.chars().all(|c| c.is_ascii_digit()));
    local_ok && domain_ok
}

/// Splits an absolute URL into scheme and host; `None` when it is not one.
fn scheme_and_host(url: &str) -> Option<(String, String)> {
    let (scheme, rest) = url.split_once("://")?;
    let authority = rest.split(['/', '?', '#']).next()?;
    if authority.is_empty() || authority.contains('@') {
        return None;
    }
    let host = if let Some(v6) = authority.strip_prefix('[') {
        let (h, after) = v6.split_once(']')?;
        if !(after.is_empty() || after.starts_with(':')) {
            return None;
        }
        h.to_owned()
    } else {
        let (h, port) = match authority.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (authority, None),
        };
        if let Some(p) = port {
            if p.is_empty()
                || !p.bytes().all(|b| b.is_ascii_digit())
                || p.parse::<u32>().map_or(true, |n| n > 65535)
            {
                return None;
            }
        }
        h.to_owned()
    };
    if host.is_empty()
        || !host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-._:".contains(c))
    {
        return None;
    }
    Some((scheme.to_ascii_lowercase(), host.to_ascii_lowercase()))
}

/// Whether a host name is the loopback interface.
pub fn is_loopback_host(host: &str) -> bool {
    host == "localhost"
        || host.ends_with(".localhost")
        || host == "::1"
        || (host.starts_with("127.")
            && host.split('.').count() == 4
            && host.split('.').all(|p| p.parse::<u8>().is_ok()))
}

/// A URL the service will call or redirect to: absolute, `https`, or `http` on loopback only
/// (so a local test server works, but nothing travels in clear text over a network).
pub fn check_callback_url(v: &mut Validator, url: &str) {
    check_url(v, url, "a callback or redirect URL")
}

/// A base URL of the service (custom environments, such as the sandbox).
pub fn check_service_url(v: &mut Validator, url: &str) {
    check_url(v, url, "a service base URL")
}

fn check_url(v: &mut Validator, url: &str, what: &str) {
    if url.is_empty() {
        v.issue(IssueCode::Required, format!("{what} is required"));
        return;
    }
    if url.chars().count() > MAX_URL_CHARS {
        v.issue(
            IssueCode::TooLong,
            format!("{what} has at most {MAX_URL_CHARS} characters"),
        );
        return;
    }
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        v.issue(
            IssueCode::InvalidFormat,
            format!("{what} must not contain spaces or control characters"),
        );
        return;
    }
    match scheme_and_host(url) {
        None => v.issue(
            IssueCode::InvalidFormat,
            format!("{what} must be an absolute http(s) URL without credentials"),
        ),
        Some((scheme, _)) if scheme == "https" => {}
        Some((scheme, host)) if scheme == "http" && is_loopback_host(&host) => {}
        Some((scheme, _)) if scheme == "http" => v.issue(
            IssueCode::InsecureUrl,
            format!("{what} must use https (plain http is allowed only for loopback)"),
        ),
        Some(_) => v.issue(
            IssueCode::InvalidFormat,
            format!("{what} must be an http(s) URL"),
        ),
    }
}

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

/// Free-form text the service stores or shows (an id, a reason, a confirmation text):
/// required, at most `max` characters, no control characters but line breaks.
pub fn check_text(v: &mut Validator, s: &str, max: usize, what: &str) {
    if s.trim().is_empty() {
        v.issue(IssueCode::Required, format!("{what} is required"));
    } else if s.chars().count() > max {
        v.issue(
            IssueCode::TooLong,
            format!("{what} has at most {max} characters"),
        );
    } else if s
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        v.issue(
            IssueCode::InvalidFormat,
            format!("{what} must not contain control characters"),
        );
    }
}

/// An identifier that goes into a URL path or a header: 1 to `max` printable ASCII
/// characters without spaces.
pub fn check_token(v: &mut Validator, s: &str, max: usize, what: &str) {
    if s.is_empty() {
        v.issue(IssueCode::Required, format!("{what} is required"));
    } else if s.len() > max {
        v.issue(
            IssueCode::TooLong,
            format!("{what} has at most {max} characters"),
        );
    } else if !s.bytes().all(|b| b.is_ascii_graphic()) {
        v.issue(
            IssueCode::InvalidFormat,
            format!("{what} must be printable ASCII without spaces"),
        );
    }
}

/// Digits only, 1 to `max` of them.
pub fn check_digits(v: &mut Validator, s: &str, max: usize, what: &str) {
    if s.is_empty() {
        v.issue(IssueCode::Required, format!("{what} is required"));
    } else if s.len() > max || !s.bytes().all(|b| b.is_ascii_digit()) {
        v.issue(
            IssueCode::InvalidFormat,
            format!("{what} is 1 to {max} digits"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn issues(f: impl FnOnce(&mut Validator)) -> Vec<String> {
        let mut v = Validator::new();
        f(&mut v);
        v.into_issues()
            .into_iter()
            .map(|i| i.code.to_string())
            .collect()
    }

    #[test]
    fn egn_rules() {
        assert!(is_valid_egn("7501010010"));
        assert_eq!(
            issues(|v| {
                check_egn(v, "7501010011");
            }),
            ["checksum"]
        );
        assert_eq!(
            issues(|v| {
                check_egn(v, "75010100");
            }),
            ["invalid_format"]
        );
        assert_eq!(egn_birth_date("0142290000"), None);
        assert_eq!(
            egn_birth_date("0442290000"),
            Some(Date {
                year: 2004,
                month: 2,
                day: 29
            })
        );
        assert_eq!(egn_birth_date("9922310000"), None);
        assert_eq!(
            egn_birth_date("9921310000"),
            Some(Date {
                year: 1899,
                month: 1,
                day: 31
            })
        );
    }

    #[test]
    fn urls() {
        assert!(issues(|v| check_callback_url(v, "https://rp.example/cb?x=1")).is_empty());
        assert!(issues(|v| check_callback_url(v, "http://127.0.0.1:8080/cb")).is_empty());
        assert!(issues(|v| check_callback_url(v, "http://[::1]:8080/cb")).is_empty());
        assert_eq!(
            issues(|v| check_callback_url(v, "http://rp.example/cb")),
            ["insecure_url"]
        );
        assert_eq!(
            issues(|v| check_callback_url(v, "https://u:p@rp.example/")),
            ["invalid_format"]
        );
        assert_eq!(
            issues(|v| check_callback_url(v, "ftp://rp.example/")),
            ["invalid_format"]
        );
    }

    #[test]
    fn emails_and_phones() {
        assert!(is_email("ivan.petrov+cqes@mail.example.bg"));
        for bad in ["a@b", "@x.bg", "a..b@x.bg", "a@-x.bg", "a b@x.bg", "a@x.1"] {
            assert!(!is_email(bad), "{bad}");
        }
        assert!(issues(|v| check_phone(v, "+359888133443")).is_empty());
        assert_eq!(issues(|v| check_phone(v, "0888133443")), ["invalid_format"]);
    }
}
