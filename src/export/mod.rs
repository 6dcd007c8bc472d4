//! Headless export. Every format is a [`FrameEncoder`]: `push(frame)` per frame, then
//! `finish()`, which moves the finished output into place (see `output.rs`).
//!
//! [`export`] runs a two-stage pipeline: this thread asks the generator for frame i, renders it
//! and queues its readback on the canvas's ring while an encoder thread encodes frame i−2. A
//! bounded channel between them keeps memory flat whatever the frame count.

mod gif;
mod output;
mod palette;
mod png_frames;

pub use self::gif::{GifEncoder, delay_cs};
pub use output::{PendingFile, check_destination};
pub use palette::Palette;
pub use png_frames::{FramePattern, PngFramesEncoder, write_png_rgb};

use crate::generators::FrameGenerator;
use crate::gpu::{Canvas, FigureRenderer, GpuContext, RgbaFrame, CANVAS_FORMAT};
use crate::{Error, Result};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// An output format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Animated GIF.
    Gif,
    /// Numbered PNG frames.
    Png,
}

impl Format {
    /// Every format with its name, as accepted by [`Format::from_name`].
    pub const ALL: [(Format, &'static str); 2] = [(Format::Gif, "gif"), (Format::Png, "png")];

    /// The format called `name` (a file extension, case-insensitive).
    pub fn from_name(name: &str) -> Result<Self> {
        Self::ALL.iter().find(|(_, n)| n.eq_ignore_ascii_case(name)).map(|(f, _)| *f).ok_or_else(|| {
            Error::Option { option: "format".into(), value: name.into(), reason: format!("supported: {}", Self::names()) }
        })
    }

    /// The format implied by `path`'s extension.
    pub fn from_path(path: &Path) -> Result<Self> {
        let ext = path.extension().and_then(|e| e.to_str()).ok_or_else(|| Error::Output {
            path: path.into(),
            reason: format!("has no file extension to tell the format ({})", Self::names()),
        })?;
        Self::from_name(ext).map_err(|_| Error::Output {
            path: path.into(),
            reason: format!("unknown extension '.{ext}' (supported: {})", Self::names()),
        })
    }

    fn names() -> String {
        Self::ALL.iter().map(|(_, n)| format!(".{n}")).collect::<Vec<_>>().join(", ")
    }
}

/// Consumes rendered frames and writes one output.
pub trait FrameEncoder: Send {
    /// How many frames spread over the timeline the encoder wants to see before the first
    /// `push` (the GIF palette is chosen from them); 0 for none.
    fn samples_wanted(&self) -> usize {
        0
    }
    /// Receives the sample frames asked for by [`FrameEncoder::samples_wanted`].
    fn set_samples(&mut self, _samples: &[RgbaFrame]) -> Result<()> {
        Ok(())
    }
    /// Encodes one frame. Frames arrive in timeline order.
    fn push(&mut self, frame: &RgbaFrame) -> Result<()>;
    /// Completes the output and moves it into place; returns the files written. Dropping an
    /// encoder without calling this removes everything it wrote.
    fn finish(self: Box<Self>) -> Result<Vec<PathBuf>>;
}

/// What to export and how.
#[derive(Clone, Debug)]
pub struct ExportOptions {
    /// Destination file (or frame pattern for PNG frames).
    pub output: PathBuf,
    /// Format; `None` takes it from the extension.
    pub format: Option<Format>,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Times a GIF plays: 0 = forever.
    pub loops: u16,
    /// Frames to export; `None` = the whole timeline.
    pub range: Option<Range<usize>>,
}

impl ExportOptions {
    /// Defaults: 640×480, loop forever, whole timeline, format from the extension.
    pub fn new(output: impl Into<PathBuf>) -> Self {
        ExportOptions { output: output.into(), format: None, width: 640, height: 480, loops: 0, range: None }
    }
}

/// What an export wrote.
#[derive(Clone, Debug)]
pub struct ExportReport {
    /// Files written.
    pub files: Vec<PathBuf>,
    /// Frames encoded.
    pub frames: usize,
    /// Total bytes written.
    pub bytes: u64,
    /// Wall time of the whole export.
    pub elapsed: Duration,
}

/// Creates the encoder for `format`, checking the destination before any frame is rendered.
pub fn create_encoder(format: Format, path: &Path, width: u32, height: u32, fps: f64, frames: usize, loops: u16) -> Result<Box<dyn FrameEncoder>> {
    Ok(match format {
        Format::Gif => Box::new(GifEncoder::create(path, width, height, fps, loops)?),
        Format::Png => Box::new(PngFramesEncoder::create(path, frames)?),
    })
}

/// Checks a frame range against a timeline of `count` frames.
pub fn check_range(range: &Range<usize>, count: usize) -> Result<()> {
    if range.start >= range.end || range.end > count {
        return Err(Error::Option {
            option: "frame range".into(),
            value: format!("{}..{}", range.start, range.end),
            reason: format!("the timeline has frames 0..{count}"),
        });
    }
    Ok(())
}

/// Renders `generator`'s frames and writes them as `options` says. `progress(done, total)` is
/// called after each frame is handed to the encoder; setting `cancel` stops the export and
/// removes its partial output.
pub fn export(
    ctx: &GpuContext,
    generator: &dyn FrameGenerator,
    options: &ExportOptions,
    progress: &mut dyn FnMut(usize, usize),
    cancel: Option<&AtomicBool>,
) -> Result<ExportReport> {
    let start = Instant::now();
    let format = match options.format {
        Some(f) => f,
        None => Format::from_path(&options.output)?,
    };
    let range = options.range.clone().unwrap_or(0..generator.frame_count());
    check_range(&range, generator.frame_count())?;
    let (w, h) = (options.width, options.height);
    let mut canvas = Canvas::new(ctx, w, h)?;
    let mut encoder = create_encoder(format, &options.output, w, h, generator.fps(), range.len(), options.loops)?;
    let mut renderer = FigureRenderer::new(&ctx.device, CANVAS_FORMAT);

    let wanted = encoder.samples_wanted().min(range.len());
    if wanted > 0 {
        let mut samples = Vec::with_capacity(wanted);
        for k in 0..wanted {
            let i = range.start + k * (range.len() - 1) / (wanted - 1).max(1);
            samples.push(canvas.render(ctx, &mut renderer, &generator.frame(i), i)?);
        }
        encoder.set_samples(&samples)?;
    }

    let total = range.len();
    let cancelled = || cancel.is_some_and(|c| c.load(Ordering::Relaxed));
    let encoder = std::thread::scope(|s| -> Result<Box<dyn FrameEncoder>> {
        let (tx, rx) = std::sync::mpsc::sync_channel::<RgbaFrame>(2);
        let worker = s.spawn(move || -> Result<Box<dyn FrameEncoder>> {
            for frame in rx {
                encoder.push(&frame)?;
            }
            Ok(encoder)
        });
        let mut sent = 0;
        let produced = (|| -> Result<()> {
            let mut send = |f: RgbaFrame| -> bool {
                sent += 1;
                let ok = tx.send(f).is_ok();
                progress(sent, total);
                ok
            };
            for i in range.clone() {
                if cancelled() {
                    return Err(Error::Cancelled);
                }
                let figure = generator.frame(i);
                if let Some(done) = canvas.submit(ctx, &mut renderer, &figure, i)? {
                    if !send(done) {
                        return Ok(()); // The encoder failed; its error is reported below.
                    }
                }
            }
            for done in canvas.flush(ctx)? {
                if !send(done) {
                    break;
                }
            }
            Ok(())
        })();
        drop(tx);
        let encoded = worker.join().map_err(|_| Error::Encode { format: "export", reason: "encoder thread panicked".into() })?;
        produced?;
        encoded
    })?;
    if cancelled() {
        return Err(Error::Cancelled);
    }
    let files = encoder.finish()?;
    let bytes = files.iter().filter_map(|f| std::fs::metadata(f).ok()).map(|m| m.len()).sum();
    Ok(ExportReport { files, frames: total, bytes, elapsed: start.elapsed() })
}
