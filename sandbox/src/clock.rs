//! The sandbox clock: real time plus an offset the control API can advance, so tests can
//! make requests expire without waiting.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// Real time shifted by an adjustable offset.
#[derive(Debug, Default)]
pub struct Clock {
    offset_ms: AtomicI64,
}

impl Clock {
    /// Sandbox time, Unix epoch milliseconds.
    pub fn now_ms(&self) -> u64 {
        let real = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_millis() as i64)
            .unwrap_or(0);
        (real + self.offset_ms.load(Ordering::Relaxed)).max(0) as u64
    }

    /// Moves sandbox time forward.
    pub fn advance(&self, ms: u64) {
        self.offset_ms.fetch_add(ms as i64, Ordering::Relaxed);
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
