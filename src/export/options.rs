//! What to export and how ([`ExportOptions`], [`Format`]), the checks made before anything is
//! rendered, and the notes an export leaves for its user. Messages name values ("crf 60"), not
//! command-line flags: the command line adds its flag names.

use super::{
    Dither, HTML_LARGE_BYTES, HtmlEmbed, VideoCodec, VideoSettings, check_destination, find_ffmpeg,
};
use crate::{Error, Result, Setting};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::time::Duration;

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
            .ok_or_else(|| {
                Error::invalid(
                    Setting::Format,
                    name,
                    format!("supported: {}", Self::names()),
                )
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

/// What to export and how.
#[derive(Clone, Debug)]
pub struct ExportOptions {
    /// Destination file (or frame pattern for PNG frames).
    pub output: PathBuf,
    /// Format; `None` takes it from the extension.
    pub format: Option<Format>,
    /// The figure's width in pixels at 100 dpi (its layout size; 6.4 inches is 640).
    pub width: u32,
    /// The figure's height in pixels at 100 dpi.
    pub height: u32,
    /// Dots per inch: the output has `dpi / 100` times as many pixels per side as
    /// `width`×`height`, with the same layout (text, lines and markers scale with it).
    pub dpi: f32,
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
            dpi: 100.0,
            loops: 0,
            range: None,
            crf: None,
            bitrate: None,
            title: None,
            dither: Dither::None,
            html_embed: HtmlEmbed::default(),
        }
    }

    /// Output pixels per layout pixel: `dpi / 100`.
    pub fn scale(&self) -> f32 {
        self.dpi / 100.0
    }

    /// The output's size in pixels: the figure's size scaled by `dpi / 100`. Fails for a dpi
    /// that is not a positive number or a size that rounds to nothing.
    pub fn pixel_size(&self) -> Result<(u32, u32)> {
        pixel_size((self.width, self.height), self.dpi)
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
    const VIDEO_ONLY: &str = "only .mp4, .webm and an .html player embedding video use it";
    if let Some(crf) = options.crf {
        if !video {
            return Err(Error::invalid(Setting::Crf, crf.to_string(), VIDEO_ONLY));
        }
        let max = if format == Format::Webm { 63 } else { 51 };
        if crf > max {
            return Err(Error::invalid(
                Setting::Crf,
                crf.to_string(),
                format!(
                    "must be 0 (best) to {max} (smallest) for .{}",
                    format.name()
                ),
            ));
        }
    }
    if let Some(rate) = options.bitrate {
        if options.crf.is_some() {
            return Err(Error::invalid(
                Setting::Bitrate,
                rate.to_string(),
                "give either a crf or a bit rate, not both",
            ));
        }
        if !video {
            return Err(Error::invalid(
                Setting::Bitrate,
                rate.to_string(),
                VIDEO_ONLY,
            ));
        }
        if rate < 1000 {
            return Err(Error::invalid(
                Setting::Bitrate,
                rate.to_string(),
                "must be at least 1k (bits per second)",
            ));
        }
    }
    options.pixel_size()?;
    if options.dither != Dither::None && format != Format::Gif {
        return Err(Error::invalid(
            Setting::Dither,
            options.dither.name(),
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

/// The size in pixels of a figure of `size` pixels at 100 dpi rendered at `dpi`.
pub fn pixel_size((width, height): (u32, u32), dpi: f32) -> Result<(u32, u32)> {
    if !(dpi.is_finite() && dpi > 0.0) {
        return Err(Error::invalid(
            Setting::Dpi,
            dpi.to_string(),
            "must be a positive number of dots per inch (100 keeps the size in pixels)",
        ));
    }
    let scale = |v: u32| (v as f64 * dpi as f64 / 100.0).round();
    let (w, h) = (scale(width), scale(height));
    if w < 1.0 || h < 1.0 || w > u32::MAX as f64 || h > u32::MAX as f64 {
        return Err(Error::invalid(
            Setting::Dpi,
            dpi.to_string(),
            format!("{width}x{height} at {dpi} dpi would be {w}x{h} pixels"),
        ));
    }
    Ok((w as u32, h as u32))
}

/// Checks a frame range against a timeline of `count` frames. Ranges are half-open: the start
/// is the first frame exported, the end the first one that is not.
pub fn check_range(range: &Range<usize>, count: usize) -> Result<()> {
    if range.start >= range.end || range.end > count {
        let why = if range.end > count {
            format!("the timeline has frames 0..{count} (the end is exclusive, at most {count})")
        } else if range.start >= count {
            format!("the timeline has frames 0..{count}, so the start must be below {count}")
        } else {
            format!(
                "it holds no frames: the end is exclusive and must be greater than the start (the timeline has frames 0..{count})"
            )
        };
        return Err(Error::invalid(
            Setting::FrameRange,
            format!("{}..{}", range.start, range.end),
            why,
        ));
    }
    Ok(())
}

/// What the user should be told about an export of `frames` frames in `format`, beyond the
/// file name and size: H.264's even-size padding and the size of a large HTML page.
pub(super) fn notes_for(format: Format, options: &ExportOptions, bytes: u64) -> Vec<String> {
    let mut notes = Vec::new();
    let (w, h) = options
        .pixel_size()
        .unwrap_or((options.width, options.height));
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
                "note: {path} embeds an H.264 video (small, lossy); embedding WebP frames (html embed 'webp') stores every frame losslessly"
            ),
            _ => format!(
                "note: ffmpeg was not found, so {path} holds lossless WebP frames; with ffmpeg it would embed a much smaller H.264 video"
            ),
        });
    }
    if format == Format::Html && bytes > HTML_LARGE_BYTES {
        let mb = bytes as f64 / 1_048_576.0;
        let hint = if options.html_mode() == HtmlEmbed::Video {
            "a smaller size, a higher crf or a shorter frame range"
        } else {
            "embedding video (html embed 'video', needs ffmpeg), a smaller size or a shorter frame range"
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

#[cfg(test)]
mod tests {
    use super::*;

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
        assert!(err(Format::Gif, &o).contains("invalid crf '20'"));
        o.html_embed = HtmlEmbed::Webp;
        assert!(err(Format::Html, &o).contains("embedding video"));
        o.html_embed = HtmlEmbed::Auto;
        assert_eq!(o.html_mode(), HtmlEmbed::Video, "a --crf asks for a video");
        o.crf = Some(52);
        assert!(check_requirements(Format::Webm, &o).is_ok() || find_ffmpeg().is_none());
        assert!(err(Format::Mp4, &o).contains("0 (best) to 51"));
        o.crf = None;
        o.dither = Dither::Ordered;
        assert!(err(Format::Apng, &o).contains("invalid dither"));
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
            big[0].starts_with("warning: ") && big[0].contains("embedding video"),
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
