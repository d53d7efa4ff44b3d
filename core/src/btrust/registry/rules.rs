//! Validation rules by name, for hosts that check a single field (a form, a CLI flag).

use super::unknown;
use crate::btrust::rules;
use crate::error::Error;
use crate::validate::{Issue, IssueCode, Validator};

/// Names of every validation rule [`check_rule`] knows.
pub const RULES: &[&str] = &[
    "egn",
    "lnc",
    "personalId",
    "dateOfBirth",
    "egnWithDateOfBirth",
    "phone",
    "email",
    "callbackUrl",
    "base64",
    "fileName",
    "profileId",
    "otp",
];

/// Runs validation rule `name` on a value (a string, or for `egnWithDateOfBirth` an object
/// `{"egn": …, "dateOfBirth": …}`); returns the issues, paths relative to the value (`$`).
pub fn check_rule(name: &str, value: &serde_json::Value) -> Result<Vec<Issue>, Error> {
    let mut v = Validator::new();
    if name == "egnWithDateOfBirth" {
        let field = |k: &str| {
            value
                .get(k)
                .and_then(|x| x.as_str())
                .unwrap_or_default()
                .to_owned()
        };
        let (egn, dob) = (field("egn"), field("dateOfBirth"));
        let e = v.field("egn", |v| rules::check_egn(v, &egn));
        let d = v.field("dateOfBirth", |v| rules::check_date_of_birth(v, &dob));
        if let (Some(e), Some(d)) = (e, d) {
            v.field("dateOfBirth", |v| rules::check_birth_date_agrees(v, e, d));
        }
        return Ok(v.into_issues());
    }
    let Some(s) = value.as_str() else {
        if RULES.contains(&name) {
            v.issue(IssueCode::InvalidType, "expected a string");
            return Ok(v.into_issues());
        }
        return Err(unknown("rule", name));
    };
    match name {
        "egn" => {
            rules::check_egn(&mut v, s);
        }
        "lnc" => rules::check_lnc(&mut v, s),
        "personalId" => rules::check_personal_id(&mut v, s),
        "dateOfBirth" => {
            rules::check_date_of_birth(&mut v, s);
        }
        "phone" => rules::check_phone(&mut v, s),
        "email" => rules::check_email(&mut v, s),
        "callbackUrl" => rules::check_callback_url(&mut v, s),
        "base64" => {
            rules::check_base64(&mut v, s);
        }
        "fileName" => rules::check_file_name(&mut v, s),
        "profileId" => rules::check_profile_id(&mut v, s),
        "otp" => rules::check_otp(&mut v, s),
        _ => return Err(unknown("rule", name)),
    }
    Ok(v.into_issues())
}
