//! The access token's lifecycle, pure: given its expiry and the time, whether to renew the
//! consent and when to warn. The schedule is the practice of the one public peer (reference
//! §7): warnings 30, 21 and 14 days before expiry, then daily in the last 7 days; renewal is
//! due from the first warning on, so a new consent is in place before the old token stops.

use serde::{Deserialize, Serialize};

/// One day in milliseconds.
pub const DAY_MS: u64 = 86_400_000;

/// Days before expiry at which a warning is due, latest first-reached last (30, 21, 14, then
/// 7 down to 1).
pub const WARNING_DAYS: &[u32] = &[30, 21, 14, 7, 6, 5, 4, 3, 2, 1];

/// What to do about an access token now.
#[crate::model]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TokenAdvice {
    /// The token no longer works: a new consent is needed before any signing.
    pub expired: bool,
    /// Ask for a new consent now (within 30 days of expiry, or expired).
    pub renew: bool,
    /// Whole days left (rounded down; 0 in the last day and once expired).
    pub days_left: u32,
    /// The warning threshold most recently reached (30, 21, 14, 7 … 1 days before expiry),
    /// or none while more than 30 days remain. A host warns once per threshold: when this
    /// differs from the one it last warned for.
    pub warning_threshold_days: Option<u32>,
    /// When the next warning is due (epoch ms), or none when expired or every threshold is
    /// passed.
    pub next_warning_at_ms: Option<u64>,
}

/// Advice for a token expiring at `expires_at_ms`, at `now_ms` (both epoch milliseconds).
pub fn token_advice(expires_at_ms: u64, now_ms: u64) -> TokenAdvice {
    let left_ms = expires_at_ms.saturating_sub(now_ms);
    let expired = now_ms >= expires_at_ms;
    let days_left = u32::try_from(left_ms / DAY_MS).unwrap_or(u32::MAX);
    // A threshold of d days is reached at `expires - d days`.
    let at = |d: u32| expires_at_ms.saturating_sub(u64::from(d) * DAY_MS);
    let warning_threshold_days = WARNING_DAYS
        .iter()
        .copied()
        .filter(|d| now_ms >= at(*d))
        .min()
        .filter(|_| !expired);
    let next_warning_at_ms = if expired {
        None
    } else {
        WARNING_DAYS.iter().map(|d| at(*d)).find(|t| *t > now_ms)
    };
    TokenAdvice {
        expired,
        renew: expired || left_ms <= 30 * DAY_MS,
        days_left,
        warning_threshold_days,
        next_warning_at_ms,
    }
}

/// Whether a token last confirmed valid at `validated_at_ms` (none: never) must be validated
/// again before use at `now_ms`, given the longest trusted age `max_age_ms`. The service can
/// invalidate a token at any time (detached device, changed PIN, revoked consent), so an old
/// confirmation is not trusted.
pub fn needs_validation(validated_at_ms: Option<u64>, now_ms: u64, max_age_ms: u64) -> bool {
    match validated_at_ms {
        None => true,
        Some(t) => now_ms.saturating_sub(t) >= max_age_ms,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXP: u64 = 1_800_000_000_000;

    #[test]
    fn far_from_expiry_no_warning_and_the_first_at_30_days() {
        let a = token_advice(EXP, EXP - 40 * DAY_MS);
        assert!(!a.renew && !a.expired);
        assert_eq!(a.days_left, 40);
        assert_eq!(a.warning_threshold_days, None);
        assert_eq!(a.next_warning_at_ms, Some(EXP - 30 * DAY_MS));
    }

    #[test]
    fn thresholds_30_21_14_then_daily() {
        let a = token_advice(EXP, EXP - 30 * DAY_MS);
        assert!(a.renew);
        assert_eq!(a.warning_threshold_days, Some(30));
        assert_eq!(a.next_warning_at_ms, Some(EXP - 21 * DAY_MS));
        let a = token_advice(EXP, EXP - 15 * DAY_MS);
        assert_eq!(a.warning_threshold_days, Some(21));
        assert_eq!(a.next_warning_at_ms, Some(EXP - 14 * DAY_MS));
        let a = token_advice(EXP, EXP - 8 * DAY_MS);
        assert_eq!(a.warning_threshold_days, Some(14));
        assert_eq!(a.next_warning_at_ms, Some(EXP - 7 * DAY_MS));
        let a = token_advice(EXP, EXP - 6 * DAY_MS - 1);
        assert_eq!(a.warning_threshold_days, Some(7));
        assert_eq!(a.days_left, 6);
        assert_eq!(a.next_warning_at_ms, Some(EXP - 6 * DAY_MS));
        let a = token_advice(EXP, EXP - 1);
        assert_eq!(a.warning_threshold_days, Some(1));
        assert_eq!(a.days_left, 0);
        assert_eq!(a.next_warning_at_ms, None);
    }

    #[test]
    fn expired_means_renew_and_no_more_warnings() {
        let a = token_advice(EXP, EXP);
        assert!(a.expired && a.renew);
        assert_eq!(a.warning_threshold_days, None);
        assert_eq!(a.next_warning_at_ms, None);
        assert!(token_advice(EXP, u64::MAX).expired);
    }

    #[test]
    fn validation_age() {
        assert!(needs_validation(None, 5, 10));
        assert!(!needs_validation(Some(0), 9, 10));
        assert!(needs_validation(Some(0), 10, 10));
        assert!(!needs_validation(Some(20), 10, 10));
    }
}
