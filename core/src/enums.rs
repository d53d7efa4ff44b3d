//! Open enums: known values plus an `Unknown(String)` fallback that round-trips.
//!
//! The services add values without notice (BORICA's response codes grew from 57 to 140+), so a
//! value this version does not know must neither fail parsing nor be lost: it is kept verbatim
//! and written back unchanged.

/// Declares an open string enum: one variant per known wire value, plus `Unknown(String)`.
///
/// The generated type serialises as its wire string, parses any string (unknown ones into
/// `Unknown`), and offers `as_str`, `parse`, `is_known` and `KNOWN` (every known wire value,
/// in declaration order).
#[macro_export]
macro_rules! open_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $wire:literal ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[cfg_attr(feature = "uniffi", derive(::uniffi::Enum))]
        $vis enum $name {
            $( $(#[$vmeta])* $variant, )*
            /// A value this version of cqes does not know, kept exactly as received.
            Unknown(::std::string::String),
        }

        impl $name {
            /// Every wire value this version knows, in declaration order.
            pub const KNOWN: &'static [&'static str] = &[$($wire),*];

            /// The wire spelling of this value.
            pub fn as_str(&self) -> &str {
                match self {
                    $( Self::$variant => $wire, )*
                    Self::Unknown(other) => other.as_str(),
                }
            }

            /// Parses a wire value; unknown values become `Unknown` (never an error).
            pub fn parse(value: &str) -> Self {
                match value {
                    $( $wire => Self::$variant, )*
                    other => Self::Unknown(other.to_owned()),
                }
            }

            /// Whether this is one of the values this version knows.
            pub fn is_known(&self) -> bool {
                !matches!(self, Self::Unknown(_))
            }
        }

        impl ::std::fmt::Debug for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Debug::fmt(self.as_str(), f)
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;
            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                Ok(Self::parse(value))
            }
        }

        impl ::std::convert::From<&str> for $name {
            fn from(value: &str) -> Self {
                Self::parse(value)
            }
        }

        /// In TypeScript: the known wire values, or any other string (kept, never refused).
        #[cfg(feature = "ts")]
        impl ::ts_rs::TS for $name {
            type WithoutGenerics = Self;
            type OptionInnerType = Self;
            fn name(_: &::ts_rs::Config) -> ::std::string::String {
                stringify!($name).to_owned()
            }
            fn inline(_: &::ts_rs::Config) -> ::std::string::String {
                let mut s = ::std::string::String::new();
                $( s.push_str(concat!("\"", $wire, "\" | ")); )*
                s.push_str("(string & {})");
                s
            }
            fn decl(c: &::ts_rs::Config) -> ::std::string::String {
                format!("type {} = {};", stringify!($name), Self::inline(c))
            }
            fn decl_concrete(c: &::ts_rs::Config) -> ::std::string::String {
                Self::decl(c)
            }
            fn output_path() -> ::std::option::Option<::std::path::PathBuf> {
                Some(concat!(stringify!($name), ".ts").into())
            }
        }

        #[cfg(feature = "schema")]
        impl ::schemars::JsonSchema for $name {
            fn schema_name() -> ::std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }
            /// A string; known values are listed under `x-cqes-open-enum`, any other string is
            /// accepted and kept.
            fn json_schema(_: &mut ::schemars::SchemaGenerator) -> ::schemars::Schema {
                let docs: ::std::vec::Vec<::std::string::String> = ::std::vec![$( $crate::enums::doc_of(&[$(stringify!($vmeta)),*]) ),*];
                let variants: &[&str] = &[$( stringify!($variant) ),*];
                ::schemars::json_schema!({
                    "type": "string",
                    "x-cqes-open-enum": Self::KNOWN,
                    "x-cqes-variants": variants,
                    "x-cqes-docs": docs,
                })
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> ::std::result::Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> ::std::result::Result<Self, D::Error> {
                struct V;
                impl<'de> ::serde::de::Visitor<'de> for V {
                    type Value = $name;
                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(concat!("a ", stringify!($name), " string"))
                    }
                    fn visit_str<E: ::serde::de::Error>(self, v: &str) -> ::std::result::Result<$name, E> {
                        Ok($name::parse(v))
                    }
                }
                d.deserialize_str(V)
            }
        }
    };
}

/// The text of a variant's `doc = r" …"` attributes, as stringified by the macro (for
/// generated host types): the literal's content, lines joined by spaces. Used by
/// [`open_enum!`].
#[doc(hidden)]
pub fn doc_of(metas: &[&str]) -> String {
    let mut lines = Vec::new();
    for meta in metas {
        let Some(rest) = meta.trim().strip_prefix("doc") else {
            continue;
        };
        let rest = rest.trim_start().trim_start_matches('=').trim_start();
        let rest = rest
            .strip_prefix('r')
            .unwrap_or(rest)
            .trim_start_matches('#');
        let rest = rest.strip_prefix('"').unwrap_or(rest);
        let rest = rest.trim_end().trim_end_matches('#');
        let text = rest.strip_suffix('"').unwrap_or(rest).trim();
        if !text.is_empty() {
            lines.push(text.to_owned());
        }
    }
    lines.join(" ")
}
