//! Sign and identification callback bodies through the registry (`parse_callback_json`, as
//! every host calls it): the vectors' callbacks edited, arbitrary JSON values, raw bytes, and
//! unknown kinds. Checks: no panic; every error typed and quoting no personal data.
#![no_main]
use arbitrary::Unstructured;
use cqes_core::btrust::registry;
use cqes_core_fuzz::{check_error, mutate, pick, value, vectors};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let v = vectors();
    let Ok(mode) = u.arbitrary::<u8>() else {
        return;
    };
    let Some(config) = pick(&mut u, &v.configs) else {
        return;
    };
    let (kind, body) = match mode % 4 {
        0 | 1 => {
            let Some((kind, body)) = pick(&mut u, &v.callbacks) else {
                return;
            };
            let mut body = body.clone();
            if mode % 4 == 1 {
                if let Ok(mut doc) = serde_json::from_slice::<serde_json::Value>(&body) {
                    mutate(&mut u, &mut doc, 6);
                    body = serde_json::to_vec(&doc).unwrap_or_default();
                }
            }
            (kind.as_str(), body)
        }
        2 => {
            let kind = pick(&mut u, registry::CALLBACKS).copied().unwrap_or("sign");
            (
                kind,
                serde_json::to_vec(&value(&mut u, 4)).unwrap_or_default(),
            )
        }
        _ => {
            let kind = if mode & 0x80 != 0 {
                "other"
            } else {
                registry::CALLBACKS[(mode as usize >> 2) & 1]
            };
            (kind, u.take_rest().to_vec())
        }
    };
    let kind = if mode & 0x40 != 0 {
        registry::CALLBACKS[(mode as usize >> 4) & 1]
    } else {
        kind
    };
    match registry::parse_callback_json(kind, config, &body) {
        Ok(out) => assert!(
            registry::CALLBACKS.contains(&kind),
            "unknown kind {kind} accepted: {out}"
        ),
        Err(e) => check_error(&e, &body),
    }
});
