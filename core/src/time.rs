//! Lenient date-times.
//!
//! B-Trust emits several formats for the same field: `2021-09-14T11:25:32.132+00:00`,
//! microseconds (`…54.407246+03:00`), `Z`, dots inside the time with a colon-less offset
//! (`2019-01-23T23.59.57.000+0000`, the Swagger example), and a proxy re-serialised `validity`
//! as epoch milliseconds. [`Timestamp`] accepts all of them, keeps the raw value for
//! round-trips, and never fails to deserialise: an unreadable value is kept with no instant.

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime};
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
const WITH_OFFSET: &[&str] = &[
    "%Y-%m-%dT%H:%M:%S%.f%#z",
    // The Swagger example writes `23.59.57.000+0000`; everyone else `23:59:57.000+00:00`.
    "%Y-%m-%dT%H.%M.%S%.f%#z",
    "%Y-%m-%dT%H:%M%#z",
];
/// Without an offset the value is taken as UTC (inferred: the service always sent one so far).
const WITHOUT_OFFSET: &[&str] = &[
    "%Y-%m-%dT%H:%M:%S%.f",
    "%Y-%m-%dT%H.%M.%S%.f",
    "%Y-%m-%dT%H:%M",
];

/// Parses every date-time spelling listed in the module docs into epoch milliseconds, with
/// chrono; only the spelling is normalised here (`T` or a space between date and time, `,`
/// before the fraction, lower-case `t`/`z`).
pub fn parse_datetime(text: &str) -> Option<i64> {
    let s = text.trim();
    let unsigned = s.strip_prefix('-').unwrap_or(s);
    if !unsigned.is_empty() && unsigned.bytes().all(|b| b.is_ascii_digit()) {
        return s.parse::<i64>().ok();
    }
    if s.len() == 10 {
        let date = NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()?;
        return Some(date.and_time(NaiveTime::MIN).and_utc().timestamp_millis());
    }
    let (date, time) = (s.get(..10)?, s.get(11..)?);
    if !matches!(s.as_bytes().get(10), Some(b'T' | b't' | b' ')) || !strict_date(date) {
        return None;
    }
    let canon = format!("{date}T{}", time.replace(',', ".").replace('z', "Z"));
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
    let Ok(year) = i32::try_from(year) else {
        return 0;
    };
    (28..=31)
        .rev()
        .find(|&d| NaiveDate::from_ymd_opt(year, month, d).is_some())
        .unwrap_or(0)
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
