//! The one list of B-Trust operations and flows.
//!
//! Everything that needs "every operation" or "every flow" expands one of these two macros
//! instead of keeping a list of its own: the registry ([`super::registry`]: dispatch by name,
//! [`super::registry::OPERATIONS`], [`super::registry::AnyFlow`], `FlowOutcome`), the schema
//! tool, and hosts that generate one function per operation. Adding an operation is one line
//! here plus its file; a host needs no code for it.
//!
//! Each macro calls back the macro it is given with the whole list, so callers shape the
//! entries as they need (`$callback! { … }`).

/// Calls `$callback! { $( $group::$Operation ),* }` with every B-Trust operation, in the order
/// of the developer portal. Paths are relative to `$crate::btrust`.
#[macro_export]
macro_rules! btrust_operations {
    ($callback:path) => {
        $callback! {
            certificates::CheckClient,
            certificates::GetCert,
            certificates::GetCertByIdentity,
            certificates::ClientAuth,
            signing::SendSignRequest,
            signing::GetSignedResult,
            signing::GetSignedResultByRpCallbackId,
            signing::GetSignedContent,
            signing::SendSignRequestViaQr,
            signing::SendSignRequestByCmrId,
            signing::GetSignedContentReport,
            identification::Identification,
            identification::GetIdentificationResult,
            identification::CreateAccessSettings,
            web_identification::StartWebIdentification,
            web_identification::StartWebIdentificationWithoutOtc,
            web_identification::CreateRegistration,
            web_identification::GetRegistrationStatus,
            web_identification::GetWebIdentificationStatus,
            web_identification::GetWebIdentificationResults,
            otc_signing::CreateSignSession,
            otc_signing::StartSignSession,
            otc_signing::GenerateOtp,
            otc_signing::ValidateOtp,
            ars::SendConsentRequest,
            ars::GetConsent,
            ars::ValidateAccessToken,
            ars::SendSyncSignRequest,
            ars::SendBatchSignRequest,
            ars::GetSignedBatch,
            oidc::OidcSign,
            oidc::GetOidcSignResult,
            oidc::GetOidcSignResultUserData,
        }
    };
}

/// Calls `$callback! { $( $Variant: $Flow, $Input, $Outcome, $callback_kind, $method; )* }`
/// with every B-Trust flow. `$callback_kind` is `sign` or `identification` (which callback body
/// the flow accepts); `$method` is the host-side method stem in snake_case (`sign_via_qr`:
/// hosts convert it to their own case and add `start_`/`resume_`). Types are relative to
/// `$crate::btrust::flows`.
#[macro_export]
macro_rules! btrust_flows {
    ($callback:path) => {
        $callback! {
            Sign: SignFlow, SignFlowInput, SignOutcome, sign, "sign";
            QrSign: QrSignFlow, QrSignFlowInput, SignOutcome, sign, "sign_via_qr";
            MobileIdentification: MobileIdentificationFlow, MobileIdentificationFlowInput,
                MobileIdentificationOutcome, identification, "identify_mobile";
            WebIdentification: WebIdentificationFlow, WebIdentificationFlowInput,
                WebIdentificationOutcome, identification, "identify_web";
            WebOtcSign: WebOtcSignFlow, WebOtcSignFlowInput, WebOtcSignOutcome,
                identification, "sign_with_otc";
            Consent: ConsentFlow, ConsentFlowInput, ConsentOutcome, sign, "request_consent";
            AutoSign: AutoSignFlow, AutoSignFlowInput, AutoSignOutcome, sign, "auto_sign";
            BatchSign: BatchSignFlow, BatchSignFlowInput, BatchSignOutcome, sign, "sign_batch";
            OidcSign: OidcSignFlow, OidcSignFlowInput, OidcSignOutcome, sign, "sign_with_oidc";
        }
    };
}
