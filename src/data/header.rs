//! The `.npy` header gate: a strict parser for the header dictionary numpy writes, run before
//! npyz sees the header.
//!
//! How it works: an `.npy` file starts with `\x93NUMPY`, a version (1.0, 2.0 or 3.0), the
//! header's length (2 or 4 bytes, little-endian) and the header itself, a Python dict literal
//! such as `{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }` padded with spaces.
//! npyz parses it with a general Python-literal parser, which panics or overflows on some hostile
//! inputs (arithmetic on huge integers, shapes whose product overflows, non-ASCII type strings,
//! deep nesting). This module accepts only what numpy writes — strings without escapes,
//! decimal integers, `True`/`False`/`None`, tuples, lists and dicts nested at most
//! [`MAX_DEPTH`] deep — checks the length against what the file holds, the shape's element
//! count against 2^60 and the dtype against the supported ones, and only then lets npyz parse
//! the same bytes, so every refusal here is a clear error instead of a crash.

use super::dtype::DType;

/// The longest header accepted (numpy's own reader refuses headers over 10 000 bytes unless
/// told otherwise; this leaves room for shapes of many dims).
pub(crate) const MAX_HEADER_LEN: usize = 1 << 16;

/// How deep tuples, lists and dicts may nest.
pub(crate) const MAX_DEPTH: usize = 16;

/// The fixed part before the header text: magic, version and header length.
pub(crate) struct Preamble {
    /// Bytes before the header text (10 for version 1, 12 for 2 and 3).
    pub len: usize,
    /// Bytes of header text.
    pub header_len: usize,
}

impl Preamble {
    /// Bytes up to the end of the header, where the data starts.
    pub fn data_offset(&self) -> usize {
        self.len + self.header_len
    }
}

/// Reads the preamble from the first (up to 12) bytes of a file.
pub(crate) fn preamble(prefix: &[u8]) -> Result<Preamble, String> {
    if prefix.len() < 6 || &prefix[..6] != b"\x93NUMPY" {
        return Err("it does not start with the .npy magic bytes \\x93NUMPY".into());
    }
    let (major, minor) = match prefix.get(6..8) {
        Some(&[a, b]) => (a, b),
        _ => return Err("the file ends inside its preamble".into()),
    };
    let (len, header_len) = match (major, minor) {
        (1, 0) => match prefix.get(8..10) {
            Some(&[a, b]) => (10, u16::from_le_bytes([a, b]) as usize),
            _ => return Err("the file ends inside its preamble".into()),
        },
        (2, 0) | (3, 0) => match prefix.get(8..12) {
            Some(&[a, b, c, d]) => (12, u32::from_le_bytes([a, b, c, d]) as usize),
            _ => return Err("the file ends inside its preamble".into()),
        },
        _ => return Err(format!("unsupported format version {major}.{minor}")),
    };
    if header_len > MAX_HEADER_LEN {
        return Err(format!(
            "its header claims {header_len} bytes (at most {MAX_HEADER_LEN} accepted)"
        ));
    }
    Ok(Preamble { len, header_len })
}

/// What the header says, checked.
#[derive(Debug)]
pub(crate) struct Header {
    /// The dtype, when supported.
    pub dtype: DType,
    /// The data's byte order is big-endian.
    pub big_endian: bool,
    /// Column-major order.
    pub fortran: bool,
    /// The shape.
    pub shape: Vec<u64>,
}

/// Why a header is refused.
#[derive(Debug)]
pub(crate) enum HeaderError {
    /// Not a header numpy would write.
    Malformed(String),
    /// A valid dtype flipbook does not read, described.
    Unsupported(String),
    /// A shape that is too large, as written, and why.
    TooLarge(String, String),
}

/// Parses and checks header text (the bytes after the preamble).
pub(crate) fn parse(text: &[u8]) -> Result<Header, HeaderError> {
    use HeaderError::*;
    let text = std::str::from_utf8(text)
        .map_err(|e| Malformed(format!("its header is not valid UTF-8 ({e})")))?;
    let mut p = Parser {
        s: text.as_bytes(),
        i: 0,
    };
    let value = p
        .value(0)
        .and_then(|v| {
            p.skip_ws();
            if p.i < p.s.len() {
                Err(format!(
                    "unexpected text after the header dict at byte {}",
                    p.i
                ))
            } else {
                Ok(v)
            }
        })
        .map_err(|e| Malformed(format!("its header is not a dict numpy writes: {e}")))?;
    let Val::Dict(entries) = value else {
        return Err(Malformed("its header is not a dict".into()));
    };
    let get = |key: &str| entries.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v);
    let descr = get("descr").ok_or_else(|| Malformed("its header has no 'descr'".into()))?;
    let fortran = match get("fortran_order") {
        Some(Val::Bool(b)) => *b,
        Some(_) => return Err(Malformed("'fortran_order' is not True or False".into())),
        None => return Err(Malformed("its header has no 'fortran_order'".into())),
    };
    let shape = match get("shape") {
        Some(Val::Seq(items, _)) => items
            .iter()
            .map(|v| match v {
                Val::Int(Some(n)) => Ok(*n),
                Val::Int(None) => Err(TooLarge(
                    "(…)".into(),
                    "a dimension does not fit in 64 bits".into(),
                )),
                _ => Err(Malformed(
                    "'shape' holds something other than integers".into(),
                )),
            })
            .collect::<Result<Vec<u64>, _>>()?,
        Some(_) => return Err(Malformed("'shape' is not a tuple".into())),
        None => return Err(Malformed("its header has no 'shape'".into())),
    };
    if shape.len() > 64 {
        return Err(TooLarge(
            format!("of {} dims", shape.len()),
            "numpy arrays have at most 64 dims".into(),
        ));
    }
    if let Err(reason) = super::array::checked_count(&shape) {
        let dims: Vec<usize> = shape.iter().map(|&d| d as usize).collect();
        let written = if shape.iter().all(|&d| d <= usize::MAX as u64) {
            super::error::format_shape(&dims)
        } else {
            format!("{shape:?}")
        };
        return Err(TooLarge(written, reason));
    }
    let (dtype, big_endian) = match descr {
        Val::Str(s) => plain_dtype(s)?,
        Val::Seq(_, span) => {
            let fields = text.get(span.clone()).unwrap_or("[…]");
            let shown: String = fields.chars().take(80).collect();
            let more = if fields.chars().count() > 80 {
                "…"
            } else {
                ""
            };
            return Err(Unsupported(format!(
                "{shown}{more} (structured: record fields)"
            )));
        }
        _ => return Err(Malformed("'descr' is not a type string".into())),
    };
    if !text.is_ascii() {
        return Err(Malformed("its header holds non-ASCII text".into()));
    }
    Ok(Header {
        dtype,
        big_endian,
        fortran,
        shape,
    })
}

/// Maps a numpy type string (`'<f4'`, `'|u1'`, `'>i8'`) to a dtype and whether it is
/// big-endian; other valid type strings are [`HeaderError::Unsupported`] with a description.
fn plain_dtype(s: &str) -> Result<(DType, bool), HeaderError> {
    let quoted = format!("'{s}'");
    let bytes = s.as_bytes();
    let valid = s.is_ascii()
        && bytes.len() >= 2
        && matches!(bytes[0], b'<' | b'>' | b'|')
        && bytes[1].is_ascii_alphabetic()
        && !s.contains('\\');
    if !valid {
        return Err(HeaderError::Malformed(format!(
            "'descr' {quoted} is not a numpy type string"
        )));
    }
    let big = match bytes[0] {
        b'>' => true,
        b'<' => false,
        _ => cfg!(target_endian = "big"),
    };
    let rest = &s[2..];
    let digits_end = rest
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(rest.len());
    let (size, tail) = rest.split_at(digits_end);
    let size: Option<u64> = size.parse().ok();
    let kind = bytes[1];
    let dtype = match (kind, size, tail) {
        (b'b', Some(1), "") => DType::Bool,
        (b'i', Some(1), "") => DType::I8,
        (b'i', Some(2), "") => DType::I16,
        (b'i', Some(4), "") => DType::I32,
        (b'i', Some(8), "") => DType::I64,
        (b'u', Some(1), "") => DType::U8,
        (b'u', Some(2), "") => DType::U16,
        (b'u', Some(4), "") => DType::U32,
        (b'u', Some(8), "") => DType::U64,
        (b'f', Some(2), "") => DType::F16,
        (b'f', Some(4), "") => DType::F32,
        (b'f', Some(8), "") => DType::F64,
        _ => {
            let what = match kind {
                b'c' => "complex",
                b'f' => "extended-precision float",
                b'O' => "Python objects, pickled",
                b'S' | b'a' => "byte strings",
                b'U' => "unicode strings",
                b'V' => "raw bytes (void)",
                b'M' => "datetime64",
                b'm' => "timedelta64",
                b'i' | b'u' | b'b' => "an integer size numpy does not write",
                _ => {
                    return Err(HeaderError::Malformed(format!(
                        "'descr' {quoted} is not a numpy type string"
                    )));
                }
            };
            return Err(HeaderError::Unsupported(format!("{quoted} ({what})")));
        }
    };
    if bytes[0] == b'|' && dtype.size() != 1 {
        return Err(HeaderError::Malformed(format!(
            "'descr' {quoted} has no byte order but needs one"
        )));
    }
    Ok((dtype, big))
}

/// A parsed literal.
enum Val {
    Str(String),
    /// A non-negative decimal integer; `None` when it does not fit in 64 bits.
    Int(Option<u64>),
    Bool(bool),
    None,
    /// A tuple or list, and where its text lies in the header.
    Seq(Vec<Val>, std::ops::Range<usize>),
    /// A dict with string keys.
    Dict(Vec<(String, Val)>),
}

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
}

impl Parser<'_> {
    fn skip_ws(&mut self) {
        while self
            .s
            .get(self.i)
            .is_some_and(|c| matches!(c, b' ' | b'\t' | b'\n' | b'\r'))
        {
            self.i += 1;
        }
    }

    fn peek(&mut self) -> Option<u8> {
        self.skip_ws();
        self.s.get(self.i).copied()
    }

    fn expect(&mut self, c: u8) -> Result<(), String> {
        if self.peek() == Some(c) {
            self.i += 1;
            Ok(())
        } else {
            Err(format!("expected '{}' at byte {}", c as char, self.i))
        }
    }

    fn value(&mut self, depth: usize) -> Result<Val, String> {
        if depth > MAX_DEPTH {
            return Err(format!("nested more than {MAX_DEPTH} deep"));
        }
        match self.peek() {
            Some(q @ (b'\'' | b'"')) => self.string(q).map(Val::Str),
            Some(b'0'..=b'9') => {
                let start = self.i;
                while self.s.get(self.i).is_some_and(u8::is_ascii_digit) {
                    self.i += 1;
                }
                if self
                    .s
                    .get(self.i)
                    .is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_'))
                {
                    return Err(format!(
                        "only plain integers are accepted (byte {})",
                        self.i
                    ));
                }
                let digits = std::str::from_utf8(&self.s[start..self.i]).unwrap_or("");
                Ok(Val::Int(digits.parse().ok()))
            }
            Some(b'(') => self.seq(b')', depth),
            Some(b'[') => self.seq(b']', depth),
            Some(b'{') => {
                self.i += 1;
                let mut entries = Vec::new();
                loop {
                    match self.peek() {
                        Some(b'}') => {
                            self.i += 1;
                            return Ok(Val::Dict(entries));
                        }
                        Some(q @ (b'\'' | b'"')) => {
                            let key = self.string(q)?;
                            self.expect(b':')?;
                            let v = self.value(depth + 1)?;
                            entries.push((key, v));
                            match self.peek() {
                                Some(b',') => self.i += 1,
                                Some(b'}') => {}
                                _ => {
                                    return Err(format!("expected ',' or '}}' at byte {}", self.i));
                                }
                            }
                        }
                        _ => return Err(format!("expected a string key at byte {}", self.i)),
                    }
                }
            }
            Some(_) => {
                for (word, v) in [
                    ("True", Val::Bool(true)),
                    ("False", Val::Bool(false)),
                    ("None", Val::None),
                ] {
                    if self.s[self.i..].starts_with(word.as_bytes()) {
                        self.i += word.len();
                        if self.s.get(self.i).is_some_and(u8::is_ascii_alphanumeric) {
                            break;
                        }
                        return Ok(v);
                    }
                }
                Err(format!("unexpected text at byte {}", self.i))
            }
            None => Err("the header ends early".into()),
        }
    }

    fn seq(&mut self, close: u8, depth: usize) -> Result<Val, String> {
        let start = self.i;
        self.i += 1;
        let mut items = Vec::new();
        loop {
            if self.peek() == Some(close) {
                self.i += 1;
                return Ok(Val::Seq(items, start..self.i));
            }
            items.push(self.value(depth + 1)?);
            match self.peek() {
                Some(b',') => self.i += 1,
                Some(c) if c == close => {}
                _ => {
                    return Err(format!(
                        "expected ',' or '{}' at byte {}",
                        close as char, self.i
                    ));
                }
            }
        }
    }

    fn string(&mut self, quote: u8) -> Result<String, String> {
        let start = self.i + 1;
        let mut j = start;
        loop {
            match self.s.get(j) {
                Some(&c) if c == quote => break,
                Some(b'\\') => {
                    return Err(format!("escapes in strings are not accepted (byte {j})"));
                }
                Some(b'\n') | None => {
                    return Err(format!("unterminated string at byte {}", self.i));
                }
                Some(_) => j += 1,
            }
        }
        self.i = j + 1;
        // Slicing a valid UTF-8 text between ASCII quotes keeps it valid.
        Ok(String::from_utf8_lossy(&self.s[start..j]).into_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(text: &str) -> Header {
        parse(text.as_bytes()).unwrap_or_else(|e| panic!("{text}: {e:?}"))
    }

    fn err(text: &str) -> HeaderError {
        match parse(text.as_bytes()) {
            Ok(h) => panic!("{text}: accepted as {h:?}"),
            Err(e) => e,
        }
    }

    #[test]
    fn numpy_headers_parse() {
        let h = ok("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }          \n");
        assert_eq!(
            (h.dtype, h.big_endian, h.fortran),
            (DType::F32, false, false)
        );
        assert_eq!(h.shape, vec![3, 4]);
        let h = ok("{\"descr\": \">i8\", \"fortran_order\": True, \"shape\": (5,)}");
        assert_eq!((h.dtype, h.big_endian, h.fortran), (DType::I64, true, true));
        assert_eq!(
            ok("{'descr': '|b1', 'fortran_order': False, 'shape': ()}").shape,
            Vec::<u64>::new()
        );
        assert_eq!(
            ok("{'descr': '|u1', 'fortran_order': False, 'shape': [0, 2]}").shape,
            vec![0, 2]
        );
    }

    #[test]
    fn hostile_headers_are_refused() {
        assert!(matches!(
            err("{'descr': '<f4', 'fortran_order': False, 'shape': (1073741824, 1073741824)}"),
            HeaderError::TooLarge(..)
        ));
        assert!(matches!(
            err("{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999999,)}"),
            HeaderError::TooLarge(..)
        ));
        assert!(matches!(
            err("{'descr': '<f4', 'fortran_order': False, 'shape': (-1,)}"),
            HeaderError::Malformed(_)
        ));
        assert!(matches!(
            err("{'descr': '<f4', 'fortran_order': False, 'shape': (1+1e999,)}"),
            HeaderError::Malformed(_)
        ));
        assert!(matches!(
            err("{'descr': 'é', 'fortran_order': False, 'shape': (1,)}"),
            HeaderError::Malformed(_)
        ));
        let deep = format!("{}{}", "(".repeat(100_000), ")".repeat(100_000));
        assert!(matches!(err(&deep), HeaderError::Malformed(_)));
        assert!(matches!(
            parse(b"{'descr': \xff}"),
            Err(HeaderError::Malformed(_))
        ));
        assert!(matches!(err("{'descr': '<f4'}"), HeaderError::Malformed(_)));
    }

    #[test]
    fn unsupported_dtypes_are_named() {
        for (descr, what) in [
            ("<c16", "complex"),
            ("|O", "Python objects"),
            ("<U5", "unicode"),
            ("|S3", "byte strings"),
            ("<f16", "extended"),
            ("<M8[ns]", "datetime64"),
        ] {
            let text = format!("{{'descr': '{descr}', 'fortran_order': False, 'shape': (2,)}}");
            match err(&text) {
                HeaderError::Unsupported(s) => {
                    assert!(s.contains(what) && s.contains(descr), "{s}")
                }
                e => panic!("{descr}: {e:?}"),
            }
        }
        let text = "{'descr': [('a', '<f4'), ('b', '<i4')], 'fortran_order': False, 'shape': (2,)}";
        assert!(matches!(err(text), HeaderError::Unsupported(s) if s.contains("structured")));
    }

    #[test]
    fn preambles() {
        assert!(preamble(b"\x93NUMPX\x01\x00\x10\x00").is_err());
        assert!(preamble(b"\x93NUMPY\x01").is_err());
        assert!(preamble(b"\x93NUMPY\x04\x00\x10\x00").is_err());
        let p = preamble(b"\x93NUMPY\x01\x00\x76\x00").unwrap();
        assert_eq!((p.len, p.header_len, p.data_offset()), (10, 0x76, 0x80));
        let p = preamble(b"\x93NUMPY\x02\x00\x00\x01\x00\x00").unwrap();
        assert_eq!((p.len, p.header_len), (12, 256));
        assert!(preamble(b"\x93NUMPY\x02\x00\xff\xff\xff\xff").is_err());
    }
}
