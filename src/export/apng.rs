//! Animated PNG (APNG) through the `png` crate: lossless, full 24-bit colour, played by every
//! current browser and most image viewers.
//!
//! The frame count goes into the `acTL` chunk before the first frame, which the exporter knows
//! up front. The first frame is stored whole; every later frame stores only the bounding box of
//! the pixels that changed (`fcTL` offset and size, blend `SOURCE`, dispose `NONE`), so a chart
//! whose axes stay put costs little per frame, and decoding still reproduces every frame
//! exactly. All frames share one delay, a fraction `num/den` of a second chosen so that it is
//! exact for whole and NTSC rates (1/24, 100/2997): unlike GIF's centiseconds it never drifts.
//! Frames are compressed and written as they arrive, so memory does not grow with frame count.

use super::output::PendingFile;
use super::{FrameEncoder, changed_box};
use crate::gpu::RgbaFrame;
use crate::{Error, Result};
use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};

/// Streams frames into an APNG file.
pub struct ApngEncoder {
    file: PendingFile,
    writer: Option<png::Writer<BufWriter<File>>>,
    width: usize,
    height: usize,
    frames: usize,
    written: usize,
    prev: Vec<u8>,
    cur: Vec<u8>,
    sub: Vec<u8>,
}

fn err(e: impl std::fmt::Display) -> Error {
    Error::Encode {
        format: "apng",
        reason: e.to_string(),
    }
}

/// The delay of one frame at `fps` as an APNG fraction of a second `(numerator,
/// denominator)`: the closest fraction with both terms at most 65535, found with continued
/// fractions. Exact for whole rates (1/24) and for rates like 29.97 (100/2997).
pub fn apng_delay(fps: f64) -> (u16, u16) {
    const MAX: u64 = u16::MAX as u64;
    let x = 1.0 / fps;
    if !x.is_finite() || x <= 0.0 {
        return (1, MAX as u16);
    }
    if x >= MAX as f64 {
        return (MAX as u16, 1);
    }
    match rational(x, MAX) {
        // Faster than 65535 fps: the shortest delay that is not "as fast as possible".
        (0, _) => (1, MAX as u16),
        (n, d) => (n as u16, d as u16),
    }
}

/// The fraction `n/d` closest to `x > 0` among the continued-fraction convergents with both
/// terms at most `max`; `(0, 1)` when even `1/max` is too coarse.
pub(crate) fn rational(x: f64, max: u64) -> (u64, u64) {
    let (mut h0, mut h1, mut k0, mut k1) = (0u64, 1u64, 1u64, 0u64);
    let mut rest = x;
    let mut best = (0u64, 1u64);
    for _ in 0..40 {
        let a = rest.floor();
        if !(a.is_finite() && a < max as f64 + 1.0) {
            break;
        }
        let (h, k) = (a as u64 * h1 + h0, a as u64 * k1 + k0);
        if h > max || k > max {
            break;
        }
        best = (h, k);
        (h0, h1, k0, k1) = (h1, h, k1, k);
        let frac = rest - a;
        if frac < 1e-9 || ((h as f64 / k as f64) - x).abs() < 1e-12 {
            break;
        }
        rest = 1.0 / frac;
    }
    best
}

impl ApngEncoder {
    /// An APNG at `dest` of exactly `frames` frames of `width`×`height` at `fps`, played
    /// `loops` times (0 = forever), with an optional `Title` text chunk.
    pub fn create(
        dest: &Path,
        width: u32,
        height: u32,
        fps: f64,
        frames: usize,
        loops: u16,
        title: Option<&str>,
    ) -> Result<Self> {
        let count = u32::try_from(frames)
            .ok()
            .filter(|&n| n > 0)
            .ok_or_else(|| err(format!("cannot hold {frames} frames")))?;
        let mut file = PendingFile::create(dest)?;
        let out = file
            .take_writer()
            .ok_or_else(|| err("writer already taken"))?;
        let mut enc = png::Encoder::new(out, width, height);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        // Balanced compression keeps up with rendering and is about a third smaller than Fast.
        enc.set_compression(png::Compression::Balanced);
        enc.set_source_srgb(png::SrgbRenderingIntent::Perceptual);
        enc.set_animated(count, loops as u32).map_err(err)?;
        let (num, den) = apng_delay(fps);
        enc.set_frame_delay(num, den).map_err(err)?;
        enc.set_dispose_op(png::DisposeOp::None).map_err(err)?;
        enc.set_blend_op(png::BlendOp::Source).map_err(err)?;
        if let Some(t) = title.filter(|t| !t.is_empty()) {
            // tEXt is Latin-1; iTXt carries any title.
            enc.add_itxt_chunk("Title".into(), t.into()).map_err(err)?;
        }
        enc.add_text_chunk(
            "Software".into(),
            format!("flipbook {}", env!("CARGO_PKG_VERSION")),
        )
        .map_err(err)?;
        let writer = enc.write_header().map_err(|e| match e {
            png::EncodingError::IoError(io) => Error::io(dest, io),
            e => err(e),
        })?;
        Ok(ApngEncoder {
            file,
            writer: Some(writer),
            width: width as usize,
            height: height as usize,
            frames,
            written: 0,
            prev: Vec::new(),
            cur: Vec::new(),
            sub: Vec::new(),
        })
    }
}

impl FrameEncoder for ApngEncoder {
    fn push(&mut self, frame: &RgbaFrame) -> Result<()> {
        if self.written >= self.frames {
            return Err(err(format!(
                "more frames than the {} announced",
                self.frames
            )));
        }
        let (w, h) = (self.width, self.height);
        if frame.pixels.len() != w * h * 4 {
            return Err(err(format!(
                "frame {} is {}x{}, not {w}x{h}",
                frame.index, frame.width, frame.height
            )));
        }
        self.cur.clear();
        self.cur.extend(
            frame
                .pixels
                .chunks_exact(4)
                .flat_map(|p| [p[0], p[1], p[2]]),
        );
        let writer = self
            .writer
            .as_mut()
            .ok_or_else(|| err("already finished"))?;
        if self.written == 0 {
            writer.write_image_data(&self.cur).map_err(err)?;
        } else {
            // Nothing changed: a 1×1 frame repeating the top-left pixel keeps the frame count.
            let (x0, y0, x1, y1) =
                changed_box(&self.prev, &self.cur, w, h, 3).unwrap_or((0, 0, 1, 1));
            self.sub.clear();
            for y in y0..y1 {
                self.sub
                    .extend_from_slice(&self.cur[(y * w + x0) * 3..(y * w + x1) * 3]);
            }
            writer.reset_frame_position().map_err(err)?;
            writer
                .set_frame_dimension((x1 - x0) as u32, (y1 - y0) as u32)
                .map_err(err)?;
            writer
                .set_frame_position(x0 as u32, y0 as u32)
                .map_err(err)?;
            writer.write_image_data(&self.sub).map_err(err)?;
        }
        std::mem::swap(&mut self.prev, &mut self.cur);
        self.written += 1;
        Ok(())
    }

    fn finish(mut self: Box<Self>) -> Result<Vec<PathBuf>> {
        if self.written != self.frames {
            return Err(err(format!(
                "{} frames announced but {} written",
                self.frames, self.written
            )));
        }
        let writer = self.writer.take().ok_or_else(|| err("already finished"))?;
        writer.finish().map_err(|e| match e {
            png::EncodingError::IoError(io) => Error::io(self.file.dest(), io),
            e => err(e),
        })?;
        Ok(vec![self.file.commit()?])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_are_exact_fractions() {
        assert_eq!(apng_delay(24.0), (1, 24));
        assert_eq!(apng_delay(20.0), (1, 20));
        assert_eq!(apng_delay(29.97), (100, 2997));
        assert_eq!(apng_delay(0.5), (2, 1));
        assert_eq!(apng_delay(1e9), (1, 65535));
        let (n, d) = apng_delay(std::f64::consts::PI);
        assert!(
            (n as f64 / d as f64 - 1.0 / std::f64::consts::PI).abs() < 1e-7,
            "{n}/{d}"
        );
    }

    #[test]
    fn changed_box_is_tight() {
        let (w, h) = (6, 4);
        let prev = vec![9u8; w * h * 3];
        let mut cur = prev.clone();
        assert_eq!(changed_box(&prev, &cur, w, h, 3), None);
        cur[(w + 1) * 3 + 2] = 0; // (1, 1), blue channel
        cur[(3 * w + 4) * 3] = 0; // (4, 3), red channel
        assert_eq!(changed_box(&prev, &cur, w, h, 3), Some((1, 1, 5, 4)));
    }
}
