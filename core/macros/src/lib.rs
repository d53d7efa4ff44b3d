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
//! `#[model(error, name = "CqesError")]` also renames the type for uniffi and ts-rs (a Rust
//! `Error` would shadow `kotlin.Exception`). Features are evaluated in the calling crate. Put
//! the attribute above `#[derive(...)]`.

use proc_macro::{Delimiter, TokenStream, TokenTree};

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
    let mut out: TokenStream = attrs.parse().unwrap_or_default();
    out.extend(item);
    out
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
