//! Personal numbers and dates: EGN and LNC checksums, birth dates.

use crate::time::days_in_month;
use crate::validate::{IssueCode, Validator};

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
