//! matplotlib's names for styles, parsed into the scene model: colours (`"r"`, `"C1"`,
//! `"tab:orange"`, `"steelblue"`, `"#1f77b4"`, `"0.5"` for a grey), format strings (`"g--"`,
//! `"ro"`, `"b-o"`) and marker and line-style names. Scene files and the Python package both go
//! through here, so `"g--"` means the same in each.
//!
//! Names are matched case-insensitively except the one-letter colours and markers, whose case
//! matters in matplotlib too. Every error names the text at fault and what is accepted.

use super::{Color, Marker};
use crate::{Error, Result};

/// The one-letter colours of matplotlib's `"bgrcmykw"`.
const LETTERS: [(char, [u8; 3]); 8] = [
    ('b', [0, 0, 255]),
    ('g', [0, 128, 0]),
    ('r', [255, 0, 0]),
    ('c', [0, 191, 191]),
    ('m', [191, 0, 191]),
    ('y', [191, 191, 0]),
    ('k', [0, 0, 0]),
    ('w', [255, 255, 255]),
];

/// The `tab:` colours (matplotlib's default cycle, "C0".."C9", in this order).
const TAB: [&str; 10] = [
    "blue", "orange", "green", "red", "purple", "brown", "pink", "gray", "olive", "cyan",
];

/// The CSS/X11 colour names people use most in matplotlib code.
const CSS: &[(&str, [u8; 3])] = &[
    ("black", [0, 0, 0]),
    ("white", [255, 255, 255]),
    ("red", [255, 0, 0]),
    ("green", [0, 128, 0]),
    ("blue", [0, 0, 255]),
    ("yellow", [255, 255, 0]),
    ("cyan", [0, 255, 255]),
    ("magenta", [255, 0, 255]),
    ("orange", [255, 165, 0]),
    ("purple", [128, 0, 128]),
    ("brown", [165, 42, 42]),
    ("pink", [255, 192, 203]),
    ("gray", [128, 128, 128]),
    ("grey", [128, 128, 128]),
    ("lightgray", [211, 211, 211]),
    ("lightgrey", [211, 211, 211]),
    ("darkgray", [169, 169, 169]),
    ("darkgrey", [169, 169, 169]),
    ("silver", [192, 192, 192]),
    ("olive", [128, 128, 0]),
    ("navy", [0, 0, 128]),
    ("teal", [0, 128, 128]),
    ("maroon", [128, 0, 0]),
    ("lime", [0, 255, 0]),
    ("gold", [255, 215, 0]),
    ("crimson", [220, 20, 60]),
    ("coral", [255, 127, 80]),
    ("salmon", [250, 128, 114]),
    ("tomato", [255, 99, 71]),
    ("orchid", [218, 112, 214]),
    ("violet", [238, 130, 238]),
    ("indigo", [75, 0, 130]),
    ("skyblue", [135, 206, 235]),
    ("steelblue", [70, 130, 180]),
    ("royalblue", [65, 105, 225]),
    ("dodgerblue", [30, 144, 255]),
    ("darkblue", [0, 0, 139]),
    ("lightblue", [173, 216, 230]),
    ("darkgreen", [0, 100, 0]),
    ("lightgreen", [144, 238, 144]),
    ("forestgreen", [34, 139, 34]),
    ("seagreen", [46, 139, 87]),
    ("darkred", [139, 0, 0]),
    ("darkorange", [255, 140, 0]),
    ("tan", [210, 180, 140]),
    ("khaki", [240, 230, 140]),
    ("turquoise", [64, 224, 208]),
    ("slategray", [112, 128, 144]),
    ("slategrey", [112, 128, 144]),
    ("whitesmoke", [245, 245, 245]),
];

impl Color {
    /// Parses a colour as matplotlib writes it: a one-letter colour (`"r"`), a cycle colour
    /// (`"C0"`..`"C9"`), a `tab:` colour (`"tab:orange"`), a CSS name (`"steelblue"`), a hex
    /// string (`"#1f77b4"`, `"#1f77b480"`, `"#abc"`) or a grey level in quotes (`"0.75"`).
    ///
    /// ```
    /// use flipbook::scene::Color;
    /// assert_eq!(Color::parse("C1")?, Color::cycle(1));
    /// assert_eq!(Color::parse("r")?, Color::rgb(1.0, 0.0, 0.0));
    /// # Ok::<(), flipbook::Error>(())
    /// ```
    pub fn parse(name: &str) -> Result<Color> {
        let s = name.trim();
        let bad = || {
            Error::Scene(format!(
                "unknown colour '{name}' (use a letter of bgrcmykw, C0-C9, tab:blue, a CSS name \
                 such as steelblue, #rrggbb or a grey level such as 0.5)"
            ))
        };
        let mut chars = s.chars();
        if let (Some(c), None) = (chars.next(), chars.next())
            && let Some((_, [r, g, b])) = LETTERS.iter().find(|(l, _)| *l == c)
        {
            return Ok(Color::rgb8(*r, *g, *b));
        }
        if let Some(hex) = s.strip_prefix('#') {
            if hex.len() == 3 && hex.is_ascii() {
                let long: String = hex.chars().flat_map(|c| [c, c]).collect();
                return Color::hex(&format!("#{long}"));
            }
            return Color::hex(s);
        }
        if let Some(n) = s.strip_prefix('C').and_then(|d| d.parse::<usize>().ok()) {
            return Ok(Color::cycle(n));
        }
        let lower = s.to_ascii_lowercase();
        if let Some(t) = lower.strip_prefix("tab:") {
            let t = if t == "grey" { "gray" } else { t };
            return TAB
                .iter()
                .position(|n| *n == t)
                .map(Color::cycle)
                .ok_or_else(bad);
        }
        if let Some((_, [r, g, b])) = CSS.iter().find(|(n, _)| *n == lower) {
            return Ok(Color::rgb8(*r, *g, *b));
        }
        if let Ok(level) = s.parse::<f32>()
            && (0.0..=1.0).contains(&level)
        {
            return Ok(Color::rgb(level, level, level));
        }
        Err(bad())
    }
}

/// A line's dash style.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum LineDash {
    /// `"-"`: solid.
    #[default]
    Solid,
    /// `"--"`: dashed.
    Dashed,
    /// `":"`: dotted.
    Dotted,
    /// `"-."`: dash-dot, drawn as short dashes (the renderer has one on/off pattern per line).
    DashDot,
    /// `""` or `"none"`: no line (markers only).
    None,
}

impl LineDash {
    /// Parses a matplotlib `linestyle`: `"-"`, `"--"`, `":"`, `"-."`, the names `solid`,
    /// `dashed`, `dotted`, `dashdot`, or `"none"`/`""`.
    pub fn parse(s: &str) -> Result<LineDash> {
        Ok(match s.trim() {
            "-" | "solid" => LineDash::Solid,
            "--" | "dashed" => LineDash::Dashed,
            ":" | "dotted" => LineDash::Dotted,
            "-." | "dashdot" => LineDash::DashDot,
            "" | "none" | "None" | " " => LineDash::None,
            other => {
                return Err(Error::Scene(format!(
                    "unknown line style '{other}' (use -, --, :, -. or none)"
                )));
            }
        })
    }

    /// The dash pattern (on, off) in pixels for a line `width_px` wide; `None` for solid.
    pub fn pattern_px(self, width_px: f32) -> Option<[f32; 2]> {
        let w = width_px.max(1.0);
        match self {
            LineDash::Solid | LineDash::None => None,
            LineDash::Dashed => Some([3.7 * w, 1.6 * w]),
            LineDash::Dotted => Some([w, 1.65 * w]),
            LineDash::DashDot => Some([2.0 * w, 1.6 * w]),
        }
    }
}

impl Marker {
    /// Parses a matplotlib marker: `"o"` circle, `"."` point (a small circle), `"s"` square,
    /// `"^"` triangle, `"x"` or `"+"` cross. Returns the marker and a size factor (0.5 for `"."`).
    pub fn parse(s: &str) -> Result<(Marker, f32)> {
        Ok(match s.trim() {
            "o" | "circle" => (Marker::Circle, 1.0),
            "." | "point" => (Marker::Circle, 0.5),
            "s" | "square" => (Marker::Square, 1.0),
            "^" | "triangle" | "triangle_up" => (Marker::Triangle, 1.0),
            "x" | "+" | "cross" => (Marker::Cross, 1.0),
            other => {
                return Err(Error::Scene(format!(
                    "unsupported marker '{other}' (use o, ., s, ^, x or +)"
                )));
            }
        })
    }
}

/// A parsed format string such as `"g--"` or `"ro"`: each part present only if given.
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub struct FormatString {
    /// The colour, if the string names one.
    pub color: Option<Color>,
    /// The line style, if given.
    pub dash: Option<LineDash>,
    /// The marker and its size factor, if given.
    pub marker: Option<(Marker, f32)>,
}

impl FormatString {
    /// Parses matplotlib's `fmt` (`"[marker][line][color]"` in any order): `"g--"`, `"ro"`,
    /// `"b-o"`, `"C2:"`, `"k"`. Like matplotlib, a marker without a line style draws markers
    /// only.
    pub fn parse(fmt: &str) -> Result<FormatString> {
        let bad = |why: &str| Error::Scene(format!("format string '{fmt}': {why}"));
        let mut out = FormatString::default();
        let chars: Vec<char> = fmt.trim().chars().collect();
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            let next = chars.get(i + 1).copied();
            let (dash, len) = match (c, next) {
                ('-', Some('-')) => (Some(LineDash::Dashed), 2),
                ('-', Some('.')) => (Some(LineDash::DashDot), 2),
                ('-', _) => (Some(LineDash::Solid), 1),
                (':', _) => (Some(LineDash::Dotted), 1),
                _ => (None, 0),
            };
            if let Some(d) = dash {
                if out.dash.replace(d).is_some() {
                    return Err(bad("two line styles"));
                }
                i += len;
                continue;
            }
            if c == 'C'
                && let Some(d) = next.and_then(|d| d.to_digit(10))
            {
                if out.color.replace(Color::cycle(d as usize)).is_some() {
                    return Err(bad("two colours"));
                }
                i += 2;
                continue;
            }
            if let Some((_, [r, g, b])) = LETTERS.iter().find(|(l, _)| *l == c) {
                if out.color.replace(Color::rgb8(*r, *g, *b)).is_some() {
                    return Err(bad("two colours"));
                }
                i += 1;
                continue;
            }
            match Marker::parse(&c.to_string()) {
                Ok(m) => {
                    if out.marker.replace(m).is_some() {
                        return Err(bad("two markers"));
                    }
                }
                Err(_) => {
                    return Err(bad(&format!(
                        "'{c}' is not a colour (bgrcmykw, C0-C9), line style (- -- : -.) or \
                         marker (o . s ^ x +)"
                    )));
                }
            }
            i += 1;
        }
        if out.marker.is_some() && out.dash.is_none() {
            out.dash = Some(LineDash::None);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_in_every_spelling() {
        assert_eq!(Color::parse("g").unwrap(), Color::rgb8(0, 128, 0));
        assert_eq!(Color::parse("C3").unwrap(), Color::cycle(3));
        assert_eq!(Color::parse("tab:orange").unwrap(), Color::cycle(1));
        assert_eq!(
            Color::parse("SteelBlue").unwrap(),
            Color::rgb8(70, 130, 180)
        );
        assert_eq!(Color::parse("#f00").unwrap(), Color::rgb(1.0, 0.0, 0.0));
        assert_eq!(Color::parse("0.5").unwrap(), Color::rgb(0.5, 0.5, 0.5));
        let err = Color::parse("blu").unwrap_err().to_string();
        assert!(err.contains("'blu'"), "{err}");
        assert!(Color::parse("1.5").is_err());
        assert!(Color::parse("").is_err());
    }

    #[test]
    fn format_strings() {
        let f = FormatString::parse("g--").unwrap();
        assert_eq!(f.color, Some(Color::rgb8(0, 128, 0)));
        assert_eq!(f.dash, Some(LineDash::Dashed));
        assert_eq!(f.marker, None);
        let f = FormatString::parse("ro").unwrap();
        assert_eq!(f.dash, Some(LineDash::None), "markers only");
        assert_eq!(f.marker, Some((Marker::Circle, 1.0)));
        let f = FormatString::parse("b-o").unwrap();
        assert_eq!(f.dash, Some(LineDash::Solid));
        assert_eq!(
            FormatString::parse("C2:").unwrap().color,
            Some(Color::cycle(2))
        );
        assert_eq!(FormatString::parse("").unwrap(), FormatString::default());
        for bad in ["gz", "rg", "--:", "ox"] {
            let e = FormatString::parse(bad).unwrap_err().to_string();
            assert!(e.contains(bad), "{e}");
        }
    }
}
