//! flipbook turns sequences of data into animations: a [`FrameGenerator`] produces any frame as
//! a [`Figure`] (panels of lines, points, images and bars with their axes, labels and legends),
//! the GPU renders it, and the same picture is shown in the viewer or exported to GIF, APNG,
//! MP4, WebM, PNG frames or an HTML player.
//!
//! ```no_run
//! use flipbook::{GpuContext, ExportOptions, scenes::build_scene};
//! let ctx = GpuContext::new_headless()?;
//! let scene = build_scene("lorenz", &Default::default())?;
//! flipbook::export(&ctx, &scene, &ExportOptions::new("lorenz.gif"))?;
//! # Ok::<(), flipbook::Error>(())
//! ```
//!
//! Cargo features: `window` (the viewer: winit and egui) and `cli` (the `flipbook` program)
//! are on by default; `default-features = false` keeps rendering and export only.

// Lets scene modules name the crate as `flipbook::…`, so the same files compile inside the
// library and as examples (see `examples/`), proving they use only the public API.
extern crate self as flipbook;

pub mod animation;
pub mod chrome;
#[cfg(feature = "cli")]
pub mod cli;
pub mod data;
mod error;
pub mod export;
pub mod gallery;
pub mod gpu;
pub mod memory;
pub mod record;
mod render;
pub mod scene;
pub mod scenes;
pub mod timeline;
#[cfg(feature = "window")]
pub mod viewer;

/// The library's version (the crate's), which the Python package reports as `__version__`.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

pub use animation::{FrameGenerator, GeneratorExt, from_fn};
pub use error::{Error, Result, Setting};
pub use export::{ExportOptions, ExportReport, Format, export, export_with};
pub use glam;
pub use gpu::GpuContext;
pub use render::{RgbaImage, render_figure, render_figure_at, render_figure_with};
pub use scene::{Color, Figure, Panel};
pub use scenes::SceneOptions;
