//! Colormaps under matplotlib's names with matplotlib's values: 256-entry lookup tables
//! sampled from matplotlib itself (see `colormap_tables.rs`). Like matplotlib's `Colormap`, a
//! value `t` in 0..=1 picks entry `floor(t · 256)`, clamped to the ends.
//!
//! The tables were produced with matplotlib 3.11:
//! `(matplotlib.colormaps[name](np.linspace(0, 1, 256))[:, :3] * 255).round()`.

use super::colormap_tables as t;
use crate::{Color, Error, Result};

/// A named colormap; any can be reversed (matplotlib's `_r` suffix).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Colormap {
    /// Perceptually uniform, blue–green–yellow (matplotlib's default).
    #[default]
    Viridis,
    /// Perceptually uniform, blue–purple–yellow.
    Plasma,
    /// Perceptually uniform, black–red–yellow.
    Inferno,
    /// Perceptually uniform, black–purple–cream.
    Magma,
    /// Perceptually uniform and colour-blind friendly.
    Cividis,
    /// Black to white.
    Gray,
    /// Diverging red–white–blue.
    RdBu,
    /// Diverging blue–white–red.
    Coolwarm,
    /// Sequential yellow–green.
    YlGn,
    /// Rainbow-like, improved jet.
    Turbo,
    /// Sequential white–blue.
    Blues,
    /// Sequential white–red.
    Reds,
    /// Sequential white–green.
    Greens,
    /// Another map, reversed.
    Reversed(BaseMap),
}

/// A non-reversed colormap name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BaseMap(u8);

const NAMES: [&str; 13] = [
    "viridis", "plasma", "inferno", "magma", "cividis", "gray", "RdBu", "coolwarm", "YlGn",
    "turbo", "Blues", "Reds", "Greens",
];
const TABLES: [&[u8; 768]; 13] = [
    &t::VIRIDIS,
    &t::PLASMA,
    &t::INFERNO,
    &t::MAGMA,
    &t::CIVIDIS,
    &t::GRAY,
    &t::RDBU,
    &t::COOLWARM,
    &t::YLGN,
    &t::TURBO,
    &t::BLUES,
    &t::REDS,
    &t::GREENS,
];
const MAPS: [Colormap; 13] = [
    Colormap::Viridis,
    Colormap::Plasma,
    Colormap::Inferno,
    Colormap::Magma,
    Colormap::Cividis,
    Colormap::Gray,
    Colormap::RdBu,
    Colormap::Coolwarm,
    Colormap::YlGn,
    Colormap::Turbo,
    Colormap::Blues,
    Colormap::Reds,
    Colormap::Greens,
];

impl Colormap {
    /// Every colormap name accepted by [`Colormap::from_name`] (without the `_r` forms).
    pub fn names() -> &'static [&'static str] {
        &NAMES
    }

    /// Looks a colormap up by matplotlib name (case-insensitive), with `_r` for reversed.
    pub fn from_name(name: &str) -> Result<Self> {
        let (base, reversed) = match name.strip_suffix("_r") {
            Some(b) => (b, true),
            None => (name, false),
        };
        let idx = NAMES
            .iter()
            .position(|n| n.eq_ignore_ascii_case(base))
            .ok_or_else(|| {
                Error::Scene(format!(
                    "unknown colormap '{name}' (known: {}, each also with _r)",
                    NAMES.join(", ")
                ))
            })?;
        Ok(if reversed {
            Colormap::Reversed(BaseMap(idx as u8))
        } else {
            MAPS[idx]
        })
    }

    /// The matplotlib name, with `_r` when reversed.
    pub fn name(&self) -> String {
        let (i, rev) = self.index();
        format!("{}{}", NAMES[i], if rev { "_r" } else { "" })
    }

    /// This map reversed (reversing twice gives the original back).
    pub fn reversed(self) -> Self {
        match self {
            Colormap::Reversed(BaseMap(i)) => MAPS[i as usize],
            other => Colormap::Reversed(BaseMap(other.index().0 as u8)),
        }
    }

    fn index(&self) -> (usize, bool) {
        match self {
            Colormap::Reversed(BaseMap(i)) => (*i as usize, true),
            m => (MAPS.iter().position(|x| x == m).unwrap_or(0), false),
        }
    }

    /// The 256 entries as RGBA8, low end first; what the GPU samples.
    pub fn lut_rgba8(&self) -> [[u8; 4]; 256] {
        let (i, rev) = self.index();
        let table = TABLES[i];
        std::array::from_fn(|k| {
            let k = if rev { 255 - k } else { k };
            [table[3 * k], table[3 * k + 1], table[3 * k + 2], 255]
        })
    }

    /// The colour of `value` between `vmin` and `vmax`, as matplotlib would pick it.
    pub fn map(&self, value: f32, vmin: f32, vmax: f32) -> Color {
        let [r, g, b, _] = self.lut_rgba8()[Self::lut_index(value, vmin, vmax)];
        Color::rgb8(r, g, b)
    }

    /// The lookup-table entry for `value` (NaN maps to entry 0; callers treat NaN as transparent).
    pub fn lut_index(value: f32, vmin: f32, vmax: f32) -> usize {
        let span = vmax - vmin;
        let t = if span.abs() > 0.0 {
            (value - vmin) / span
        } else {
            0.0
        };
        if t.is_nan() {
            0
        } else {
            ((t * 256.0).floor() as i64).clamp(0, 255) as usize
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn viridis_ends_match_matplotlib() {
        let lut = Colormap::Viridis.lut_rgba8();
        assert_eq!(lut[0], [68, 1, 84, 255]);
        assert_eq!(lut[255], [253, 231, 37, 255]);
    }

    #[test]
    fn names_round_trip_and_reverse() {
        for n in Colormap::names() {
            let m = Colormap::from_name(n).unwrap();
            assert_eq!(&m.name(), n);
            let r = Colormap::from_name(&format!("{n}_r")).unwrap();
            assert_eq!(r, m.reversed());
            assert_eq!(r.reversed(), m);
            assert_eq!(r.lut_rgba8()[0], m.lut_rgba8()[255]);
        }
        assert!(Colormap::from_name("jetz").is_err());
        assert_eq!(Colormap::from_name("rdbu").unwrap(), Colormap::RdBu);
    }

    #[test]
    fn lut_index_clamps_like_matplotlib() {
        assert_eq!(Colormap::lut_index(-1.0, 0.0, 1.0), 0);
        assert_eq!(Colormap::lut_index(0.5, 0.0, 1.0), 128);
        assert_eq!(Colormap::lut_index(1.0, 0.0, 1.0), 255);
        assert_eq!(Colormap::lut_index(9.0, 0.0, 1.0), 255);
        assert_eq!(Colormap::map(&Colormap::Gray, 1.0, 0.0, 1.0), Color::WHITE);
    }
}
