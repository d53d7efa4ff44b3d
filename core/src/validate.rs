//! Validation that reports every issue at once, each with a JSON path and a stable code
//! (the pydantic-core error model): `contents[0].signaturePosition.pageNumber: out_of_range`.
//!
//! Validation lives only here, in Rust. Host-side types are typing aids, never a second
//! validator. Messages describe the rule, never the value (values may be personal data).

use crate::error::Error;
use serde::{Deserialize, Serialize};
use std::fmt;

open_enum! {
    /// Stable code of a validation issue.
    pub enum IssueCode {
        /// A required value is missing or empty.
        Required = "required",
        /// The value has the wrong type (string instead of number, …).
        InvalidType = "invalid_type",
        /// The value does not have the required shape (pattern, syntax).
        InvalidFormat = "invalid_format",
        /// A check digit does not match.
        Checksum = "checksum",
        /// A date that does not exist or is not allowed here.
        InvalidDate = "invalid_date",
        /// A number outside its allowed range.
        OutOfRange = "out_of_range",
        /// Too many characters or items.
        TooLong = "too_long",
        /// Too few characters or items.
        TooShort = "too_short",
        /// Too many bytes.
        TooLarge = "too_large",
        /// Not standard, padded base64.
        InvalidBase64 = "invalid_base64",
        /// Not a PDF document where one is required.
        NotPdf = "not_pdf",
        /// A value outside the documented set.
        UnknownValue = "unknown_value",
        /// Two values that must agree do not.
        Mismatch = "mismatch",
        /// A length that does not fit (a digest of the wrong size, …).
        InvalidLength = "invalid_length",
        /// A URL that is not https (plain http is allowed only for loopback).
        InsecureUrl = "insecure_url",
        /// A combination of values the service refuses.
        Conflict = "conflict",
        /// A field this operation does not accept.
        UnknownField = "unknown_field",
    }
}

/// One problem with the input.
#[crate::model]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Issue {
    /// Where: a JSON path such as `contents[0].signaturePosition.pageNumber`.
    pub path: String,
    /// What kind of problem, as a stable code.
    pub code: IssueCode,
    /// A human explanation of the rule (never the offending value).
    pub message: String,
}

impl fmt::Display for Issue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {} ({})", self.path, self.message, self.code)
    }
}

#[derive(Debug, Clone)]
enum Segment {
    Field(String),
    Index(usize),
}

/// Collects issues while walking an input; [`Validator::finish`] turns them into one
/// [`Error::Validation`].
#[derive(Debug, Default)]
pub struct Validator {
    path: Vec<Segment>,
    issues: Vec<Issue>,
}

impl Validator {
    /// An empty validator at the root.
    pub fn new() -> Self {
        Self::default()
    }

    /// Runs `f` one field deeper.
    pub fn field<R>(&mut self, name: &str, f: impl FnOnce(&mut Self) -> R) -> R {
        self.path.push(Segment::Field(name.to_owned()));
        let r = f(self);
        self.path.pop();
        r
    }

    /// Runs `f` at an index of the current array.
    pub fn index<R>(&mut self, i: usize, f: impl FnOnce(&mut Self) -> R) -> R {
        self.path.push(Segment::Index(i));
        let r = f(self);
        self.path.pop();
        r
    }

    /// The current path, rendered.
    pub fn path(&self) -> String {
        render(&self.path)
    }

    /// Records an issue at the current path.
    pub fn issue(&mut self, code: IssueCode, message: impl Into<String>) {
        let path = self.path();
        self.issues.push(Issue {
            path,
            code,
            message: message.into(),
        });
    }

    /// Records an issue one field below the current path.
    pub fn issue_at(&mut self, field: &str, code: IssueCode, message: impl Into<String>) {
        let message = message.into();
        self.field(field, |v| v.issue(code, message));
    }

    /// Whether any issue has been recorded.
    pub fn has_issues(&self) -> bool {
        !self.issues.is_empty()
    }

    /// Number of issues recorded so far (lets a rule tell whether a sub-check added any).
    pub fn count(&self) -> usize {
        self.issues.len()
    }

    /// The issues recorded so far.
    pub fn issues(&self) -> &[Issue] {
        &self.issues
    }

    /// `Ok(())`, or one validation error carrying every issue.
    pub fn finish(self) -> Result<(), Error> {
        if self.issues.is_empty() {
            Ok(())
        } else {
            Err(Error::Validation {
                issues: self.issues,
            })
        }
    }

    /// The issues, consuming the validator.
    pub fn into_issues(self) -> Vec<Issue> {
        self.issues
    }
}

fn render(path: &[Segment]) -> String {
    let mut out = String::new();
    for seg in path {
        match seg {
            Segment::Field(name) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(name);
            }
            Segment::Index(i) => {
                out.push('[');
                out.push_str(&i.to_string());
                out.push(']');
            }
        }
    }
    if out.is_empty() {
        out.push('$');
    }
    out
}

/// Something that can check itself.
pub trait Validate {
    /// Records every issue of `self` into `v`, at paths relative to `v`'s current path.
    fn validate(&self, v: &mut Validator);

    /// Validates from the root: `Ok(())` or an [`Error::Validation`] with every issue.
    fn check(&self) -> Result<(), Error> {
        let mut v = Validator::new();
        self.validate(&mut v);
        v.finish()
    }
}

impl<T: Validate> Validate for Option<T> {
    fn validate(&self, v: &mut Validator) {
        if let Some(inner) = self {
            inner.validate(v);
        }
    }
}

/// Turns a serde error met while reading an *input* into a validation issue with its path.
/// The serde message is scrubbed, because serde quotes offending values.
/// `path` is rendered as serde_path_to_error does (`contents[0].data`, `.` for the root).
pub fn issue_from_serde(path: &str, text: &str) -> Issue {
    let mut path = if path == "." || path.is_empty() {
        "$".to_owned()
    } else {
        path.to_owned()
    };
    let code = if let Some(rest) = text.strip_prefix("missing field `") {
        // serde reports a missing field at its parent; point at the field itself.
        let field = rest.split('`').next().unwrap_or_default();
        path = if path == "$" {
            field.to_owned()
        } else {
            format!("{path}.{field}")
        };
        IssueCode::Required
    } else if text.starts_with("invalid type") {
        IssueCode::InvalidType
    } else if text.starts_with("unknown field") {
        IssueCode::UnknownField
    } else {
        IssueCode::InvalidFormat
    };
    // Keep serde's explanation up to the first quoted value.
    let cut = text.split(" at line ").next().unwrap_or(text);
    Issue {
        path,
        code,
        message: crate::json::scrub(cut, 160),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_render_like_json_paths() {
        let mut v = Validator::new();
        v.field("contents", |v| {
            v.index(0, |v| {
                v.issue_at("signaturePosition", IssueCode::Required, "needed")
            })
        });
        v.issue(IssueCode::Conflict, "root");
        let issues = v.into_issues();
        assert_eq!(issues[0].path, "contents[0].signaturePosition");
        assert_eq!(issues[1].path, "$");
    }
}
