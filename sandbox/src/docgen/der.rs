//! A deliberately tiny DER toolkit: just enough to *write* CMS SignedData and to *read* the
//! three things we need out of an X.509 certificate (issuer, serial number, public key).
//!
//! Hand-written rather than pulling `cms`/`x509-cert`: the structures we emit are fixed and
//! small, and this keeps the sandbox's dependency tree (and its MSRV) unchanged.

use super::DocError;

pub(crate) const TAG_INTEGER: u8 = 0x02;
pub(crate) const TAG_BIT_STRING: u8 = 0x03;
pub(crate) const TAG_OCTET_STRING: u8 = 0x04;
pub(crate) const TAG_OID: u8 = 0x06;
pub(crate) const TAG_SEQUENCE: u8 = 0x30;
pub(crate) const TAG_SET: u8 = 0x31;
/// `[0]` constructed: used both as EXPLICIT wrapper and as IMPLICIT SET OF tag in CMS.
pub(crate) const TAG_CTX0: u8 = 0xA0;
/// `[4]` constructed: GeneralName's directoryName (EXPLICIT, because Name is a CHOICE).
pub(crate) const TAG_CTX4: u8 = 0xA4;

/// Object identifiers we use, as arcs; encoded at run time by [`oid`] so there is no
/// hand-assembled byte soup to get wrong.
pub(crate) mod oids {
    pub(crate) const DATA: &[u64] = &[1, 2, 840, 113549, 1, 7, 1];
    pub(crate) const SIGNED_DATA: &[u64] = &[1, 2, 840, 113549, 1, 7, 2];
    pub(crate) const CONTENT_TYPE: &[u64] = &[1, 2, 840, 113549, 1, 9, 3];
    pub(crate) const MESSAGE_DIGEST: &[u64] = &[1, 2, 840, 113549, 1, 9, 4];
    pub(crate) const SIGNING_TIME: &[u64] = &[1, 2, 840, 113549, 1, 9, 5];
    pub(crate) const SIGNING_CERTIFICATE_V2: &[u64] = &[1, 2, 840, 113549, 1, 9, 16, 2, 47];
    pub(crate) const SHA256: &[u64] = &[2, 16, 840, 1, 101, 3, 4, 2, 1];
    pub(crate) const ECDSA_WITH_SHA256: &[u64] = &[1, 2, 840, 10045, 4, 3, 2];
}

/// One tag-length-value element.
pub(crate) fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(content.len() + 6);
    out.push(tag);
    let len = content.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes = len.to_be_bytes();
        let skip = bytes.iter().take_while(|b| **b == 0).count();
        out.push(0x80 | (bytes.len() - skip) as u8);
        out.extend_from_slice(bytes.get(skip..).unwrap_or_default());
    }
    out.extend_from_slice(content);
    out
}

/// A constructed element whose content is the concatenation of already-encoded parts.
pub(crate) fn cons(tag: u8, parts: &[&[u8]]) -> Vec<u8> {
    tlv(tag, &parts.concat())
}

pub(crate) fn seq(parts: &[&[u8]]) -> Vec<u8> {
    cons(TAG_SEQUENCE, parts)
}

/// DER `SET OF`: elements must be sorted by their encodings (X.690 §11.6); the order
/// matters because the signed-attributes SET is hashed exactly as encoded.
pub(crate) fn set_of(mut elems: Vec<Vec<u8>>) -> Vec<u8> {
    elems.sort();
    tlv(TAG_SET, &elems.concat())
}

pub(crate) fn octet_string(bytes: &[u8]) -> Vec<u8> {
    tlv(TAG_OCTET_STRING, bytes)
}

/// Small non-negative INTEGER (versions); values < 0x80 need no sign padding.
pub(crate) fn small_int(v: u8) -> Vec<u8> {
    if v < 0x80 {
        tlv(TAG_INTEGER, &[v])
    } else {
        tlv(TAG_INTEGER, &[0, v])
    }
}

/// OBJECT IDENTIFIER from arcs (base-128 with continuation bits, first two arcs merged).
pub(crate) fn oid(arcs: &[u64]) -> Vec<u8> {
    let mut body = Vec::new();
    let (first, rest) = match arcs {
        [a, b, rest @ ..] => (a * 40 + b, rest),
        [a] => (a * 40, &[][..]),
        [] => (0, &[][..]),
    };
    for arc in std::iter::once(first).chain(rest.iter().copied()) {
        let mut chunk = vec![(arc & 0x7f) as u8];
        let mut v = arc >> 7;
        while v > 0 {
            chunk.push(0x80 | (v & 0x7f) as u8);
            v >>= 7;
        }
        body.extend(chunk.iter().rev());
    }
    tlv(TAG_OID, &body)
}

/// AlgorithmIdentifier with absent parameters (RFC 5754 for SHA-2, RFC 5758 for ECDSA).
pub(crate) fn algorithm(arcs: &[u64]) -> Vec<u8> {
    seq(&[&oid(arcs)])
}

/// A parsed element borrowed from the input.
pub(crate) struct Tlv<'a> {
    pub(crate) tag: u8,
    pub(crate) content: &'a [u8],
    /// The whole encoding (tag + length + content), for copying elements verbatim.
    pub(crate) raw: &'a [u8],
}

/// Reads one DER element; returns it and the remaining input. `None` on anything we do not
/// expect in a certificate (high tag numbers, indefinite or oversized lengths, truncation).
pub(crate) fn read(input: &[u8]) -> Option<(Tlv<'_>, &[u8])> {
    let (&tag, rest) = input.split_first()?;
    if tag & 0x1f == 0x1f {
        return None;
    }
    let (&first, mut rest) = rest.split_first()?;
    let len = if first < 0x80 {
        usize::from(first)
    } else {
        let n = usize::from(first & 0x7f);
        if n == 0 || n > 4 {
            return None;
        }
        let (len_bytes, after) = rest.split_at_checked(n)?;
        rest = after;
        len_bytes
            .iter()
            .fold(0usize, |acc, b| (acc << 8) | usize::from(*b))
    };
    let header = input.len() - rest.len();
    let (content, rest) = rest.split_at_checked(len)?;
    let raw = input.get(..header + len)?;
    Some((Tlv { tag, content, raw }, rest))
}

/// Reads one element and checks its tag.
fn expect(input: &[u8], tag: u8) -> Option<(Tlv<'_>, &[u8])> {
    read(input).filter(|(t, _)| t.tag == tag)
}

/// What CMS/XAdES need from the signer's certificate, borrowed from its DER.
pub(crate) struct CertInfo<'a> {
    /// `issuer` Name, full DER encoding.
    pub(crate) issuer: &'a [u8],
    /// `serialNumber` INTEGER, full DER encoding.
    pub(crate) serial: &'a [u8],
    /// subjectPublicKey BIT STRING contents minus the unused-bits octet (SEC1 point).
    pub(crate) public_key: &'a [u8],
}

/// Walks `Certificate → tbsCertificate` (RFC 5280 §4.1) down to the fields we need.
pub(crate) fn parse_cert(der: &[u8]) -> Result<CertInfo<'_>, DocError> {
    parse_cert_opt(der)
        .ok_or_else(|| DocError::Crypto("signer certificate is not valid DER X.509".into()))
}

fn parse_cert_opt(der: &[u8]) -> Option<CertInfo<'_>> {
    let (cert, _) = expect(der, TAG_SEQUENCE)?;
    let (tbs, _) = expect(cert.content, TAG_SEQUENCE)?;
    let mut rest = tbs.content;
    // Optional `[0] EXPLICIT Version`.
    if let Some((first, after)) = read(rest) {
        if first.tag == TAG_CTX0 {
            rest = after;
        }
    }
    let (serial, rest) = expect(rest, TAG_INTEGER)?;
    let (_sig_alg, rest) = expect(rest, TAG_SEQUENCE)?;
    let (issuer, rest) = expect(rest, TAG_SEQUENCE)?;
    let (_validity, rest) = expect(rest, TAG_SEQUENCE)?;
    let (_subject, rest) = expect(rest, TAG_SEQUENCE)?;
    let (spki, _) = expect(rest, TAG_SEQUENCE)?;
    let (_alg, spki_rest) = expect(spki.content, TAG_SEQUENCE)?;
    let (bits, _) = expect(spki_rest, TAG_BIT_STRING)?;
    let (&unused, public_key) = bits.content.split_first()?;
    if unused != 0 {
        return None;
    }
    Some(CertInfo {
        issuer: issuer.raw,
        serial: serial.raw,
        public_key,
    })
}

/// RFC 5035 `IssuerSerial ::= SEQUENCE { issuer GeneralNames, serialNumber }`, shared by the
/// CAdES signing-certificate-v2 attribute and XAdES `IssuerSerialV2`.
pub(crate) fn issuer_serial(cert: &CertInfo<'_>) -> Vec<u8> {
    let general_names = seq(&[&tlv(TAG_CTX4, cert.issuer)]);
    seq(&[&general_names, cert.serial])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oid_encoding_matches_known_values() {
        assert_eq!(
            oid(oids::SHA256),
            [0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01]
        );
        assert_eq!(
            oid(oids::ECDSA_WITH_SHA256),
            [0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x04, 0x03, 0x02]
        );
        assert_eq!(
            oid(oids::SIGNING_CERTIFICATE_V2),
            [0x06, 0x0B, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x09, 0x10, 0x02, 0x2F]
        );
    }

    #[test]
    fn long_lengths_round_trip() {
        for len in [0usize, 127, 128, 255, 256, 70_000] {
            let enc = tlv(TAG_OCTET_STRING, &vec![7u8; len]);
            let (t, rest) = read(&enc).unwrap();
            assert_eq!(
                (t.tag, t.content.len(), rest.len()),
                (TAG_OCTET_STRING, len, 0)
            );
            assert_eq!(t.raw, &enc[..]);
        }
        assert!(read(&[0x04, 0x82, 0x01]).is_none(), "truncated length");
        assert!(read(&[0x04, 0x05, 0x01]).is_none(), "truncated content");
    }

    #[test]
    fn set_of_sorts_elements() {
        let s = set_of(vec![vec![0x05, 0x00], vec![0x02, 0x01, 0x01]]);
        assert_eq!(s, [0x31, 0x05, 0x02, 0x01, 0x01, 0x05, 0x00]);
    }
}
