//! Validation rules shared by every operation (reference §4 and the service's error codes):
//! personal numbers ([`personal`]), contacts and URLs ([`contact`]), content ([`content`]), and the
//! generic text, token and digit checks.

use crate::validate::{IssueCode, Validator};

pub mod contact;
pub mod content;
pub mod personal;

pub use contact::*;
pub use content::*;
pub use personal::*;

/// Longest `fileName` the service stores (a VARCHAR(250) column, reference §4.1).
pub const MAX_FILE_NAME_CHARS: usize = 250;
/// Longest URL accepted for callbacks and redirects (a common proxy limit; inferred).
pub const MAX_URL_CHARS: usize = 2048;

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

/// A profile id: groups of letters or digits joined by single dashes (`032-552574`).
pub fn check_profile_id(v: &mut Validator, id: &str) {
    let ok = !id.is_empty()
        && id.len() <= 64
        && id
            .split('-')
            .all(|g| !g.is_empty() && g.bytes().all(|b| b.is_ascii_alphanumeric()));
    if id.is_empty() {
        v.issue(IssueCode::Required, "a profile id is required");
    } else if !ok {
        v.issue(
            IssueCode::InvalidFormat,
            "a profile id is letters or digits in groups joined by '-', e.g. 032-552574",
        );
    }
}

/// A one-time authorization code: 4 to 12 digits.
pub fn check_otp(v: &mut Validator, otp: &str) {
    if otp.is_empty() {
        v.issue(IssueCode::Required, "the one-time code is required");
    } else if !(4..=12).contains(&otp.len()) || !otp.bytes().all(|b| b.is_ascii_digit()) {
        v.issue(
            IssueCode::InvalidFormat,
            "a one-time code is 4 to 12 digits",
        );
    }
}

#[cfg(test)]
mod tests {
    use super::contact::is_email;
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
