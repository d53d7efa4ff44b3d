//! Reading a JSON body into a cqes-core model the way a Spring service would: fields the
//! model does not know are ignored (Jackson's default in Spring Boot; that B-Trust runs on it
//! is inferred), or refused and named when the sandbox runs in strict mode
//! ([`SandboxConfig::strict_json`](crate::SandboxConfig::strict_json)). The core's models
//! refuse unknown fields (the SDK wants typos caught before they are sent), so the sandbox
//! removes them from the parsed document one by one, as serde names them, and keeps their
//! paths.
//!
//! Every handler reads its body through [`read_json`] (via `signing::read`), so new routes
//! inherit both modes.

use super::Ctx;
use axum::response::Response;
use cqes_core::validate::{issue_from_serde, Issue, IssueCode, Validate};
use cqes_core::Error;
use serde::de::DeserializeOwned;
use serde_json::Value;
use serde_path_to_error::Segment;

/// More unknown fields than this in one body is not a typo; the body is refused.
const MAX_UNKNOWN: usize = 64;

/// A JSON path in the core's notation: `contents[0].signaturePosition`.
fn render(segments: &[Segment]) -> String {
    let mut out = String::new();
    for s in segments {
        match s {
            Segment::Seq { index } => out.push_str(&format!("[{index}]")),
            Segment::Map { key } | Segment::Enum { variant: key } => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            Segment::Unknown => {}
        }
    }
    out
}

/// The object at `segments` inside `value`.
fn object_at<'v>(
    value: &'v mut Value,
    segments: &[Segment],
) -> Option<&'v mut serde_json::Map<String, Value>> {
    let mut cur = value;
    for s in segments {
        cur = match s {
            Segment::Seq { index } => cur.get_mut(*index)?,
            Segment::Map { key } => cur.get_mut(key.as_str())?,
            // Externally tagged enums are an object keyed by the variant.
            Segment::Enum { variant } => match cur.get(variant.as_str()) {
                Some(_) => cur.get_mut(variant.as_str())?,
                None => cur,
            },
            Segment::Unknown => return None,
        };
    }
    cur.as_object_mut()
}

/// The value at a core path (`contents[0].otp`), if the body has one there.
fn value_at<'v>(value: &'v Value, path: &str) -> Option<&'v Value> {
    let mut cur = value;
    for part in path.split('.') {
        let (name, mut rest) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if !name.is_empty() {
            cur = cur.get(name)?;
        }
        while let Some(close) = rest.find(']') {
            cur = cur.get(rest.get(1..close)?.parse::<usize>().ok()?)?;
            rest = &rest[close + 1..];
        }
    }
    Some(cur)
}

/// One line per issue, `path: code`; a value that is present but an empty (or blank) string
/// says so instead of `required`, which would claim it was not sent.
pub(crate) fn issue_lines(issues: &[Issue], body: Option<&Value>) -> Vec<String> {
    issues
        .iter()
        .map(|i| {
            let given = body.and_then(|b| value_at(b, &i.path));
            match (&i.code, given) {
                (IssueCode::Required, Some(Value::String(s))) if s.is_empty() => {
                    format!(
                        "{}: empty (a value is required; an empty string was given)",
                        i.path
                    )
                }
                (IssueCode::Required, Some(Value::String(s))) if s.trim().is_empty() => {
                    format!(
                        "{}: blank (a value is required; only spaces were given)",
                        i.path
                    )
                }
                _ => format!("{}: {}", i.path, i.code),
            }
        })
        .collect()
}

/// Reads and validates a body. Syntax errors, type errors and rule violations come back as
/// the 400 that lists them; unknown fields are dropped (or, strict, refused by name).
pub(crate) fn read_json<T: DeserializeOwned + Validate>(
    ctx: &Ctx,
    body: &[u8],
) -> Result<T, Response> {
    let mut value: Value = serde_json::from_slice(body).map_err(|e| {
        let text = e.to_string();
        let cut = text.split(" at line ").next().unwrap_or(&text);
        super::signing::invalid(
            ctx,
            Error::validation(Issue {
                path: "$".into(),
                code: IssueCode::InvalidFormat,
                message: format!("The body is not JSON: {cut}."),
            }),
        )
    })?;
    let mut unknown: Vec<String> = Vec::new();
    let parsed: T = loop {
        match serde_path_to_error::deserialize::<_, T>(&value) {
            Ok(v) => break v,
            Err(e) => {
                let text = e.inner().to_string();
                let name = text
                    .strip_prefix("unknown field `")
                    .and_then(|r| r.split('`').next())
                    .map(str::to_owned);
                let mut segments: Vec<Segment> = e.path().iter().cloned().collect();
                if let (Some(name), true) = (&name, unknown.len() < MAX_UNKNOWN) {
                    if matches!(segments.last(), Some(Segment::Map { key }) if key == name) {
                        segments.pop();
                    }
                    if object_at(&mut value, &segments)
                        .and_then(|o| o.remove(name))
                        .is_some()
                    {
                        let parent = render(&segments);
                        unknown.push(if parent.is_empty() {
                            name.clone()
                        } else {
                            format!("{parent}.{name}")
                        });
                        continue;
                    }
                }
                return Err(super::signing::invalid(
                    ctx,
                    Error::validation(issue_from_serde(
                        &e.path().to_string(),
                        &e.inner().to_string(),
                    )),
                ));
            }
        }
    };
    if ctx.app.config.strict_json && !unknown.is_empty() {
        let issues: Vec<Issue> = unknown
            .iter()
            .map(|p| Issue {
                path: p.clone(),
                code: IssueCode::UnknownField,
                message: "This operation does not accept this field (strict mode).".into(),
            })
            .collect();
        return Err(super::signing::invalid(ctx, Error::Validation { issues }));
    }
    if !unknown.is_empty() {
        tracing::info!(target: "cqes_sandbox::request", op = ctx.op, ignored = ?unknown, "unknown fields ignored (strictJson is off)");
    }
    parsed
        .check()
        .map_err(|e| super::signing::invalid_in(ctx, e, Some(&value)))?;
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use super::value_at;
    use serde_json::json;

    #[test]
    fn paths_in_core_notation_find_their_value() {
        let v = json!({"otp": "", "contents": [{"a": {"b": [1, 2]}}]});
        assert_eq!(value_at(&v, "otp"), Some(&json!("")));
        assert_eq!(value_at(&v, "contents[0].a.b[1]"), Some(&json!(2)));
        assert_eq!(value_at(&v, "contents[1]"), None);
        assert_eq!(value_at(&v, "nope"), None);
    }
}
