//! Just enough PDF object syntax (ISO 32000-1 §7.2–7.3) to read trailer and Info
//! dictionaries: a lexer and a recursive-descent parser that keeps each value's raw bytes so
//! they can be copied verbatim into the incremental update.
//!
//! Streams, object streams and filters are never decoded; what cannot be parsed is skipped
//! (the caller falls back to writing fresh values).

/// Nesting limit: hostile input must not be able to exhaust the stack.
const MAX_DEPTH: usize = 32;

pub(crate) enum Kind<'a> {
    Dict(Vec<Entry<'a>>),
    Array(Vec<Obj<'a>>),
    Name(&'a [u8]),
    /// Literal `( )` or hex `< >` string; only the raw form is kept.
    Str,
    Int(i64),
    Real,
    Ref(u64, u64),
    /// `true`, `false`, `null`.
    Keyword,
}

pub(crate) struct Obj<'a> {
    pub(crate) kind: Kind<'a>,
    pub(crate) raw: &'a [u8],
}

pub(crate) struct Entry<'a> {
    /// Name without the leading slash, still `#xx`-escaped.
    pub(crate) key: &'a [u8],
    pub(crate) value: Obj<'a>,
}

/// Looks `key` up in a dictionary's entries (last one wins, as duplicate keys are undefined).
pub(crate) fn get<'e, 'a>(entries: &'e [Entry<'a>], key: &[u8]) -> Option<&'e Obj<'a>> {
    entries
        .iter()
        .rev()
        .find(|e| e.key == key)
        .map(|e| &e.value)
}

fn is_ws(b: u8) -> bool {
    matches!(b, 0 | 9 | 10 | 12 | 13 | 32)
}

fn is_delim(b: u8) -> bool {
    matches!(
        b,
        b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
    )
}

pub(crate) struct Lexer<'a> {
    buf: &'a [u8],
    pub(crate) pos: usize,
}

impl<'a> Lexer<'a> {
    pub(crate) fn new(buf: &'a [u8], pos: usize) -> Self {
        Self { buf, pos }
    }

    fn peek(&self) -> Option<u8> {
        self.buf.get(self.pos).copied()
    }

    pub(crate) fn starts_with(&self, s: &[u8]) -> bool {
        self.buf
            .get(self.pos..)
            .is_some_and(|rest| rest.starts_with(s))
    }

    /// Skips white space and comments.
    pub(crate) fn skip_ws(&mut self) {
        while let Some(b) = self.peek() {
            if is_ws(b) {
                self.pos += 1;
            } else if b == b'%' {
                while self.peek().is_some_and(|c| c != b'\n' && c != b'\r') {
                    self.pos += 1;
                }
            } else {
                break;
            }
        }
    }

    /// A run of regular characters (a keyword, number or name body); may be empty.
    pub(crate) fn token(&mut self) -> &'a [u8] {
        let start = self.pos;
        while self.peek().is_some_and(|b| !is_ws(b) && !is_delim(b)) {
            self.pos += 1;
        }
        self.buf.get(start..self.pos).unwrap_or_default()
    }

    /// Parses an unsigned integer token after optional white space.
    pub(crate) fn uint(&mut self) -> Option<u64> {
        self.skip_ws();
        std::str::from_utf8(self.token()).ok()?.parse().ok()
    }

    /// Parses one direct object (an `n g R` reference counts as one).
    pub(crate) fn value(&mut self) -> Option<Obj<'a>> {
        self.value_at_depth(0)
    }

    fn value_at_depth(&mut self, depth: usize) -> Option<Obj<'a>> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.skip_ws();
        let start = self.pos;
        let kind = match self.peek()? {
            b'<' if self.starts_with(b"<<") => {
                self.pos += 2;
                let mut entries = Vec::new();
                loop {
                    self.skip_ws();
                    if self.starts_with(b">>") {
                        self.pos += 2;
                        break;
                    }
                    if self.peek()? != b'/' {
                        return None;
                    }
                    self.pos += 1;
                    let key = self.token();
                    let value = self.value_at_depth(depth + 1)?;
                    entries.push(Entry { key, value });
                }
                Kind::Dict(entries)
            }
            b'<' => {
                self.pos += 1;
                while self.peek()? != b'>' {
                    let b = self.peek()?;
                    if !b.is_ascii_hexdigit() && !is_ws(b) {
                        return None;
                    }
                    self.pos += 1;
                }
                self.pos += 1;
                Kind::Str
            }
            b'(' => {
                // Balanced parentheses, with backslash escaping the next byte.
                let mut open = 0usize;
                loop {
                    match self.peek()? {
                        b'\\' => self.pos += 1,
                        b'(' => open += 1,
                        b')' => {
                            open = open.saturating_sub(1);
                            if open == 0 {
                                self.pos += 1;
                                break;
                            }
                        }
                        _ => {}
                    }
                    self.pos += 1;
                }
                Kind::Str
            }
            b'[' => {
                self.pos += 1;
                let mut items = Vec::new();
                loop {
                    self.skip_ws();
                    if self.peek()? == b']' {
                        self.pos += 1;
                        break;
                    }
                    items.push(self.value_at_depth(depth + 1)?);
                }
                Kind::Array(items)
            }
            b'/' => {
                self.pos += 1;
                Kind::Name(self.token())
            }
            _ => self.number_or_keyword()?,
        };
        let raw = self.buf.get(start..self.pos)?;
        Some(Obj { kind, raw })
    }

    fn number_or_keyword(&mut self) -> Option<Kind<'a>> {
        let tok = self.token();
        if matches!(tok, b"true" | b"false" | b"null") {
            return Some(Kind::Keyword);
        }
        let text = std::str::from_utf8(tok).ok()?;
        if let Ok(n) = text.parse::<i64>() {
            // `n g R`? Look ahead; restore the position if it is not a reference.
            let save = self.pos;
            if let (Ok(num), Some(gen)) = (u64::try_from(n), self.uint()) {
                self.skip_ws();
                if self.token() == b"R" {
                    return Some(Kind::Ref(num, gen));
                }
            }
            self.pos = save;
            return Some(Kind::Int(n));
        }
        let numeric = text
            .bytes()
            .all(|b| b.is_ascii_digit() || b"+-.".contains(&b));
        (numeric && text.bytes().any(|b| b.is_ascii_digit())).then_some(Kind::Real)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_trailer_like_dict() {
        let src = b"<< /Size 12 /Root 1 0 R % comment\n /ID [<ABCD> (x(y)\\)z)] /F -1.5 /N /a#20b /D << /X [true null] >> >>";
        let obj = Lexer::new(src, 0).value().unwrap();
        let Kind::Dict(entries) = &obj.kind else {
            panic!("not a dict")
        };
        assert_eq!(obj.raw.len(), src.len());
        assert!(matches!(get(entries, b"Size").unwrap().kind, Kind::Int(12)));
        assert!(matches!(
            get(entries, b"Root").unwrap().kind,
            Kind::Ref(1, 0)
        ));
        let Kind::Array(id) = &get(entries, b"ID").unwrap().kind else {
            panic!("ID")
        };
        assert_eq!(id[0].raw, b"<ABCD>");
        assert_eq!(id[1].raw, b"(x(y)\\)z)");
        assert!(matches!(get(entries, b"F").unwrap().kind, Kind::Real));
        assert!(matches!(
            get(entries, b"N").unwrap().kind,
            Kind::Name(b"a#20b")
        ));
        assert!(get(entries, b"D").is_some());
    }

    #[test]
    fn rejects_garbage_without_panicking() {
        for bad in [
            &b"<< /A"[..],
            b"(unterminated",
            b"<zz>",
            b"[1 2",
            b"<< 1 2 >>",
            b"",
            b"@",
        ] {
            assert!(Lexer::new(bad, 0).value().is_none(), "{bad:?}");
        }
        let deep = [b"[".repeat(100), b"]".repeat(100)].concat();
        assert!(Lexer::new(&deep, 0).value().is_none());
    }
}
