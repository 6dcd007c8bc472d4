//! The GIF palette: one palette shared by every frame, chosen from sample frames spread over
//! the whole timeline (frames are random access, so the exporter can look ahead).
//!
//! If the samples hold at most 255 distinct colours they are kept exactly. Otherwise the
//! colours that cover large areas (backgrounds, line and marker colours) are kept exactly and
//! NeuQuant picks the rest from the remaining pixels (anti-aliased edges, gradients). Index 255
//! is reserved for transparency. Mapping a pixel to its nearest palette entry is memoised per
//! exact RGB value in a lazily filled 2²⁴-entry table, so each distinct colour is searched once
//! per export.

use std::collections::HashMap;

/// The palette index GIF frames use for "unchanged from the previous frame".
pub const TRANSPARENT: u8 = 255;
const MAX_COLORS: usize = 255;

/// A palette of at most 255 colours plus a memo of nearest-colour look-ups.
pub struct Palette {
    colors: Vec<[u8; 3]>,
    /// `index + 1` of the nearest colour per 24-bit RGB value, 0 when not yet known.
    memo: Vec<u16>,
}

impl Palette {
    /// Builds a palette from RGBA frames (alpha ignored).
    pub fn from_frames(frames: &[&[u8]]) -> Self {
        let mut counts: HashMap<u32, u32> = HashMap::new();
        let mut total = 0u64;
        for f in frames {
            for px in f.chunks_exact(4) {
                *counts.entry(u32::from_le_bytes([px[0], px[1], px[2], 0])).or_default() += 1;
                total += 1;
            }
        }
        let rgb = |c: u32| {
            let b = c.to_le_bytes();
            [b[0], b[1], b[2]]
        };
        let mut by_count: Vec<(u32, u32)> = counts.into_iter().collect();
        // Most frequent first; ties broken by value so the palette is deterministic.
        by_count.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));

        let colors: Vec<[u8; 3]> = if by_count.len() <= MAX_COLORS {
            by_count.iter().map(|&(c, _)| rgb(c)).collect()
        } else {
            // Keep colours covering at least 0.05% of the samples exactly (at most half the palette).
            let threshold = (total / 2000).max(1) as u32;
            let exact: Vec<u32> =
                by_count.iter().take_while(|&&(_, n)| n >= threshold).take(MAX_COLORS / 2).map(|&(c, _)| c).collect();
            let exact_set: std::collections::HashSet<u32> = exact.iter().copied().collect();
            // The remaining pixels, weighted by count but capped so NeuQuant stays fast.
            let rest: Vec<(u32, u32)> = by_count.iter().filter(|(c, _)| !exact_set.contains(c)).copied().collect();
            let rest_total: u64 = rest.iter().map(|&(_, n)| n as u64).sum();
            let scale = (rest_total as f64 / 400_000.0).max(1.0);
            let mut pixels = Vec::new();
            for &(c, n) in &rest {
                let reps = ((n as f64 / scale).ceil() as usize).max(1);
                let b = c.to_le_bytes();
                for _ in 0..reps {
                    pixels.extend_from_slice(&[b[0], b[1], b[2], 255]);
                }
            }
            let mut colors: Vec<[u8; 3]> = exact.iter().map(|&c| rgb(c)).collect();
            let slots = MAX_COLORS - colors.len();
            if slots > 0 && !pixels.is_empty() {
                let nq = color_quant::NeuQuant::new(10, slots, &pixels);
                for c in nq.color_map_rgb().chunks_exact(3) {
                    let c = [c[0], c[1], c[2]];
                    if !colors.contains(&c) {
                        colors.push(c);
                    }
                }
            }
            colors
        };
        Palette { colors, memo: vec![0; 1 << 24] }
    }

    /// The palette's colours (at most 255).
    pub fn colors(&self) -> &[[u8; 3]] {
        &self.colors
    }

    /// The 256-entry RGB table for a GIF header (entry 255 is the transparent slot).
    pub fn gif_table(&self) -> Vec<u8> {
        let mut t: Vec<u8> = self.colors.iter().flatten().copied().collect();
        t.resize(256 * 3, 0);
        t
    }

    fn nearest(&self, r: u8, g: u8, b: u8) -> u8 {
        let mut best = (u32::MAX, 0usize);
        for (i, c) in self.colors.iter().enumerate() {
            let d = |a: u8, b: u8| (a as i32 - b as i32).unsigned_abs();
            // Weighted towards green as the eye is, like most quantisers.
            let dist = 2 * d(r, c[0]).pow(2) + 4 * d(g, c[1]).pow(2) + 3 * d(b, c[2]).pow(2);
            if dist < best.0 {
                best = (dist, i);
                if dist == 0 {
                    break;
                }
            }
        }
        best.1 as u8
    }

    /// Maps RGBA pixels to palette indices in `out` (resized to the pixel count).
    pub fn index_frame(&mut self, rgba: &[u8], out: &mut Vec<u8>) {
        out.clear();
        out.reserve(rgba.len() / 4);
        for px in rgba.chunks_exact(4) {
            let key = (px[0] as usize) << 16 | (px[1] as usize) << 8 | px[2] as usize;
            let m = self.memo[key];
            let idx = if m != 0 {
                (m - 1) as u8
            } else {
                let i = self.nearest(px[0], px[1], px[2]);
                self.memo[key] = i as u16 + 1;
                i
            };
            out.push(idx);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(colors: &[[u8; 3]], n: usize) -> Vec<u8> {
        (0..n).flat_map(|i| {
            let c = colors[i % colors.len()];
            [c[0], c[1], c[2], 255]
        })
        .collect()
    }

    #[test]
    fn few_colours_are_kept_exactly() {
        let cols = [[255, 255, 255], [31, 119, 180], [255, 127, 14], [0, 0, 0]];
        let f = frame(&cols, 1000);
        let mut p = Palette::from_frames(&[&f]);
        assert_eq!(p.colors().len(), 4);
        let mut idx = Vec::new();
        p.index_frame(&f, &mut idx);
        for (i, &k) in idx.iter().enumerate() {
            assert_eq!(p.colors()[k as usize], cols[i % 4]);
        }
    }

    #[test]
    fn many_colours_keep_dominant_ones_exact_and_stay_close() {
        // A white background with a smooth gradient: far more than 255 colours.
        let mut f = Vec::new();
        for i in 0..200_000u32 {
            if i % 4 == 0 {
                let v = (i / 4 % 4096) as u8;
                f.extend_from_slice(&[v, 255 - v, (v / 2).wrapping_mul(3), 255]);
            } else {
                f.extend_from_slice(&[255, 255, 255, 255]);
            }
        }
        let mut p = Palette::from_frames(&[&f]);
        assert!(p.colors().len() <= 255);
        assert!(p.colors().contains(&[255, 255, 255]), "background kept exactly");
        let mut idx = Vec::new();
        p.index_frame(&f, &mut idx);
        let mut worst = 0i32;
        for (px, &k) in f.chunks_exact(4).zip(&idx) {
            assert_ne!(k, TRANSPARENT);
            let c = p.colors()[k as usize];
            for ch in 0..3 {
                worst = worst.max((px[ch] as i32 - c[ch] as i32).abs());
            }
        }
        assert!(worst <= 24, "worst channel error {worst}");
    }
}
