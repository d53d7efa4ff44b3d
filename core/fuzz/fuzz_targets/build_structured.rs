//! Every operation's input and every flow's start through the registry from structured
//! values: a real input from the vectors (or an arbitrary value) edited field by field with
//! B-Trust field names and meaningful strings, so validation is reached deep inside nested
//! inputs. Checks as `build_json`, plus: a flow starts or fails with a typed error.
#![no_main]
use arbitrary::Unstructured;
use cqes_core::btrust::registry::{self, AnyFlow};
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
    if mode & 1 == 0 {
        // An operation: its own vector input, another operation's, or an arbitrary value.
        let (op, mut input) = match pick(&mut u, &v.inputs) {
            Some((op, input)) if mode & 6 != 6 => (op.as_str(), input.clone()),
            _ => (registry::OPERATIONS[0], value(&mut u, 5)),
        };
        let op = if mode & 0x08 != 0 {
            pick(&mut u, registry::OPERATIONS).copied().unwrap_or(op)
        } else {
            op
        };
        mutate(&mut u, &mut input, 8);
        let text = serde_json::to_vec(&input).unwrap_or_default();
        match registry::build_request(op, config, &input) {
            Ok(req) => {
                assert!(req.url.starts_with(config.environment.base_url()));
                let _ = format!("{req:?}");
            }
            Err(e) => check_error(&e, &text),
        }
    } else {
        let Some((name, input, options)) = pick(&mut u, &v.flow_inputs) else {
            return;
        };
        let mut input = input.clone();
        mutate(&mut u, &mut input, 8);
        let name = if mode & 0x08 != 0 {
            pick(&mut u, registry::FLOWS).copied().unwrap_or(name)
        } else {
            name
        };
        let text = serde_json::to_vec(&input).unwrap_or_default();
        match AnyFlow::start(name, config.clone(), &input, options.clone()) {
            Ok(mut flow) => {
                assert_eq!(flow.name(), name);
                // The first step of a fresh flow is a request (or a typed failure).
                match flow.next(1_700_000_000_000) {
                    registry::FlowStep::Send(o) => {
                        assert!(o.request.url.starts_with(config.environment.base_url()))
                    }
                    registry::FlowStep::Failed(e) => check_error(&e, &text),
                    other => panic!("a fresh flow did not send: {other:?}"),
                }
            }
            Err(e) => check_error(&e, &text),
        }
    }
});
