//! `restore` of every flow from arbitrary text and from real snapshots (every state the flow
//! vectors pass through) edited field by field. Checks: no panic; a refused snapshot gives a
//! typed error; a restored flow snapshots and restores again to the same flow, and can be
//! driven (`next` at arbitrary times, answers to what it sends) under the flow contract.
#![no_main]
use arbitrary::Unstructured;
use cqes_core::btrust::registry::AnyFlow;
use cqes_core_fuzz::{check_error, mutate, pick, response, vectors, Driver};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let v = vectors();
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let text = if mode & 1 == 0 {
        String::from_utf8_lossy(rest).into_owned()
    } else {
        let mut u = Unstructured::new(rest);
        let Some(snap) = pick(&mut u, &v.snapshots) else {
            return;
        };
        let mut doc = snap.clone();
        mutate(&mut u, &mut doc, 6);
        serde_json::to_string(&doc).unwrap_or_default()
    };
    let flow = match AnyFlow::restore(&text) {
        Ok(f) => f,
        Err(e) => {
            check_error(&e, text.as_bytes());
            return;
        }
    };
    // A restored flow's snapshot restores, and restoring is stable from then on (the first
    // restore may settle a request that was in flight; rows are a log, not state).
    let Ok(mut again) = AnyFlow::restore(&flow.snapshot()) else {
        panic!("a restored flow's snapshot did not restore")
    };
    again.take_transitions();
    let third = AnyFlow::restore(&again.snapshot()).ok().map(|mut t| {
        t.take_transitions();
        t
    });
    assert!(third.as_ref() == Some(&again), "restore is not stable");
    // Drive it a little: an edited state must still obey the contract (but may fail with
    // invalid_state, which is how an inconsistent snapshot is reported).
    let mut d = Driver::new(flow, None, false);
    let mut u = Unstructured::new(rest);
    let mut now = 1_700_000_000_000u64;
    for _ in 0..4 {
        d.next(now);
        if let Some((id, _, _)) = d.outstanding.clone() {
            d.respond(id, response(&mut u), now);
        }
        now = now.saturating_add(u64::from(u.arbitrary::<u32>().unwrap_or(60_000)));
    }
});
