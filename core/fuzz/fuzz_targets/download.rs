//! Binary downloads with arbitrary headers and bodies: no panic, the body is handed out
//! unchanged, and a file name never contains a path separator or a control character.
#![no_main]
use cqes_core::btrust::download::parse_binary;
use cqes_core::HttpResponse;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (disposition, rest) = text.split_once('\n').unwrap_or((&text, ""));
    let (content_type, body) = rest.split_once('\n').unwrap_or(("application/pdf", rest));
    let resp = HttpResponse::new(200, body.as_bytes().to_vec())
        .with_header("Content-Disposition", disposition)
        .with_header("Content-Type", content_type);
    if let Ok(file) = parse_binary(resp) {
        assert_eq!(file.content.as_bytes(), body.as_bytes());
        if let Some(name) = file.file_name {
            assert!(!name.is_empty());
            assert!(!name.contains('/') && !name.contains('\\'));
            assert!(!name.chars().any(char::is_control));
            assert!(name != "." && name != "..");
        }
    }
});
