//! The sandbox clock: real time plus an offset the control API can advance, so tests can
//! make requests expire without waiting.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// Real time shifted by an adjustable offset.
#[derive(Debug, Default)]
pub struct Clock {
    offset_ms: AtomicI64,
}

fn real_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

impl Clock {
    /// A clock that reads `start_ms` now and runs at real speed from there.
    pub fn starting_at(start_ms: u64) -> Clock {
        Clock {
            offset_ms: AtomicI64::new(
                (start_ms.min(i64::MAX as u64) as i64).saturating_sub(real_ms()),
            ),
        }
    }

    /// Sandbox time, Unix epoch milliseconds.
    pub fn now_ms(&self) -> u64 {
        real_ms()
            .saturating_add(self.offset_ms.load(Ordering::Relaxed))
            .max(0) as u64
    }

    /// Moves sandbox time forward.
    pub fn advance(&self, ms: u64) {
        // The control API bounds `ms`; saturate anyway rather than wrap into the past.
        let ms = ms.min(i64::MAX as u64) as i64;
        let _ = self
            .offset_ms
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |o| {
                Some(o.saturating_add(ms))
            });
    }

    /// How far sandbox time is ahead of real time.
    pub fn offset_ms(&self) -> i64 {
        self.offset_ms.load(Ordering::Relaxed)
    }
}

/// `2021-09-14T11:25:32.132+00:00`: the format seed 001 shows most often.
pub fn iso(ms: u64) -> String {
    let secs = (ms / 1000) as i64;
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:03}+00:00",
        rem / 3600,
        rem / 60 % 60,
        rem % 60,
        ms % 1000
    )
}

/// Calendar date of a day count since 1970-01-01 (H. Hinnant).
pub fn civil(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

#[cfg(test)]
mod tests {
    #[test]
    fn iso_round_trips_through_the_core_parser() {
        for ms in [
            0u64,
            1_631_618_732_132,
            1_709_164_800_000,
            4_102_444_799_999,
        ] {
            assert_eq!(
                cqes_core::time::parse_datetime(&super::iso(ms)),
                Some(ms as i64)
            );
        }
    }
}
