//! Animated GIF: one global palette from sample frames (see `palette.rs`); each frame after the
//! first stores only the bounding box of the pixels that changed, with unchanged pixels inside
//! it transparent, so still backgrounds cost almost nothing. Delays are in centiseconds and
//! accumulate without drift: frame i lasts `round((i+1)·100/fps) − round(i·100/fps)`.
//! Dithering is optional and off by default (see `palette.rs` for how it keeps flat areas flat).

use super::output::PendingFile;
use super::palette::{Dither, Palette, TRANSPARENT};
use super::{FrameEncoder, changed_box};
use crate::gpu::RgbaFrame;
use crate::{Error, Result};
use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};

/// Streams frames into a GIF file.
pub struct GifEncoder {
    file: PendingFile,
    gif: Option<gif::Encoder<BufWriter<File>>>,
    palette: Option<Palette>,
    width: u32,
    height: u32,
    fps: f64,
    loops: u16,
    dither: Dither,
    written: usize,
    prev: Vec<u8>,
    cur: Vec<u8>,
}

fn err(e: impl std::fmt::Display) -> Error {
    Error::Encode {
        format: "gif",
        reason: e.to_string(),
    }
}

/// Centiseconds that frame `i` is shown at `fps`, rounded so the total never drifts.
pub fn delay_cs(i: usize, fps: f64) -> u16 {
    let at = |k: usize| (k as f64 * 100.0 / fps).round() as i64;
    (at(i + 1) - at(i)).clamp(1, u16::MAX as i64) as u16
}

impl GifEncoder {
    /// A GIF at `dest`; `loops` is how many times it plays (0 = forever).
    pub fn create(dest: &Path, width: u32, height: u32, fps: f64, loops: u16) -> Result<Self> {
        if width > u16::MAX as u32 || height > u16::MAX as u32 {
            return Err(Error::Size {
                width,
                height,
                reason: "GIF sides are limited to 65535 px".into(),
            });
        }
        Ok(GifEncoder {
            file: PendingFile::create(dest)?,
            gif: None,
            palette: None,
            width,
            height,
            fps,
            loops,
            dither: Dither::None,
            written: 0,
            prev: Vec::new(),
            cur: Vec::new(),
        })
    }

    /// Dithers colours missing from the palette as `dither` says.
    pub fn with_dither(mut self, dither: Dither) -> Self {
        self.dither = dither;
        self
    }

    fn start(&mut self) -> Result<()> {
        let palette = self.palette.as_ref().ok_or_else(|| err("no palette"))?;
        let w = self
            .file
            .take_writer()
            .ok_or_else(|| err("writer already taken"))?;
        let mut g = gif::Encoder::new(
            w,
            self.width as u16,
            self.height as u16,
            &palette.gif_table(),
        )
        .map_err(err)?;
        match self.loops {
            0 => g.set_repeat(gif::Repeat::Infinite).map_err(err)?,
            1 => {} // No NETSCAPE block: play once.
            n => g.set_repeat(gif::Repeat::Finite(n - 1)).map_err(err)?,
        }
        self.gif = Some(g);
        Ok(())
    }
}

impl FrameEncoder for GifEncoder {
    fn samples_wanted(&self) -> usize {
        8
    }

    fn set_samples(&mut self, samples: &[RgbaFrame]) -> Result<()> {
        let views: Vec<&[u8]> = samples.iter().map(|f| f.pixels.as_slice()).collect();
        self.palette = Some(Palette::from_frames(&views));
        Ok(())
    }

    fn push(&mut self, frame: &RgbaFrame) -> Result<()> {
        if self.palette.is_none() {
            self.set_samples(std::slice::from_ref(frame))?;
        }
        if self.gif.is_none() {
            self.start()?;
        }
        let (w, h) = (self.width as usize, self.height as usize);
        if let Some(p) = self.palette.as_mut() {
            p.index_frame_dithered(&frame.pixels, w, self.dither, &mut self.cur);
        }
        let delay = delay_cs(self.written, self.fps);
        let mut out = gif::Frame {
            delay,
            dispose: gif::DisposalMethod::Keep,
            ..Default::default()
        };
        if self.written == 0 {
            out.width = w as u16;
            out.height = h as u16;
            out.buffer = std::borrow::Cow::Borrowed(&self.cur);
        } else {
            out.transparent = Some(TRANSPARENT);
            match changed_box(&self.prev, &self.cur, w, h, 1) {
                None => {
                    out.width = 1;
                    out.height = 1;
                    out.buffer = std::borrow::Cow::Owned(vec![TRANSPARENT]);
                }
                Some((x0, y0, x1, y1)) => {
                    let mut buf = Vec::with_capacity((x1 - x0) * (y1 - y0));
                    for y in y0..y1 {
                        let span = y * w + x0..y * w + x1;
                        let (cur, prev) = (&self.cur[span.clone()], &self.prev[span]);
                        buf.extend(
                            cur.iter()
                                .zip(prev)
                                .map(|(&c, &p)| if c == p { TRANSPARENT } else { c }),
                        );
                    }
                    out.left = x0 as u16;
                    out.top = y0 as u16;
                    out.width = (x1 - x0) as u16;
                    out.height = (y1 - y0) as u16;
                    out.buffer = std::borrow::Cow::Owned(buf);
                }
            }
        }
        self.gif
            .as_mut()
            .ok_or_else(|| err("not started"))?
            .write_frame(&out)
            .map_err(err)?;
        drop(out);
        std::mem::swap(&mut self.prev, &mut self.cur);
        self.written += 1;
        Ok(())
    }

    fn finish(mut self: Box<Self>) -> Result<Vec<PathBuf>> {
        let g = self
            .gif
            .take()
            .ok_or_else(|| err("no frames were written"))?;
        let w = g.into_inner().map_err(err)?;
        Ok(vec![self.file.commit_writer(w)?])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_do_not_drift() {
        for fps in [10.0, 24.0, 25.0, 30.0, 29.97, 60.0] {
            let total: u32 = (0..300).map(|i| delay_cs(i, fps) as u32).sum();
            let exact = 300.0 * 100.0 / fps;
            assert!(
                (total as f64 - exact).abs() <= 0.5,
                "fps {fps}: {total} cs vs {exact}"
            );
        }
        assert_eq!(delay_cs(0, 20.0), 5);
        let thirty: Vec<u16> = (0..3).map(|i| delay_cs(i, 30.0)).collect();
        assert_eq!(thirty, vec![3, 4, 3]);
    }

    #[test]
    fn changed_box_is_tight() {
        let (w, h) = (7, 5);
        let prev = vec![0u8; w * h];
        let mut cur = prev.clone();
        assert_eq!(changed_box(&prev, &cur, w, h, 1), None);
        cur[w + 2] = 1;
        cur[3 * w + 5] = 2;
        assert_eq!(changed_box(&prev, &cur, w, h, 1), Some((2, 1, 6, 4)));
    }
}
