//! Signing API (reference §5.1–§5.3; BORICA's Swagger): send documents to the signer's
//! B-Trust Mobile (by identity, by QR code or by CMR id), poll, and download the signed files
//! and their reports. One file per operation; models shared by several beside them.

pub mod callback;
pub mod content;
pub mod get_signed_content;
pub mod get_signed_content_report;
pub mod get_signed_result;
pub mod get_signed_result_by_rp_callback_id;
pub mod models;
pub mod send_sign_request;
pub mod send_sign_request_by_cmr_id;
pub mod send_sign_request_via_qr;

pub use callback::{parse_sign_callback, SignCallback};
pub use content::Content;
pub use get_signed_content::{GetSignedContent, GetSignedContentInput};
pub use get_signed_content_report::{
    GetSignedContentReport, GetSignedContentReportInput, ReportType,
};
pub use get_signed_result::{GetSignedResult, GetSignedResultInput};
pub use get_signed_result_by_rp_callback_id::{
    GetSignedResultByRpCallbackId, GetSignedResultByRpCallbackIdInput,
};
pub use models::*;
pub use send_sign_request::{SendSignRequest, SendSignRequestInput, SignRequestAccepted};
pub use send_sign_request_by_cmr_id::SendSignRequestByCmrId;
pub use send_sign_request_via_qr::{QrSignRequestAccepted, SendSignRequestViaQr};
