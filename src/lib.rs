//! flipbook turns sequences of data into animations: a [`FrameGenerator`] produces any frame as
//! a [`Figure`] (panels of lines, points and images), the GPU renders it, and the same picture
//! is shown in the viewer or exported to GIF or PNG frames.
//!
//! ```no_run
//! use flipbook::{GpuContext, ExportOptions, generators::build_scene, export::export};
//! let ctx = GpuContext::new_headless()?;
//! let scene = build_scene("lorenz", &Default::default())?;
//! export(&ctx, scene.as_ref(), &ExportOptions::new("lorenz.gif"), &mut |_, _| {}, None)?;
//! # Ok::<(), flipbook::Error>(())
//! ```

// Lets scene modules name the crate as `flipbook::…`, so the same files compile inside the
// library and as examples (see `examples/`), proving they use only the public API.
extern crate self as flipbook;

pub mod bench;
pub mod chrome;
mod error;
pub mod export;
pub mod gallery;
pub mod generators;
pub mod gpu;
pub mod scene;
pub mod timeline;
pub mod viewer;

pub use error::{Error, Result};
pub use export::{ExportOptions, ExportReport, Format};
pub use generators::{FrameGenerator, SceneOptions};
pub use gpu::GpuContext;
pub use scene::{Color, Figure, Panel};
