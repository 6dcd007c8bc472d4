//! Text templates that read per-frame values: `"epoch {step}: loss {loss:.3f}"`.
//!
//! A template is parsed once into literal pieces and named slots; each frame fills the slots
//! from a lookup. A slot is `{name}` or `{name:spec}` where spec is Python's format mini-language
//! for one number, the common subset: `.3f` (fixed), `.2e` (exponent), `d` (integer), `.1%`
//! (percent), `g` (shortest), with an optional width (`{step:4d}`, `{loss:8.3f}`). `{{` and `}}`
//! are literal braces.

use std::fmt::Write as _;

/// How one slot formats its number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// Shortest form that reads back: integers without a decimal point.
    General,
    /// Fixed decimals.
    Fixed(usize),
    /// Mantissa with decimals and an exponent.
    Exp(usize),
    /// Rounded to an integer.
    Int,
    /// Times 100 with decimals and a `%`.
    Percent(usize),
}

#[derive(Clone, Debug, PartialEq)]
enum Piece {
    Text(String),
    Slot {
        name: String,
        kind: Kind,
        width: usize,
    },
}

/// A parsed text template.
#[derive(Clone, Debug, PartialEq)]
pub struct Template {
    pieces: Vec<Piece>,
}

impl Template {
    /// Parses a template; the error says what is wrong and where.
    pub fn parse(text: &str) -> Result<Template, String> {
        let mut pieces = Vec::new();
        let mut lit = String::new();
        let mut chars = text.char_indices().peekable();
        while let Some((at, c)) = chars.next() {
            match c {
                '{' if chars.peek().map(|p| p.1) == Some('{') => {
                    chars.next();
                    lit.push('{');
                }
                '}' if chars.peek().map(|p| p.1) == Some('}') => {
                    chars.next();
                    lit.push('}');
                }
                '}' => {
                    return Err(format!(
                        "unmatched '}}' at character {at} (write }}}} for a brace)"
                    ));
                }
                '{' => {
                    let mut inner = String::new();
                    loop {
                        match chars.next() {
                            Some((_, '}')) => break,
                            Some((_, ch)) => inner.push(ch),
                            None => {
                                return Err(format!(
                                    "'{{' at character {at} is never closed (write {{{{ for a brace)"
                                ));
                            }
                        }
                    }
                    let (name, spec) = inner.split_once(':').unwrap_or((&inner, ""));
                    let name = name.trim();
                    if name.is_empty() {
                        return Err(format!(
                            "empty {{}} at character {at}: name a value, e.g. {{frame}}"
                        ));
                    }
                    let (width, kind) = parse_spec(spec)
                        .ok_or_else(|| format!("'{{{inner}}}': format '{spec}' is not one of .3f, .2e, d, .1%, g (with an optional width)"))?;
                    if !lit.is_empty() {
                        pieces.push(Piece::Text(std::mem::take(&mut lit)));
                    }
                    pieces.push(Piece::Slot {
                        name: name.to_string(),
                        kind,
                        width,
                    });
                }
                c => lit.push(c),
            }
        }
        if !lit.is_empty() {
            pieces.push(Piece::Text(lit));
        }
        Ok(Template { pieces })
    }

    /// The names the template reads, in order of first use.
    pub fn names(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for p in &self.pieces {
            if let Piece::Slot { name, .. } = p
                && !out.contains(&name.as_str())
            {
                out.push(name);
            }
        }
        out
    }

    /// True when the template has no slots (its text never changes).
    pub fn is_constant(&self) -> bool {
        self.pieces.iter().all(|p| matches!(p, Piece::Text(_)))
    }

    /// The text with each slot filled from `value(name)`; a slot whose value is missing is
    /// left as `{name}`.
    pub fn render(&self, value: impl Fn(&str) -> Option<f64>) -> String {
        let mut out = String::new();
        for p in &self.pieces {
            match p {
                Piece::Text(t) => out.push_str(t),
                Piece::Slot { name, kind, width } => match value(name) {
                    Some(v) => {
                        let s = format_number(v, *kind);
                        let _ = write!(out, "{s:>width$}");
                    }
                    None => {
                        let _ = write!(out, "{{{name}}}");
                    }
                },
            }
        }
        out
    }
}

fn parse_spec(spec: &str) -> Option<(usize, Kind)> {
    let spec = spec.trim();
    if spec.is_empty() {
        return Some((0, Kind::General));
    }
    let digits_end = spec
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(spec.len());
    let width = if digits_end > 0 {
        spec[..digits_end].parse().ok()?
    } else {
        0
    };
    let rest = &spec[digits_end..];
    let (precision, ty) = match rest.strip_prefix('.') {
        Some(r) => {
            let end = r.find(|c: char| !c.is_ascii_digit()).unwrap_or(r.len());
            (Some(r[..end].parse::<usize>().ok()?.min(17)), &r[end..])
        }
        None => (None, rest),
    };
    let kind = match (ty, precision) {
        ("f" | "F", p) => Kind::Fixed(p.unwrap_or(6)),
        ("e" | "E", p) => Kind::Exp(p.unwrap_or(6)),
        ("d", None) => Kind::Int,
        ("%", p) => Kind::Percent(p.unwrap_or(6)),
        ("g" | "", None) => Kind::General,
        ("g" | "", Some(p)) => Kind::Fixed(p),
        _ => return None,
    };
    Some((width, kind))
}

fn format_number(v: f64, kind: Kind) -> String {
    if !v.is_finite() {
        return if v.is_nan() {
            "nan".into()
        } else if v > 0.0 {
            "inf".into()
        } else {
            "-inf".into()
        };
    }
    match kind {
        Kind::General => {
            if v.fract() == 0.0 && v.abs() < 1e15 {
                format!("{}", v as i64)
            } else {
                format!("{}", v as f32)
            }
        }
        Kind::Fixed(p) => format!("{v:.p$}"),
        Kind::Exp(p) => {
            // Python writes 1.50e-03; Rust writes 1.50e-3.
            let s = format!("{v:.p$e}");
            match s.split_once('e') {
                Some((m, e)) => {
                    let (sign, digits) = match e.strip_prefix('-') {
                        Some(d) => ('-', d),
                        None => ('+', e),
                    };
                    format!("{m}e{sign}{digits:0>2}")
                }
                None => s,
            }
        }
        Kind::Int => format!("{}", v.round() as i64),
        Kind::Percent(p) => format!("{:.p$}%", v * 100.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fill(t: &str) -> String {
        Template::parse(t).unwrap().render(|n| match n {
            "step" => Some(12.0),
            "loss" => Some(0.123456),
            "big" => Some(1234.5),
            _ => None,
        })
    }

    #[test]
    fn slots_and_formats() {
        assert_eq!(
            fill("epoch {step}: loss {loss:.3f}"),
            "epoch 12: loss 0.123"
        );
        assert_eq!(
            fill("{step:4d}|{loss:.1%}|{big:.2e}"),
            "  12|12.3%|1.23e+03"
        );
        assert_eq!(fill("{{literal}} {missing}"), "{literal} {missing}");
        assert_eq!(fill("{loss}"), "0.123456");
        assert!(Template::parse("plain").unwrap().is_constant());
        assert_eq!(Template::parse("{a} {b} {a}").unwrap().names(), ["a", "b"]);
    }

    #[test]
    fn bad_templates_say_why() {
        for (t, needle) in [
            ("{step", "never closed"),
            ("a}", "unmatched"),
            ("{}", "empty"),
            ("{loss:.3q}", ".3q"),
        ] {
            let e = Template::parse(t).unwrap_err();
            assert!(e.contains(needle), "{t}: {e}");
        }
    }
}
