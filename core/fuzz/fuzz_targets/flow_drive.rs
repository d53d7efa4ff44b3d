//! Flow driving: any state a flow vector passes through, then an arbitrary sequence of
//! `next`, `handle_response`, `handle_transport_error`, `handle_callback`, snapshot/restore
//! and `progress`, with arbitrary ids (the outstanding one, stale ones, any), times (forward,
//! backward, extreme) and bodies (vector responses, edited, arbitrary). The flow contract is
//! checked on every call by `cqes_core_fuzz::Driver` (one request outstanding, final steps
//! final, no non-idempotent request twice without a reconcile, refused reports change
//! nothing, every error typed, no panic).
#![no_main]
use arbitrary::{Arbitrary, Unstructured};
use cqes_core_fuzz::{mutate, pick, response, vectors, Driver, TRANSPORT_KINDS};
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
enum Id {
    Outstanding,
    Stale(u8),
    Any(u64),
}

#[derive(Arbitrary, Debug)]
enum Op {
    /// `next` after `dt` ms.
    Next(u32),
    /// `next` at an arbitrary time (backwards, far future).
    NextAt(u64),
    /// `next` until it stops sending, answering each request with a vector response.
    Respond(Id),
    TransportError(Id, u8),
    Callback,
    SnapshotRestore,
    Progress,
}

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let v = vectors();
    let Some(state) = pick(&mut u, &v.states) else {
        return;
    };
    let mut d = Driver::new(state.flow.clone(), state.outstanding, true);
    let mut now: u64 = 1_700_000_000_000;
    for _ in 0..48 {
        let Ok(op) = u.arbitrary::<Op>() else { break };
        match op {
            Op::Next(dt) => {
                now = now.saturating_add(u64::from(dt));
                d.next(now);
            }
            Op::NextAt(t) => {
                now = t;
                d.next(now);
            }
            Op::Respond(id) => {
                let id = resolve(&d, id);
                let resp = response(&mut u);
                d.respond(id, resp, now);
            }
            Op::TransportError(id, k) => {
                let id = resolve(&d, id);
                d.transport_error(id, TRANSPORT_KINDS[k as usize % TRANSPORT_KINDS.len()], now);
            }
            Op::Callback => {
                let body = match pick(&mut u, &v.callbacks) {
                    Some((_, body)) => {
                        let mut body = body.clone();
                        if let Ok(mut doc) = serde_json::from_slice::<serde_json::Value>(&body) {
                            mutate(&mut u, &mut doc, 2);
                            body = serde_json::to_vec(&doc).unwrap_or_default();
                        }
                        body
                    }
                    None => Vec::new(),
                };
                d.callback(&body, now);
            }
            Op::SnapshotRestore => d.snapshot_restore(),
            Op::Progress => d.progress(),
        }
    }
});

fn resolve(d: &Driver, id: Id) -> u64 {
    match id {
        Id::Outstanding => d.outstanding.as_ref().map_or(0, |o| o.0),
        Id::Stale(i) if !d.ids.is_empty() => d.ids[i as usize % d.ids.len()],
        Id::Stale(i) => u64::from(i),
        Id::Any(x) => x,
    }
}
