//! Responses that are not enveloped (the registration module of web identification).

use super::envelope::{Envelope, EnvelopeHead};
use crate::error::Error;
use crate::http::HttpResponse;
use serde::de::DeserializeOwned;

/// Declares the concrete un-enveloped output `$name` whose body is `$data`, marked
/// `x-cqes-envelope = "PlainResponse"` in the schema (one generic class in hosts that have
/// generics).
macro_rules! plain_response {
    ($(#[$meta:meta])* $name:ident($data:ty)) => {
        $(#[$meta])*
        #[crate::model]
        #[derive(Clone, PartialEq, serde::Serialize)]
        #[cfg_attr(feature = "schema", schemars(extend("x-cqes-envelope" = "PlainResponse")))]
        #[serde(rename_all = "camelCase")]
        pub struct $name {
            /// HTTP status.
            pub http_status: u16,
            /// The typed body.
            pub data: $data,
            /// The whole body as received (JSON; may hold personal data).
            #[cfg_attr(
                feature = "schema",
                schemars(extend("x-cqes-secret" = true, "x-cqes-raw-json" = true))
            )]
            pub raw: $crate::Blob,
        }

        impl $crate::btrust::operation::FromResponse for $name {
            fn from_response(r: $crate::HttpResponse) -> Result<Self, $crate::Error> {
                $crate::btrust::plain::parse_plain(&r)
            }
        }

        impl $crate::btrust::envelope::Envelope for $name {
            type Data = $data;
            fn assemble(h: $crate::btrust::envelope::EnvelopeHead, data: $data) -> Self {
                $name {
                    http_status: h.http_status,
                    data,
                    raw: h.raw,
                }
            }
        }

        // `raw` may hold personal data: Debug leaves it out.
        impl ::std::fmt::Debug for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct(stringify!($name))
                    .field("http_status", &self.http_status)
                    .field("data", &self.data)
                    .finish_non_exhaustive()
            }
        }
    };
}
pub(crate) use plain_response;

/// Parses an un-enveloped JSON object.
pub fn parse_plain<E>(resp: &HttpResponse) -> Result<E, Error>
where
    E: Envelope,
    E::Data: DeserializeOwned,
{
    let data: E::Data = super::envelope::read_object(resp)?;
    let head = EnvelopeHead {
        http_status: resp.status,
        response_code: None,
        code: None,
        message: None,
        status: None,
        raw: resp.body.clone(),
    };
    Ok(E::assemble(head, data))
}
