//! `#[model]`: the one line of attributes a cqes-core model carries.
//!
//! It adds the derives of every binding feature, each behind its feature, so a model is
//! defined once and reaches every host:
//!
//! - `schema` → `schemars::JsonSchema` (the Python generator reads the JSON Schema);
//! - `uniffi` → `uniffi::Record` for a struct, `uniffi::Enum` for an enum, `uniffi::Error`
//!   with `#[model(error)]` (Kotlin, Swift);
//! - `ts` → `ts_rs::TS` (TypeScript declarations for Node and wasm).
//!
//! For uniffi, a struct's fields that may be left out get a default in the foreign constructor
//! (`#[uniffi(default)]`): every `Option` field (`null`), and `bool`/`Vec`/`String` fields
//! marked `#[serde(default)]` (the same default serde gives a missing key). Without it a Kotlin
//! caller had to spell `fileName = null, hashAlgorithm = null, …` for every optional field.
//! A struct-level `#[serde(default)]` takes its values from a `Default` impl, which uniffi
//! cannot see, so those fields keep no foreign default unless they are `Option`s.
//!
//! `#[model(error, name = "CqesError")]` also renames the type for uniffi and ts-rs (a Rust
//! `Error` would shadow `kotlin.Exception`). Features are evaluated in the calling crate. Put
//! the attribute above `#[derive(...)]`.

use proc_macro::{Delimiter, Group, Spacing, TokenStream, TokenTree};

/// See the crate documentation.
#[proc_macro_attribute]
pub fn model(args: TokenStream, item: TokenStream) -> TokenStream {
    let is_error = args
        .clone()
        .into_iter()
        .any(|t| matches!(&t, TokenTree::Ident(i) if i.to_string() == "error"));
    let text = args.to_string();
    let rename = text
        .split_once("name")
        .and_then(|(_, rest)| rest.split('"').nth(1))
        .map(str::to_owned);
    let Some(kind) = item_kind(&item, is_error) else {
        return "compile_error!(\"#[model] goes on a struct or an enum\");"
            .parse()
            .unwrap_or_default();
    };
    let (uniffi_name, ts_name) = match &rename {
        Some(n) => (
            format!(", uniffi(name = \"{n}\")"),
            format!(", ts(rename = \"{n}\")"),
        ),
        None => (String::new(), String::new()),
    };
    let attrs = format!(
        "#[cfg_attr(feature = \"schema\", derive(::schemars::JsonSchema))]\n\
         #[cfg_attr(feature = \"uniffi\", derive(::uniffi::{kind}){uniffi_name})]\n\
         #[cfg_attr(feature = \"ts\", derive(::ts_rs::TS){ts_name})]"
    );
    let item = if kind == "Record" {
        with_field_defaults(item)
    } else {
        item
    };
    let mut out: TokenStream = attrs.parse().unwrap_or_default();
    out.extend(item);
    out
}

/// The struct with `#[cfg_attr(feature = "uniffi", uniffi(default))]` before every field a
/// caller may leave out (see the crate documentation). Only the top-level brace group (the
/// named fields) is rewritten; everything else passes through untouched.
fn with_field_defaults(item: TokenStream) -> TokenStream {
    item.into_iter()
        .map(|t| match t {
            TokenTree::Group(g) if g.delimiter() == Delimiter::Brace => {
                let mut body = TokenStream::new();
                for field in split_fields(g.stream()) {
                    if field_has_foreign_default(&field) {
                        let attr: TokenStream =
                            "#[cfg_attr(feature = \"uniffi\", uniffi(default))]"
                                .parse()
                                .unwrap_or_default();
                        body.extend(attr);
                    }
                    body.extend(field);
                }
                let mut out = Group::new(Delimiter::Brace, body);
                out.set_span(g.span());
                TokenTree::Group(out)
            }
            other => other,
        })
        .collect()
}

/// Splits named fields at top-level commas (each piece keeps its comma). Commas inside
/// generic arguments (`HashMap<K, V>`) are not separators: `<`/`>` are bare punctuation in a
/// token stream, so their depth is counted.
fn split_fields(body: TokenStream) -> Vec<Vec<TokenTree>> {
    let mut fields = Vec::new();
    let mut current = Vec::new();
    let mut depth = 0i32;
    for t in body {
        let end = match &t {
            TokenTree::Punct(p) if p.as_char() == '<' => {
                depth += 1;
                false
            }
            TokenTree::Punct(p) if p.as_char() == '>' => {
                depth -= 1;
                false
            }
            TokenTree::Punct(p) => p.as_char() == ',' && depth == 0,
            _ => false,
        };
        current.push(t);
        if end {
            fields.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        fields.push(current);
    }
    fields
}

/// Whether a field gets a foreign default: its type is `Option<…>`, or it is a `bool`, `Vec`
/// or `String` with a plain `#[serde(default)]`.
fn field_has_foreign_default(field: &[TokenTree]) -> bool {
    // The name's colon: a lone `:` right after an identifier (the second `:` of `a::b`
    // follows a `:`, not an identifier).
    let colon = field.windows(2).position(|w| {
        matches!(&w[0], TokenTree::Ident(_))
            && matches!(&w[1], TokenTree::Punct(p) if p.as_char() == ':' && p.spacing() == Spacing::Alone)
    });
    let Some(colon) = colon else { return false };
    let ty = field[colon + 2..].iter().find_map(|t| match t {
        TokenTree::Ident(i) => Some(i.to_string()),
        _ => None,
    });
    match ty.as_deref() {
        Some("Option") => true,
        Some("bool" | "Vec" | "String") => field[..colon].iter().any(is_plain_serde_default),
        _ => false,
    }
}

/// `#[serde(default)]` or `#[serde(default, …)]` — but not `default = "path"`, whose value
/// uniffi cannot know.
fn is_plain_serde_default(t: &TokenTree) -> bool {
    let TokenTree::Group(g) = t else { return false };
    let text = g.stream().to_string();
    let Some(args) = text.strip_prefix("serde").map(str::trim) else {
        return false;
    };
    args.trim_start_matches('(')
        .trim_end_matches(')')
        .split(',')
        .any(|a| a.trim() == "default")
}

/// `Record`, `Enum` or `Error`, from the first `struct`/`enum` keyword among the item's
/// top-level tokens (attributes and visibility come before it).
fn item_kind(item: &TokenStream, is_error: bool) -> Option<&'static str> {
    for t in item.clone() {
        match &t {
            TokenTree::Ident(i) if i.to_string() == "struct" => return Some("Record"),
            TokenTree::Ident(i) if i.to_string() == "enum" => {
                return Some(if is_error { "Error" } else { "Enum" })
            }
            TokenTree::Group(g) if g.delimiter() == Delimiter::Brace => return None,
            _ => {}
        }
    }
    None
}
