//! Every operation's parser through the registry with arbitrary status, headers and body
//! (a vector's response, the same with its JSON edited, an arbitrary JSON value or raw bytes),
//! into both serializer paths hosts use. Checks: no panic; success only from a 2xx; every
//! error typed and quoting no personal data from the body; the two paths agree.
#![no_main]
use arbitrary::Unstructured;
use cqes_core::btrust::registry;
use cqes_core_fuzz::{check_error, pick, response};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let Some(op) = pick(&mut u, registry::OPERATIONS).copied() else {
        return;
    };
    let resp = response(&mut u);
    let status = resp.status;
    let body = resp.body.as_bytes().to_vec();
    let direct = registry::parse_response(op, resp.clone(), serde_json::value::Serializer);
    let json = registry::parse_response_json(op, resp);
    match (direct, json) {
        (Ok(Ok(_)), Ok(_)) => assert!((200..300).contains(&status), "{op} accepted HTTP {status}"),
        (Ok(Err(_)), Ok(_)) => {}
        (Err(a), Err(b)) => {
            assert_eq!(a, b, "the two host paths disagree");
            check_error(&a, &body);
        }
        (a, b) => panic!(
            "the two host paths disagree: {:?} / {:?}",
            a.is_ok(),
            b.is_ok()
        ),
    }
});
