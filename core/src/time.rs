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

/// Parses every date-time spelling listed in the module docs into epoch milliseconds.
/// A value without an offset is taken as UTC (inferred: the service always sent one so far).
pub fn parse_datetime(text: &str) -> Option<i64> {
    let s = text.trim();
    if s.is_empty() {
        return None;
    }
    if s.bytes().all(|b| b.is_ascii_digit())
        || (s.starts_with('-') && s.len() > 1 && s[1..].bytes().all(|b| b.is_ascii_digit()))
    {
        return s.parse::<i64>().ok();
    }
    let mut p = Cursor {
        s: s.as_bytes(),
        i: 0,
    };
    let year = p.digits(4)? as i64;
    p.expect(b'-')?;
    let month = p.digits(2)?;
    p.expect(b'-')?;
    let day = p.digits(2)?;
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return None;
    }
    let (mut hour, mut minute, mut second, mut millis) = (0, 0, 0, 0);
    let mut offset_min: i64 = 0;
    if !p.done() {
        if !p.eat(b'T') && !p.eat(b't') && !p.eat(b' ') {
            return None;
        }
        hour = p.digits(2)?;
        p.time_sep()?;
        minute = p.digits(2)?;
        if p.time_sep().is_some() {
            second = p.digits(2)?;
            if p.eat(b'.') || p.eat(b',') {
                let start = p.i;
                let mut frac: u32 = 0;
                let mut n = 0;
                while let Some(d) = p.peek_digit() {
                    if n < 3 {
                        frac = frac * 10 + d;
                    }
                    n += 1;
                    p.i += 1;
                }
                if p.i == start {
                    return None;
                }
                while n < 3 {
                    frac *= 10;
                    n += 1;
                }
                millis = frac;
            }
        }
        if hour > 23 || minute > 59 || second > 60 {
            return None;
        }
        if !p.done() {
            if p.eat(b'Z') || p.eat(b'z') {
            } else {
                let sign = if p.eat(b'+') {
                    1
                } else if p.eat(b'-') {
                    -1
                } else {
                    return None;
                };
                let oh = p.digits(2)? as i64;
                p.eat(b':');
                let om = if p.done() { 0 } else { p.digits(2)? as i64 };
                if oh > 18 || om > 59 {
                    return None;
                }
                offset_min = sign * (oh * 60 + om);
            }
            if !p.done() {
                return None;
            }
        }
    }
    let days = days_from_civil(year, month, day);
    let secs =
        days * 86_400 + hour as i64 * 3600 + minute as i64 * 60 + second as i64 - offset_min * 60;
    Some(secs * 1000 + millis as i64)
}

struct Cursor<'a> {
    s: &'a [u8],
    i: usize,
}

impl Cursor<'_> {
    fn done(&self) -> bool {
        self.i >= self.s.len()
    }
    fn eat(&mut self, b: u8) -> bool {
        if self.s.get(self.i) == Some(&b) {
            self.i += 1;
            true
        } else {
            false
        }
    }
    fn expect(&mut self, b: u8) -> Option<()> {
        self.eat(b).then_some(())
    }
    // The Swagger example writes `23.59.57`; everyone else `23:59:57`.
    fn time_sep(&mut self) -> Option<()> {
        (self.eat(b':') || self.eat(b'.')).then_some(())
    }
    fn peek_digit(&self) -> Option<u32> {
        self.s
            .get(self.i)
            .filter(|b| b.is_ascii_digit())
            .map(|b| (b - b'0') as u32)
    }
    fn digits(&mut self, n: usize) -> Option<u32> {
        let mut v = 0;
        for _ in 0..n {
            let d = self.peek_digit()?;
            v = v * 10 + d;
            self.i += 1;
        }
        Some(v)
    }
}

/// Whether `year` is a Gregorian leap year.
pub fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// Days in a month of the Gregorian calendar (0 for an invalid month).
pub fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = month as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + day as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
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
}
