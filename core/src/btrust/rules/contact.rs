//! Phone numbers, e-mail addresses and URLs.

use super::*;
use crate::validate::{IssueCode, Validator};

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

pub(crate) fn is_email(s: &str) -> bool {
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
