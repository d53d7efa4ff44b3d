//! Any status and body, for every JSON operation: parsing never panics, success only comes
//! from a 2xx, and an error never quotes long digit runs (personal data) from the body.
#![no_main]
use cqes_core::btrust::registry;
use cqes_core::{Error, HttpResponse};
use libfuzzer_sys::fuzz_target;

const STATUSES: [u16; 12] = [200, 202, 206, 204, 301, 400, 401, 403, 404, 409, 500, 503];

fuzz_target!(|data: &[u8]| {
    let Some((&sel, body)) = data.split_first() else {
        return;
    };
    let status = STATUSES[(sel & 0x0f) as usize % STATUSES.len()];
    let op = registry::OPERATIONS[(sel >> 4) as usize % registry::OPERATIONS.len()];
    match registry::parse_response_json(op, HttpResponse::new(status, body.to_vec())) {
        Ok(out) => {
            if let Some(s) = out.get("httpStatus") {
                assert!((200..300).contains(&s.as_u64().unwrap_or(0)));
            }
        }
        Err(e) => {
            if let Error::UnexpectedResponse { excerpt, .. } = &e {
                let mut run = 0;
                for c in excerpt.chars() {
                    run = if c.is_ascii_digit() { run + 1 } else { 0 };
                    assert!(run < 6, "digits leaked into an excerpt: {excerpt}");
                }
            }
            let _ = e.to_string();
        }
    }
});
