//! A self-contained HTML page: the frames plus a player (slider, play/reverse/pause, step,
//! first/last, speed, Once/Loop/Reflect, keyboard shortcuts) that needs no network access.
//!
//! The page is `player.html` with its placeholders filled in. It holds either
//! - **lossless frames** as data URIs (`HtmlEmbed::Webp`): each frame as lossless
//!   WebP (pure-Rust `image-webp`; about 30% smaller than the best PNG for rendered plots) or,
//!   when the frame has at most 256 colours, as an 8-bit palette PNG if that is smaller (flat
//!   charts). `HtmlEmbed::Png` uses PNG only, for browsers without WebP (Safari before 14).
//!   Frames are compressed, base64-encoded and appended to the page as they arrive, so memory
//!   does not grow with frame count; or
//! - **an embedded H.264 video** (`HtmlEmbed::Video`, needs ffmpeg): usually 10–50× smaller
//!   but lossy; frames are written through `ffmpeg.rs` with a short keyframe interval so the
//!   slider seeks quickly, and the player shows frame i by seeking to its middle.
//!
//! The default, `HtmlEmbed::Auto`, embeds a video when ffmpeg is installed (rendered charts
//! with axes and text compress only a little losslessly, so a page of frames is about as large
//! as matplotlib's `to_jshtml`) and lossless WebP frames otherwise, so HTML export never needs
//! ffmpeg. The export report says which it chose.
//!
//! Every frame is always kept: a page that grows past [`HTML_LARGE_BYTES`] gets a warning in the
//! export report (see `mod.rs`), never silently dropped frames. The page is written under a
//! temporary name and renamed into place when complete, like every other output.

use super::ffmpeg::{FfmpegEncoder, VideoCodec};
use super::output::PendingFile;
use super::{ExportOptions, FrameEncoder};
use crate::gpu::RgbaFrame;
use crate::{Error, Result};
use base64::Engine as _;
use std::collections::HashMap;
use std::fs::File;
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};

/// The player page; `{{…}}` placeholders are filled in by [`HtmlEncoder`].
const TEMPLATE: &str = include_str!("player.html");

/// Pages larger than this get a warning in the export report (all frames are still kept).
pub const HTML_LARGE_BYTES: u64 = 20 * 1024 * 1024;

/// Frames between keyframes of an embedded video: seeking decodes at most this many frames.
const VIDEO_KEYFRAME_INTERVAL: u32 = 12;

/// What the HTML page embeds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum HtmlEmbed {
    /// `Video` when ffmpeg is installed (or a video quality is asked for), `Webp` otherwise.
    #[default]
    Auto,
    /// Lossless frames, WebP or palette PNG (whichever is smaller): exact pixels, instant
    /// seeking, no tools needed.
    Webp,
    /// Lossless PNG frames only: larger, but shown by every browser ever made.
    Png,
    /// One H.264 MP4 video through ffmpeg: much smaller, lossy.
    Video,
}

impl HtmlEmbed {
    /// Every mode with its name, as accepted by [`HtmlEmbed::from_name`].
    pub const ALL: [(HtmlEmbed, &'static str); 4] = [
        (HtmlEmbed::Auto, "auto"),
        (HtmlEmbed::Webp, "webp"),
        (HtmlEmbed::Png, "png"),
        (HtmlEmbed::Video, "video"),
    ];

    /// The mode called `name` (`auto`, `webp`, `png`, `video` or `mp4`).
    pub fn from_name(name: &str) -> Option<Self> {
        match name.to_ascii_lowercase().as_str() {
            "mp4" => Some(HtmlEmbed::Video),
            n => Self::ALL.iter().find(|(_, m)| *m == n).map(|(e, _)| *e),
        }
    }

    /// The mode's name.
    pub fn name(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(e, _)| *e == self)
            .map_or("auto", |(_, n)| n)
    }

    /// What `Auto` stands for here and now: `Video` when ffmpeg is on PATH or `wants_video`
    /// (a --crf or --bitrate was given; a missing ffmpeg is then an error), else `Webp`.
    /// Other modes are returned as they are.
    pub fn resolve(self, wants_video: bool) -> HtmlEmbed {
        match self {
            HtmlEmbed::Auto if wants_video || super::find_ffmpeg().is_some() => HtmlEmbed::Video,
            HtmlEmbed::Auto => HtmlEmbed::Webp,
            other => other,
        }
    }
}

/// Reused per-frame buffers of the image modes.
#[derive(Default)]
struct Scratch {
    rgb: Vec<u8>,
    indexed: Vec<u8>,
    png: Vec<u8>,
    webp: Vec<u8>,
    text: String,
}

enum Body {
    Images { webp: bool, scratch: Scratch },
    Video(Option<FfmpegEncoder>),
}

/// Writes the HTML player page.
pub struct HtmlEncoder {
    file: PendingFile,
    out: Option<BufWriter<File>>,
    body: Body,
    title: String,
    width: u32,
    height: u32,
    fps: f64,
    frames: usize,
    loops: u16,
    first: Option<usize>,
    written: usize,
    /// The part of the template after the frames, once the part before has been written.
    tail: Option<String>,
}

fn err(e: impl std::fmt::Display) -> Error {
    Error::Encode {
        format: "html",
        reason: e.to_string(),
    }
}

/// Escapes text for HTML element content and attribute values.
fn escape_html(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}

/// A JSON string literal that is also safe inside a `<script>` element.
fn json_string(s: &str) -> String {
    let mut o = String::from('"');
    for c in s.chars() {
        match c {
            '"' => o.push_str("\\\""),
            '\\' => o.push_str("\\\\"),
            // `<` escaped so the text can never close the script element.
            '<' => o.push_str("\\u003c"),
            '>' => o.push_str("\\u003e"),
            '&' => o.push_str("\\u0026"),
            c if (c as u32) < 0x20 || c == '\u{2028}' || c == '\u{2029}' => {
                o.push_str(&format!("\\u{:04x}", c as u32))
            }
            c => o.push(c),
        }
    }
    o.push('"');
    o
}

impl HtmlEncoder {
    /// A player page at `dest` for `frames` frames of `width`×`height` at `fps`; `options`
    /// give the title, what to embed, the loop mode (`loops == 1` starts in Once mode) and,
    /// for an embedded video, its quality.
    pub fn create(
        dest: &Path,
        width: u32,
        height: u32,
        fps: f64,
        frames: usize,
        options: &ExportOptions,
    ) -> Result<Self> {
        let mut file = PendingFile::create(dest)?;
        let out = file
            .take_writer()
            .ok_or_else(|| err("writer already taken"))?;
        let body = match options.html_mode() {
            HtmlEmbed::Webp | HtmlEmbed::Auto => Body::Images {
                webp: true,
                scratch: Scratch::default(),
            },
            HtmlEmbed::Png => Body::Images {
                webp: false,
                scratch: Scratch::default(),
            },
            HtmlEmbed::Video => {
                let mut settings = options.video_settings(VideoCodec::H264);
                settings.keyframe_interval = Some(VIDEO_KEYFRAME_INTERVAL);
                Body::Video(Some(FfmpegEncoder::create(
                    dest, width, height, fps, settings,
                )?))
            }
        };
        let title = options
            .title
            .clone()
            .filter(|t| !t.trim().is_empty())
            .unwrap_or_else(|| "flipbook animation".into());
        Ok(HtmlEncoder {
            file,
            out: Some(out),
            body,
            title,
            width,
            height,
            fps,
            frames,
            loops: options.loops,
            first: None,
            written: 0,
            tail: None,
        })
    }

    /// The template split at the frames, with everything else filled in.
    fn page(&self) -> Result<(String, String)> {
        let (mode, codec) = match self.body {
            Body::Images { webp: true, .. } => ("images", "lossless WebP/PNG frames"),
            Body::Images { webp: false, .. } => ("images", "lossless PNG frames"),
            Body::Video(_) => ("video", "H.264 video"),
        };
        let config = format!(
            "{{\"title\":{},\"fps\":{},\"frames\":{},\"width\":{},\"height\":{},\"first\":{},\"mode\":\"{mode}\",\"codec\":\"{codec}\",\"loop_mode\":\"{}\"}}",
            json_string(&self.title),
            self.fps,
            self.frames,
            self.width,
            self.height,
            self.first.unwrap_or(0),
            if self.loops == 1 { "once" } else { "loop" },
        );
        let filled = TEMPLATE
            .replace("{{TITLE}}", &escape_html(&self.title))
            .replace("{{VERSION}}", env!("CARGO_PKG_VERSION"))
            .replace("{{WIDTH}}", &self.width.to_string())
            .replace("{{HEIGHT}}", &self.height.to_string())
            .replace("{{CONFIG}}", &config);
        let (head, tail) = filled
            .split_once("{{DATA}}")
            .ok_or_else(|| err("player template has no {{DATA}}"))?;
        Ok((head.to_string(), tail.to_string()))
    }

    fn write(&mut self, bytes: &[u8]) -> Result<()> {
        write_to(&mut self.out, self.file.dest(), bytes)
    }
}

fn write_to(out: &mut Option<BufWriter<File>>, dest: &Path, bytes: &[u8]) -> Result<()> {
    let out = out.as_mut().ok_or_else(|| err("already finished"))?;
    out.write_all(bytes).map_err(|e| Error::io(dest, e))
}

/// Encodes one RGBA frame losslessly and returns its data URI's MIME type and bytes: with
/// `webp`, lossless WebP unless a palette PNG (possible for at most 256 colours) is smaller;
/// without, a palette PNG or else an RGB PNG.
fn encode_frame<'s>(
    frame: &RgbaFrame,
    webp: bool,
    s: &'s mut Scratch,
) -> Result<(&'static str, &'s [u8])> {
    s.rgb.clear();
    s.rgb.extend(
        frame
            .pixels
            .chunks_exact(4)
            .flat_map(|p| [p[0], p[1], p[2]]),
    );
    let palette = palette_of(&frame.pixels, &mut s.indexed);
    if let Some(p) = &palette {
        encode_png(frame.width, frame.height, Some(p), &s.indexed, &mut s.png)?;
    }
    if webp {
        s.webp.clear();
        image_webp::WebPEncoder::new(&mut s.webp)
            .encode(
                &s.rgb,
                frame.width,
                frame.height,
                image_webp::ColorType::Rgb8,
            )
            .map_err(err)?;
        if palette.is_none() || s.webp.len() < s.png.len() {
            return Ok(("image/webp", &s.webp));
        }
    } else if palette.is_none() {
        encode_png(frame.width, frame.height, None, &s.rgb, &mut s.png)?;
    }
    Ok(("image/png", &s.png))
}

/// Encodes a PNG into `out`: 8-bit indexed with `palette`, RGB without.
fn encode_png(
    width: u32,
    height: u32,
    palette: Option<&Vec<u8>>,
    data: &[u8],
    out: &mut Vec<u8>,
) -> Result<()> {
    out.clear();
    let mut enc = png::Encoder::new(&mut *out, width, height);
    enc.set_depth(png::BitDepth::Eight);
    // High: frames are written once but downloaded and parsed on every page load.
    enc.set_compression(png::Compression::High);
    enc.set_source_srgb(png::SrgbRenderingIntent::Perceptual);
    match palette {
        Some(p) => {
            enc.set_color(png::ColorType::Indexed);
            enc.set_palette(p.as_slice());
        }
        None => enc.set_color(png::ColorType::Rgb),
    }
    let mut w = enc.write_header().map_err(err)?;
    w.write_image_data(data).map_err(err)?;
    w.finish().map_err(err)
}

/// The frame's colours as a PNG palette with each pixel's index in `indexed`, or `None` when
/// it has more than 256 colours.
fn palette_of(rgba: &[u8], indexed: &mut Vec<u8>) -> Option<Vec<u8>> {
    let mut colours: HashMap<[u8; 3], u8> = HashMap::with_capacity(256);
    let mut palette = Vec::with_capacity(256 * 3);
    indexed.clear();
    indexed.reserve(rgba.len() / 4);
    let mut last: Option<([u8; 3], u8)> = None;
    for px in rgba.chunks_exact(4) {
        let c = [px[0], px[1], px[2]];
        // Runs of one colour are the common case (backgrounds): skip the hash look-up.
        if let Some((lc, li)) = last
            && lc == c
        {
            indexed.push(li);
            continue;
        }
        let i = match colours.get(&c) {
            Some(&i) => i,
            None => {
                if colours.len() == 256 {
                    return None;
                }
                let i = colours.len() as u8;
                colours.insert(c, i);
                palette.extend_from_slice(&c);
                i
            }
        };
        last = Some((c, i));
        indexed.push(i);
    }
    Some(palette)
}

impl FrameEncoder for HtmlEncoder {
    fn push(&mut self, frame: &RgbaFrame) -> Result<()> {
        if self.first.is_none() {
            self.first = Some(frame.index);
        }
        if frame.width != self.width || frame.height != self.height {
            return Err(err(format!(
                "frame {} is {}x{}, not {}x{}",
                frame.index, frame.width, frame.height, self.width, self.height
            )));
        }
        self.written += 1;
        if let Body::Video(v) = &mut self.body {
            return v
                .as_mut()
                .ok_or_else(|| err("video already finished"))?
                .push(frame);
        }
        if self.tail.is_none() {
            let (head, tail) = self.page()?;
            self.write(head.as_bytes())?;
            self.tail = Some(tail);
        }
        if let Body::Images { webp, scratch } = &mut self.body {
            let mut text = std::mem::take(&mut scratch.text);
            let (mime, bytes) = encode_frame(frame, *webp, scratch)?;
            text.clear();
            text.push_str("\"data:");
            text.push_str(mime);
            text.push_str(";base64,");
            base64::engine::general_purpose::STANDARD.encode_string(bytes, &mut text);
            text.push_str("\",\n");
            let written = write_to(&mut self.out, self.file.dest(), text.as_bytes());
            scratch.text = text;
            written?;
        }
        Ok(())
    }

    fn finish(mut self: Box<Self>) -> Result<Vec<PathBuf>> {
        if self.written != self.frames {
            return Err(err(format!(
                "{} frames expected but {} written",
                self.frames, self.written
            )));
        }
        if let Body::Video(v) = &mut self.body {
            let video = v
                .take()
                .ok_or_else(|| err("video already finished"))?
                .finish_to_temp()?;
            let (head, tail) = self.page()?;
            self.write(head.as_bytes())?;
            self.write(b"\"data:video/mp4;base64,")?;
            // Streamed in chunks whose size is a multiple of 3, so the pieces join up exactly.
            let mut f = File::open(&video).map_err(|e| Error::io(&*video, e))?;
            let mut buf = vec![0u8; 3 * 256 * 1024];
            let mut text = String::new();
            loop {
                let mut n = 0;
                while n < buf.len() {
                    match f.read(&mut buf[n..]).map_err(|e| Error::io(&*video, e))? {
                        0 => break,
                        k => n += k,
                    }
                }
                if n == 0 {
                    break;
                }
                text.clear();
                base64::engine::general_purpose::STANDARD.encode_string(&buf[..n], &mut text);
                self.write(text.as_bytes())?;
                if n < buf.len() {
                    break;
                }
            }
            self.write(b"\"\n")?;
            self.tail = Some(tail);
        }
        let tail = self
            .tail
            .take()
            .ok_or_else(|| err("no frames were written"))?;
        self.write(tail.as_bytes())?;
        let out = self.out.take().ok_or_else(|| err("already finished"))?;
        Ok(vec![self.file.commit_writer(out)?])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping() {
        assert_eq!(escape_html("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&#39;");
        assert_eq!(
            json_string("</script>\n\"x\\"),
            "\"\\u003c/script\\u003e\\u000a\\\"x\\\\\""
        );
    }

    #[test]
    fn small_palettes_are_exact() {
        let px: Vec<u8> = (0..100u32)
            .flat_map(|i| [(i % 3) as u8 * 80, 10, 20, 255])
            .collect();
        let mut idx = Vec::new();
        let pal = palette_of(&px, &mut idx).expect("3 colours");
        assert_eq!(pal.len(), 9);
        for (p, &i) in px.chunks_exact(4).zip(&idx) {
            assert_eq!(&pal[i as usize * 3..i as usize * 3 + 3], &p[..3]);
        }
        let many: Vec<u8> = (0..300u32)
            .flat_map(|i| [(i % 256) as u8, (i / 256) as u8, 0, 255])
            .collect();
        assert!(palette_of(&many, &mut idx).is_none());
    }

    #[test]
    fn template_has_every_placeholder() {
        for p in [
            "{{TITLE}}",
            "{{VERSION}}",
            "{{WIDTH}}",
            "{{HEIGHT}}",
            "{{CONFIG}}",
            "{{DATA}}",
        ] {
            assert!(TEMPLATE.contains(p), "{p}");
        }
        assert_eq!(TEMPLATE.matches("{{DATA}}").count(), 1);
        assert!(
            !TEMPLATE.contains("http://") && !TEMPLATE.contains("https://"),
            "no network access"
        );
    }
}
