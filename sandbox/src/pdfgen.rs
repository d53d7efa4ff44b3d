//! A tiny but valid one-page PDF (Helvetica text, correct cross-reference table), for the
//! documents the sandbox issues itself: eID certificates and evidence reports.

/// A one-page PDF with a title and lines of text (Latin-1 only; other characters become `?`).
pub fn simple_pdf(title: &str, lines: &[String]) -> Vec<u8> {
    let esc = |s: &str| -> String {
        s.chars()
            .map(|c| match c {
                '(' | ')' | '\\' => format!("\\{c}"),
                c if (c as u32) < 0x20 || (c as u32) > 0x7e => "?".to_owned(),
                c => c.to_string(),
            })
            .collect()
    };
    let mut content = format!(
        "BT /F1 18 Tf 72 740 Td ({}) Tj ET\nBT /F1 11 Tf 72 710 Td 16 TL\n",
        esc(title)
    );
    for line in lines {
        content.push_str(&format!("({}) Tj T*\n", esc(line)));
    }
    content.push_str("ET\n");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>".to_owned(),
        format!("<< /Length {} >>\nstream\n{content}endstream", content.len()),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_owned(),
        format!("<< /Title ({}) /Producer (cqes sandbox) >>", esc(title)),
    ];
    let mut out = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for off in offsets {
        out.extend_from_slice(format!("{off:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R /Info 6 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn xref_offsets_point_at_objects() {
        let pdf = super::simple_pdf("eID (test)", &["line one".into(), "ä".into()]);
        let find = |needle: &[u8]| {
            pdf.windows(needle.len())
                .rposition(|w| w == needle)
                .unwrap()
        };
        let after = find(b"startxref\n") + b"startxref\n".len();
        let end = after + pdf[after..].iter().position(|&b| b == b'\n').unwrap();
        let start: usize = std::str::from_utf8(&pdf[after..end])
            .unwrap()
            .parse()
            .unwrap();
        assert!(pdf[start..].starts_with(b"xref"));
        let table = std::str::from_utf8(&pdf[start..]).unwrap();
        for (i, line) in table.lines().skip(3).take(6).enumerate() {
            let off: usize = line[..10].parse().unwrap();
            assert!(
                pdf[off..].starts_with(format!("{} 0 obj", i + 1).as_bytes()),
                "object {}",
                i + 1
            );
        }
        assert!(pdf.ends_with(b"%%EOF\n"));
    }
}
