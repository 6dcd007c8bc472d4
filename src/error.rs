//! The library's error type: one enum, each variant a message a user can act on.

use std::path::PathBuf;

/// Everything that can go wrong in flipbook's library code.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// No GPU adapter, not even a software one, could be found.
    #[error(
        "no GPU adapter found{detail}: install Mesa's software Vulkan driver \
         (Debian/Ubuntu: `apt-get install mesa-vulkan-drivers libvulkan1`) or a GPU driver"
    )]
    NoAdapter {
        /// Extra context, e.g. the `WGPU_ADAPTER_NAME` that matched nothing.
        detail: String,
    },
    /// The adapter refused to create a device.
    #[error("could not open the GPU device: {0}")]
    Device(String),
    /// A GPU operation failed (validation error, lost device, failed readback).
    #[error("GPU error: {0}")]
    Gpu(String),
    /// A requested canvas size is unusable.
    #[error("size {width}x{height} is invalid: {reason}")]
    Size {
        /// Requested width in pixels.
        width: u32,
        /// Requested height in pixels.
        height: u32,
        /// Why it cannot be used.
        reason: String,
    },
    /// Scene data is inconsistent (lengths, shapes, values).
    #[error("invalid scene data: {0}")]
    Scene(String),
    /// A scene name that is not built in.
    #[error("unknown scene '{name}' (built-in scenes: {known})")]
    UnknownScene {
        /// The name asked for.
        name: String,
        /// The names that exist, comma separated.
        known: String,
    },
    /// A setting's value outside its valid range. The message names the setting as a value
    /// ("frame count"); the command line names its flag instead (see [`Setting`]).
    #[error("invalid {} '{value}': {reason}", setting.describe())]
    Invalid {
        /// Which setting.
        setting: Setting,
        /// The value given.
        value: String,
        /// Why it is rejected.
        reason: String,
    },
    /// Something the caller asked for would need more memory than the machine has.
    #[error("{what} would need {} of memory but only {} is available", need(*needed), human_bytes(*available))]
    OutOfMemory {
        /// What was asked for, e.g. "lorenz with 1000000000 frames".
        what: String,
        /// Bytes it would need.
        needed: u64,
        /// Bytes the machine has available.
        available: u64,
    },
    /// A frame of an animation is invalid.
    #[error("frame {frame}: {error}")]
    Frame {
        /// The frame's index.
        frame: usize,
        /// What is wrong with it.
        error: Box<Error>,
    },
    /// An output path that cannot be used.
    #[error("{}: {reason}", path.display())]
    Output {
        /// The path at fault.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// An I/O error while writing a file.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file being read or written.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// An encoder failed.
    #[error("{format} encoder: {reason}")]
    Encode {
        /// The output format (gif, png, …).
        format: &'static str,
        /// What failed.
        reason: String,
    },
    /// An external program an output format needs (ffmpeg) is not installed.
    #[error(
        "{tool} is needed to write {what} but was not found on PATH: install it \
         (Debian/Ubuntu: `apt-get install {package}`, macOS: `brew install {package}`), \
         or export .gif, .apng or .html, which need nothing else"
    )]
    MissingTool {
        /// The program looked for, e.g. `ffmpeg`.
        tool: &'static str,
        /// The package that provides it.
        package: &'static str,
        /// What it was needed for, e.g. `out.mp4`.
        what: String,
    },
    /// No window could be opened (no display, or the windowing system refused).
    #[error("{0}")]
    Display(String),
    /// The export was cancelled by the caller.
    #[error("export cancelled")]
    Cancelled,
    /// An array file could not be read (`.npy`, `.npz`, `.csv`): the message names the file,
    /// key and shape or dtype at fault.
    #[error(transparent)]
    Data(#[from] crate::data::DataError),
}

/// Shorthand for results with [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A setting that can be given an invalid value, named in [`Error::Invalid`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Setting {
    /// The number of frames.
    FrameCount,
    /// Frames per second.
    Fps,
    /// The range of frames to export.
    FrameRange,
    /// A video's constant-quality factor.
    Crf,
    /// A video's bit rate.
    Bitrate,
    /// GIF dithering.
    Dither,
    /// The output format.
    Format,
    /// A scene-specific parameter (`key=value`).
    SceneParam,
    /// The frame a viewer opens at.
    StartFrame,
    /// A font file or family name.
    Font,
    /// Dots per inch of a rendered figure.
    Dpi,
}

impl Setting {
    /// How a message names it.
    pub fn describe(self) -> &'static str {
        match self {
            Setting::FrameCount => "frame count",
            Setting::Fps => "frames per second",
            Setting::FrameRange => "frame range",
            Setting::Crf => "crf",
            Setting::Bitrate => "bit rate",
            Setting::Dither => "dither",
            Setting::Format => "format",
            Setting::SceneParam => "scene parameter",
            Setting::StartFrame => "start frame",
            Setting::Font => "font",
            Setting::Dpi => "dpi",
        }
    }
}

fn need(b: u64) -> String {
    if b == u64::MAX {
        "more bytes than a 64-bit count holds".into()
    } else {
        human_bytes(b)
    }
}

/// Bytes as a short human-readable size.
pub(crate) fn human_bytes(b: u64) -> String {
    match b {
        0..1024 => format!("{b} B"),
        1024..1_048_576 => format!("{:.1} KB", b as f64 / 1024.0),
        1_048_576..1_073_741_824 => format!("{:.1} MB", b as f64 / 1_048_576.0),
        _ => format!("{:.1} GB", b as f64 / 1_073_741_824.0),
    }
}

impl Error {
    /// An [`Error::Invalid`] for `setting`.
    pub fn invalid(setting: Setting, value: impl Into<String>, reason: impl Into<String>) -> Self {
        Error::Invalid {
            setting,
            value: value.into(),
            reason: reason.into(),
        }
    }

    /// This error, said of frame `frame` of an animation.
    pub fn in_frame(self, frame: usize) -> Self {
        match self {
            e @ Error::Frame { .. } => e,
            e => Error::Frame {
                frame,
                error: Box::new(e),
            },
        }
    }

    /// Wraps an I/O error with the path it concerns.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}
