//! What every scene example does after building its scene: export it as a GIF and say so.

use flipbook::ExportOptions;
use flipbook::{FrameGenerator, GpuContext};

/// Exports `scene` to `<name>.gif` at 640×480 on the first GPU (or lavapipe).
pub fn export_gif(name: &str, scene: &dyn FrameGenerator) -> Result<(), flipbook::Error> {
    let ctx = GpuContext::new_headless()?;
    let path = format!("{name}.gif");
    let report = flipbook::export(&ctx, scene, &ExportOptions::new(&path))?;
    println!(
        "wrote {path}: {} frames at {} fps in {:.2} s",
        report.frames,
        scene.fps(),
        report.elapsed.as_secs_f64()
    );
    Ok(())
}
