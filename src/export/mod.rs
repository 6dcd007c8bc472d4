//! Headless export. Every format is a [`FrameEncoder`]: `push(frame)` per frame, then
//! `finish()`, which moves the finished output into place (see `output.rs`). GIF, APNG, PNG
//! frames and the HTML player (PNG frames) are written in process; MP4, WebM and the HTML
//! player's embedded video stream raw frames into an `ffmpeg` child process (`ffmpeg.rs`).
//!
//! - `options.rs`: what to export (format, size, range, quality) and the checks made before
//!   anything is rendered;
//! - `pipeline.rs`: [`export`] and friends, the render → readback → encode pipeline;
//! - `diff.rs`: which part of a frame changed, for the formats that store only that.

mod apng;
mod diff;
mod ffmpeg;
mod gif;
mod html;
mod options;
mod output;
mod palette;
mod pipeline;
mod png_frames;

pub use self::gif::{GifEncoder, delay_cs};
pub use apng::{ApngEncoder, apng_delay};
pub(crate) use diff::changed_box;
pub use ffmpeg::{FfmpegEncoder, VideoCodec, VideoSettings, find_ffmpeg};
pub use html::{HTML_LARGE_BYTES, HtmlEmbed, HtmlEncoder};
pub use options::{
    ExportOptions, ExportReport, Format, check_range, check_requirements, pixel_size,
};
pub use output::{PendingFile, check_destination};
pub use palette::{Dither, Palette};
pub use pipeline::{export, export_many, export_with};
pub use png_frames::{FramePattern, PngFramesEncoder, save_png, write_png_rgb};

use crate::Result;
use crate::gpu::RgbaFrame;
use std::path::PathBuf;

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

/// Creates the encoder for `format` writing `frames` frames at `fps` as `options` say,
/// checking the destination and the tools it needs before any frame is rendered.
pub fn create_encoder(
    format: Format,
    options: &ExportOptions,
    fps: f64,
    frames: usize,
) -> Result<Box<dyn FrameEncoder>> {
    check_requirements(format, options)?;
    let (width, height) = options.pixel_size()?;
    let path = options.output.as_path();
    Ok(match format {
        Format::Gif => Box::new(
            GifEncoder::create(path, width, height, fps, options.loops)?
                .with_dither(options.dither),
        ),
        Format::Png => Box::new(PngFramesEncoder::create(path, frames)?),
        Format::Apng => Box::new(ApngEncoder::create(
            path,
            width,
            height,
            fps,
            frames,
            options.loops,
            options.title.as_deref(),
        )?),
        Format::Mp4 => Box::new(FfmpegEncoder::create(
            path,
            width,
            height,
            fps,
            options.video_settings(VideoCodec::H264),
        )?),
        Format::Webm => Box::new(FfmpegEncoder::create(
            path,
            width,
            height,
            fps,
            options.video_settings(VideoCodec::Vp9),
        )?),
        Format::Html => Box::new(HtmlEncoder::create(
            path, width, height, fps, frames, options,
        )?),
    })
}
