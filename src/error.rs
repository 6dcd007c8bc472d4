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
    /// An option value outside its valid range.
    #[error("invalid {option} '{value}': {reason}")]
    Option {
        /// The option's name as the user wrote it, e.g. `--frames`.
        option: String,
        /// The value given.
        value: String,
        /// Why it is rejected.
        reason: String,
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
}

/// Shorthand for results with [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// Wraps an I/O error with the path it concerns.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}
