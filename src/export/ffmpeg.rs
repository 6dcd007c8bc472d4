//! MP4 (H.264) and WebM (VP9) through an `ffmpeg` child process.
//!
//! `create` spawns `ffmpeg -f rawvideo -pix_fmt rgba -s WxH -framerate FPS -i pipe:0 …` writing
//! to a temporary file next to the destination; `push` writes each frame's RGBA bytes to its
//! stdin, so nothing but the pipe's buffer is held; `finish` closes stdin, waits, and renames the
//! file into place only if ffmpeg exited cleanly. ffmpeg's stderr is drained by a thread (so a
//! chatty ffmpeg never blocks on a full pipe) and its last meaningful lines become the error
//! message if it fails, at any point. Dropping the encoder kills ffmpeg and deletes the
//! temporary file, so a failed or cancelled export leaves nothing behind and an existing file is
//! only replaced by a complete one.
//!
//! Colour: frames are sRGB; they are converted to Y'CbCr with the BT.709 matrix in limited range
//! and tagged so, which is what browsers and players assume for web video, so colours match the
//! render. H.264 in yuv420p needs even sides: odd sizes are padded by one column/row repeating
//! the last one (a copy, not black, so no dark edge). VP9 handles odd sides itself.

use super::FrameEncoder;
use super::output::check_destination;
use crate::gpu::RgbaFrame;
use crate::{Error, Result};
use std::ffi::OsString;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::thread::JoinHandle;

/// A video codec and its container.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VideoCodec {
    /// H.264 (libx264) in MP4, yuv420p: plays everywhere.
    H264,
    /// VP9 (libvpx-vp9) in WebM, yuv420p.
    Vp9,
}

impl VideoCodec {
    /// The container's name (`mp4`, `webm`), also the encoder's name in errors.
    pub fn container(self) -> &'static str {
        match self {
            VideoCodec::H264 => "mp4",
            VideoCodec::Vp9 => "webm",
        }
    }

    /// The constant-quality factor used when none is given: visually clean for charts.
    pub fn default_crf(self) -> u32 {
        match self {
            VideoCodec::H264 => 20,
            VideoCodec::Vp9 => 32,
        }
    }

    /// The size the encoder is fed for a `width`×`height` picture.
    pub fn coded_size(self, width: u32, height: u32) -> (u32, u32) {
        match self {
            VideoCodec::H264 => (width + width % 2, height + height % 2),
            VideoCodec::Vp9 => (width, height),
        }
    }
}

/// How ffmpeg encodes.
#[derive(Clone, Debug)]
pub struct VideoSettings {
    /// Codec and container.
    pub codec: VideoCodec,
    /// Constant-quality factor; `None` = [`VideoCodec::default_crf`] unless `bitrate` is set.
    pub crf: Option<u32>,
    /// Target bit rate in bits per second (instead of constant quality).
    pub bitrate: Option<u64>,
    /// Title stored in the container's metadata.
    pub title: Option<String>,
    /// Frames between keyframes; `None` = the encoder's default. Short intervals make seeking
    /// (the HTML player's slider) fast at some cost in size.
    pub keyframe_interval: Option<u32>,
}

impl VideoSettings {
    /// The codec's defaults: constant quality, no title.
    pub fn new(codec: VideoCodec) -> Self {
        VideoSettings {
            codec,
            crf: None,
            bitrate: None,
            title: None,
            keyframe_interval: None,
        }
    }
}

/// The `ffmpeg` found on `PATH`, if any.
pub fn find_ffmpeg() -> Option<PathBuf> {
    find_on_path("ffmpeg")
}

fn find_on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|p| is_executable(p))
}

fn is_executable(p: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
    }
    #[cfg(not(unix))]
    {
        p.is_file() || p.with_extension("exe").is_file()
    }
}

/// `fps` as ffmpeg's exact rational (`24`, `2997/100`).
fn rate_arg(fps: f64) -> String {
    if fps.fract() == 0.0 && fps <= u32::MAX as f64 {
        return format!("{}", fps as u64);
    }
    match super::apng::rational(fps, 1_000_000) {
        (0, _) => format!("{fps}"),
        (n, d) => format!("{n}/{d}"),
    }
}

/// The arguments of an ffmpeg run reading `coded`-size RGBA frames on stdin at `fps` and
/// writing `settings.codec`'s container to `out`.
fn ffmpeg_args(coded: (u32, u32), fps: f64, settings: &VideoSettings, out: &Path) -> Vec<OsString> {
    let mut a: Vec<OsString> = Vec::new();
    let mut push = |items: &[&str]| a.extend(items.iter().map(OsString::from));
    push(&["-hide_banner", "-nostats", "-loglevel", "error", "-y"]);
    push(&[
        "-f",
        "rawvideo",
        "-pix_fmt",
        "rgba",
        "-s",
        &format!("{}x{}", coded.0, coded.1),
    ]);
    push(&["-framerate", &rate_arg(fps), "-i", "pipe:0", "-an"]);
    push(&[
        "-vf",
        "scale=out_color_matrix=bt709:out_range=tv,format=yuv420p",
    ]);
    let crf = settings
        .crf
        .unwrap_or(settings.codec.default_crf())
        .to_string();
    match settings.codec {
        VideoCodec::H264 => {
            // veryfast: on 2 cores it keeps up with rendering, and for charts (flat colour,
            // thin lines) it is no larger than `medium`. Sub-pixel refinement 1 instead of
            // veryfast's 2: on the lorenz scene x264 spends ~30% less CPU for the same PSNR
            // (46.4 dB vs 46.5 dB at crf 20) in a 6% larger file.
            push(&[
                "-c:v",
                "libx264",
                "-preset",
                "veryfast",
                "-x264-params",
                "subme=1",
            ]);
            match settings.bitrate {
                Some(b) => push(&[
                    "-b:v",
                    &b.to_string(),
                    "-maxrate",
                    &b.to_string(),
                    "-bufsize",
                    &(2 * b).to_string(),
                ]),
                None => push(&["-crf", &crf]),
            }
        }
        VideoCodec::Vp9 => {
            push(&[
                "-c:v",
                "libvpx-vp9",
                "-deadline",
                "good",
                "-cpu-used",
                "5",
                "-row-mt",
                "1",
            ]);
            match settings.bitrate {
                Some(b) => push(&["-b:v", &b.to_string()]),
                // -b:v 0 makes -crf constant quality rather than a cap.
                None => push(&["-crf", &crf, "-b:v", "0"]),
            }
        }
    }
    if let Some(g) = settings.keyframe_interval {
        push(&["-g", &g.max(1).to_string()]);
    }
    push(&[
        "-pix_fmt",
        "yuv420p",
        "-colorspace",
        "bt709",
        "-color_primaries",
        "bt709",
    ]);
    push(&["-color_trc", "bt709", "-color_range", "tv"]);
    if let Some(t) = settings.title.as_deref().filter(|t| !t.is_empty()) {
        push(&["-metadata", &format!("title={t}")]);
    }
    match settings.codec {
        // faststart moves the index to the front so browsers can play before downloading all.
        VideoCodec::H264 => push(&["-movflags", "+faststart", "-f", "mp4"]),
        VideoCodec::Vp9 => push(&["-f", "webm"]),
    }
    a.push(out.as_os_str().to_owned());
    a
}

/// The last meaningful lines of ffmpeg's stderr, on one line: specific messages first,
/// without the `[libx264 @ 0x…]` prefixes and the generic "Conversion failed!".
fn ffmpeg_message(stderr: &str) -> String {
    let generic = |l: &str| l.starts_with("Conversion failed") || l.starts_with("Exiting normally");
    let strip = |l: &str| -> String {
        let l = l.trim();
        match (l.starts_with('['), l.find("] ")) {
            (true, Some(end)) if l[..end].contains(" @ ") => l[end + 2..].trim().to_string(),
            _ => l.to_string(),
        }
    };
    let lines: Vec<String> = stderr
        .lines()
        .map(strip)
        .filter(|l| !l.is_empty() && !generic(l))
        .collect();
    let mut last: Vec<&str> = Vec::new();
    for l in lines.iter().rev() {
        if !last.contains(&l.as_str()) {
            last.push(l);
        }
        if last.len() == 2 {
            break;
        }
    }
    last.reverse();
    let mut msg = last.join("; ");
    if msg.is_empty() {
        msg = "no message on stderr".into();
    }
    if msg.len() > 400 {
        let cut = (0..=400)
            .rev()
            .find(|&i| msg.is_char_boundary(i))
            .unwrap_or(0);
        msg.truncate(cut);
        msg.push('…');
    }
    msg
}

/// Streams RGBA frames into ffmpeg.
pub struct FfmpegEncoder {
    child: Option<Child>,
    stdin: Option<ChildStdin>,
    stderr: Option<JoinHandle<String>>,
    temp: Option<tempfile::TempPath>,
    dest: PathBuf,
    codec: VideoCodec,
    size: (usize, usize),
    coded: (usize, usize),
    padded: Vec<u8>,
}

impl FfmpegEncoder {
    /// Starts ffmpeg writing a `width`×`height` video at `fps` for `dest` (under a temporary
    /// name until [`FrameEncoder::finish`]). Fails with [`Error::MissingTool`] without ffmpeg.
    pub fn create(
        dest: &Path,
        width: u32,
        height: u32,
        fps: f64,
        settings: VideoSettings,
    ) -> Result<Self> {
        check_destination(dest)?;
        let format = settings.codec.container();
        let ffmpeg = find_ffmpeg().ok_or_else(|| Error::MissingTool {
            tool: "ffmpeg",
            package: "ffmpeg",
            what: dest.display().to_string(),
        })?;
        let dir = match dest.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        let temp = super::output::temp_builder()
            .tempfile_in(dir)
            .map_err(|e| Error::Output {
                path: dest.into(),
                reason: format!("cannot write here: {e}"),
            })?
            .into_temp_path();
        let coded = settings.codec.coded_size(width, height);
        let mut command = Command::new(&ffmpeg);
        command
            .args(ffmpeg_args(coded, fps, &settings, &temp))
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        // A process group of its own: a terminal's Ctrl-C reaches flipbook, which cancels the
        // export and stops ffmpeg itself, rather than ffmpeg dying first and the export
        // reporting an encoder failure.
        #[cfg(unix)]
        std::os::unix::process::CommandExt::process_group(&mut command, 0);
        let mut child = command.spawn().map_err(|e| Error::Encode {
            format,
            reason: format!("cannot start {}: {e}", ffmpeg.display()),
        })?;
        let stdin = child.stdin.take();
        let stderr = child.stderr.take().map(|mut pipe| {
            std::thread::spawn(move || {
                // Keep only the tail: the last lines are the ones that explain a failure.
                let (mut kept, mut buf) = (Vec::new(), [0u8; 8192]);
                while let Ok(n) = pipe.read(&mut buf) {
                    if n == 0 {
                        break;
                    }
                    kept.extend_from_slice(&buf[..n]);
                    if kept.len() > 64 * 1024 {
                        kept.drain(..kept.len() - 32 * 1024);
                    }
                }
                String::from_utf8_lossy(&kept).into_owned()
            })
        });
        Ok(FfmpegEncoder {
            child: Some(child),
            stdin,
            stderr,
            temp: Some(temp),
            dest: dest.into(),
            codec: settings.codec,
            size: (width as usize, height as usize),
            coded: (coded.0 as usize, coded.1 as usize),
            padded: Vec::new(),
        })
    }

    /// Closes ffmpeg's input, waits for it and returns the finished temporary file, or the
    /// error ffmpeg reported.
    fn end(&mut self) -> Result<tempfile::TempPath> {
        drop(self.stdin.take());
        let format = self.codec.container();
        let mut child = self.child.take().ok_or_else(|| Error::Encode {
            format,
            reason: "ffmpeg already finished".into(),
        })?;
        let status = child.wait().map_err(|e| Error::Encode {
            format,
            reason: format!("waiting for ffmpeg: {e}"),
        })?;
        let stderr = self
            .stderr
            .take()
            .and_then(|t| t.join().ok())
            .unwrap_or_default();
        if !status.success() {
            return Err(Error::Encode {
                format,
                reason: format!(
                    "ffmpeg failed writing {} ({status}): {}",
                    self.dest.display(),
                    ffmpeg_message(&stderr)
                ),
            });
        }
        let temp = self.temp.take().ok_or_else(|| Error::Encode {
            format,
            reason: "no output file".into(),
        })?;
        match std::fs::metadata(&temp) {
            Ok(m) if m.len() > 0 => Ok(temp),
            _ => Err(Error::Encode {
                format,
                reason: format!(
                    "ffmpeg exited cleanly but wrote nothing for {}: {}",
                    self.dest.display(),
                    ffmpeg_message(&stderr)
                ),
            }),
        }
    }

    /// Finishes the video and hands back its temporary file (deleted when dropped) instead of
    /// moving it into place: for formats that embed the video (the HTML player).
    pub fn finish_to_temp(mut self) -> Result<tempfile::TempPath> {
        self.end()
    }

    /// The codec being written.
    pub fn codec(&self) -> VideoCodec {
        self.codec
    }
}

impl FrameEncoder for FfmpegEncoder {
    fn push(&mut self, frame: &RgbaFrame) -> Result<()> {
        let (w, h) = self.size;
        if frame.pixels.len() != w * h * 4 {
            return Err(Error::Encode {
                format: self.codec.container(),
                reason: format!(
                    "frame {} is {}x{}, not {w}x{h}",
                    frame.index, frame.width, frame.height
                ),
            });
        }
        let data: &[u8] = if self.coded == self.size {
            &frame.pixels
        } else {
            pad_edges(&frame.pixels, self.size, self.coded, &mut self.padded);
            &self.padded
        };
        let stdin = self.stdin.as_mut().ok_or_else(|| Error::Encode {
            format: self.codec.container(),
            reason: "ffmpeg's input is closed".into(),
        })?;
        if let Err(e) = stdin.write_all(data) {
            // ffmpeg stopped reading: it failed, and its own message says why.
            return Err(match self.end() {
                Err(ffmpeg_error) => ffmpeg_error,
                Ok(_) => Error::Encode {
                    format: self.codec.container(),
                    reason: format!("ffmpeg stopped reading frames: {e}"),
                },
            });
        }
        Ok(())
    }

    fn finish(mut self: Box<Self>) -> Result<Vec<PathBuf>> {
        let temp = self.end()?;
        let dest = self.dest.clone();
        temp.persist(&dest).map_err(|e| Error::io(&dest, e.error))?;
        Ok(vec![dest])
    }
}

impl Drop for FfmpegEncoder {
    fn drop(&mut self) {
        // Not finished: stop ffmpeg before the temporary file is deleted (by `temp`'s drop).
        drop(self.stdin.take());
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// Copies `size` RGBA pixels into a `coded`-size buffer, repeating the last column and row.
fn pad_edges(src: &[u8], size: (usize, usize), coded: (usize, usize), out: &mut Vec<u8>) {
    let ((w, h), (cw, ch)) = (size, coded);
    out.clear();
    out.reserve(cw * ch * 4);
    for y in 0..ch {
        let row = &src[y.min(h - 1) * w * 4..(y.min(h - 1) + 1) * w * 4];
        out.extend_from_slice(row);
        for _ in w..cw {
            out.extend_from_slice(&row[(w - 1) * 4..]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn padding_repeats_the_edge() {
        // 3×1 → 4×2
        let src = [1, 1, 1, 255, 2, 2, 2, 255, 3, 3, 3, 255];
        let mut out = Vec::new();
        pad_edges(&src, (3, 1), (4, 2), &mut out);
        let row: Vec<u8> = [&src[..], &src[8..]].concat();
        assert_eq!(out, [row.clone(), row].concat());
        assert_eq!(VideoCodec::H264.coded_size(161, 97), (162, 98));
        assert_eq!(VideoCodec::Vp9.coded_size(161, 97), (161, 97));
    }

    #[test]
    fn rates_are_exact() {
        assert_eq!(rate_arg(24.0), "24");
        assert_eq!(rate_arg(29.97), "2997/100");
        assert_eq!(rate_arg(23.976), "2997/125");
    }

    #[test]
    fn messages_name_the_cause() {
        let err = "[libx264 @ 0x5590f1528a40] width not divisible by 2 (161x97)\n\
                   Error initializing output stream 0:0 -- Error while opening encoder\n\
                   Conversion failed!\n";
        assert_eq!(
            ffmpeg_message(err),
            "width not divisible by 2 (161x97); Error initializing output stream 0:0 -- Error while opening encoder"
        );
        assert_eq!(ffmpeg_message(""), "no message on stderr");
        assert_eq!(
            ffmpeg_message("av_interleaved_write_frame(): No space left on device\n"),
            "av_interleaved_write_frame(): No space left on device"
        );
    }

    #[test]
    fn arguments() {
        let mut s = VideoSettings::new(VideoCodec::H264);
        s.title = Some("lorenz".into());
        let a: Vec<String> = ffmpeg_args((162, 98), 24.0, &s, Path::new("x.part"))
            .iter()
            .map(|s| s.to_string_lossy().into())
            .collect();
        let joined = a.join(" ");
        for want in [
            "-s 162x98",
            "-framerate 24",
            "-c:v libx264",
            "-crf 20",
            "-movflags +faststart -f mp4 x.part",
            "title=lorenz",
        ] {
            assert!(joined.contains(want), "{want} in {joined}");
        }
        s.codec = VideoCodec::Vp9;
        s.bitrate = Some(500_000);
        let joined: Vec<String> = ffmpeg_args((161, 97), 10.0, &s, Path::new("x"))
            .iter()
            .map(|s| s.to_string_lossy().into())
            .collect();
        let joined = joined.join(" ");
        assert!(
            joined.contains("-b:v 500000")
                && !joined.contains("-crf")
                && joined.contains("-f webm"),
            "{joined}"
        );
    }
}
