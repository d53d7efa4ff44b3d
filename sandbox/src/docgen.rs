//! TEMPORARY placeholder with the agreed interface; replaced by the real generator.
#![allow(missing_docs)]
pub struct Signer {
    pub cert_der: Vec<u8>,
    pub key_pkcs8_der: Vec<u8>,
}
pub struct SignedDoc {
    pub bytes: Vec<u8>,
    pub file_name: String,
    pub content_type: &'static str,
}
#[derive(Debug)]
pub enum DocError {
    NotPdf(String),
    NotXml(String),
    Crypto(String),
}
impl std::fmt::Display for DocError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{self:?}")
    }
}
impl std::error::Error for DocError {}
pub fn sign_document(
    signature_type: &str,
    content: &[u8],
    file_name: Option<&str>,
    _s: &Signer,
    _t: u64,
) -> Result<SignedDoc, DocError> {
    let mut bytes = content.to_vec();
    bytes.extend_from_slice(b"\n%placeholder\n");
    Ok(SignedDoc {
        bytes,
        file_name: format!("{}-signed", file_name.unwrap_or("signed")),
        content_type: if signature_type.starts_with("PADES") {
            "application/pdf"
        } else {
            "application/octet-stream"
        },
    })
}
pub fn sign_digest(digest: &[u8], _s: &Signer) -> Result<Vec<u8>, DocError> {
    Ok(digest.to_vec())
}
pub fn sign_raw(content: &[u8], _s: &Signer) -> Result<Vec<u8>, DocError> {
    Ok(content.iter().take(8).copied().collect())
}
