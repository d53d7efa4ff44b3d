//! A light XML well-formedness check (via `quick-xml`) that also finds where an enveloped
//! signature goes, plus the escaping rules of Canonical XML.
//!
//! "Light" means: tags balance and match, exactly one root element, nothing but whitespace,
//! comments, PIs and a DOCTYPE outside it, attributes parse without duplicates, text is UTF-8,
//! entity references are predefined or numeric (others only when a DOCTYPE could declare them).
//! It is not a validating parser, and only UTF-8 (or ASCII-compatible) input is accepted.

use quick_xml::events::Event;
use quick_xml::Reader;

use super::DocError;

/// Where to splice the signature into an enveloped document.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Insertion {
    /// Insert at this byte offset: the start of the root element's end tag.
    BeforeEndTag(usize),
    /// The root is an empty-element tag `<r .../>` spanning `start..end`: it must be rewritten
    /// as `<r ...>` + signature + `</r>`.
    ExpandEmpty {
        start: usize,
        end: usize,
        name: Vec<u8>,
    },
}

fn not_xml(msg: impl Into<String>) -> DocError {
    DocError::NotXml(msg.into())
}

/// Converts a reader position to an offset in the caller's bytes (`skipped` = BOM length).
fn offset(pos: u64, skipped: usize) -> Result<usize, DocError> {
    usize::try_from(pos)
        .ok()
        .and_then(|p| p.checked_add(skipped))
        .ok_or_else(|| not_xml("document too large"))
}

/// Checks `doc` and returns where the last child of its root element would go.
pub(crate) fn check_and_locate(doc: &[u8]) -> Result<Insertion, DocError> {
    // Strip a UTF-8 BOM ourselves: quick-xml drops it lazily, which would skew the
    // positions we record.
    let bom = if doc.starts_with(b"\xEF\xBB\xBF") {
        3
    } else {
        0
    };
    let mut reader = Reader::from_reader(doc.get(bom..).unwrap_or_default());
    // Defaults already reject mismatched end tags; be explicit because we rely on it.
    reader.config_mut().check_end_names = true;
    reader.config_mut().allow_unmatched_ends = false;

    let mut depth = 0usize;
    let mut root_done = false;
    let mut has_doctype = false;
    let mut insertion = None;
    loop {
        let before = offset(reader.buffer_position(), bom)?;
        let event = reader
            .read_event()
            .map_err(|e| not_xml(format!("at byte {}: {e}", reader.error_position())))?;
        let outside_root = depth == 0;
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                if outside_root && root_done {
                    return Err(not_xml("more than one root element"));
                }
                for attr in e.attributes() {
                    let attr = attr.map_err(|err| not_xml(format!("bad attribute: {err}")))?;
                    attr.decode_and_unescape_value(reader.decoder())
                        .map_err(|err| not_xml(format!("bad attribute value: {err}")))?;
                }
                if matches!(event, Event::Start(_)) {
                    depth += 1;
                } else if outside_root {
                    root_done = true;
                    insertion = Some(Insertion::ExpandEmpty {
                        start: before,
                        end: offset(reader.buffer_position(), bom)?,
                        name: e.name().as_ref().to_vec(),
                    });
                }
            }
            Event::End(_) => {
                // quick-xml has already matched the name against the open element.
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    root_done = true;
                    insertion = Some(Insertion::BeforeEndTag(before));
                }
            }
            Event::Text(ref t) => {
                let text = t.decode().map_err(|e| not_xml(format!("bad text: {e}")))?;
                if outside_root && !text.chars().all(|c| matches!(c, ' ' | '\t' | '\r' | '\n')) {
                    return Err(not_xml("text outside the root element"));
                }
            }
            Event::CData(_) | Event::GeneralRef(_) if outside_root => {
                return Err(not_xml("character data outside the root element"));
            }
            Event::GeneralRef(ref r) => {
                if r.is_char_ref() {
                    match r.resolve_char_ref() {
                        Ok(Some(_)) => {}
                        _ => return Err(not_xml("invalid character reference")),
                    }
                } else {
                    let name = r
                        .decode()
                        .map_err(|e| not_xml(format!("bad reference: {e}")))?;
                    let predefined = matches!(&*name, "lt" | "gt" | "amp" | "apos" | "quot");
                    if !predefined && !has_doctype {
                        return Err(not_xml(format!("undeclared entity &{name};")));
                    }
                }
            }
            Event::DocType(_) => {
                if root_done || depth > 0 {
                    return Err(not_xml("DOCTYPE after the root element"));
                }
                has_doctype = true;
            }
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) | Event::CData(_) => {}
            Event::Eof => break,
        }
    }
    if depth != 0 {
        return Err(not_xml("unclosed element at end of document"));
    }
    insertion.ok_or_else(|| not_xml("no root element"))
}

/// Splices `signature` in as the last child of the root element.
pub(crate) fn insert(doc: &[u8], at: &Insertion, signature: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(doc.len() + signature.len() + 64);
    match at {
        Insertion::BeforeEndTag(pos) => {
            let (head, tail) = doc.split_at((*pos).min(doc.len()));
            out.extend_from_slice(head);
            out.extend_from_slice(signature);
            out.extend_from_slice(tail);
        }
        Insertion::ExpandEmpty { start, end, name } => {
            // Offsets come from the parser, so they are in range; `get` keeps this panic-free.
            let before = doc.get(..*start).unwrap_or_default();
            let tag = doc.get(*start..*end).unwrap_or_default();
            let after = doc.get(*end..).unwrap_or_default();
            // `<r a="1" />` → `<r a="1" >`: drop the "/>" and close with ">".
            out.extend_from_slice(before);
            out.extend_from_slice(tag.strip_suffix(b"/>").unwrap_or(tag));
            out.push(b'>');
            out.extend_from_slice(signature);
            out.extend_from_slice(b"</");
            out.extend_from_slice(name);
            out.push(b'>');
            out.extend_from_slice(after);
        }
    }
    out
}

/// Escapes character data the way Canonical XML writes it (C14N 1.0 §2.3), so elements we
/// build are already in canonical form.
pub(crate) fn c14n_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\r' => out.push_str("&#xD;"),
            _ => out.push(c),
        }
    }
    out
}

/// Escapes an attribute value the way Canonical XML writes it.
pub(crate) fn c14n_attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '"' => out.push_str("&quot;"),
            '\t' => out.push_str("&#x9;"),
            '\n' => out.push_str("&#xA;"),
            '\r' => out.push_str("&#xD;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn locate(s: &str) -> Result<Insertion, DocError> {
        check_and_locate(s.as_bytes())
    }

    #[test]
    fn accepts_and_locates() {
        let doc = "<?xml version=\"1.0\"?>\n<!-- c --><a x=\"1\"><b>t&amp;&#65;</b></a>\n";
        assert_eq!(
            locate(doc).unwrap(),
            Insertion::BeforeEndTag(doc.find("</a>").unwrap())
        );
        let doc = "\u{feff}<r/>";
        let at = locate(doc).unwrap();
        assert_eq!(
            insert(doc.as_bytes(), &at, b"<s/>"),
            "\u{feff}<r><s/></r>".as_bytes()
        );
        let doc = "<r a='x' />";
        let at = locate(doc).unwrap();
        assert_eq!(insert(doc.as_bytes(), &at, b"S"), b"<r a='x' >S</r>");
    }

    #[test]
    fn rejects_malformed() {
        for bad in [
            "",
            "plain text",
            "<a>",
            "<a></b>",
            "<a></a><b/>",
            "<a/>trailing",
            "<a x='1' x='2'/>",
            "<a>&nbsp;</a>",
            "</a>",
            "<a><b></a></b>",
        ] {
            assert!(matches!(locate(bad), Err(DocError::NotXml(_))), "{bad:?}");
        }
    }

    #[test]
    fn escaping() {
        assert_eq!(c14n_text("a<b>&\r"), "a&lt;b&gt;&amp;&#xD;");
        assert_eq!(c14n_attr("\"<&\t\n>"), "&quot;&lt;&amp;&#x9;&#xA;>");
    }
}
