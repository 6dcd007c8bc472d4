//! Headless export. Every format is a [`FrameEncoder`]: `push(frame)` per frame, then
//! `finish()`, which moves the finished output into place (see `output.rs`). GIF, APNG, PNG
//! frames and the HTML player (PNG frames) are written in process; MP4, WebM and the HTML
//! player's embedded video stream raw frames into an `ffmpeg` child process (`ffmpeg.rs`).
//!
//! [`export`] runs a two-stage pipeline: this thread asks the generator for frame i, renders it
//! and queues its readback on the canvas's ring while an encoder thread encodes frame i−2. A
//! bounded channel between them keeps memory flat whatever the frame count.

mod apng;
mod ffmpeg;
mod gif;
mod html;
mod output;
mod palette;
mod png_frames;

pub use self::gif::{GifEncoder, delay_cs};
pub use apng::{ApngEncoder, apng_delay};
pub use ffmpeg::{FfmpegEncoder, VideoCodec, VideoSettings, find_ffmpeg};
pub use html::{HTML_LARGE_BYTES, HtmlEmbed, HtmlEncoder};
pub use output::{PendingFile, check_destination};
pub use palette::{Dither, Palette};
pub use png_frames::{FramePattern, PngFramesEncoder, save_png, write_png_rgb};

use crate::generators::FrameGenerator;
use crate::gpu::{CANVAS_FORMAT, Canvas, FigureRenderer, GpuContext, RgbaFrame};
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
    /// Animated PNG: lossless, full colour.
    Apng,
    /// H.264 video in MP4 (through ffmpeg).
    Mp4,
    /// VP9 video in WebM (through ffmpeg).
    Webm,
    /// A self-contained HTML page with the frames and a player.
    Html,
}

impl Format {
    /// Every format with its name, as accepted by [`Format::from_name`].
    pub const ALL: [(Format, &'static str); 6] = [
        (Format::Gif, "gif"),
        (Format::Png, "png"),
        (Format::Apng, "apng"),
        (Format::Mp4, "mp4"),
        (Format::Webm, "webm"),
        (Format::Html, "html"),
    ];

    /// The format's name (its usual file extension).
    pub fn name(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(f, _)| *f == self)
            .map_or("?", |(_, n)| n)
    }

    /// Whether writing this format with `options` runs ffmpeg.
    pub fn needs_ffmpeg(self, options: &ExportOptions) -> bool {
        match self {
            Format::Mp4 | Format::Webm => true,
            Format::Html => options.html_mode() == HtmlEmbed::Video,
            Format::Gif | Format::Png | Format::Apng => false,
        }
    }

    /// The format called `name` (a file extension, case-insensitive; `htm` is `html`).
    pub fn from_name(name: &str) -> Result<Self> {
        if name.eq_ignore_ascii_case("htm") {
            return Ok(Format::Html);
        }
        Self::ALL
            .iter()
            .find(|(_, n)| n.eq_ignore_ascii_case(name))
            .map(|(f, _)| *f)
            .ok_or_else(|| Error::Option {
                option: "format".into(),
                value: name.into(),
                reason: format!("supported: {}", Self::names()),
            })
    }

    /// The format implied by `path`'s extension.
    pub fn from_path(path: &Path) -> Result<Self> {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .ok_or_else(|| Error::Output {
                path: path.into(),
                reason: format!(
                    "has no file extension to tell the format ({})",
                    Self::names()
                ),
            })?;
        Self::from_name(ext).map_err(|_| Error::Output {
            path: path.into(),
            reason: format!("unknown extension '.{ext}' (supported: {})", Self::names()),
        })
    }

    fn names() -> String {
        Self::ALL
            .iter()
            .map(|(_, n)| format!(".{n}"))
            .collect::<Vec<_>>()
            .join(", ")
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
    /// Constant-quality factor for MP4/WebM (lower is better; H.264 0–51, VP9 0–63); `None`
    /// takes the encoder's default (see [`VideoSettings`]).
    pub crf: Option<u32>,
    /// Target video bit rate in bits per second, instead of constant quality.
    pub bitrate: Option<u64>,
    /// Title stored in the video's metadata and shown by the HTML player.
    pub title: Option<String>,
    /// GIF dithering (off by default: flat charts stay flat).
    pub dither: Dither,
    /// What the HTML player embeds.
    pub html_embed: HtmlEmbed,
}

impl ExportOptions {
    /// Defaults: 640×480, loop forever, whole timeline, format from the extension, the
    /// encoders' default quality, no title, no dithering, HTML embedding chosen automatically.
    pub fn new(output: impl Into<PathBuf>) -> Self {
        ExportOptions {
            output: output.into(),
            format: None,
            width: 640,
            height: 480,
            loops: 0,
            range: None,
            crf: None,
            bitrate: None,
            title: None,
            dither: Dither::None,
            html_embed: HtmlEmbed::default(),
        }
    }

    /// What an HTML page will embed: [`HtmlEmbed::Auto`] resolved (see [`HtmlEmbed::resolve`]).
    pub fn html_mode(&self) -> HtmlEmbed {
        self.html_embed
            .resolve(self.crf.is_some() || self.bitrate.is_some())
    }

    /// The ffmpeg settings these options ask for.
    pub fn video_settings(&self, codec: VideoCodec) -> VideoSettings {
        VideoSettings {
            crf: self.crf,
            bitrate: self.bitrate,
            title: self.title.clone(),
            ..VideoSettings::new(codec)
        }
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
    /// Things the user should know about the output (an odd size padded for H.264, a large
    /// HTML file), one sentence each.
    pub notes: Vec<String>,
}

/// Checks, before anything is rendered, that `format` can be written as `options` say: the
/// destination's directory exists, ffmpeg is installed if needed, and the quality options fit
/// the format.
pub fn check_requirements(format: Format, options: &ExportOptions) -> Result<()> {
    let video = matches!(format, Format::Mp4 | Format::Webm)
        || (format == Format::Html && options.html_mode() == HtmlEmbed::Video);
    let opt = |option: &str, value: String, reason: &str| Error::Option {
        option: option.into(),
        value,
        reason: reason.into(),
    };
    const VIDEO_ONLY: &str = "only .mp4, .webm and .html with --html-embed video use it";
    if let Some(crf) = options.crf {
        if !video {
            return Err(opt("--crf", crf.to_string(), VIDEO_ONLY));
        }
        let max = if format == Format::Webm { 63 } else { 51 };
        if crf > max {
            return Err(opt(
                "--crf",
                crf.to_string(),
                &format!(
                    "must be 0 (best) to {max} (smallest) for .{}",
                    format.name()
                ),
            ));
        }
    }
    if let Some(rate) = options.bitrate {
        if options.crf.is_some() {
            return Err(opt(
                "--bitrate",
                rate.to_string(),
                "give either --crf or --bitrate, not both",
            ));
        }
        if !video {
            return Err(opt("--bitrate", rate.to_string(), VIDEO_ONLY));
        }
        if rate < 1000 {
            return Err(opt(
                "--bitrate",
                rate.to_string(),
                "must be at least 1k (bits per second)",
            ));
        }
    }
    if options.dither != Dither::None && format != Format::Gif {
        return Err(opt(
            "--dither",
            options.dither.name().into(),
            "only .gif output is dithered",
        ));
    }
    if format != Format::Png {
        check_destination(&options.output)?;
    }
    if format.needs_ffmpeg(options) && find_ffmpeg().is_none() {
        return Err(Error::MissingTool {
            tool: "ffmpeg",
            package: "ffmpeg",
            what: options.output.display().to_string(),
        });
    }
    Ok(())
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
    let (path, width, height) = (options.output.as_path(), options.width, options.height);
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

/// The smallest box `(x0, y0, x1, y1)` (exclusive ends) holding every pixel that differs
/// between two `w`×`h` frames of `bytes_per_pixel` bytes each (palette indices, RGB), or `None`
/// when they are equal. GIF and APNG store only this box of each frame after the first.
pub(crate) fn changed_box<'a>(
    prev: &'a [u8],
    cur: &'a [u8],
    w: usize,
    h: usize,
    bytes_per_pixel: usize,
) -> Option<(usize, usize, usize, usize)> {
    let stride = w * bytes_per_pixel;
    let row = |b: &'a [u8], y: usize| &b[y * stride..(y + 1) * stride];
    let rows_differ = |y: usize| row(prev, y) != row(cur, y);
    let y0 = (0..h).find(|&y| rows_differ(y))?;
    let y1 = (y0..h).rev().find(|&y| rows_differ(y))? + 1;
    let (mut x0, mut x1) = (w, 0);
    for y in y0..y1 {
        let (p, c) = (row(prev, y), row(cur, y));
        let left = x0 * bytes_per_pixel;
        if let Some(first) = first_difference(&p[..left], &c[..left]) {
            x0 = first / bytes_per_pixel;
        }
        let right = x1 * bytes_per_pixel;
        if let Some(last) = last_difference(&p[right..], &c[right..]) {
            x1 = (right + last) / bytes_per_pixel + 1;
        }
    }
    Some((x0, y0, x1.max(x0 + 1), y1))
}

/// Bytes compared at once by [`first_difference`] and [`last_difference`]: a fixed-size array
/// comparison compiles to a few vector instructions, where a per-byte (or per-pixel slice)
/// comparison costs a call each.
const CHUNK: usize = 32;

fn same_chunk(x: &[u8], y: &[u8]) -> bool {
    match (<&[u8; CHUNK]>::try_from(x), <&[u8; CHUNK]>::try_from(y)) {
        (Ok(x), Ok(y)) => x == y,
        _ => x == y,
    }
}

/// The index of the first byte where `a` and `b` (of equal length) differ.
fn first_difference(a: &[u8], b: &[u8]) -> Option<usize> {
    let (ca, cb) = (a.chunks_exact(CHUNK), b.chunks_exact(CHUNK));
    let tail = ca.remainder().len();
    let chunk = ca.zip(cb).position(|(x, y)| !same_chunk(x, y));
    let from = chunk.map_or(a.len() - tail, |k| k * CHUNK);
    (from..a.len()).find(|&i| a[i] != b[i])
}

/// The index of the last byte where `a` and `b` (of equal length) differ.
fn last_difference(a: &[u8], b: &[u8]) -> Option<usize> {
    let (ca, cb) = (a.rchunks_exact(CHUNK), b.rchunks_exact(CHUNK));
    let head = ca.remainder().len();
    let chunk = ca.zip(cb).position(|(x, y)| !same_chunk(x, y));
    let to = chunk.map_or(head, |k| a.len() - k * CHUNK);
    (0..to).rev().find(|&i| a[i] != b[i])
}

/// Checks a frame range against a timeline of `count` frames. Ranges are half-open: `--start`
/// is the first frame exported, `--end` the first one that is not.
pub fn check_range(range: &Range<usize>, count: usize) -> Result<()> {
    if range.start >= range.end || range.end > count {
        let why = if range.end > count {
            format!("the timeline has frames 0..{count} (--end is exclusive, at most {count})")
        } else if range.start >= count {
            format!("the timeline has frames 0..{count}, so --start must be below {count}")
        } else {
            format!(
                "it holds no frames: --end is exclusive and must be greater than --start (the timeline has frames 0..{count})"
            )
        };
        return Err(Error::Option {
            option: "frame range --start..--end".into(),
            value: format!("{}..{}", range.start, range.end),
            reason: why,
        });
    }
    Ok(())
}

/// What the user should be told about an export of `frames` frames in `format`, beyond the
/// file name and size: H.264's even-size padding and the size of a large HTML page.
fn notes_for(format: Format, options: &ExportOptions, bytes: u64) -> Vec<String> {
    let mut notes = Vec::new();
    let (w, h) = (options.width, options.height);
    let padded = format == Format::Mp4
        || (format == Format::Html && options.html_mode() == HtmlEmbed::Video);
    if padded && (w % 2 == 1 || h % 2 == 1) {
        notes.push(format!(
            "note: H.264 (yuv420p) needs even sides: {w}x{h} was padded to {}x{} by repeating the last column/row",
            w + w % 2,
            h + h % 2
        ));
    }
    if format == Format::Html && options.html_embed == HtmlEmbed::Auto {
        let path = options.output.display();
        notes.push(match options.html_mode() {
            HtmlEmbed::Video => format!(
                "note: {path} embeds an H.264 video (small, lossy); --html-embed webp stores every frame losslessly"
            ),
            _ => format!(
                "note: ffmpeg was not found, so {path} holds lossless WebP frames; with ffmpeg it would embed a much smaller H.264 video"
            ),
        });
    }
    if format == Format::Html && bytes > HTML_LARGE_BYTES {
        let mb = bytes as f64 / 1_048_576.0;
        let hint = if options.html_mode() == HtmlEmbed::Video {
            "a smaller --size, a higher --crf or a shorter --start/--end range"
        } else {
            "--html-embed video (needs ffmpeg), a smaller --size or a shorter --start/--end range"
        };
        let slow = if mb > 50.0 {
            "some browsers may refuse or take long to open it"
        } else {
            "browsers may be slow to open it"
        };
        notes.push(format!(
            "warning: {} is {mb:.1} MB (all frames kept); {slow}; {hint} would make it smaller",
            options.output.display()
        ));
    }
    notes
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
    let mut reports = export_many(
        ctx,
        generator,
        std::slice::from_ref(options),
        progress,
        cancel,
    )?;
    reports.pop().ok_or_else(|| Error::Encode {
        format: "export",
        reason: "no output".into(),
    })
}

/// Like [`export`], but renders each frame once and hands it to several outputs (a GIF and an
/// MP4 of the same frames, say). Every output must have the same size and frame range.
pub fn export_many(
    ctx: &GpuContext,
    generator: &dyn FrameGenerator,
    outputs: &[ExportOptions],
    progress: &mut dyn FnMut(usize, usize),
    cancel: Option<&AtomicBool>,
) -> Result<Vec<ExportReport>> {
    let start = Instant::now();
    let first = outputs.first().ok_or_else(|| Error::Encode {
        format: "export",
        reason: "no output given".into(),
    })?;
    if let Some(o) = outputs
        .iter()
        .find(|o| (o.width, o.height, &o.range) != (first.width, first.height, &first.range))
    {
        return Err(Error::Output {
            path: o.output.clone(),
            reason: "outputs exported together need the same size and frame range".into(),
        });
    }
    let formats = outputs
        .iter()
        .map(|o| match o.format {
            Some(f) => Ok(f),
            None => Format::from_path(&o.output),
        })
        .collect::<Result<Vec<Format>>>()?;
    let range = first.range.clone().unwrap_or(0..generator.frame_count());
    check_range(&range, generator.frame_count())?;
    let (w, h) = (first.width, first.height);
    let mut canvas = Canvas::new(ctx, w, h)?;
    let mut encoders = formats
        .iter()
        .zip(outputs)
        .map(|(f, o)| create_encoder(*f, o, generator.fps(), range.len()))
        .collect::<Result<Vec<Box<dyn FrameEncoder>>>>()?;
    // Frames go to the encoders in their mapped readback buffers, uncopied (samples kept for
    // later are copied out).
    canvas.lend_readback(true);
    let mut renderer = FigureRenderer::new(&ctx.device, CANVAS_FORMAT);

    let wanted = encoders
        .iter()
        .map(|e| e.samples_wanted())
        .max()
        .unwrap_or(0)
        .min(range.len());
    // Sample frames are rendered through the readback ring, then kept and handed to the
    // encoders again at their turn rather than rendered twice.
    let mut rendered: std::collections::BTreeMap<usize, RgbaFrame> = Default::default();
    if wanted > 0 {
        let mut samples = Vec::with_capacity(wanted);
        for k in 0..wanted {
            let i = range.start + k * (range.len() - 1) / (wanted - 1).max(1);
            let done = canvas.submit(ctx, &mut renderer, &generator.frame(i), i)?;
            samples.extend(done.map(RgbaFrame::into_owned));
        }
        samples.extend(canvas.flush(ctx)?.into_iter().map(RgbaFrame::into_owned));
        for e in encoders.iter_mut().filter(|e| e.samples_wanted() > 0) {
            e.set_samples(&samples)?;
        }
        rendered.extend(samples.into_iter().map(|f| (f.index, f)));
    }

    let total = range.len();
    let cancelled = || cancel.is_some_and(|c| c.load(Ordering::Relaxed));
    let encoders = std::thread::scope(|s| -> Result<Vec<Box<dyn FrameEncoder>>> {
        let (tx, rx) = std::sync::mpsc::sync_channel::<RgbaFrame>(2);
        let worker = s.spawn(move || -> Result<Vec<Box<dyn FrameEncoder>>> {
            for frame in rx {
                for e in encoders.iter_mut() {
                    e.push(&frame)?;
                }
            }
            Ok(encoders)
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
                if let Some(frame) = rendered.remove(&i) {
                    // In order: the frames still in flight come first.
                    for done in canvas.flush(ctx)?.into_iter().chain([frame]) {
                        if !send(done) {
                            return Ok(());
                        }
                    }
                    continue;
                }
                let figure = generator.frame(i);
                if let Some(done) = canvas.submit(ctx, &mut renderer, &figure, i)?
                    && !send(done)
                {
                    return Ok(()); // The encoder failed; its error is reported below.
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
        let encoded = worker.join().map_err(|_| Error::Encode {
            format: "export",
            reason: "encoder thread panicked".into(),
        })?;
        produced?;
        encoded
    })?;
    if cancelled() {
        return Err(Error::Cancelled);
    }
    let mut reports = Vec::with_capacity(encoders.len());
    for ((encoder, format), options) in encoders.into_iter().zip(formats).zip(outputs) {
        let files = encoder.finish()?;
        let bytes = files
            .iter()
            .filter_map(|f| std::fs::metadata(f).ok())
            .map(|m| m.len())
            .sum();
        let notes = notes_for(format, options, bytes);
        reports.push(ExportReport {
            files,
            frames: total,
            bytes,
            elapsed: start.elapsed(),
            notes,
        });
    }
    Ok(reports)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `changed_box` agrees with a pixel-by-pixel scan for widths around the chunk size,
    /// one- and four-byte pixels, and changes at the rows' ends.
    #[test]
    fn changed_box_matches_a_plain_scan() {
        fn plain(p: &[u8], c: &[u8], w: usize, h: usize, bpp: usize) -> Option<[usize; 4]> {
            let differs = |x: usize, y: usize| {
                let i = (y * w + x) * bpp;
                p[i..i + bpp] != c[i..i + bpp]
            };
            let all: Vec<(usize, usize)> = (0..h)
                .flat_map(|y| (0..w).map(move |x| (x, y)))
                .filter(|&(x, y)| differs(x, y))
                .collect();
            let xs = all.iter().map(|a| a.0);
            let ys = all.iter().map(|a| a.1);
            Some([
                xs.clone().min()?,
                ys.clone().min()?,
                xs.max()? + 1,
                ys.max()? + 1,
            ])
        }
        let mut seed = 7u64;
        let mut next = |n: usize| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as usize % n
        };
        for bpp in [1, 4] {
            for w in [1, 2, 31, 32, 33, 64, 65, 100] {
                let h = 6;
                let prev: Vec<u8> = (0..w * h * bpp).map(|i| (i % 251) as u8).collect();
                for changes in 0..4 {
                    let mut cur = prev.clone();
                    for _ in 0..changes {
                        let x = [0, w - 1, next(w)][next(3)];
                        let i = (next(h) * w + x) * bpp + next(bpp);
                        cur[i] ^= 0x55;
                    }
                    let got = changed_box(&prev, &cur, w, h, bpp).map(|b| [b.0, b.1, b.2, b.3]);
                    assert_eq!(got, plain(&prev, &cur, w, h, bpp), "w {w} bpp {bpp}");
                }
            }
        }
    }

    #[test]
    fn names_and_requirements() {
        assert_eq!(Format::from_name("WEBM").unwrap(), Format::Webm);
        assert_eq!(
            Format::from_path(Path::new("a/b.htm")).unwrap(),
            Format::Html
        );
        assert_eq!(
            Format::from_path(Path::new("b.apng")).unwrap().name(),
            "apng"
        );
        let err = |f: Format, o: &ExportOptions| check_requirements(f, o).unwrap_err().to_string();
        let dir = std::env::temp_dir();
        let mut o = ExportOptions::new(dir.join("x.gif"));
        o.crf = Some(20);
        assert!(err(Format::Gif, &o).contains("--crf"));
        o.html_embed = HtmlEmbed::Webp;
        assert!(err(Format::Html, &o).contains("--html-embed video"));
        o.html_embed = HtmlEmbed::Auto;
        assert_eq!(o.html_mode(), HtmlEmbed::Video, "a --crf asks for a video");
        o.crf = Some(52);
        assert!(check_requirements(Format::Webm, &o).is_ok() || find_ffmpeg().is_none());
        assert!(err(Format::Mp4, &o).contains("0 (best) to 51"));
        o.crf = None;
        o.dither = Dither::Ordered;
        assert!(err(Format::Apng, &o).contains("--dither"));
        assert!(check_requirements(Format::Gif, &o).is_ok());
    }

    #[test]
    fn notes_tell_about_padding_auto_embedding_and_large_pages() {
        let mut o = ExportOptions::new("big.html");
        (o.width, o.height) = (161, 97);
        let auto = notes_for(Format::Html, &o, 1 << 20);
        let chosen = if find_ffmpeg().is_some() {
            "embeds an H.264 video"
        } else {
            "ffmpeg was not found"
        };
        assert!(
            auto.iter()
                .any(|n| n.contains(chosen) && n.contains("big.html")),
            "{auto:?}"
        );
        o.html_embed = HtmlEmbed::Webp;
        assert!(
            notes_for(Format::Html, &o, 1 << 20).is_empty(),
            "lossless frames are not padded"
        );
        let big = notes_for(Format::Html, &o, 30 << 20);
        assert!(
            big.len() == 1 && big[0].contains("30.0 MB (all frames kept)"),
            "{big:?}"
        );
        assert!(
            big[0].starts_with("warning: ") && big[0].contains("--html-embed video"),
            "{big:?}"
        );
        assert!(notes_for(Format::Html, &o, 60 << 20)[0].contains("may refuse"));
        o.html_embed = HtmlEmbed::Video;
        assert!(
            notes_for(Format::Html, &o, 1 << 20)[0]
                .contains("note: H.264 (yuv420p) needs even sides")
        );
        assert!(notes_for(Format::Mp4, &o, 1 << 20)[0].contains("161x97 was padded to 162x98"));
        assert!(
            notes_for(Format::Webm, &o, 1 << 20).is_empty(),
            "VP9 takes odd sizes"
        );
    }
}
