//! Every validation rule by name (`check_rule`, as hosts call it for a single field) and
//! `Timestamp` parsing. Checks: no panic; issues have paths under `$` and quote no personal
//! data; a valid EGN is ten digits; an unknown rule is a typed error; a timestamp that reads
//! survives serialisation (both forms) with the same instant.
#![no_main]
use arbitrary::Unstructured;
use cqes_core::btrust::registry;
use cqes_core::Timestamp;
use cqes_core_fuzz::{assert_no_leak, check_error, mutate, pick, vectors};
use libfuzzer_sys::fuzz_target;
use serde_json::{json, Value};

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let v = vectors();
    let Ok(mode) = u.arbitrary::<u8>() else {
        return;
    };
    let rule = if mode & 0x80 != 0 {
        "noSuchRule"
    } else {
        pick(&mut u, registry::RULES).copied().unwrap_or("egn")
    };
    let value: Value = match mode % 4 {
        0 => {
            let (_, base) = pick(&mut u, &v.rules).cloned().unwrap_or_default();
            let mut base = base;
            mutate(&mut u, &mut base, 3);
            base
        }
        1 => {
            json!({"egn": u.arbitrary::<&str>().unwrap_or(""), "dateOfBirth": u.arbitrary::<&str>().unwrap_or("")})
        }
        _ => Value::String(u.arbitrary::<&str>().unwrap_or("").to_owned()),
    };
    let input = serde_json::to_vec(&value).unwrap_or_default();
    match registry::check_rule(rule, &value) {
        Ok(issues) => {
            for i in &issues {
                assert!(
                    i.path.starts_with('$') || i.path == "egn" || i.path == "dateOfBirth",
                    "issue path {}",
                    i.path
                );
                assert_no_leak(&i.message, &input);
            }
            if rule == "egn" && issues.is_empty() {
                let s = value.as_str().unwrap_or_default();
                assert!(
                    s.len() == 10 && s.bytes().all(|b| b.is_ascii_digit()),
                    "EGN {s:?} passed"
                );
            }
        }
        Err(e) => {
            assert!(
                !registry::RULES.contains(&rule),
                "rule {rule} refused its input: {e}"
            );
            check_error(&e, &input);
        }
    }
    if let Some(s) = value.as_str() {
        let t = Timestamp::parse(s);
        assert_eq!(t.raw(), s);
        let back: Timestamp = match serde_json::to_value(&t).and_then(serde_json::from_value) {
            Ok(b) => b,
            Err(e) => panic!("a Timestamp did not deserialise from its own form: {e}"),
        };
        assert_eq!(back, t);
        let from_text: Timestamp =
            serde_json::from_value(json!(s)).unwrap_or_else(|_| Timestamp::parse(""));
        assert_eq!(from_text, t);
        if let Some(ms) = t.epoch_ms() {
            assert_eq!(Timestamp::from_epoch_ms(ms).epoch_ms(), Some(ms));
        }
    }
});
