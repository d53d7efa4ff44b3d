//! Lenient date-times.
//!
//! B-Trust emits several formats for the same field: `2021-09-14T11:25:32.132+00:00`,
//! microseconds (`…54.407246+03:00`), `Z`, dots inside the time with a colon-less offset
//! (`2019-01-23T23.59.57.000+0000`, the Swagger example), and a proxy re-serialised `validity`
//! as epoch milliseconds. [`Timestamp`] accepts all of them, keeps the raw value for
//! round-trips, and never fails to deserialise: an unreadable value is kept with no instant.

use serde::de::{self, Visitor};
use serde::ser::SerializeStruct;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// A date-time as the service sent it, with the instant when it could be read.
#[derive(Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(
    feature = "ts",
    derive(ts_rs::TS),
    ts(type = "{ raw: string, epochMs: number | null }")
)]
pub struct Timestamp {
    raw: String,
    epoch_ms: Option<i64>,
}

impl Timestamp {
    /// Reads any supported format; `epoch_ms` is `None` when the text is not a date-time.
    pub fn parse(raw: &str) -> Self {
        Timestamp {
            raw: raw.to_owned(),
            epoch_ms: parse_datetime(raw),
        }
    }

    /// A timestamp from epoch milliseconds (raw text is the decimal number).
    pub fn from_epoch_ms(ms: i64) -> Self {
        Timestamp {
            raw: ms.to_string(),
            epoch_ms: Some(ms),
        }
    }

    /// The value exactly as received.
    pub fn raw(&self) -> &str {
        &self.raw
    }

    /// Milliseconds since 1970-01-01T00:00:00Z, when the value could be read.
    pub fn epoch_ms(&self) -> Option<i64> {
        self.epoch_ms
    }
}

impl fmt::Debug for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Timestamp({:?}, {:?})", self.raw, self.epoch_ms)
    }
}

impl Serialize for Timestamp {
    /// Hosts receive both forms: `{"raw": "...", "epochMs": 1631618732132}`.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Timestamp", 2)?;
        st.serialize_field("raw", &self.raw)?;
        st.serialize_field("epochMs", &self.epoch_ms)?;
        st.end()
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    /// Accepts a string in any supported format, a number of epoch milliseconds, or the
    /// `{"raw": ...}` form this type serialises to.
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Timestamp;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a date-time string or epoch milliseconds")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Timestamp, E> {
                Ok(Timestamp::parse(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Timestamp, E> {
                Ok(Timestamp::from_epoch_ms(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Timestamp, E> {
                i64::try_from(v)
                    .map(Timestamp::from_epoch_ms)
                    .map_err(|_| E::custom("epoch milliseconds out of range"))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Timestamp, E> {
                if v.is_finite() && v.abs() < 9.0e15 {
                    Ok(Timestamp {
                        raw: v.to_string(),
                        epoch_ms: Some(v as i64),
                    })
                } else {
                    Err(E::custom("epoch milliseconds out of range"))
                }
            }
            fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Timestamp, A::Error> {
                let mut raw: Option<String> = None;
                while let Some(key) = map.next_key::<String>()? {
                    if key == "raw" {
                        raw = Some(map.next_value()?);
                    } else {
                        map.next_value::<de::IgnoredAny>()?;
                    }
                }
                raw.map(|r| Timestamp::parse(&r))
                    .ok_or_else(|| de::Error::missing_field("raw"))
            }
        }
        d.deserialize_any(V)
    }
}

/// Offsets chrono reads with `%#z`: `Z`, `+03`, `+0300`, `+03:00`.
#[cfg(feature = "chrono")]
const WITH_OFFSET: &[&str] = &[
    "%Y-%m-%dT%H:%M:%S%.f%#z",
    // The Swagger example writes `23.59.57.000+0000`; everyone else `23:59:57.000+00:00`.
    "%Y-%m-%dT%H.%M.%S%.f%#z",
    "%Y-%m-%dT%H:%M%#z",
];
/// Without an offset the value is taken as UTC (inferred: the service always sent one so far).
#[cfg(feature = "chrono")]
const WITHOUT_OFFSET: &[&str] = &[
    "%Y-%m-%dT%H:%M:%S%.f",
    "%Y-%m-%dT%H.%M.%S%.f",
    "%Y-%m-%dT%H:%M",
];

/// Parses every date-time spelling listed in the module docs into epoch milliseconds; only
/// the spelling is normalised here (`T` or a space between date and time, `,` before the
/// fraction, lower-case `t`/`z`). With the `chrono` feature (default) chrono reads the
/// normalised text; without it (the wasm module) [`lite`] does, with the same result on every
/// input (checked against chrono by this module's tests).
pub fn parse_datetime(text: &str) -> Option<i64> {
    let s = text.trim();
    let unsigned = s.strip_prefix('-').unwrap_or(s);
    if !unsigned.is_empty() && unsigned.bytes().all(|b| b.is_ascii_digit()) {
        return s.parse::<i64>().ok();
    }
    if s.len() == 10 {
        return strict_date(s)
            .then(|| lite::date(s))
            .flatten()
            .map(|days| days * DAY_MS);
    }
    let (date, time) = (s.get(..10)?, s.get(11..)?);
    if !matches!(s.as_bytes().get(10), Some(b'T' | b't' | b' ')) || !strict_date(date) {
        return None;
    }
    let time = time.replace(',', ".").replace('z', "Z");
    #[cfg(feature = "chrono")]
    return with_chrono(date, &time);
    #[cfg(not(feature = "chrono"))]
    return lite::datetime(date, &time);
}

const DAY_MS: i64 = 86_400_000;

#[cfg(feature = "chrono")]
fn with_chrono(date: &str, time: &str) -> Option<i64> {
    use chrono::{DateTime, NaiveDateTime};
    let canon = format!("{date}T{time}");
    let with_offset = WITH_OFFSET
        .iter()
        .find_map(|f| DateTime::parse_from_str(&canon, f).ok())
        .map(|dt| dt.timestamp_millis());
    with_offset.or_else(|| {
        WITHOUT_OFFSET
            .iter()
            .find_map(|f| NaiveDateTime::parse_from_str(&canon, f).ok())
            .map(|dt| dt.and_utc().timestamp_millis())
    })
}

/// `YYYY-MM-DD` with every digit present (chrono alone would also take `2021-9-1`).
fn strict_date(date: &str) -> bool {
    let b = date.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

/// Days in a month of the Gregorian calendar (0 for an invalid month).
pub fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        _ => 0,
    }
}

/// The date-time grammar chrono applies to the formats above, written out: a few hundred bytes
/// of wasm instead of chrono's format interpreter (~30 KB).
mod lite {
    use super::{days_in_month, DAY_MS};

    /// Days since 1970-01-01 of a `YYYY-MM-DD` already checked by `strict_date`.
    pub(super) fn date(s: &str) -> Option<i64> {
        let n = |r: std::ops::Range<usize>| s.get(r)?.parse::<i64>().ok();
        let (y, m, d) = (n(0..4)?, n(5..7)?, n(8..10)?);
        let month = u32::try_from(m).ok()?;
        if !(1..=12).contains(&m) || d < 1 || d > i64::from(days_in_month(y, month)) {
            return None;
        }
        // Howard Hinnant's days_from_civil.
        let y = if m <= 2 { y - 1 } else { y };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let mp = (m + 9) % 12;
        let doy = (153 * mp + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        Some(era * 146_097 + doe - 719_468)
    }

    /// `date` and the normalised time after its `T`, tried as chrono tries the formats.
    #[cfg_attr(feature = "chrono", allow(dead_code))]
    pub(super) fn datetime(date_text: &str, time: &str) -> Option<i64> {
        let days = date(date_text)?;
        let at = |sep, seconds, offset| clock(time, sep, seconds, offset);
        let (ms, offset) = at(b':', true, true)
            .or_else(|| at(b'.', true, true))
            .or_else(|| at(b':', false, true))
            .or_else(|| at(b':', true, false))
            .or_else(|| at(b'.', true, false))
            .or_else(|| at(b':', false, false))?;
        Some(days * DAY_MS + ms - offset * 1000)
    }

    /// `%H<sep>%M[<sep>%S%.f][%#z]`: milliseconds into the day and the offset in seconds.
    fn clock(s: &str, sep: u8, seconds: bool, offset: bool) -> Option<(i64, i64)> {
        let (h, s) = number(s, 2)?;
        let s = s.strip_prefix(char::from(sep))?;
        let (m, mut s) = number(s, 2)?;
        let (mut sec, mut nanos) = (0, 0);
        if seconds {
            let rest = s.strip_prefix(char::from(sep))?;
            let (v, rest) = number(rest, 2)?;
            sec = v;
            s = rest;
            if let Some(frac) = s.strip_prefix('.') {
                let (v, rest) = digits(frac, 9)?;
                let digits = frac.len() - rest.len();
                nanos = v * 10_i64.pow(u32::try_from(9 - digits).ok()?);
                s = rest.trim_start_matches(|c: char| c.is_ascii_digit());
            }
        }
        let off = if offset {
            let (off, rest) = zone(s.trim_start())?;
            s = rest;
            off
        } else {
            0
        };
        if !s.is_empty() || h > 23 || m > 59 || sec > 60 {
            return None;
        }
        // A leap second (:60) counts as chrono counts it: one more second.
        Some(((h * 3600 + m * 60 + sec) * 1000 + nanos / 1_000_000, off))
    }

    /// chrono's numeric item: `scan::number(s.trim_start(), 1, max)`.
    fn number(s: &str, max: usize) -> Option<(i64, &str)> {
        digits(s.trim_start(), max)
    }

    /// chrono's `scan::number(s, 1, max)`: one to `max` ASCII digits.
    fn digits(s: &str, max: usize) -> Option<(i64, &str)> {
        let len = s.bytes().take(max).take_while(u8::is_ascii_digit).count();
        if len == 0 {
            return None;
        }
        Some((s[..len].parse().ok()?, &s[len..]))
    }

    /// chrono's permissive `%#z`: `Z`, `±hh`, `±hhmm`, `±hh:mm` (also `−`, U+2212).
    fn zone(s: &str) -> Option<(i64, &str)> {
        if let Some(rest) = s.strip_prefix(['Z', 'z']) {
            return Some((0, rest));
        }
        let (negative, s) = if let Some(r) = s.strip_prefix('+') {
            (false, r)
        } else if let Some(r) = s.strip_prefix(['-', '\u{2212}']) {
            (true, r)
        } else {
            return None;
        };
        let two = |s: &str| {
            let b = s.as_bytes();
            (b.len() >= 2).then(|| (b[0], b[1]))
        };
        let hours = match two(s)? {
            (a @ b'0'..=b'9', b @ b'0'..=b'9') => i64::from((a - b'0') * 10 + (b - b'0')),
            _ => return None,
        };
        let s = s[2..].trim_start_matches(|c: char| c == ':' || c.is_whitespace());
        let minutes = match two(s) {
            Some((a @ b'0'..=b'5', b @ b'0'..=b'9')) => i64::from((a - b'0') * 10 + (b - b'0')),
            Some(_) => return None,
            None => 0,
        };
        let s = match s.len() {
            0 => s,
            1 => return None,
            _ => &s[2..],
        };
        let secs = hours * 3600 + minutes * 60;
        // chrono's FixedOffset takes less than a day either way.
        (secs < 86_400).then_some((if negative { -secs } else { secs }, s))
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for Timestamp {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Timestamp".into()
    }
    /// `{"raw": <as received>, "epochMs": <int or null>}`.
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "object",
            "description": "A date-time as the service sent it, with the instant when it could be read.",
            "properties": {
                "raw": {"type": "string", "description": "The value exactly as received."},
                "epochMs": {"type": ["integer", "null"], "description": "Milliseconds since the Unix epoch, when readable."}
            },
            "required": ["raw"],
            "x-cqes-timestamp": true
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_documented_format_reads_to_the_same_kind_of_instant() {
        let base = 1_631_618_732_132; // 2021-09-14T11:25:32.132Z
        assert_eq!(parse_datetime("2021-09-14T11:25:32.132+00:00"), Some(base));
        assert_eq!(parse_datetime("2021-09-14T11:25:32.132Z"), Some(base));
        assert_eq!(parse_datetime("2021-09-14T14:25:32.132+03:00"), Some(base));
        assert_eq!(
            parse_datetime("2021-09-14T14:25:32.132456+0300"),
            Some(base)
        );
        assert_eq!(parse_datetime("2021-09-14T11.25.32.132+0000"), Some(base));
        assert_eq!(parse_datetime("1631618732132"), Some(base));
        assert_eq!(parse_datetime("2021-09-14 11:25:32.132"), Some(base));
        assert_eq!(parse_datetime("2021-09-14T11:25"), Some(base - 32_132));
        assert_eq!(parse_datetime("2021-09-14"), Some(base - 41_132_132));
        for bad in [
            "",
            "x",
            "2021-13-01",
            "2021-02-29T00:00:00Z",
            "2021-09-14T25:00:00Z",
            "2021-09-14T11:25:32+3",
            "2021-09-14T11:25:32Zjunk",
        ] {
            assert_eq!(parse_datetime(bad), None, "{bad}");
        }
        assert_eq!(
            parse_datetime("2024-02-29T00:00:00Z"),
            Some(1_709_164_800_000)
        );
    }

    #[test]
    fn days_in_month_knows_the_gregorian_calendar() {
        assert_eq!(days_in_month(2024, 2), 29);
        assert_eq!(days_in_month(1900, 2), 28);
        assert_eq!(days_in_month(2000, 2), 29);
        assert_eq!(days_in_month(2021, 4), 30);
        assert_eq!(days_in_month(2021, 13), 0);
    }

    /// The small parser the wasm module uses reads every string exactly as chrono does.
    #[cfg(feature = "chrono")]
    mod lite_equals_chrono {
        use super::super::{lite, with_chrono};
        use proptest::prelude::*;

        fn same(date: &str, time: &str) {
            let time = time.replace(',', ".").replace('z', "Z");
            assert_eq!(
                lite::datetime(date, &time),
                with_chrono(date, &time),
                "{date}T{time}"
            );
        }

        #[test]
        fn on_every_documented_spelling_and_its_edges() {
            for time in [
                "11:25:32.132+00:00",
                "11:25:32.132Z",
                "14:25:32.132456+0300",
                "11.25.32.132+0000",
                "11:25:32.132",
                "11:25",
                "11:25Z",
                "11:25+03",
                "23:59:60Z",
                "23:59:60.5+01:00",
                "1:2:3Z",
                " 11: 25: 32 Z",
                "11:25:32.Z",
                "11:25:32.1234567890123Z",
                "11:25:32+3",
                "11:25:32+24:00",
                "11:25:32+23:59",
                "11:25:32-23:59",
                "11:25:32\u{2212}02:00",
                "11:25:32+02:60",
                "11:25:32+02:0",
                "11:25:32+02 30",
                "11:25:32+0230x",
                "24:00",
                "11:60",
                "11:25:61",
                "11:25:32 .5Z",
                "11:25:32. 5Z",
                "011:25",
                "11:25:32Zjunk",
                "11:25:32,5+0200",
                "\u{a0}11:25",
                "11:25:32+02:",
                "11:25:32+02:3",
                "",
            ] {
                for date in [
                    "2021-09-14",
                    "2024-02-29",
                    "2021-02-29",
                    "1969-12-31",
                    "0000-01-01",
                ] {
                    same(date, time);
                }
            }
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(4000))]
            #[test]
            fn on_random_text(
                date in "[0-9]{4}-[01][0-9]-[0-3][0-9]",
                time in "[0-9:.,+\\-Zz \u{2212}]{0,22}",
            ) {
                same(&date, &time);
            }

            #[test]
            fn on_random_clocks(
                h in 0u32..30, m in 0u32..70, sec in 0u32..70,
                frac in "(\\.[0-9]{0,12})?",
                zone in "(Z|[+-][0-9]{2}(:?[0-9]{2})?)?",
                sep in "[:.]",
            ) {
                same("2021-09-14", &format!("{h:02}{sep}{m:02}{sep}{sec:02}{frac}{zone}"));
                same("2021-09-14", &format!("{h}:{m}{zone}"));
            }
        }
    }
}
