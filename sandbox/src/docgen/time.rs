//! Calendar conversion for the sandbox's simulated clock. Everything is derived from the
//! `signing_time_ms` argument (never the real clock) so output is reproducible.

use super::der;
use super::DocError;

/// A UTC instant broken down to whole seconds (sub-second precision is dropped, as every
/// format we emit has one-second resolution).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct UtcTime {
    pub(crate) year: u64,
    pub(crate) month: u64,
    pub(crate) day: u64,
    pub(crate) hour: u64,
    pub(crate) minute: u64,
    pub(crate) second: u64,
}

impl UtcTime {
    /// Converts Unix epoch milliseconds. Years past 9999 cannot be written in any of the
    /// four-digit-year formats we need, so they are rejected instead of wrapped.
    pub(crate) fn from_unix_ms(ms: u64) -> Result<Self, DocError> {
        let secs = ms / 1000;
        let days = secs / 86_400;
        let tod = secs % 86_400;
        // Howard Hinnant's days-from-civil inverse, for the non-negative (post-1970) range.
        let z = days + 719_468;
        let era = z / 146_097;
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + u64::from(month <= 2);
        if year > 9999 {
            return Err(DocError::Crypto(format!(
                "signing time {ms} ms is beyond year 9999"
            )));
        }
        Ok(Self {
            year,
            month,
            day,
            hour: tod / 3600,
            minute: tod % 3600 / 60,
            second: tod % 60,
        })
    }

    fn compact(&self) -> String {
        format!(
            "{:04}{:02}{:02}{:02}{:02}{:02}",
            self.year, self.month, self.day, self.hour, self.minute, self.second
        )
    }

    /// PDF date string body, e.g. `D:20240131235959Z`.
    pub(crate) fn pdf(&self) -> String {
        format!("D:{}Z", self.compact())
    }

    /// `xsd:dateTime` in UTC, e.g. `2024-01-31T23:59:59Z` (XAdES SigningTime).
    pub(crate) fn xsd(&self) -> String {
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
            self.year, self.month, self.day, self.hour, self.minute, self.second
        )
    }

    /// RFC 5280 `Time`: UTCTime through 2049, GeneralizedTime from 2050 (as CMS requires
    /// for signing-time, RFC 5652 §11.3).
    pub(crate) fn der(&self) -> Vec<u8> {
        let full = self.compact();
        if self.year < 2050 {
            der::tlv(
                0x17,
                format!("{}Z", full.get(2..).unwrap_or_default()).as_bytes(),
            )
        } else {
            der::tlv(0x18, format!("{full}Z").as_bytes())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_instants() {
        let t = UtcTime::from_unix_ms(0).unwrap();
        assert_eq!(t.pdf(), "D:19700101000000Z");
        // 2024-02-29T12:34:56.789Z (leap day)
        let t = UtcTime::from_unix_ms(1_709_210_096_789).unwrap();
        assert_eq!(t.xsd(), "2024-02-29T12:34:56Z");
        assert_eq!(t.der(), [&[0x17, 13][..], b"240229123456Z"].concat());
        // 2050-01-01T00:00:00Z switches to GeneralizedTime.
        let t = UtcTime::from_unix_ms(2_524_608_000_000).unwrap();
        assert_eq!(t.der(), [&[0x18, 15][..], b"20500101000000Z"].concat());
        assert!(UtcTime::from_unix_ms(u64::MAX).is_err());
    }
}
