//! Every operation's input by name through the registry, from arbitrary JSON text, on both
//! paths hosts take (a streaming deserializer as Python's, a parsed value as wasm's), and
//! configurations through `deserialize_config`. Checks: no panic; a built request goes to the
//! configured service, has a JSON body that parses, within the body limit; every error is
//! typed, has issues with paths (under `config` for a configuration) and quotes no personal
//! data from the input.
#![no_main]
use cqes_core::btrust::registry;
use cqes_core::{Error, HttpRequest, Method};
use cqes_core_fuzz::{check_error, vectors};
use libfuzzer_sys::fuzz_target;

fn check_request(req: &HttpRequest, base: &str, max_body: u64) {
    assert!(
        req.url.starts_with(base),
        "request outside the service: {req:?}"
    );
    assert!(req.log_url.starts_with(base));
    if req.method == Method::Get {
        assert!(req.body.is_empty(), "a GET with a body");
    }
    if !req.body.is_empty() {
        assert!(req.body.len() as u64 <= max_body, "body over the limit");
        assert!(
            serde_json::from_slice::<serde_json::Value>(req.body.as_bytes()).is_ok(),
            "a request body that is not JSON"
        );
    }
}

fuzz_target!(|data: &[u8]| {
    let [sel, sel2, rest @ ..] = data else { return };
    let v = vectors();
    if *sel2 == 0xff {
        match registry::deserialize_config(&mut serde_json::Deserializer::from_slice(rest)) {
            Ok(c) => {
                let _ = format!("{c:?}");
            }
            Err(e) => {
                check_error(&e, rest);
                if let Error::Validation { issues } = &e {
                    for i in issues {
                        assert!(i.path.starts_with("config"), "config issue at {}", i.path);
                    }
                }
            }
        }
        return;
    }
    let ops = registry::OPERATIONS;
    let op = ops[*sel as usize % ops.len()];
    let config = &v.configs[(*sel2 as usize >> 1) % v.configs.len()];
    let result = if sel2 & 1 == 0 {
        registry::build_request(op, config, &mut serde_json::Deserializer::from_slice(rest))
    } else {
        let Ok(value) = serde_json::from_slice::<serde_json::Value>(rest) else {
            return;
        };
        registry::build_request(op, config, &value)
    };
    match result {
        Ok(req) => check_request(
            &req,
            config.environment.base_url(),
            config.limits.max_request_body_bytes,
        ),
        Err(e) => check_error(&e, rest),
    }
});
