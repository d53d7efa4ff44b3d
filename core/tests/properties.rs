//! Property tests: validators against independent constructions, open-enum round trips,
//! lenient time parsing, the wire encoder, and "no input panics".
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use chrono::{Datelike, Days, NaiveDate};
use cqes_core::btrust::certificates::IdentificatorType;
use cqes_core::btrust::codes::ResponseCode;
use cqes_core::btrust::signing::ReportType;
use cqes_core::btrust::{
    registry, rules, Config, ContentFormat, Environment, HashAlgorithm, Language, Payer,
    SignatureStatus, SignatureType,
};
use cqes_core::time::{days_in_month, parse_datetime};
use cqes_core::validate::{IssueCode, Validator};
use proptest::prelude::*;

const EGN_W: [u32; 9] = [2, 4, 8, 5, 10, 9, 7, 3, 6];
const LNC_W: [u32; 9] = [21, 19, 17, 13, 11, 9, 7, 3, 1];

fn with_check(prefix: &str, w: &[u32; 9], modulus: u32) -> String {
    let sum: u32 = prefix
        .bytes()
        .zip(w)
        .map(|(b, w)| (b - b'0') as u32 * w)
        .sum();
    format!("{prefix}{}", sum % modulus % 10)
}

/// A date in 1800–2099 and its EGN month encoding.
fn egn_date() -> impl Strategy<Value = (i64, u32, u32)> {
    (1800i64..2100, 1u32..=12).prop_flat_map(|(y, m)| (Just(y), Just(m), 1..=days_in_month(y, m)))
}

fn codes(f: impl FnOnce(&mut Validator)) -> Vec<IssueCode> {
    let mut v = Validator::new();
    f(&mut v);
    v.into_issues().into_iter().map(|i| i.code).collect()
}

proptest! {
    #[test]
    fn every_existing_birth_date_makes_a_valid_egn((y, m, d) in egn_date(), serial in 0u32..1000) {
        let month = m + match y { 1800..=1899 => 20, 2000..=2099 => 40, _ => 0 };
        let egn = with_check(&format!("{:02}{:02}{:02}{:03}", y % 100, month, d, serial), &EGN_W, 11);
        let date = rules::egn_birth_date(&egn).unwrap();
        prop_assert_eq!((date.year, date.month, date.day), (y, m, d));
        let issues = codes(|v| { rules::check_egn(v, &egn); });
        prop_assert!(issues.is_empty());
        // Any other check digit is refused.
        let last = egn.as_bytes()[9] - b'0';
        let wrong = format!("{}{}", &egn[..9], (last + 1) % 10);
        prop_assert_eq!(codes(|v| { rules::check_egn(v, &wrong); }), vec![IssueCode::Checksum]);
    }

    #[test]
    fn dates_that_do_not_exist_are_refused(y in 0u32..100, m in 0u32..60, d in 0u32..40, serial in 0u32..1000) {
        let prefix = format!("{y:02}{m:02}{d:02}{serial:03}");
        let egn = with_check(&prefix, &EGN_W, 11);
        let (year, month) = match m {
            1..=12 => (1900 + y as i64, m),
            21..=32 => (1800 + y as i64, m - 20),
            41..=52 => (2000 + y as i64, m - 40),
            _ => (0, 0),
        };
        let exists = month != 0 && d >= 1 && d <= days_in_month(year, month);
        prop_assert_eq!(rules::egn_birth_date(&egn).is_some(), exists);
        prop_assert_eq!(rules::is_valid_egn(&egn), exists);
    }

    #[test]
    fn lnc_check_digit(prefix in "[0-9]{9}", other in 0u8..10) {
        let lnc = with_check(&prefix, &LNC_W, 10);
        prop_assert!(rules::is_valid_lnc(&lnc));
        let candidate = format!("{prefix}{other}");
        prop_assert_eq!(rules::is_valid_lnc(&candidate), candidate == lnc);
    }

    #[test]
    fn date_of_birth_agrees_with_the_egn((y, m, d) in egn_date(), serial in 0u32..1000, shift in 1i64..400) {
        let month = m + match y { 1800..=1899 => 20, 2000..=2099 => 40, _ => 0 };
        let egn = with_check(&format!("{:02}{:02}{:02}{:03}", y % 100, month, d, serial), &EGN_W, 11);
        let same = serde_json::json!({"egn": egn, "dateOfBirth": format!("{d:02}-{m:02}-{y}")});
        prop_assert!(registry::check_rule("egnWithDateOfBirth", &same).unwrap().is_empty());
        // Another existing day disagrees.
        let later = NaiveDate::from_ymd_opt(y as i32, m, d).unwrap() + Days::new(shift as u64);
        let (y2, m2, d2) = (later.year(), later.month(), later.day());
        let other = serde_json::json!({"egn": egn, "dateOfBirth": format!("{d2:02}-{m2:02}-{y2}")});
        let issues = registry::check_rule("egnWithDateOfBirth", &other).unwrap();
        prop_assert_eq!(issues.len(), 1);
        prop_assert_eq!(&issues[0].code, &IssueCode::Mismatch);
    }

    #[test]
    fn unknown_enum_values_round_trip(s in "[A-Z_ ]{1,40}") {
        fn check<T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug>(s: &str, parse: fn(&str) -> T, as_str: fn(&T) -> String) {
            let v = parse(s);
            assert_eq!(as_str(&v), s);
            let json = serde_json::to_string(&v).unwrap();
            assert_eq!(json, serde_json::to_string(s).unwrap());
            assert_eq!(serde_json::from_str::<T>(&json).unwrap(), v);
        }
        check(&s, ResponseCode::parse, |v| v.as_str().to_owned());
        check(&s, SignatureType::parse, |v| v.as_str().to_owned());
        check(&s, SignatureStatus::parse, |v| v.as_str().to_owned());
        check(&s, ContentFormat::parse, |v| v.as_str().to_owned());
    }

    #[test]
    fn epoch_round_trips_through_every_offset(ms in 0i64..4_102_444_800_000, off_min in -720i64..=840, style in 0u8..4) {
        let local = ms + off_min * 60_000;
        let days = local.div_euclid(86_400_000);
        let rem = local.rem_euclid(86_400_000);
        let date = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap() + Days::new(days as u64);
        let (y, m, d) = (date.year(), date.month(), date.day());
        let (h, mi, s, milli) = (rem / 3_600_000, rem / 60_000 % 60, rem / 1000 % 60, rem % 1000);
        let sign = if off_min < 0 { '-' } else { '+' };
        let (oh, om) = (off_min.abs() / 60, off_min.abs() % 60);
        let text = match style {
            0 => format!("{y:04}-{m:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{milli:03}{sign}{oh:02}:{om:02}"),
            1 => format!("{y:04}-{m:02}-{d:02}T{h:02}.{mi:02}.{s:02}.{milli:03}{sign}{oh:02}{om:02}"),
            2 => format!("{y:04}-{m:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{milli:03}123{sign}{oh:02}:{om:02}"),
            _ => format!("{y:04}-{m:02}-{d:02} {h:02}:{mi:02}:{s:02}.{milli:03}{sign}{oh:02}{om:02}"),
        };
        prop_assert_eq!(parse_datetime(&text), Some(ms), "{}", text);
    }

    #[test]
    fn base64_rule_matches_the_encoder(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        let text = base64_simd::STANDARD.encode_to_string(&bytes);
        let issues = codes(|v| { rules::check_base64(v, &text); });
        if bytes.is_empty() {
            prop_assert_eq!(issues, vec![IssueCode::Required]);
        } else {
            prop_assert_eq!(issues.len(), 0);
            prop_assert_eq!(rules::base64_decoded_len(&text), bytes.len());
        }
    }

    #[test]
    fn wire_json_round_trips_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..5000), name in "\\PC{0,20}") {
        #[derive(serde::Serialize)]
        struct Doc { name: String, data: cqes_core::Blob }
        let out = cqes_core::json::to_vec(&Doc { name: name.clone(), data: cqes_core::Blob::from(bytes.clone()) }).unwrap();
        prop_assert_eq!(out.len(), out.capacity());
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        prop_assert_eq!(v["name"].as_str().unwrap(), name.as_str());
        let back: cqes_core::Blob = serde_json::from_value(v["data"].clone()).unwrap();
        prop_assert_eq!(back.as_bytes(), &bytes[..]);
    }

    #[test]
    fn scrub_never_lets_long_digit_runs_through(prefix in "[a-z ]{0,10}", digits in "[0-9]{6,12}", suffix in "[a-z ]{0,10}") {
        let out = cqes_core::json::scrub(&format!("{prefix}{digits}{suffix}"), 500);
        prop_assert!(!out.contains(&digits));
    }

    /// Whatever JSON arrives as input, building never panics and always answers with a
    /// request or a typed error.
    #[test]
    fn no_input_panics(op in 0usize..33, input in arb_json(3)) {
        let config = Config::new(Environment::Uat, "12345678");
        let name = registry::OPERATIONS[op];
        match registry::build_request(name, &config, &input) {
            Ok(_) => {}
            Err(e) => {
                let ok = ["validation", "invalid_state"].contains(&e.code());
                prop_assert!(ok, "{}: {}", name, e);
            }
        }
    }

    /// Whatever bytes arrive as a response, parsing never panics.
    #[test]
    fn no_response_panics(op in 0usize..33, status in prop_oneof![Just(200u16), Just(202), Just(206), Just(400), Just(500), 100u16..600], body in prop_oneof![arb_json(3).prop_map(|v| v.to_string().into_bytes()), proptest::collection::vec(any::<u8>(), 0..200)]) {
        let name = registry::OPERATIONS[op];
        let _ = registry::parse_response_json(name, cqes_core::HttpResponse::new(status, body));
    }
}

#[test]
fn every_known_enum_value_round_trips() {
    fn all<T: PartialEq + std::fmt::Debug>(
        known: &[&str],
        parse: fn(&str) -> T,
        as_str: fn(&T) -> &str,
        is_known: fn(&T) -> bool,
    ) {
        let mut seen = std::collections::HashSet::new();
        for w in known {
            let v = parse(w);
            assert!(is_known(&v), "{w} parses as unknown");
            assert_eq!(as_str(&v), *w);
            assert!(seen.insert(*w), "{w} listed twice");
        }
    }
    assert_eq!(ResponseCode::KNOWN.len(), 142);
    assert_eq!(SignatureType::KNOWN.len(), 26);
    all(
        ResponseCode::KNOWN,
        ResponseCode::parse,
        ResponseCode::as_str,
        ResponseCode::is_known,
    );
    all(
        SignatureType::KNOWN,
        SignatureType::parse,
        SignatureType::as_str,
        SignatureType::is_known,
    );
    all(
        SignatureStatus::KNOWN,
        SignatureStatus::parse,
        SignatureStatus::as_str,
        SignatureStatus::is_known,
    );
    all(
        ContentFormat::KNOWN,
        ContentFormat::parse,
        ContentFormat::as_str,
        ContentFormat::is_known,
    );
    all(
        HashAlgorithm::KNOWN,
        HashAlgorithm::parse,
        HashAlgorithm::as_str,
        HashAlgorithm::is_known,
    );
    all(Payer::KNOWN, Payer::parse, Payer::as_str, Payer::is_known);
    all(
        Language::KNOWN,
        Language::parse,
        Language::as_str,
        Language::is_known,
    );
    all(
        IdentificatorType::KNOWN,
        IdentificatorType::parse,
        IdentificatorType::as_str,
        IdentificatorType::is_known,
    );
    all(
        ReportType::KNOWN,
        ReportType::parse,
        ReportType::as_str,
        ReportType::is_known,
    );
    assert!(ResponseCode::parse("REQUEST EXCEED LIMIT").is_known());
    assert!(ResponseCode::parse("REQUEST_EXCEED_LIMIT").is_known());
}

fn arb_json(depth: u32) -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        any::<f64>().prop_map(|f| serde_json::Number::from_f64(f)
            .map(serde_json::Value::Number)
            .unwrap_or_default()),
        prop_oneof![
            "\\PC{0,12}",
            Just("7501010010".to_owned()),
            Just("BINARY_BASE64".to_owned()),
            Just("PADES_BASELINE_B".to_owned()),
            Just("aGVsbG8=".to_owned()),
        ]
        .prop_map(serde_json::Value::from),
    ];
    leaf.prop_recursive(depth, 64, 8, |inner| {
        let keys = prop_oneof![
            "[a-zA-Z$]{1,10}",
            Just("identity".to_owned()),
            Just("request".to_owned()),
            Just("contents".to_owned()),
            Just("personalId".to_owned()),
            Just("confirmText".to_owned()),
            Just("contentFormat".to_owned()),
            Just("data".to_owned()),
            Just("signatureType".to_owned()),
            Just("signaturePosition".to_owned()),
            Just("callbackId".to_owned()),
            Just("content".to_owned()),
            Just("$bytes".to_owned()),
        ];
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::Array),
            proptest::collection::btree_map(keys, inner, 0..5)
                .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
}
