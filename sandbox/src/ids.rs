//! Where every id, token and code the sandbox mints comes from: a CSPRNG (ChaCha12, `rand`'s
//! `StdRng`) seeded from the operating system, so one callbackId says nothing about the next
//! one or about another customer's clientToken. A test that needs the same ids on every run
//! asks for it explicitly with [`SandboxConfig::id_seed`](crate::SandboxConfig::id_seed);
//! nothing else (not the clock, not the order of requests) makes ids reproducible.
//!
//! Fault injection keeps its own seed (`faults.seed`): replaying a fault schedule is a feature,
//! and fault decisions are not secrets.

use rand::rngs::{StdRng, SysRng};
use rand::{Rng, SeedableRng};
use std::sync::Mutex;

/// The sandbox's source of ids.
pub struct Entropy {
    rng: Mutex<StdRng>,
    seeded: bool,
}

impl std::fmt::Debug for Entropy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The generator's state is a secret: whoever has it predicts every id.
        f.debug_struct("Entropy")
            .field("seeded", &self.seeded)
            .finish_non_exhaustive()
    }
}

impl Entropy {
    /// From the operating system (`seed: None`), or reproducible from `seed`.
    pub fn new(seed: Option<u64>) -> Result<Entropy, String> {
        let rng = match seed {
            Some(s) => StdRng::seed_from_u64(s),
            None => StdRng::try_from_rng(&mut SysRng)
                .map_err(|e| format!("the operating system's random source failed: {e}"))?,
        };
        Ok(Entropy {
            rng: Mutex::new(rng),
            seeded: seed.is_some(),
        })
    }

    /// Whether ids are reproducible (a seed was given).
    pub fn is_seeded(&self) -> bool {
        self.seeded
    }

    fn fill(&self, out: &mut [u8]) {
        // A poisoned lock only means another thread panicked mid-draw; the generator's state
        // is still a valid ChaCha state.
        let mut rng = self.rng.lock().unwrap_or_else(|p| p.into_inner());
        rng.fill_bytes(out);
    }

    /// 64 random bits.
    pub fn u64(&self) -> u64 {
        let mut b = [0u8; 8];
        self.fill(&mut b);
        u64::from_le_bytes(b)
    }

    /// A random version-4 UUID (RFC 9562 §5.4), lower case.
    pub fn uuid(&self) -> String {
        let mut b = [0u8; 16];
        self.fill(&mut b);
        b[6] = (b[6] & 0x0f) | 0x40;
        b[8] = (b[8] & 0x3f) | 0x80;
        let h = hex::encode(b);
        format!(
            "{}-{}-{}-{}-{}",
            &h[..8],
            &h[8..12],
            &h[12..16],
            &h[16..20],
            &h[20..]
        )
    }

    /// `bytes` random bytes as lower-case hex (a URL token: 32 bytes give 64 characters).
    pub fn hex(&self, bytes: usize) -> String {
        let mut b = vec![0u8; bytes];
        self.fill(&mut b);
        hex::encode(b)
    }

    /// A uniform number in `low..high` (`low < high`), without modulo bias.
    pub fn range(&self, low: u64, high: u64) -> u64 {
        let span = high.saturating_sub(low).max(1);
        let zone = u64::MAX - (u64::MAX % span);
        loop {
            let x = self.u64();
            if x < zone {
                return low + x % span;
            }
        }
    }

    /// A six-digit code ("sent by SMS").
    pub fn otp(&self) -> String {
        format!("{:06}", self.range(0, 1_000_000))
    }

    /// A positive integer id (a `resultId`, a `requestId`): B-Trust's are JSON numbers, so
    /// they stay below 2^31 for hosts whose integers are 32-bit.
    pub fn int_id(&self) -> u64 {
        self.range(100_000, 1 << 31)
    }
}

#[cfg(test)]
mod tests {
    use super::Entropy;

    #[test]
    fn unseeded_generators_differ_and_seeded_ones_repeat() {
        let (a, b) = (Entropy::new(None).unwrap(), Entropy::new(None).unwrap());
        assert_ne!(a.uuid(), b.uuid());
        let (c, d) = (
            Entropy::new(Some(7)).unwrap(),
            Entropy::new(Some(7)).unwrap(),
        );
        assert_eq!(
            (c.uuid(), c.hex(32), c.otp()),
            (d.uuid(), d.hex(32), d.otp())
        );
    }

    #[test]
    fn shapes() {
        let e = Entropy::new(None).unwrap();
        let u = e.uuid();
        assert_eq!(u.len(), 36);
        assert_eq!(&u[14..15], "4");
        assert!(matches!(&u[19..20], "8" | "9" | "a" | "b"));
        assert_eq!(e.hex(32).len(), 64);
        for _ in 0..200 {
            let o = e.otp();
            assert_eq!(o.len(), 6);
            let n = e.int_id();
            assert!((100_000..1 << 31).contains(&n));
        }
    }
}
