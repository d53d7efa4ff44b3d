//! Deterministic fault injection: the n-th request to an operation misbehaves the same way
//! on every run with the same seed, so a failing test can be replayed.

use crate::config::{FaultConfig, FaultKind};
use crate::state::splitmix;
use std::collections::HashMap;
use std::sync::Mutex;

/// A fault chosen for one request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fault {
    /// What to do.
    pub kind: FaultKind,
    /// Delay for `slow`.
    pub slow_ms: u64,
}

/// Decides which requests misbehave.
#[derive(Debug, Default)]
pub struct Faults {
    config: Mutex<FaultConfig>,
    counters: Mutex<HashMap<String, u64>>,
    injected: Mutex<HashMap<String, u64>>,
    used: Mutex<HashMap<usize, u64>>,
}

fn fnv(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ b as u64).wrapping_mul(0x100_0000_01b3)
    })
}

impl Faults {
    /// Starts with a configuration.
    pub fn new(config: FaultConfig) -> Self {
        Faults {
            config: Mutex::new(config),
            ..Default::default()
        }
    }

    /// Replaces the configuration and restarts the counters.
    pub fn set(&self, config: FaultConfig) {
        if let Ok(mut c) = self.config.lock() {
            *c = config;
        }
        if let Ok(mut n) = self.counters.lock() {
            n.clear();
        }
        if let Ok(mut u) = self.used.lock() {
            u.clear();
        }
    }

    /// The current configuration.
    pub fn get(&self) -> FaultConfig {
        self.config.lock().map(|c| c.clone()).unwrap_or_default()
    }

    /// Faults injected so far, by `operation/kind`.
    pub fn injected(&self) -> HashMap<String, u64> {
        self.injected.lock().map(|m| m.clone()).unwrap_or_default()
    }

    /// The fault for the next request to `operation`, if any.
    pub fn decide(&self, operation: &str) -> Option<Fault> {
        let config = self.config.lock().ok()?.clone();
        let (index, rule) = config.rules.iter().enumerate().find(|(_, r)| {
            (r.operation == "*" || r.operation == operation) && !r.kinds.is_empty()
        })?;
        let n = {
            let mut counters = self.counters.lock().ok()?;
            let c = counters.entry(operation.to_owned()).or_insert(0);
            *c += 1;
            *c
        };
        let h = splitmix(config.seed ^ fnv(operation) ^ splitmix(n));
        let unit = (h >> 11) as f64 / (1u64 << 53) as f64;
        if unit >= rule.rate {
            return None;
        }
        if let Some(limit) = rule.limit {
            let mut used = self.used.lock().ok()?;
            let u = used.entry(index).or_insert(0);
            if *u >= limit {
                return None;
            }
            *u += 1;
        }
        let kind = rule.kinds[(splitmix(h) % rule.kinds.len() as u64) as usize];
        if let Ok(mut m) = self.injected.lock() {
            *m.entry(format!("{operation}/{kind:?}")).or_insert(0) += 1;
        }
        Some(Fault {
            kind,
            slow_ms: rule.slow_ms,
        })
    }
}
