//! The signature field of a PAdES update: the widget annotation merged with its field
//! (ISO 32000-1 §12.7.4.5, §12.5.6.19), listed in the catalog's `/AcroForm /Fields` (with
//! `/SigFlags 3`: signatures exist, append only) and in the page's `/Annots`, and, for a
//! visible signature, its normal appearance: a framed box naming the signer and the time.

use super::{utc, DocError, Visual};
use lopdf::{Dictionary, Document, IncrementalDocument, Object, ObjectId, Stream};

/// What the field of one signature looks like.
pub(crate) struct SigField {
    /// `Sig` or `DocTimeStamp`.
    pub sig_type: &'static str,
    /// `ETSI.CAdES.detached` or `ETSI.RFC3161`.
    pub sub_filter: &'static str,
    /// Field names are this plus a number not yet used.
    pub field_prefix: &'static str,
    /// Signing time (`/M` and the appearance).
    pub time_ms: Option<u64>,
    /// Where the visible signature goes; None: invisible (zero-size rectangle).
    pub visual: Option<Visual>,
    /// The signer's common name (for the appearance).
    pub signer_name: String,
}

fn err(what: &str) -> impl Fn(lopdf::Error) -> DocError + '_ {
    move |e| DocError::NotPdf(format!("{what}: {e}"))
}

/// The CN of a certificate's subject.
pub(crate) fn common_name(cert: &x509_cert::Certificate) -> String {
    use der::asn1::{PrintableStringRef, Utf8StringRef};
    const CN: der::asn1::ObjectIdentifier = der::asn1::ObjectIdentifier::new_unwrap("2.5.4.3");
    for rdn in cert.tbs_certificate.subject.0.iter() {
        for atv in rdn.0.iter().filter(|a| a.oid == CN) {
            if let Ok(s) = Utf8StringRef::try_from(&atv.value) {
                return s.as_str().to_owned();
            }
            if let Ok(s) = PrintableStringRef::try_from(&atv.value) {
                return s.as_str().to_owned();
            }
        }
    }
    String::new()
}

/// Field names already used, top-level fields only (signature fields are top-level here).
fn unused_name(doc: &Document, prefix: &str) -> String {
    let mut used = Vec::new();
    let acro = doc.catalog().ok().and_then(|c| c.get(b"AcroForm").ok());
    let acro = acro.and_then(|a| match a {
        Object::Reference(id) => doc.get_dictionary(*id).ok(),
        Object::Dictionary(d) => Some(d),
        _ => None,
    });
    let fields = acro
        .and_then(|a| a.get(b"Fields").ok())
        .and_then(|f| doc.dereference(f).ok())
        .and_then(|(_, f)| f.as_array().ok());
    for f in fields.into_iter().flatten() {
        if let Ok((_, Object::Dictionary(d))) = doc.dereference(f) {
            if let Ok(Object::String(t, _)) = d.get(b"T") {
                used.push(t.clone());
            }
        }
    }
    (1..)
        .map(|n| format!("{prefix}{n}"))
        .find(|name| !used.contains(&name.as_bytes().to_vec()))
        .unwrap_or_else(|| prefix.to_owned())
}

/// Pushes `item` onto the array at `key` of the dictionary object `owner`, in the new
/// revision: an inline array is extended, an indirect one is copied into the update and
/// extended, a missing one is created.
fn push_to_array(
    inc: &mut IncrementalDocument,
    owner: ObjectId,
    key: &[u8],
    item: Object,
) -> Result<(), DocError> {
    let current = inc
        .new_document
        .get_object(owner)
        .and_then(Object::as_dict)
        .map_err(err("dictionary"))?
        .get(key)
        .ok()
        .cloned();
    match current {
        Some(Object::Reference(id)) => {
            inc.opt_clone_object_to_new_document(id)
                .map_err(err("array"))?;
            inc.new_document
                .get_object_mut(id)
                .and_then(Object::as_array_mut)
                .map_err(err("array"))?
                .push(item);
        }
        Some(Object::Array(mut items)) => {
            items.push(item);
            set(inc, owner, key, Object::Array(items))?;
        }
        _ => set(inc, owner, key, Object::Array(vec![item]))?,
    }
    Ok(())
}

fn set(
    inc: &mut IncrementalDocument,
    id: ObjectId,
    key: &[u8],
    value: Object,
) -> Result<(), DocError> {
    inc.new_document
        .get_object_mut(id)
        .and_then(Object::as_dict_mut)
        .map_err(err("dictionary"))?
        .set(key, value);
    Ok(())
}

/// Adds the field with value `sig_id` on `page`, and registers it in the AcroForm.
pub(crate) fn attach(
    inc: &mut IncrementalDocument,
    page: ObjectId,
    sig_id: ObjectId,
    field: &SigField,
) -> Result<(), DocError> {
    let prev = inc.get_prev_documents();
    let name = unused_name(prev, field.field_prefix);
    let root = prev
        .trailer
        .get(b"Root")
        .and_then(Object::as_reference)
        .map_err(err("trailer /Root"))?;
    let mut widget = Dictionary::new();
    widget.set("Type", Object::Name(b"Annot".to_vec()));
    widget.set("Subtype", Object::Name(b"Widget".to_vec()));
    widget.set("FT", Object::Name(b"Sig".to_vec()));
    widget.set("T", Object::string_literal(name));
    widget.set("V", Object::Reference(sig_id));
    // Print + Locked, as signature widgets are written by signing tools.
    widget.set("F", Object::Integer(132));
    widget.set("P", Object::Reference(page));
    let rect = match field.visual {
        Some(v) => {
            let ap = appearance(inc, &v, field)?;
            let mut aps = Dictionary::new();
            aps.set("N", Object::Reference(ap));
            widget.set("AP", Object::Dictionary(aps));
            [v.x, v.y - v.height, v.x + v.width, v.y]
        }
        None => [0.0; 4],
    };
    widget.set(
        "Rect",
        Object::Array(rect.iter().map(|n| Object::Real(*n as f32)).collect()),
    );
    let widget_id = inc.new_document.add_object(widget);

    inc.opt_clone_object_to_new_document(page)
        .map_err(err("page"))?;
    push_to_array(inc, page, b"Annots", Object::Reference(widget_id))?;

    inc.opt_clone_object_to_new_document(root)
        .map_err(err("catalog"))?;
    let acro = inc
        .new_document
        .get_object(root)
        .and_then(Object::as_dict)
        .map_err(err("catalog"))?
        .get(b"AcroForm")
        .ok()
        .cloned();
    let acro_id = match acro {
        Some(Object::Reference(id)) => {
            inc.opt_clone_object_to_new_document(id)
                .map_err(err("AcroForm"))?;
            id
        }
        other => {
            // An inline (or missing) AcroForm becomes an indirect object of the update.
            let dict = match other {
                Some(Object::Dictionary(d)) => d,
                _ => Dictionary::new(),
            };
            let id = inc.new_document.add_object(dict);
            set(inc, root, b"AcroForm", Object::Reference(id))?;
            id
        }
    };
    push_to_array(inc, acro_id, b"Fields", Object::Reference(widget_id))?;
    set(inc, acro_id, b"SigFlags", Object::Integer(3))?;
    Ok(())
}

/// A PDF literal string body: printable ASCII, with `\`, `(` and `)` escaped.
fn pdf_text(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii() && !c.is_ascii_control() {
                c
            } else {
                '?'
            }
        })
        .collect::<String>()
        .replace('\\', "\\\\")
        .replace('(', "\\(")
        .replace(')', "\\)")
}

/// The normal appearance of a visible signature: a pale box with a frame and three lines.
fn appearance(
    inc: &mut IncrementalDocument,
    v: &Visual,
    field: &SigField,
) -> Result<ObjectId, DocError> {
    let (w, h) = (v.width, v.height);
    let size = (h / 4.5).clamp(3.0, 11.0);
    let when = match field.time_ms {
        Some(ms) => utc(ms)?.format("%Y-%m-%d %H:%M:%S UTC").to_string(),
        None => String::new(),
    };
    let lines = [
        "Digitally signed by".to_owned(),
        field.signer_name.clone(),
        when,
        "cqes sandbox, no legal effect".to_owned(),
    ];
    let mut text = format!(
        "BT 0.05 0.1 0.35 rg /F1 {size:.2} Tf {:.2} {:.2} Td {:.2} TL\n",
        size * 0.4,
        h - size * 1.2,
        size * 1.15
    );
    for line in lines {
        text.push_str(&format!("({}) Tj T*\n", pdf_text(&line)));
    }
    text.push_str("ET\n");
    let content = format!(
        "q 0.88 0.93 1 rg 0 0 {w:.2} {h:.2} re f Q\n\
         q 0.1 0.25 0.7 RG 1.5 w 0.75 0.75 {:.2} {:.2} re S Q\n{text}",
        (w - 1.5).max(0.0),
        (h - 1.5).max(0.0)
    );
    let mut font = Dictionary::new();
    font.set("Type", Object::Name(b"Font".to_vec()));
    font.set("Subtype", Object::Name(b"Type1".to_vec()));
    font.set("BaseFont", Object::Name(b"Helvetica".to_vec()));
    font.set("Encoding", Object::Name(b"WinAnsiEncoding".to_vec()));
    let mut fonts = Dictionary::new();
    fonts.set("F1", Object::Dictionary(font));
    let mut resources = Dictionary::new();
    resources.set("Font", Object::Dictionary(fonts));
    let mut dict = Dictionary::new();
    dict.set("Type", Object::Name(b"XObject".to_vec()));
    dict.set("Subtype", Object::Name(b"Form".to_vec()));
    dict.set(
        "BBox",
        Object::Array(
            [0.0, 0.0, w, h]
                .iter()
                .map(|n| Object::Real(*n as f32))
                .collect(),
        ),
    );
    dict.set("Resources", Object::Dictionary(resources));
    Ok(inc
        .new_document
        .add_object(Stream::new(dict, content.into_bytes())))
}
