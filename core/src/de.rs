//! Reading typed values from JSON text, with the JSON path of the first problem.
//!
//! Every typed read of the core (inputs given as JSON text, response envelopes, snapshots) goes
//! through [`from_json`], so serde's generated code is instantiated for one deserializer only:
//! `serde_json`'s slice reader. Where the problem was is found in one of two ways:
//!
//! - with the `error-paths` feature (default), `serde_path_to_error` tracks the path while
//!   parsing: exact for any deserializer, but it wraps every visitor of every type, which
//!   roughly doubles serde's code (the wasm module turns it off);
//! - without it, [`path_at`] re-reads the text up to the byte where `serde_json` stopped and
//!   names the member or element it was in: one small function for every type. The two agree
//!   on every conformance vector and on the cases in this module's tests.

use serde::de::DeserializeOwned;

/// A failed read: the path (serde_path_to_error's rendering, `.` for the root) and serde's
/// message without its `at line … column …` suffix.
#[derive(Debug)]
pub struct JsonError {
    /// Whether the text is not JSON at all (as opposed to JSON of the wrong shape).
    pub syntax: bool,
    /// `contents[0].fileName`; `.` for the root.
    pub path: String,
    /// serde's explanation (may quote the offending value: scrub before showing).
    pub message: String,
}

impl JsonError {
    /// The path as a JSON path from the root: `$`, `$.data.signatures[0]`.
    pub fn json_path(&self) -> String {
        if self.path == "." || self.path.is_empty() {
            "$".to_owned()
        } else {
            format!("$.{}", self.path)
        }
    }
}

/// serde_json's message without the position it appends.
fn message_of(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(i) if e.line() != 0 => text[..i].to_owned(),
        _ => text,
    }
}

fn is_syntax(e: &serde_json::Error) -> bool {
    e.is_syntax() || e.is_eof()
}

/// Reads a `T` from the whole of `text` (trailing non-whitespace is an error).
pub fn from_json<T: DeserializeOwned>(text: &[u8]) -> Result<T, JsonError> {
    serde_json::from_slice(text).map_err(|e| locate::<T>(text, &e))
}

/// Where reading `text` as a `T` failed with `e`. serde_json calls some shape errors syntax
/// errors (an enum object with two keys): only a text that is not JSON is one here.
// `T` is read again only with `error-paths`.
#[cfg_attr(
    not(feature = "error-paths"),
    allow(clippy::extra_unused_type_parameters)
)]
fn locate<T: DeserializeOwned>(text: &[u8], e: &serde_json::Error) -> JsonError {
    let shape = is_syntax(e);
    if shape && serde_json::from_slice::<serde::de::IgnoredAny>(text).is_err() {
        return JsonError {
            syntax: true,
            path: ".".to_owned(),
            message: message_of(e),
        };
    }
    // With `error-paths`, read the text again as a `Value` through serde_path_to_error (only
    // on this error path: a good text is read once).
    #[cfg(feature = "error-paths")]
    if let Some(tracked) = serde_json::from_slice::<serde_json::Value>(text)
        .ok()
        .and_then(|v| serde_path_to_error::deserialize::<_, T>(v).err())
    {
        return JsonError {
            syntax: false,
            path: tracked.path().to_string(),
            message: message_of(tracked.inner()),
        };
    }
    located(text, e, shape)
}

/// The path of error `e`, met while reading `text`, from the position serde_json gives.
/// `shape`: serde_json called it a syntax error in a valid text, which it does for an object
/// that should have had one key (an enum) and had more, at the second key.
pub fn located(text: &[u8], e: &serde_json::Error, shape: bool) -> JsonError {
    let mut message = message_of(e);
    if shape {
        message = "expected an object with exactly one key".to_owned();
    }
    let path = if e.line() == 0 {
        ".".to_owned()
    } else {
        let offset = offset_of(text, e.line(), e.column());
        let at_end =
            shape || message.starts_with("missing field") || message.starts_with("invalid length");
        path_at(text, offset, at_end, message.starts_with("unknown variant"))
    };
    JsonError {
        syntax: false,
        path,
        message,
    }
}

/// The byte offset of serde_json's `line` (1-based) and `column` (bytes consumed on that line).
fn offset_of(text: &[u8], line: usize, column: usize) -> usize {
    let mut start = 0;
    for _ in 1..line {
        match text[start..].iter().position(|&b| b == b'\n') {
            Some(i) => start += i + 1,
            None => break,
        }
    }
    (start + column).min(text.len())
}

enum Frame {
    /// An object: the member being read, once its key has been read.
    Object(Option<String>),
    /// An array: the index of the element being read, once it has begun.
    Array(usize, bool),
}

/// Names the member or element that `text[..offset]` ends in, rendered as
/// serde_path_to_error does (`data.signatures[1].status`, `.` for the root). serde_json stops
/// right after the value it could not use, or on the first byte of a value of the wrong type;
/// a missing field or a short array (`at_end`) is reported at its container's closing
/// bracket, where the member or element just read is no longer the one in question. An
/// unknown variant of an enum object (`{"nope": …}`) is reported right after its key, which
/// names the enum's own place (`variant_key`), unlike an unknown field.
pub fn path_at(text: &[u8], offset: usize, at_end: bool, variant_key: bool) -> String {
    let text = &text[..offset.min(text.len())];
    let mut stack: Vec<Frame> = Vec::new();
    // Just read a key, not yet its colon.
    let mut after_key = false;
    let mut i = 0;
    while i < text.len() {
        let b = text[i];
        match b {
            b'"' => {
                let start = i + 1;
                let mut j = start;
                while j < text.len() && text[j] != b'"' {
                    j += if text[j] == b'\\' { 2 } else { 1 };
                }
                let end = j.min(text.len());
                match stack.last_mut() {
                    Some(Frame::Object(key @ None)) => {
                        *key = Some(unescape(&text[start..end]));
                        after_key = true;
                    }
                    Some(Frame::Array(_, started)) => *started = true,
                    _ => {}
                }
                i = j + 1;
                continue;
            }
            b'{' | b'[' => {
                if let Some(Frame::Array(_, started)) = stack.last_mut() {
                    *started = true;
                }
                stack.push(if b == b'{' {
                    Frame::Object(None)
                } else {
                    Frame::Array(0, false)
                });
            }
            b'}' | b']' => {
                stack.pop();
            }
            b',' => match stack.last_mut() {
                Some(Frame::Object(key)) => *key = None,
                Some(Frame::Array(index, started)) => {
                    *index += 1;
                    *started = false;
                }
                None => {}
            },
            b':' => after_key = false,
            _ if b.is_ascii_whitespace() => {}
            _ => {
                if let Some(Frame::Array(_, started)) = stack.last_mut() {
                    *started = true;
                }
            }
        }
        i += 1;
    }
    // serde_json consumes a container's closing bracket before it reports a missing field or
    // a short array, so the stack already names the container; otherwise drop the member or
    // element it was still in.
    let closed = matches!(
        text.iter().rev().find(|b| !b.is_ascii_whitespace()),
        Some(b'}' | b']')
    );
    if variant_key && after_key {
        if let Some(Frame::Object(key)) = stack.last_mut() {
            *key = None;
        }
    }
    if at_end && !closed {
        match stack.last_mut() {
            Some(Frame::Object(key)) => *key = None,
            Some(Frame::Array(_, started)) => *started = false,
            None => {}
        }
    }
    render(&stack)
}

fn render(stack: &[Frame]) -> String {
    let mut out = String::new();
    for frame in stack {
        match frame {
            Frame::Object(Some(key)) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            Frame::Array(index, true) => {
                out.push('[');
                out.push_str(&index.to_string());
                out.push(']');
            }
            _ => {}
        }
    }
    if out.is_empty() {
        out.push('.');
    }
    out
}

/// A key's text without JSON escapes (keys with escapes are rare; a bad escape stays as is).
fn unescape(raw: &[u8]) -> String {
    if !raw.contains(&b'\\') {
        return String::from_utf8_lossy(raw).into_owned();
    }
    let mut quoted = Vec::with_capacity(raw.len() + 2);
    quoted.push(b'"');
    quoted.extend_from_slice(raw);
    quoted.push(b'"');
    serde_json::from_slice::<String>(&quoted)
        .unwrap_or_else(|_| String::from_utf8_lossy(raw).into_owned())
}

/// An internally tagged enum (`{"phase": "poll", …}`) read without serde's `Content` buffer.
///
/// serde's derive reads such an enum into an untyped buffer first and every type inside it a
/// second time from that buffer: for the flows' snapshot states that doubled the code of every
/// model they hold (~250 KB of wasm). [`deserialize_tagged`] reads the tag, which serde always
/// writes first, and hands the rest of the object to the variant's own (plain) struct, so each
/// model is read by the same code wherever it appears. Snapshots keep their format.
pub(crate) trait Tagged: Sized {
    /// The tag's key (`phase`).
    const TAG: &'static str;
    /// Every tag value, for the error on an unknown one.
    const VARIANTS: &'static [&'static str];
    /// Reads variant `tag` from the rest of the object.
    fn variant<'de, D: serde::Deserializer<'de>>(tag: &str, rest: D) -> Result<Self, D::Error>;
}

/// Reads a [`Tagged`] enum. The tag is expected first (serde writes it first), which reads in
/// one pass; an object whose keys were reordered after it was written (a snapshot stored in
/// PostgreSQL `jsonb`, or by a tool that sorts keys) is read whole once more with the tag
/// moved to the front — slower, but only on that rare path, and with the same typed readers.
pub(crate) fn deserialize_tagged<'de, T, D>(d: D) -> Result<T, D::Error>
where
    T: Tagged + serde::de::DeserializeOwned,
    D: serde::Deserializer<'de>,
{
    use serde::de::{Error, MapAccess, Visitor};
    struct V<T>(std::marker::PhantomData<T>);
    impl<'de, T: Tagged + serde::de::DeserializeOwned> Visitor<'de> for V<T> {
        type Value = T;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            write!(f, "an object with a `{}` member", T::TAG)
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
            let Some(first) = map.next_key::<String>()? else {
                return Err(A::Error::missing_field(T::TAG));
            };
            if first != T::TAG {
                return tag_moved_to_front::<T, A>(first, map);
            }
            let tag: String = map.next_value()?;
            if !T::VARIANTS.contains(&tag.as_str()) {
                return Err(A::Error::unknown_variant(&tag, T::VARIANTS));
            }
            T::variant(&tag, serde::de::value::MapAccessDeserializer::new(map))
        }
    }
    d.deserialize_map(V(std::marker::PhantomData))
}

/// The rest of an object whose first key (`first`) was not the tag: every member read as
/// untyped JSON, written again with the tag first, and read by `T`'s own reader.
fn tag_moved_to_front<'de, T, A>(first: String, mut map: A) -> Result<T, A::Error>
where
    T: Tagged + serde::de::DeserializeOwned,
    A: serde::de::MapAccess<'de>,
{
    use serde::de::Error;
    let mut members = vec![(first, map.next_value::<serde_json::Value>()?)];
    while let Some(member) = map.next_entry::<String, serde_json::Value>()? {
        members.push(member);
    }
    let at = members
        .iter()
        .position(|(k, _)| k == T::TAG)
        .ok_or_else(|| A::Error::missing_field(T::TAG))?;
    let tag = members.remove(at);
    members.insert(0, tag);
    let mut text = b"{".to_vec();
    for (i, (k, v)) in members.iter().enumerate() {
        if i > 0 {
            text.push(b',');
        }
        serde_json::to_writer(&mut text, k).map_err(A::Error::custom)?;
        text.push(b':');
        serde_json::to_writer(&mut text, v).map_err(A::Error::custom)?;
    }
    text.push(b'}');
    serde_json::from_slice::<T>(&text).map_err(A::Error::custom)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[allow(dead_code)]
    #[derive(Deserialize, Debug)]
    #[serde(rename_all = "camelCase", deny_unknown_fields)]
    struct Item {
        status: String,
        #[serde(default)]
        size: Option<u16>,
        #[serde(default)]
        tags: Vec<u8>,
    }

    #[allow(dead_code)]
    #[derive(Deserialize, Debug)]
    #[serde(rename_all = "camelCase")]
    struct Doc {
        #[serde(default)]
        code: Option<String>,
        data: Data,
    }

    #[allow(dead_code)]
    #[derive(Deserialize, Debug)]
    #[serde(rename_all = "camelCase")]
    struct Data {
        signatures: Vec<Item>,
        #[serde(default)]
        pair: Option<(u8, u8)>,
        #[serde(default)]
        nested: Option<Box<Data>>,
        #[serde(default)]
        blob: Option<crate::Blob>,
        #[serde(default)]
        mode: Option<Mode>,
    }

    #[allow(dead_code)]
    #[derive(Deserialize, Debug)]
    #[serde(rename_all = "camelCase")]
    enum Mode {
        A(String),
        B(String),
    }

    /// The scanner's path, whatever the `error-paths` feature says.
    fn scanned(text: &str) -> String {
        let e = serde_json::from_str::<Doc>(text).expect_err(text);
        located(text.as_bytes(), &e, e.is_syntax()).path
    }

    const CASES: &[(&str, &str)] = &[
        (r#"{"data": {"signatures": [{"status": "S"}, {"status": 7}]}}"#, "data.signatures[1].status"),
        (r#"{"data": {"signatures": [{"status": "S"}, {}]}}"#, "data.signatures[1]"),
        (r#"{"data":{"signatures":[{"size":1}]}}"#, "data.signatures[0]"),
        (r#"{"data": {"signatures": [{"status": "S", "sise": 1}]}}"#, "data.signatures[0].sise"),
        (r#"{"data": {"signatures": [{"status": "S", "size": 70000}]}}"#, "data.signatures[0].size"),
        (r#"{"data": {"signatures": [{"status": "S", "tags": [1, 2, 300]}]}}"#, "data.signatures[0].tags[2]"),
        (r#"{"data": {"signatures": [{"status": "S", "tags": [1, "x"]}]}}"#, "data.signatures[0].tags[1]"),
        (r#"{"data": {"signatures": {"status": "S"}}}"#, "data.signatures"),
        (r#"{"data": {"signatures": [], "pair": [1]}}"#, "data.pair"),
        (r#"{"code": 5, "data": {"signatures": []}}"#, "code"),
        (r#"{"code": "x"}"#, "."),
        (r#"{"data": {"signatures": [], "blob": "%%%", "pair": [1, 2]}}"#, "data.blob"),
        (r#"{"data": {"signatures": [], "blob": {"$bytes": "%"}}}"#, "data.blob"),
        (r#"{"data": {"signatures": [], "mode": {"a": "x", "b": "y"}}}"#, "data.mode"),
        (r#"{"data": {"signatures": [], "mode": {"c": "x"}}}"#, "data.mode"),
        (r#"[1]"#, "[0]"),
        (r#"{"data": {"signatures": [], "nested": {"signatures": [{"status": null}]}}}"#, "data.nested.signatures[0].status"),
        (r#"{"data": {"signatures": [], "nested": {"signatures": [{"status": "s"}, {"status": "t"}], "pair": true}}}"#, "data.nested.pair"),
        (r#"{"d\u0061ta": {"sign\"atures": []}}"#, "data"),
        ("{\n  \"data\": {\n    \"signatures\": [\n      {\"status\": \"S\"},\n      {\"status\": false}\n    ]\n  }\n}", "data.signatures[1].status"),
        (r#"{"data": {"signatures": [{"status": "a,]}\"b"}, {"status": 1}]}}"#, "data.signatures[1].status"),
    ];

    #[test]
    fn the_scanner_names_the_member_serde_stopped_in() {
        for (text, path) in CASES {
            assert_eq!(scanned(text), *path, "{text}");
        }
    }

    #[cfg(feature = "error-paths")]
    #[test]
    fn the_scanner_agrees_with_serde_path_to_error() {
        for (text, _) in CASES {
            let tracked = from_json::<Doc>(text.as_bytes()).expect_err(text);
            assert_eq!(scanned(text), tracked.path, "{text}");
        }
    }

    #[test]
    fn syntax_errors_are_told_apart_and_messages_lose_their_position() {
        let e = from_json::<Doc>(b"{\"data\": ").expect_err("eof");
        assert!(e.syntax);
        let e = from_json::<Doc>(br#"{"code": 5, "data": {"signatures": []}}"#).expect_err("type");
        assert!(!e.syntax);
        assert_eq!(e.json_path(), "$.code");
        assert!(!e.message.contains(" at line "), "{}", e.message);
        assert!(
            from_json::<Doc>(br#"{"data": {"signatures": []}} x"#)
                .expect_err("trailing")
                .syntax
        );
    }
}
