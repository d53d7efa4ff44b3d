//! The "Standard CQES API response" `{responseCode, code, message, data}` and binary downloads.
//!
//! - 200 and 202 are success; **206 is "still in progress", a normal result, not an error**.
//! - 4xx/5xx become [`Error::Api`], whether the body is an envelope, empty, or not JSON (an
//!   HTML page from a proxy). Codes and message are taken from the body when it has them.
//! - 3xx is never followed: it is an `unexpected_response`.
//! - Unknown fields are ignored and unknown enum values kept; every parsed result carries the
//!   whole body as `raw`.

use super::codes::ResponseCode;
use crate::blob::Blob;
use crate::error::Error;
use crate::http::HttpResponse;
use serde::de::DeserializeOwned;
use serde::Deserialize;

/// Everything of a parsed envelope but `data`: what [`Envelope::assemble`] receives.
#[derive(Clone, PartialEq)]
pub struct EnvelopeHead {
    /// HTTP status (200, 202 or 206).
    pub http_status: u16,
    /// `responseCode`.
    pub response_code: Option<ResponseCode>,
    /// `code`.
    pub code: Option<ResponseCode>,
    /// `message`.
    pub message: Option<String>,
    /// Top-level `status`.
    pub status: Option<String>,
    /// The whole body as received.
    pub raw: Blob,
}

/// A concrete enveloped output (one per `data` type; generics cannot cross an FFI, so each
/// operation's output is a named struct declared with [`api_response!`]).
pub trait Envelope: Sized {
    /// The type of `data`.
    type Data;
    /// Builds the output from the parsed parts.
    fn assemble(head: EnvelopeHead, data: Self::Data) -> Self;
}

/// Declares the concrete envelope `$name` whose `data` is `$data`: the fields of
/// `{responseCode, code, message, data}` plus the HTTP status and the raw body, marked
/// `x-cqes-envelope` in the schema so host generators can map every such struct onto one
/// generic class of their own (Python's `ApiResponse[T]`).
macro_rules! api_response {
    // `data` may be absent or null: the output holds an Option.
    ($(#[$meta:meta])* $name:ident(Option<$inner:ty>)) => {
        $crate::btrust::envelope::api_response!(@declare $(#[$meta])* $name(Option<$inner>));
        impl $crate::btrust::operation::FromResponse for $name {
            fn from_response(r: $crate::HttpResponse) -> Result<Self, $crate::Error> {
                $crate::btrust::envelope::parse_envelope_opt(&r)
            }
        }
    };
    // `data` must be present.
    ($(#[$meta:meta])* $name:ident($data:ty)) => {
        $crate::btrust::envelope::api_response!(@declare $(#[$meta])* $name($data));
        impl $crate::btrust::operation::FromResponse for $name {
            fn from_response(r: $crate::HttpResponse) -> Result<Self, $crate::Error> {
                $crate::btrust::envelope::parse_enveloped(&r)
            }
        }
    };
    (@declare $(#[$meta:meta])* $name:ident($data:ty)) => {
        $(#[$meta])*
        #[crate::model]
        #[derive(Clone, PartialEq, serde::Serialize)]
        #[cfg_attr(feature = "schema", schemars(extend("x-cqes-envelope" = "ApiResponse")))]
        #[serde(rename_all = "camelCase")]
        pub struct $name {
            /// HTTP status (200, 202 or 206).
            pub http_status: u16,
            /// `responseCode` (internal code; sometimes equal to `code`).
            pub response_code: Option<$crate::btrust::ResponseCode>,
            /// `code` (public status code).
            pub code: Option<$crate::btrust::ResponseCode>,
            /// Human message, localised by `Accept-language`.
            pub message: Option<String>,
            /// Top-level `status`, sent by some identification responses.
            pub status: Option<String>,
            /// The typed payload.
            pub data: $data,
            /// The whole response body as received (JSON; may hold personal data).
            #[cfg_attr(
                feature = "schema",
                schemars(extend("x-cqes-secret" = true, "x-cqes-raw-json" = true))
            )]
            pub raw: $crate::Blob,
        }

        impl $name {
            /// Whether the service said "still in progress" (HTTP 206).
            pub fn in_progress(&self) -> bool {
                self.http_status == 206
            }
        }

        impl $crate::btrust::envelope::Envelope for $name {
            type Data = $data;
            fn assemble(h: $crate::btrust::envelope::EnvelopeHead, data: $data) -> Self {
                $name {
                    http_status: h.http_status,
                    response_code: h.response_code,
                    code: h.code,
                    message: h.message,
                    status: h.status,
                    data,
                    raw: h.raw,
                }
            }
        }

        // `raw` may hold tokens or personal data: Debug leaves it out.
        impl ::std::fmt::Debug for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct(stringify!($name))
                    .field("http_status", &self.http_status)
                    .field("response_code", &self.response_code)
                    .field("code", &self.code)
                    .field("status", &self.status)
                    .field("data", &self.data)
                    .finish_non_exhaustive()
            }
        }
    };
}
pub(crate) use api_response;

api_response!(
    /// An envelope whose `data` is free-form JSON (operations whose answer is inferred).
    JsonResponse(Option<crate::JsonValue>)
);

/// `{responseCode, code, message, status, data}` as received. Read by hand rather than
/// derived: a derived reader is generic in `T` as a whole, so every operation carried its own
/// copy of the code for the four head members; here only `data` depends on `T`.
struct WireEnvelope<T> {
    head: WireHead,
    data: Option<T>,
}

#[derive(Default)]
struct WireHead {
    response_code: Option<ResponseCode>,
    code: Option<ResponseCode>,
    message: Option<String>,
    status: Option<String>,
}

/// The members of an envelope; any other is skipped.
#[derive(PartialEq)]
enum Member {
    ResponseCode,
    Code,
    Message,
    Status,
    Data,
    Other,
}

impl Member {
    /// By name (keys are read as strings so serde_path_to_error can name them in errors).
    fn of(key: &str) -> Self {
        match key {
            "responseCode" => Member::ResponseCode,
            "code" => Member::Code,
            "message" => Member::Message,
            "status" => Member::Status,
            "data" => Member::Data,
            _ => Member::Other,
        }
    }
}

impl WireHead {
    /// Reads the value of head member `m` (one copy for every envelope: generic in the map
    /// only). As with a JSON object read whole, a repeated member's last value wins.
    fn read<'de, A: serde::de::MapAccess<'de>>(
        &mut self,
        m: Member,
        map: &mut A,
    ) -> Result<(), A::Error> {
        match m {
            Member::ResponseCode => self.response_code = map.next_value()?,
            Member::Code => self.code = map.next_value()?,
            Member::Message => self.message = map.next_value()?,
            Member::Status => self.status = map.next_value()?,
            _ => {
                map.next_value::<serde::de::IgnoredAny>()?;
            }
        }
        Ok(())
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for WireEnvelope<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> serde::de::Visitor<'de> for V<T> {
            type Value = WireEnvelope<T>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a response envelope (a JSON object)")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Self::Value, A::Error> {
                let mut head = WireHead::default();
                let mut data = None;
                while let Some(key) = map.next_key::<String>()? {
                    let m = Member::of(&key);
                    if m == Member::Data {
                        data = map.next_value()?;
                    } else {
                        head.read(m, &mut map)?;
                    }
                }
                Ok(WireEnvelope { head, data })
            }
        }
        d.deserialize_map(V(std::marker::PhantomData))
    }
}

/// Turns any non-success response into the matching error: 4xx/5xx → [`Error::Api`] (codes
/// and message from the body when it is an envelope), anything else → `unexpected_response`.
pub fn error_for_status(resp: &HttpResponse) -> Error {
    let status = resp.status;
    if (300..400).contains(&status) {
        return Error::unexpected(
            status,
            "$",
            "a redirect; cqes never follows redirects (check the base URL)",
            resp.body.as_bytes(),
        );
    }
    if status < 400 {
        return Error::unexpected(status, "$", "unexpected HTTP status", resp.body.as_bytes());
    }
    let (code, response_code, message) = envelope_fields(resp.body.as_bytes());
    Error::Api {
        http_status: status,
        code,
        response_code,
        reason: message.map(|m| crate::json::scrub(&m, 300)),
    }
}

/// `code`, `responseCode` and `message` of a body, when it is a JSON object that has them.
pub fn envelope_fields(body: &[u8]) -> (Option<String>, Option<String>, Option<String>) {
    let Ok(serde_json::Value::Object(map)) = serde_json::from_slice::<serde_json::Value>(body)
    else {
        return (None, None, None);
    };
    let text = |k: &str| match map.get(k) {
        Some(serde_json::Value::String(s)) if !s.is_empty() => Some(s.clone()),
        Some(serde_json::Value::Number(n)) => Some(n.to_string()),
        _ => None,
    };
    (text("code"), text("responseCode"), text("message"))
}

/// Parses a success envelope whose `data` must be present. Non-2xx statuses become errors
/// (see [`error_for_status`]).
pub fn parse_enveloped<E>(resp: &HttpResponse) -> Result<E, Error>
where
    E: Envelope,
    E::Data: DeserializeOwned,
{
    let (head, data) = parse_parts::<E::Data>(resp)?;
    match data {
        Some(data) => Ok(E::assemble(head, data)),
        None => Err(Error::unexpected(
            resp.status,
            "$.data",
            "the response has no data",
            resp.body.as_bytes(),
        )),
    }
}

/// Parses a success envelope whose `data` may be absent or null.
pub fn parse_envelope_opt<E, T>(resp: &HttpResponse) -> Result<E, Error>
where
    E: Envelope<Data = Option<T>>,
    T: DeserializeOwned,
{
    let (head, data) = parse_parts::<T>(resp)?;
    Ok(E::assemble(head, data))
}

fn parse_parts<T: DeserializeOwned>(
    resp: &HttpResponse,
) -> Result<(EnvelopeHead, Option<T>), Error> {
    let env: WireEnvelope<T> = read_object(resp)?;
    let head = EnvelopeHead {
        http_status: resp.status,
        response_code: env.head.response_code,
        code: env.head.code,
        message: env.head.message,
        status: env.head.status,
        raw: resp.body.clone(),
    };
    Ok((head, env.data))
}

/// Reads a success response whose body must be a JSON object into `T`. Straight from the
/// text (no `serde_json::Value` in between); a problem is an `unexpected_response` at the JSON
/// path where it was met, or at `$` when the body is not a JSON object at all.
pub(crate) fn read_object<T: DeserializeOwned>(resp: &HttpResponse) -> Result<T, Error> {
    if !(200..300).contains(&resp.status) {
        return Err(error_for_status(resp));
    }
    let body = resp.body.as_bytes();
    let at_root = |what: &str| Error::unexpected(resp.status, "$", what, body);
    let Some(first) = body.iter().find(|b| !b.is_ascii_whitespace()) else {
        return Err(at_root("the response body is empty"));
    };
    if *first != b'{' {
        let is_json = serde_json::from_slice::<serde::de::IgnoredAny>(body).is_ok();
        return Err(at_root(if is_json {
            "the response body is not a JSON object"
        } else {
            "the response body is not JSON"
        }));
    }
    crate::de::from_json(body).map_err(|e| {
        // A body that breaks off after a bad member is not JSON first of all.
        if e.syntax || serde_json::from_slice::<serde::de::IgnoredAny>(body).is_err() {
            at_root("the response body is not JSON")
        } else {
            Error::unexpected(resp.status, e.json_path(), &e.message, body)
        }
    })
}
