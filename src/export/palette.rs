//! The GIF palette: one palette shared by every frame, chosen from sample frames spread over
//! the whole timeline (frames are random access, so the exporter can look ahead).
//!
//! If the samples hold at most 255 distinct colours they are kept exactly. Otherwise the
//! colours that cover large areas (backgrounds, line and marker colours) are kept exactly and
//! NeuQuant picks the rest from the remaining pixels (anti-aliased edges, gradients). Index 255
//! is reserved for transparency. Mapping a pixel to its nearest palette entry is memoised per
//! exact RGB value in a lazily filled 2²⁴-entry table, so each distinct colour is searched once
//! per export.
//!
//! Optional dithering (`Dither`) trades flat colour for truer gradients. Pixels whose colour is
//! in the palette exactly are never dithered and, with Floyd–Steinberg, absorb the error that
//! reaches them instead of passing it on: flat backgrounds stay flat and unchanged, so GIF's
//! unchanged-region transparency keeps working. Ordered dithering (Yliluoma's mixing plans
//! picked by an 8×8 Bayer matrix) depends only on a pixel's position and colour, so a region
//! that does not change between frames does not shimmer; Floyd–Steinberg is finer but its error can spread into neighbouring pixels
//! differently from frame to frame.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// A hasher for packed RGB keys: one multiply (Fibonacci hashing) instead of SipHash, which
/// made counting the sample frames' 2.4 million pixels cost 30 ms.
#[derive(Default)]
struct RgbHasher(u64);

impl Hasher for RgbHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ b as u64).wrapping_mul(0x100_0000_01b3);
        }
    }

    fn write_u32(&mut self, x: u32) {
        self.0 = (x as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
}

/// A channel value for unused palette slots: farther from any colour than any real entry.
const PAD: i32 = 4096;
/// Distances are capped here (above the largest real one, 9 × 255²) so keys fit in 32 bits.
const FAR: u32 = (1 << 24) - 1;

type RgbMap<V> = HashMap<u32, V, BuildHasherDefault<RgbHasher>>;

/// The palette index GIF frames use for "unchanged from the previous frame".
pub const TRANSPARENT: u8 = 255;
const MAX_COLORS: usize = 255;
/// Palette entries mixed per colour by ordered dithering.
const PLAN: usize = 16;

/// How colours missing from the palette are approximated.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Dither {
    /// Nearest palette colour (flat; best for charts and line plots).
    #[default]
    None,
    /// Floyd–Steinberg error diffusion, serpentine: finest gradients.
    FloydSteinberg,
    /// 8×8 Bayer ordered dithering: stable from frame to frame.
    Ordered,
}

impl Dither {
    /// Every mode with its name, as accepted by [`Dither::from_name`].
    pub const ALL: [(Dither, &'static str); 3] = [
        (Dither::None, "none"),
        (Dither::FloydSteinberg, "floyd-steinberg"),
        (Dither::Ordered, "ordered"),
    ];

    /// The mode called `name` (`none`, `floyd-steinberg` or `fs`, `ordered` or `bayer`).
    pub fn from_name(name: &str) -> Option<Self> {
        match name.to_ascii_lowercase().as_str() {
            "fs" | "floyd" => Some(Dither::FloydSteinberg),
            "bayer" => Some(Dither::Ordered),
            n => Self::ALL.iter().find(|(_, m)| *m == n).map(|(d, _)| *d),
        }
    }

    /// The mode's name.
    pub fn name(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(d, _)| *d == self)
            .map_or("none", |(_, n)| n)
    }
}

/// The 8×8 Bayer threshold matrix (values 0..64).
const BAYER8: [[u8; 8]; 8] = [
    [0, 32, 8, 40, 2, 34, 10, 42],
    [48, 16, 56, 24, 50, 18, 58, 26],
    [12, 44, 4, 36, 14, 46, 6, 38],
    [60, 28, 52, 20, 62, 30, 54, 22],
    [3, 35, 11, 43, 1, 33, 9, 41],
    [51, 19, 59, 27, 49, 17, 57, 25],
    [15, 47, 7, 39, 13, 45, 5, 37],
    [63, 31, 55, 23, 61, 29, 53, 21],
];

/// A palette of at most 255 colours plus a memo of nearest-colour look-ups.
pub struct Palette {
    colors: Vec<[u8; 3]>,
    /// The colours channel by channel, padded to 256 with entries too far to be chosen.
    planes: [[i32; 256]; 3],
    /// `index + 1` of the nearest colour per 24-bit RGB value, 0 when not yet known.
    memo: Vec<u16>,
    /// Ordered dithering's mixing plans (see [`Palette::plan`]) ...
    plans: Vec<[u8; PLAN]>,
    /// ... and `index + 1` of the plan per 21-bit colour (7 bits a channel), 0 when not yet
    /// made; allocated on first use.
    plan_of: Vec<u32>,
}

impl Palette {
    /// Builds a palette from RGBA frames (alpha ignored).
    pub fn from_frames(frames: &[&[u8]]) -> Self {
        let mut counts: RgbMap<u32> = RgbMap::default();
        let mut total = 0u64;
        for f in frames {
            for px in f.chunks_exact(4) {
                *counts
                    .entry(u32::from_le_bytes([px[0], px[1], px[2], 0]))
                    .or_default() += 1;
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
            let exact: Vec<u32> = by_count
                .iter()
                .take_while(|&&(_, n)| n >= threshold)
                .take(MAX_COLORS / 2)
                .map(|&(c, _)| c)
                .collect();
            let exact_set: std::collections::HashSet<u32, BuildHasherDefault<RgbHasher>> =
                exact.iter().copied().collect();
            // The remaining pixels, weighted by count but capped so NeuQuant stays fast.
            let rest: Vec<(u32, u32)> = by_count
                .iter()
                .filter(|(c, _)| !exact_set.contains(c))
                .copied()
                .collect();
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
        Palette::from_colors(colors)
    }

    /// A palette of exactly `colors` (at most 255; more are dropped).
    pub fn from_colors(mut colors: Vec<[u8; 3]>) -> Self {
        colors.truncate(MAX_COLORS);
        let mut planes = [[PAD; 256]; 3];
        for (i, c) in colors.iter().enumerate() {
            for (plane, &v) in planes.iter_mut().zip(c) {
                plane[i] = v as i32;
            }
        }
        Palette {
            colors,
            planes,
            memo: vec![0; 1 << 24],
            plans: Vec::new(),
            plan_of: Vec::new(),
        }
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
        // Distance weighted towards green as the eye is, like most quantisers; every entry at
        // once over the channel-major copy (the compiler vectorises it), the index in the low
        // byte so the smallest key is the nearest colour, ties to the lowest index.
        let [pr, pg, pb] = &self.planes;
        let (r, g, b) = (r as i32, g as i32, b as i32);
        let mut best = u32::MAX;
        for i in 0..256 {
            let (dr, dg, db) = (pr[i] - r, pg[i] - g, pb[i] - b);
            let dist = (2 * dr * dr + 4 * dg * dg + 3 * db * db) as u32;
            best = best.min(dist.min(FAR) << 8 | i as u32);
        }
        (best & 0xff) as u8
    }

    /// The nearest palette index of an exact RGB value, memoised.
    #[inline]
    fn lookup(&mut self, r: u8, g: u8, b: u8) -> u8 {
        let key = (r as usize) << 16 | (g as usize) << 8 | b as usize;
        let m = self.memo[key];
        if m != 0 {
            (m - 1) as u8
        } else {
            let i = self.nearest(r, g, b);
            self.memo[key] = i as u16 + 1;
            i
        }
    }

    /// Maps RGBA pixels to palette indices in `out` (resized to the pixel count).
    pub fn index_frame(&mut self, rgba: &[u8], out: &mut Vec<u8>) {
        out.clear();
        out.resize(rgba.len() / 4, 0);
        // Charts are mostly runs of one colour: repeat the last answer rather than touch the
        // 32 MB memo for every pixel.
        let mut last: Option<(u32, u8)> = None;
        for (px, o) in rgba.chunks_exact(4).zip(out.iter_mut()) {
            let rgb = u32::from_le_bytes([px[0], px[1], px[2], 0]);
            *o = match last {
                Some((c, i)) if c == rgb => i,
                _ => {
                    let i = self.lookup(px[0], px[1], px[2]);
                    last = Some((rgb, i));
                    i
                }
            };
        }
    }

    /// Maps a `width`-pixel-wide RGBA frame to palette indices in `out`, dithered as `dither`
    /// says ([`Dither::None`] is [`Palette::index_frame`]).
    pub fn index_frame_dithered(
        &mut self,
        rgba: &[u8],
        width: usize,
        dither: Dither,
        out: &mut Vec<u8>,
    ) {
        match dither {
            Dither::None => self.index_frame(rgba, out),
            Dither::Ordered => self.index_ordered(rgba, width, out),
            Dither::FloydSteinberg => self.index_floyd_steinberg(rgba, width, out),
        }
    }

    /// Yliluoma's ordered dithering for arbitrary palettes: a "mixing plan" of 16 palette
    /// entries whose average is closest to `px` (chosen greedily among its 16 nearest
    /// colours), sorted by luminance; the Bayer threshold at a pixel picks one entry. Adding a
    /// threshold to the colour instead only works for evenly spaced palettes, and quantisers
    /// crowd colours unevenly. Plans are memoised per colour at 7 bits a channel (made for the
    /// middle of each 2×2×2 cell, so the result does not depend on which colour came first): a
    /// rotating 3D scene anti-aliases into hundreds of thousands of distinct colours, and a
    /// half-unit shift is far below a plan's 1/16-of-a-palette-step resolution.
    fn plan(&mut self, px: [u8; 3]) -> [u8; PLAN] {
        if self.plan_of.is_empty() {
            self.plan_of = vec![0; 1 << 21];
        }
        let key = (px[0] as usize >> 1) << 14 | (px[1] as usize >> 1) << 7 | px[2] as usize >> 1;
        if let Some(i) = self.plan_of[key].checked_sub(1) {
            return self.plans[i as usize];
        }
        let dist = |a: [f32; 3], b: [f32; 3]| {
            2.0 * (a[0] - b[0]).powi(2) + 4.0 * (a[1] - b[1]).powi(2) + 3.0 * (a[2] - b[2]).powi(2)
        };
        let f = |c: [u8; 3]| [c[0] as f32, c[1] as f32, c[2] as f32];
        let target = [0, 1, 2].map(|c| (px[c] & !1) as f32 + 0.5);
        let mut near: Vec<(f32, usize)> = self
            .colors
            .iter()
            .enumerate()
            .map(|(i, &c)| (dist(target, f(c)), i))
            .collect();
        let keep = near.len().min(PLAN);
        if near.len() > keep {
            near.select_nth_unstable_by(keep - 1, |a, b| a.0.total_cmp(&b.0));
            near.truncate(keep);
        }
        let mut plan = [0u8; PLAN];
        let mut sum = [0f32; 3];
        for (k, slot) in plan.iter_mut().enumerate() {
            let n = (k + 1) as f32;
            let mut best = (f32::MAX, 0usize);
            for &(_, i) in &near {
                let c = f(self.colors[i]);
                let mix = [
                    (sum[0] + c[0]) / n,
                    (sum[1] + c[1]) / n,
                    (sum[2] + c[2]) / n,
                ];
                let e = dist(target, mix);
                if e < best.0 {
                    best = (e, i);
                }
            }
            *slot = best.1 as u8;
            let c = f(self.colors[best.1]);
            (0..3).for_each(|j| sum[j] += c[j]);
        }
        let luma = |i: u8| {
            let c = self.colors[i as usize];
            299 * c[0] as u32 + 587 * c[1] as u32 + 114 * c[2] as u32
        };
        plan.sort_by_key(|&i| luma(i));
        self.plans.push(plan);
        self.plan_of[key] = self.plans.len() as u32;
        plan
    }

    fn index_ordered(&mut self, rgba: &[u8], width: usize, out: &mut Vec<u8>) {
        out.clear();
        out.reserve(rgba.len() / 4);
        let width = width.max(1);
        for (i, px) in rgba.chunks_exact(4).enumerate() {
            let c = [px[0], px[1], px[2]];
            let exact = self.lookup(c[0], c[1], c[2]);
            if self.colors[exact as usize] == c {
                out.push(exact);
                continue;
            }
            let (x, y) = ((i % width) & 7, (i / width) & 7);
            let plan = self.plan(c);
            out.push(plan[BAYER8[y][x] as usize * PLAN / 64]);
        }
    }

    fn index_floyd_steinberg(&mut self, rgba: &[u8], width: usize, out: &mut Vec<u8>) {
        let width = width.max(1);
        let height = rgba.len() / 4 / width;
        out.clear();
        out.resize(width * height, 0);
        // Error carried to this row and the next, per channel, with a pixel of margin each side.
        let mut cur = vec![[0i32; 3]; width + 2];
        let mut next = vec![[0i32; 3]; width + 2];
        for y in 0..height {
            let right = y % 2 == 0;
            for k in 0..width {
                let x = if right { k } else { width - 1 - k };
                let p = (y * width + x) * 4;
                let px = [rgba[p], rgba[p + 1], rgba[p + 2]];
                let e = std::mem::take(&mut cur[x + 1]);
                let exact = self.lookup(px[0], px[1], px[2]);
                if self.colors[exact as usize] == px {
                    // An exact colour absorbs the error, so flat areas stay flat.
                    out[y * width + x] = exact;
                    continue;
                }
                // Error is stored in 1/16 units; clamping stops runaway error near saturation.
                let want = [0, 1, 2].map(|c| (px[c] as i32 + e[c] / 16).clamp(0, 255));
                let idx = self.lookup(want[0] as u8, want[1] as u8, want[2] as u8);
                out[y * width + x] = idx;
                let got = self.colors[idx as usize];
                let err = [0, 1, 2].map(|c| (want[c] - got[c] as i32).clamp(-64, 64));
                let (ahead, behind) = if right { (x + 2, x) } else { (x, x + 2) };
                for c in 0..3 {
                    cur[ahead][c] += err[c] * 7;
                    next[behind][c] += err[c] * 3;
                    next[x + 1][c] += err[c] * 5;
                    next[ahead][c] += err[c];
                }
            }
            std::mem::swap(&mut cur, &mut next);
            next.iter_mut().for_each(|e| *e = [0; 3]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(colors: &[[u8; 3]], n: usize) -> Vec<u8> {
        (0..n)
            .flat_map(|i| {
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

    /// A horizontal grey-to-blue ramp with far more colours than a palette holds, plus a
    /// white border of an exact colour.
    fn ramp(w: usize, h: usize) -> Vec<u8> {
        let mut f = Vec::with_capacity(w * h * 4);
        for y in 0..h {
            for x in 0..w {
                if y < 4 {
                    f.extend_from_slice(&[255, 255, 255, 255]);
                } else {
                    let t = x as f32 / (w - 1) as f32;
                    let v = (40.0 + 180.0 * t) as u8;
                    f.extend_from_slice(&[v, (v as f32 * 0.9) as u8, 200 - (y % 7) as u8, 255]);
                }
            }
        }
        f
    }

    /// Mean absolute error of 8×8 block averages: what the eye sees from a distance.
    fn block_error(p: &Palette, rgba: &[u8], idx: &[u8], w: usize) -> f64 {
        let h = idx.len() / w;
        let (mut total, mut n) = (0.0, 0);
        for by in (0..h - 7).step_by(8) {
            for bx in (0..w - 7).step_by(8) {
                for c in 0..3 {
                    let (mut a, mut b) = (0.0, 0.0);
                    for y in by..by + 8 {
                        for x in bx..bx + 8 {
                            a += rgba[(y * w + x) * 4 + c] as f64;
                            b += p.colors()[idx[y * w + x] as usize][c] as f64;
                        }
                    }
                    total += (a - b).abs() / 64.0;
                    n += 1;
                }
            }
        }
        total / n as f64
    }

    #[test]
    fn dithering_makes_gradients_truer_and_keeps_exact_colours() {
        let (w, h) = (320, 68);
        let f = ramp(w, h);
        // A deliberately small palette so banding is visible.
        let mut colors = Palette::from_frames(&[&f]).colors().to_vec();
        colors.truncate(24);
        colors.push([255, 255, 255]);
        let mut p = Palette::from_colors(colors);
        let mut plain = Vec::new();
        p.index_frame(&f, &mut plain);
        let base = block_error(&p, &f, &plain, w);
        for dither in [Dither::FloydSteinberg, Dither::Ordered] {
            let mut idx = Vec::new();
            p.index_frame_dithered(&f, w, dither, &mut idx);
            let err = block_error(&p, &f, &idx, w);
            assert!(
                err < base * 0.75,
                "{dither:?}: block error {err:.2} vs {base:.2} undithered"
            );
            // The white border is an exact colour: untouched by dithering.
            let white = p
                .colors()
                .iter()
                .position(|c| *c == [255, 255, 255])
                .unwrap() as u8;
            assert!(
                idx[..4 * w].iter().all(|&i| i == white),
                "{dither:?} changed an exact colour"
            );
        }
        // Ordered dithering depends on position only: the same frame gives the same indices.
        let (mut a, mut b) = (Vec::new(), Vec::new());
        p.index_frame_dithered(&f, w, Dither::Ordered, &mut a);
        p.index_frame_dithered(&f, w, Dither::Ordered, &mut b);
        assert_eq!(a, b);
        assert_eq!(Dither::from_name("FS"), Some(Dither::FloydSteinberg));
        assert_eq!(Dither::from_name("ordered"), Some(Dither::Ordered));
        assert_eq!(Dither::from_name("nope"), None);
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
        assert!(
            p.colors().contains(&[255, 255, 255]),
            "background kept exactly"
        );
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
