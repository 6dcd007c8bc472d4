//! Numbered PNG frames. The output path holds a printf-style frame number (`frame_%04d.png`);
//! each frame is encoded straight to a temporary file in the destination directory, and all of
//! them are renamed into place at the end, so a failed export leaves no partial sequence. The
//! temporaries are closed as soon as written, so thousands of frames do not exhaust file handles.

use super::FrameEncoder;
use crate::gpu::RgbaFrame;
use crate::{Error, Result};
use std::io::Write;
use std::path::{Path, PathBuf};

/// A file name pattern with one `%d` / `%0Nd` frame number.
#[derive(Clone, Debug)]
pub struct FramePattern {
    prefix: String,
    suffix: String,
    width: usize,
}

impl FramePattern {
    /// Parses `path`. Without a `%d`, a single frame is written to `path` itself and several
    /// frames get `_%04d` before the extension.
    pub fn parse(path: &Path, frames: usize) -> Result<Self> {
        let s = path.to_str().ok_or_else(|| Error::Output {
            path: path.into(),
            reason: "path is not valid UTF-8".into(),
        })?;
        let bad = |why: &str| Error::Output {
            path: path.into(),
            reason: why.into(),
        };
        let mut found: Option<(usize, usize, usize)> = None; // (start, end, width)
        let bytes = s.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'%' {
                if bytes.get(i + 1) == Some(&b'%') {
                    i += 2;
                    continue;
                }
                let digits: String = s[i + 1..]
                    .chars()
                    .take_while(|c| c.is_ascii_digit())
                    .collect();
                if s[i + 1 + digits.len()..].starts_with('d') {
                    if found.is_some() {
                        return Err(bad("has more than one %d frame number"));
                    }
                    let width = if digits.is_empty() {
                        0
                    } else {
                        digits.parse().map_err(|_| bad("bad %d width"))?
                    };
                    found = Some((i, i + 2 + digits.len(), width));
                    i += 2 + digits.len();
                    continue;
                }
                return Err(bad("has a % that is not %d, %0Nd or %%"));
            }
            i += 1;
        }
        let unescape = |t: &str| t.replace("%%", "%");
        match found {
            Some((a, b, width)) => Ok(FramePattern {
                prefix: unescape(&s[..a]),
                suffix: unescape(&s[b..]),
                width,
            }),
            None if frames <= 1 => Ok(FramePattern {
                prefix: unescape(s),
                suffix: String::new(),
                width: usize::MAX,
            }),
            None => {
                let dot = s
                    .rfind('.')
                    .filter(|&d| !s[d..].contains('/'))
                    .unwrap_or(s.len());
                Ok(FramePattern {
                    prefix: format!("{}_", unescape(&s[..dot])),
                    suffix: unescape(&s[dot..]),
                    width: 4,
                })
            }
        }
    }

    /// The path of frame `index`.
    pub fn path(&self, index: usize) -> PathBuf {
        if self.width == usize::MAX {
            return PathBuf::from(&self.prefix);
        }
        PathBuf::from(format!(
            "{}{:0w$}{}",
            self.prefix,
            index,
            self.suffix,
            w = self.width
        ))
    }
}

/// Writes each frame as its own PNG file.
pub struct PngFramesEncoder {
    pattern: FramePattern,
    done: Vec<(tempfile::TempPath, PathBuf)>,
    rgb: Vec<u8>,
}

impl PngFramesEncoder {
    /// Frames will be written to `pattern`'s paths; their directory must exist.
    pub fn create(path: &Path, frames: usize) -> Result<Self> {
        let pattern = FramePattern::parse(path, frames)?;
        super::output::check_destination(&pattern.path(0))?;
        Ok(PngFramesEncoder {
            pattern,
            done: Vec::new(),
            rgb: Vec::new(),
        })
    }
}

/// Writes a rendered frame as a PNG file at `path`, atomically (temporary name, then rename).
pub fn save_png(path: &Path, frame: &RgbaFrame) -> Result<()> {
    let mut file = super::output::PendingFile::create(path)?;
    let mut w = file.take_writer().ok_or_else(|| Error::Encode {
        format: "png",
        reason: "no writer".into(),
    })?;
    write_png_rgb(&mut w, frame.width, frame.height, &rgb_of(&frame.pixels)).map_err(|e| {
        Error::Encode {
            format: "png",
            reason: e.to_string(),
        }
    })?;
    w.flush().map_err(|e| Error::io(path, e))?;
    drop(w);
    file.commit().map(|_| ())
}

/// Drops the alpha channel of RGBA8 pixels.
fn rgb_of(rgba: &[u8]) -> Vec<u8> {
    rgba.chunks_exact(4)
        .flat_map(|p| [p[0], p[1], p[2]])
        .collect()
}

/// Encodes RGB8 pixels as a PNG into `w` (fast deflate; flipbook frames compress well).
pub fn write_png_rgb(
    w: impl Write,
    width: u32,
    height: u32,
    rgb: &[u8],
) -> std::result::Result<(), png::EncodingError> {
    let mut enc = png::Encoder::new(w, width, height);
    enc.set_color(png::ColorType::Rgb);
    enc.set_depth(png::BitDepth::Eight);
    enc.set_compression(png::Compression::Fast);
    let mut writer = enc.write_header()?;
    writer.write_image_data(rgb)?;
    writer.finish()
}

impl FrameEncoder for PngFramesEncoder {
    fn push(&mut self, frame: &RgbaFrame) -> Result<()> {
        let dest = self.pattern.path(frame.index);
        let dir = dest
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let mut temp = super::output::temp_builder()
            .tempfile_in(dir)
            .map_err(|e| Error::Output {
                path: dest.clone(),
                reason: format!("cannot write here: {e}"),
            })?;
        self.rgb.clear();
        self.rgb.extend(
            frame
                .pixels
                .chunks_exact(4)
                .flat_map(|p| [p[0], p[1], p[2]]),
        );
        {
            let mut w = std::io::BufWriter::new(temp.as_file_mut());
            write_png_rgb(&mut w, frame.width, frame.height, &self.rgb).map_err(|e| {
                Error::Encode {
                    format: "png",
                    reason: e.to_string(),
                }
            })?;
            w.flush().map_err(|e| Error::io(&dest, e))?;
        }
        self.done.push((temp.into_temp_path(), dest));
        Ok(())
    }

    fn finish(self: Box<Self>) -> Result<Vec<PathBuf>> {
        let mut out = Vec::with_capacity(self.done.len());
        for (temp, dest) in self.done {
            temp.persist(&dest).map_err(|e| Error::io(&dest, e.error))?;
            out.push(dest);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns() {
        let p = FramePattern::parse(Path::new("out/frame_%04d.png"), 10).unwrap();
        assert_eq!(p.path(7), PathBuf::from("out/frame_0007.png"));
        let p = FramePattern::parse(Path::new("f%d.png"), 10).unwrap();
        assert_eq!(p.path(12), PathBuf::from("f12.png"));
        let p = FramePattern::parse(Path::new("poster.png"), 1).unwrap();
        assert_eq!(p.path(3), PathBuf::from("poster.png"));
        let p = FramePattern::parse(Path::new("dir.v2/seq.png"), 3).unwrap();
        assert_eq!(p.path(2), PathBuf::from("dir.v2/seq_0002.png"));
        let p = FramePattern::parse(Path::new("100%%_%03d.png"), 3).unwrap();
        assert_eq!(p.path(5), PathBuf::from("100%_005.png"));
        assert!(FramePattern::parse(Path::new("a%d_%d.png"), 3).is_err());
        assert!(FramePattern::parse(Path::new("a%s.png"), 3).is_err());
    }
}
