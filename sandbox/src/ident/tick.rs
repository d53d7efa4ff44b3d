//! Time: expiry, the simulated user's automatic behaviour, and the scheduled status changes
//! applied as sandbox time passes.

use super::{Ctx, IdentState, Outcome, Queue};
use crate::config::BehaviorMode;
use crate::state::Notice;

impl IdentState {
    /// Applies time and the automatic behaviour; returns the callbacks due.
    pub fn tick(&mut self, c: &Ctx<'_>) -> Vec<Notice> {
        let (mode, after) = c.behavior;
        let mut notices = Vec::new();
        let mobile: Vec<(String, Outcome)> = self
            .mobile
            .values()
            .filter(|m| m.outcome == Outcome::Pending)
            .filter_map(|m| {
                if c.now >= m.validity_ms {
                    Some((m.callback_id.clone(), Outcome::Expired))
                } else if c.now >= m.created_ms + after {
                    match mode {
                        BehaviorMode::Approve => Some((m.callback_id.clone(), Outcome::Done)),
                        BehaviorMode::Reject => Some((m.callback_id.clone(), Outcome::Rejected)),
                        BehaviorMode::Ignore => None,
                    }
                } else {
                    None
                }
            })
            .collect();
        for (id, o) in mobile {
            self.decide_mobile(&id, o, c);
        }
        let webs: Vec<u64> = self.web.keys().copied().collect();
        for id in webs {
            let Some(w) = self.web.get_mut(&id) else {
                continue;
            };
            if w.outcome != Outcome::Pending {
                continue;
            }
            let registered_at = w.registration.as_ref().map(|r| r.created_ms);
            let expires = w
                .registration
                .as_ref()
                .map_or(w.expire_ms, |r| r.expires_ms.min(w.expire_ms));
            if w.queue.is_empty() && c.now >= expires {
                w.outcome = Outcome::Expired;
                if let Some(r) = &mut w.registration {
                    r.status = "EXPIRED";
                }
                continue;
            }
            if let (true, Some(at)) = (w.queue.is_empty(), registered_at) {
                if c.now >= at + after {
                    match mode {
                        BehaviorMode::Approve => {
                            self.complete_web(id, None, c);
                        }
                        BehaviorMode::Reject => notices.extend(self.cancel_web(id, c)),
                        BehaviorMode::Ignore => {}
                    }
                }
            }
            if self.advance_web(id, c.now) {
                notices.extend(self.finish_web(id, c));
            }
        }
        let signs: Vec<u64> = self.signs.keys().copied().collect();
        for id in signs {
            let Some(s) = self.signs.get_mut(&id) else {
                continue;
            };
            if s.outcome != Outcome::Pending {
                continue;
            }
            if s.queue.is_empty() && c.now >= s.expire_ms {
                s.outcome = Outcome::Expired;
                continue;
            }
            if s.queue.is_empty() && c.now >= s.created_ms + after {
                match mode {
                    BehaviorMode::Approve => {
                        let otp = s.otp.clone();
                        let _ = self.submit_otp(id, &otp, c);
                    }
                    BehaviorMode::Reject => notices.extend(self.cancel_sign(id, c.ids)),
                    BehaviorMode::Ignore => {}
                }
            }
            if self.advance_sign(id, c.now) {
                notices.extend(self.finish_sign(id, c));
            }
        }
        notices
    }

    /// Applies due status changes; true when the last one was applied just now.
    fn advance_web(&mut self, id: u64, now: u64) -> bool {
        let Some(w) = self.web.get_mut(&id) else {
            return false;
        };
        advance(&mut w.queue, &mut w.status, &mut w.step, now)
    }

    fn advance_sign(&mut self, id: u64, now: u64) -> bool {
        let Some(s) = self.signs.get_mut(&id) else {
            return false;
        };
        advance(&mut s.queue, &mut s.status, &mut s.step, now)
    }
}

fn advance(
    queue: &mut Queue,
    status: &mut &'static str,
    step: &mut &'static str,
    now: u64,
) -> bool {
    let mut applied = false;
    while let Some(&(due, s, st)) = queue.front() {
        if due > now {
            return false;
        }
        *status = s;
        *step = st;
        queue.pop_front();
        applied = true;
    }
    applied
}
