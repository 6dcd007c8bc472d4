//! Exports the built-in `lorenz` scene to `lorenz.gif` through the library API.
//!
//! Run with `cargo run --release --example lorenz`.

use flipbook::export::{ExportOptions, export};
use flipbook::generators::Lorenz;
use flipbook::GpuContext;

fn main() -> Result<(), flipbook::Error> {
    let ctx = GpuContext::new_headless()?;
    println!("rendering on {}", ctx.describe());
    let scene = Lorenz::new(240, 24.0);
    let report = export(&ctx, &scene, &ExportOptions::new("lorenz.gif"), &mut |_, _| {}, None)?;
    println!("wrote lorenz.gif: {} frames in {:.2} s", report.frames, report.elapsed.as_secs_f64());
    Ok(())
}
