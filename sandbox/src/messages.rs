//! The service's messages in Bulgarian and English, chosen by `Accept-language` (Bulgarian
//! when absent: the service is Bulgarian; inferred).

/// Message language.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    /// Bulgarian.
    Bg,
    /// English.
    En,
}

impl Lang {
    /// From an `Accept-language` header value.
    pub fn from_header(value: Option<&str>) -> Lang {
        match value.map(|v| v.trim().to_ascii_lowercase()) {
            Some(v) if v.starts_with("en") => Lang::En,
            _ => Lang::Bg,
        }
    }
}

/// The message for a response code.
pub fn message(code: &str, lang: Lang) -> &'static str {
    let (bg, en) = match code {
        "OK" => (
            "Заявката е успешно изпълнена.",
            "The request has been executed successfully.",
        ),
        "ACCEPTED" => (
            "Заявката е приета за обработка.",
            "The request has been accepted.",
        ),
        "IN_PROGRESS" => (
            "Заявката за подписване се обработва.",
            "Sign request is in progress.",
        ),
        "COMPLETED" => (
            "Заявката за подписване е завършена.",
            "Sign request is completed.",
        ),
        "BAD_REQUEST" => ("Невалидна заявка.", "Invalid request."),
        "UNAUTHORIZED" => (
            "Заявката не е оторизирана.",
            "The request was not authorized.",
        ),
        "NOT_FOUND" => ("Не е намерено.", "Not found."),
        // The next three are the sandbox's own (routing-level answers); B-Trust's texts for
        // them are not public.
        "FORBIDDEN" => ("Достъпът е отказан.", "Access denied."),
        "METHOD_NOT_ALLOWED" => (
            "Методът не е разрешен за този адрес.",
            "The method is not allowed for this address.",
        ),
        "UNSUPPORTED_MEDIA_TYPE" => (
            "Типът на съдържанието не се поддържа.",
            "The content type is not supported.",
        ),
        "REJECTED" => ("Заявката е отхвърлена.", "The request is rejected."),
        "RP_CALLBACK_ID_DUPLICATE" => (
            "Заявка с този relyingPartyCallbackId вече съществува.",
            "A request with this relyingPartyCallbackId already exists.",
        ),
        "CONTENT_DATA_MISSING" => (
            "Липсва съдържание за подписване.",
            "In signing request the content is missing.",
        ),
        "ARCHIVE_SIGNATURE" => (
            "Архивиране не е позволено за подпис от тип SIGNATURE.",
            "Archive is not allowed since signature format is SIGNATURE.",
        ),
        "SIGNATURE_TYPE_NOT_VALID" => (
            "Невалиден тип на подписа.",
            "The signature type is not valid.",
        ),
        "VISUAL_SIGNATURE_PARAMETERS_VALIDATION_FAILED" => (
            "Невалидни параметри на визуалния подпис.",
            "The visual signature parameters are not valid.",
        ),
        "POST_REQUEST_SIZE" => ("Заявката е твърде голяма.", "The request is too large."),
        "ACTIVE_CERTIFICATE_NOT_FOUND" => (
            "Не е намерен активен сертификат.",
            "Active certificate is not found.",
        ),
        "CLIENT_ID_VALUE_INVALID" => (
            "Невалиден идентификатор на клиента.",
            "Client's ID is invalid.",
        ),
        "ERROR" => (
            "Възникна неочаквана грешка.",
            "Unexpected error has occurred.",
        ),
        _ => ("Грешка.", "Error."),
    };
    match lang {
        Lang::Bg => bg,
        Lang::En => en,
    }
}
