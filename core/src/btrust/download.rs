//! Binary downloads (`application/octet-stream`): the signed document or report, with its file
//! name from `Content-Disposition` reduced to a safe bare name.

use super::envelope::error_for_status;
use crate::blob::Blob;
use crate::error::Error;
use crate::http::HttpResponse;
use serde::{Deserialize, Serialize};

/// A downloaded file.
#[crate::model]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DownloadedFile {
    /// The file's bytes (shared with the response, not copied).
    pub content: Blob,
    /// File name from `Content-Disposition`, reduced to a bare name (no directories, no
    /// control characters), when the service sent one.
    pub file_name: Option<String>,
    /// `Content-Type` as sent.
    pub content_type: Option<String>,
}

impl crate::btrust::operation::FromResponse for DownloadedFile {
    fn from_response(response: HttpResponse) -> Result<Self, Error> {
        parse_binary(response)
    }
}

/// Parses a binary download. A 2xx with a JSON content type (the newer Swagger declares an
/// envelope here; servers have not been seen to send it) or an empty body is reported as
/// `unexpected_response` rather than handed out as a "file".
pub fn parse_binary(resp: HttpResponse) -> Result<DownloadedFile, Error> {
    if !(200..300).contains(&resp.status) {
        return Err(error_for_status(&resp));
    }
    let content_type = resp.header("Content-Type").map(str::to_owned);
    let is_json = content_type
        .as_deref()
        .is_some_and(|ct| ct.to_ascii_lowercase().contains("json"));
    // No signature format the service produces is JSON: a JSON answer is an envelope (or a
    // broken one), never the document. An empty body is never a signed document either.
    if is_json {
        return Err(Error::unexpected(
            resp.status,
            "$",
            "expected a file, got JSON",
            resp.body.as_bytes(),
        ));
    }
    if resp.body.is_empty() {
        return Err(Error::unexpected(
            resp.status,
            "$",
            "the file is empty",
            b"",
        ));
    }
    let file_name = resp
        .header("Content-Disposition")
        .and_then(content_disposition_filename)
        .and_then(|n| safe_file_name(&n));
    Ok(DownloadedFile {
        content: resp.body,
        file_name,
        content_type,
    })
}

/// The file name of a `Content-Disposition` header: `filename*=UTF-8''…` (RFC 5987) wins over
/// `filename="…"` or `filename=…`.
pub fn content_disposition_filename(header: &str) -> Option<String> {
    let mut plain = None;
    let mut extended = None;
    for param in split_params(header) {
        let Some((key, value)) = param.split_once('=') else {
            continue;
        };
        let key = key.trim().to_ascii_lowercase();
        let value = value.trim();
        if key == "filename*" {
            extended = decode_ext_value(value);
        } else if key == "filename" {
            plain = Some(unquote(value));
        }
    }
    extended.or(plain).filter(|n| !n.is_empty())
}

/// Splits on `;` outside quoted strings.
fn split_params(header: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut start, mut quoted, mut escaped) = (0, false, false);
    for (i, c) in header.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            ';' if !quoted => {
                parts.push(&header[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&header[start..]);
    parts
}

fn unquote(v: &str) -> String {
    match v.strip_prefix('"').and_then(|x| x.strip_suffix('"')) {
        Some(inner) => {
            let mut out = String::with_capacity(inner.len());
            let mut chars = inner.chars();
            while let Some(c) = chars.next() {
                if c == '\\' {
                    if let Some(n) = chars.next() {
                        out.push(n);
                    }
                } else {
                    out.push(c);
                }
            }
            out
        }
        None => v.to_owned(),
    }
}

/// RFC 5987 `charset'lang'pct-encoded`; UTF-8 and ISO-8859-1 charsets.
fn decode_ext_value(v: &str) -> Option<String> {
    let mut it = v.splitn(3, '\'');
    let charset = it.next()?.to_ascii_lowercase();
    let _lang = it.next()?;
    let encoded = it.next()?;
    let mut bytes = Vec::with_capacity(encoded.len());
    let raw = encoded.as_bytes();
    let mut i = 0;
    while i < raw.len() {
        if raw[i] == b'%' && i + 2 < raw.len() {
            let hex = std::str::from_utf8(&raw[i + 1..i + 3]).ok()?;
            bytes.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            bytes.push(raw[i]);
            i += 1;
        }
    }
    match charset.as_str() {
        "utf-8" => String::from_utf8(bytes).ok(),
        "iso-8859-1" => Some(bytes.iter().map(|&b| b as char).collect()),
        _ => None,
    }
}

/// A file name safe to join to a directory: the last path component, without control
/// characters, not `.`/`..`; `None` when nothing usable remains.
pub fn safe_file_name(name: &str) -> Option<String> {
    let last = name.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = last.chars().filter(|c| !c.is_control()).collect();
    let cleaned = cleaned.trim().to_owned();
    if cleaned.is_empty() || cleaned == "." || cleaned == ".." {
        None
    } else {
        Some(cleaned)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_disposition_forms() {
        let f = content_disposition_filename;
        assert_eq!(
            f("attachment; filename=\"a b.pdf\"").as_deref(),
            Some("a b.pdf")
        );
        assert_eq!(f("attachment; filename=x.pdf").as_deref(), Some("x.pdf"));
        assert_eq!(
            f("attachment; filename=\"x.pdf\"; filename*=UTF-8''%D0%B4%D0%BE%D0%B3.pdf").as_deref(),
            Some("дог.pdf")
        );
        assert_eq!(
            f("attachment; filename=\"a;b\\\".pdf\"").as_deref(),
            Some("a;b\".pdf")
        );
        assert_eq!(f("inline").as_deref(), None);
        assert_eq!(
            safe_file_name("../../etc/passwd").as_deref(),
            Some("passwd")
        );
        assert_eq!(safe_file_name("..").as_deref(), None);
    }
}
