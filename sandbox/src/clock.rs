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
    i64::try_from(ms)
        .ok()
        .and_then(chrono::DateTime::from_timestamp_millis)
        .unwrap_or_default()
        .format("%Y-%m-%dT%H:%M:%S%.3f+00:00")
        .to_string()
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
