//! Hand-written on purpose: no maintained Rust crate implements Exclusive XML
//! Canonicalization (checked Dec 2026: the XML-DSig crates on crates.io are unmaintained or
//! bind libxml2/xmlsec through C), so this is the one place docgen writes a format itself;
//! the tests check its output with `xmlsec1`.
//!
//! Exclusive XML Canonicalization 1.0, *without comments*, of a whole document — what a
//! verifier computes for an enveloped Reference (`URI=""` + enveloped-signature + exc-c14n)
//! once it has removed our signature, which we insert without touching any other byte.
//!
//! Scope, chosen to stay small: UTF-8 input, the predefined entities and character
//! references. A DOCTYPE with an internal subset (which could declare entities or default
//! attributes that change the canonical form) or any other entity reference makes
//! [`canonicalize`] return `None`, and the caller falls back to hashing the raw bytes.

use std::collections::BTreeMap;

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use super::xml::{c14n_attr, c14n_text};

const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";

/// XML 1.0 end-of-line handling (§2.11): CR LF and lone CR become LF.
fn normalize_eol(s: &str) -> String {
    s.replace("\r\n", "\n").replace('\r', "\n")
}

/// Resolves one reference body (between `&` and `;`).
fn resolve_ref(name: &str) -> Option<char> {
    match name {
        "lt" => Some('<'),
        "gt" => Some('>'),
        "amp" => Some('&'),
        "apos" => Some('\''),
        "quot" => Some('"'),
        _ => {
            let num = name.strip_prefix('#')?;
            let code = match num.strip_prefix('x') {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => num.parse().ok()?,
            };
            char::from_u32(code)
        }
    }
}

/// Attribute-value normalization (XML 1.0 §3.3.3, CDATA type): literal white space becomes a
/// space, references are expanded (and a referenced white space character is kept).
fn normalize_attr(raw: &str) -> Option<String> {
    let raw = normalize_eol(raw);
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw.as_str();
    while let Some(i) = rest.find(['&', '\t', '\n']) {
        let (head, tail) = rest.split_at(i);
        out.push_str(head);
        if let Some(after_amp) = tail.strip_prefix('&') {
            let (name, after) = after_amp.split_once(';')?;
            out.push(resolve_ref(name)?);
            rest = after;
        } else {
            out.push(' ');
            rest = tail.get(1..)?;
        }
    }
    out.push_str(rest);
    Some(out)
}

/// Splits a qualified name into (prefix, local name); no prefix is "".
fn split_qname(qname: &str) -> (&str, &str) {
    qname.split_once(':').unwrap_or(("", qname))
}

/// Namespace state carried down the element stack.
#[derive(Clone, Default)]
struct Scope {
    /// In-scope bindings, prefix ("" = default) → URI ("" = unbound default).
    in_scope: BTreeMap<String, String>,
    /// What the output ancestors have rendered, prefix → URI.
    rendered: BTreeMap<String, String>,
}

/// Writes one start tag; returns the element's qualified name and its children's scope.
fn start_tag(e: &BytesStart<'_>, parent: &Scope, out: &mut String) -> Option<(String, Scope)> {
    let qname = std::str::from_utf8(e.name().as_ref()).ok()?.to_owned();
    let mut scope = parent.clone();
    let mut attrs = Vec::new();
    for attr in e.attributes() {
        let attr = attr.ok()?;
        let key = std::str::from_utf8(attr.key.as_ref()).ok()?;
        let value = normalize_attr(std::str::from_utf8(&attr.value).ok()?)?;
        match split_qname(key) {
            ("", "xmlns") => {
                scope.in_scope.insert(String::new(), value);
            }
            ("xmlns", prefix) => {
                scope.in_scope.insert(prefix.to_owned(), value);
            }
            (prefix, local) => {
                attrs.push((prefix.to_owned(), local.to_owned(), key.to_owned(), value))
            }
        }
    }

    // Exclusive c14n renders only visibly utilized prefixes, and only where the nearest
    // output ancestor did not already render the same binding.
    let mut utilized = vec![split_qname(&qname).0.to_owned()];
    utilized.extend(attrs.iter().map(|a| a.0.clone()).filter(|p| !p.is_empty()));
    let mut decls = BTreeMap::new();
    for prefix in utilized.into_iter().filter(|p| p != "xml") {
        let uri = scope.in_scope.get(&prefix).cloned().unwrap_or_default();
        if !prefix.is_empty() && uri.is_empty() {
            return None; // unbound prefix: not namespace-well-formed
        }
        let previous = scope
            .rendered
            .get(&prefix)
            .map(String::as_str)
            .unwrap_or("");
        if previous != uri {
            decls.insert(prefix, uri);
        }
    }

    // Attributes sort by (namespace URI, local name); unqualified ones have no URI.
    let mut keyed = Vec::with_capacity(attrs.len());
    for (prefix, local, key, value) in attrs {
        let uri = match prefix.as_str() {
            "" => String::new(),
            "xml" => XML_NS.to_owned(),
            p => scope.in_scope.get(p).cloned()?,
        };
        keyed.push(((uri, local), key, value));
    }
    keyed.sort();

    out.push('<');
    out.push_str(&qname);
    // BTreeMap order puts the default namespace ("") first, then prefixes alphabetically.
    for (prefix, uri) in &decls {
        let name = if prefix.is_empty() {
            "xmlns".to_owned()
        } else {
            format!("xmlns:{prefix}")
        };
        out.push_str(&format!(" {name}=\"{}\"", c14n_attr(uri)));
    }
    for (_, key, value) in &keyed {
        out.push_str(&format!(" {key}=\"{}\"", c14n_attr(value)));
    }
    out.push('>');
    scope.rendered.extend(decls);
    Some((qname, scope))
}

/// The exc-c14n (without comments) form of a complete UTF-8 document, or `None` when the
/// document uses something outside the scope described in the module docs.
pub(crate) fn canonicalize(doc: &[u8]) -> Option<Vec<u8>> {
    let doc = doc.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(doc);
    let mut reader = Reader::from_reader(doc);
    let mut out = String::with_capacity(doc.len());
    let mut stack: Vec<(String, Scope)> = Vec::new();
    let root_scope = Scope::default();
    let mut seen_root = false;
    loop {
        let event = reader.read_event().ok()?;
        let scope = stack.last().map(|(_, s)| s).unwrap_or(&root_scope);
        match event {
            Event::Start(e) => {
                let frame = start_tag(&e, scope, &mut out)?;
                stack.push(frame);
            }
            Event::Empty(e) => {
                let (qname, _) = start_tag(&e, scope, &mut out)?;
                out.push_str(&format!("</{qname}>"));
                seen_root |= stack.is_empty();
            }
            Event::End(_) => {
                let (qname, _) = stack.pop()?;
                out.push_str(&format!("</{qname}>"));
                seen_root |= stack.is_empty();
            }
            // Outside the root element only PIs (and comments, dropped) survive.
            Event::Text(t) if !stack.is_empty() => {
                out.push_str(&c14n_text(&normalize_eol(std::str::from_utf8(&t).ok()?)));
            }
            Event::CData(t) if !stack.is_empty() => {
                out.push_str(&c14n_text(&normalize_eol(std::str::from_utf8(&t).ok()?)));
            }
            Event::GeneralRef(r) if !stack.is_empty() => {
                let c = resolve_ref(std::str::from_utf8(&r).ok()?)?;
                out.push_str(&c14n_text(&c.to_string()));
            }
            Event::PI(pi) => {
                let target = std::str::from_utf8(pi.target()).ok()?;
                let data = normalize_eol(std::str::from_utf8(pi.content()).ok()?.trim_start());
                let body = if data.is_empty() {
                    format!("<?{target}?>")
                } else {
                    format!("<?{target} {data}?>")
                };
                // Document-level PIs are separated from the root element by a line feed.
                match (stack.is_empty(), seen_root) {
                    (true, false) => out.push_str(&format!("{body}\n")),
                    (true, true) => out.push_str(&format!("\n{body}")),
                    (false, _) => out.push_str(&body),
                }
            }
            Event::DocType(d) if d.contains(&b'[') => return None,
            Event::Eof => break,
            _ => {}
        }
    }
    Some(out.into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(s: &str) -> String {
        String::from_utf8(canonicalize(s.as_bytes()).unwrap()).unwrap()
    }

    #[test]
    fn canonical_forms() {
        assert_eq!(
            c("<?xml version=\"1.0\"?>\r\n<!-- c --><?pi  data ?><r z='1' a=\"x&#9;y\tz\" ><e/><![CDATA[<&>]]>&#xD;\r\n</r>\n<?end?>"),
            "<?pi data ?>\n<r a=\"x&#x9;y z\" z=\"1\"><e></e>&lt;&amp;&gt;&#xD;\n</r>\n<?end?>"
        );
        // Namespaces: only visibly utilized ones, where first needed; attributes by URI.
        assert_eq!(
            c("<a:r xmlns:a=\"urn:a\" xmlns:b=\"urn:b\" xmlns=\"urn:d\"><c b:y=\"1\" a:x=\"2\" y=\"0\"><a:d/></c></a:r>"),
            "<a:r xmlns:a=\"urn:a\"><c xmlns=\"urn:d\" xmlns:b=\"urn:b\" y=\"0\" a:x=\"2\" b:y=\"1\"><a:d></a:d></c></a:r>"
        );
        // xmlns="" is rendered only to undo a rendered default namespace.
        assert_eq!(
            c("<r xmlns=\"urn:d\"><s xmlns=\"\"><t/></s></r>"),
            "<r xmlns=\"urn:d\"><s xmlns=\"\"><t></t></s></r>"
        );
        assert_eq!(c("<r xmlns=\"\"><s/></r>"), "<r><s></s></r>");
    }

    #[test]
    fn out_of_scope_inputs() {
        assert!(canonicalize(b"<!DOCTYPE r [<!ENTITY e \"x\">]><r>&e;</r>").is_none());
        assert!(canonicalize(b"<p:r/>").is_none(), "unbound prefix");
    }
}
