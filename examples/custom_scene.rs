//! Writing your own scene: implement `FrameGenerator` and hand it to `export`.
//!
//! A sine wave travels across a fixed cosine. The x samples and the cosine never change, so
//! they live in `Arc`s built once; each frame only builds the moving sine (small) and reuses
//! the rest, and flipbook uploads only what is new.
//!
//! Run with `cargo run --release --example custom_scene`; it writes `wave.gif`.

use flipbook::export::{ExportOptions, export};
use flipbook::scene::{Color, Figure, GridCell, LineStyle, Lines, Panel};
use flipbook::{FrameGenerator, GpuContext};
use glam::Vec3;
use std::f32::consts::TAU;
use std::sync::Arc;

struct Wave {
    cosine: Arc<Vec<Vec<Vec3>>>,
}

impl Wave {
    fn new() -> Self {
        let xs = (0..629).map(|i| i as f32 * 0.01);
        Wave {
            cosine: Arc::new(vec![xs.map(|x| Vec3::new(x, x.cos(), 0.0)).collect()]),
        }
    }
}

impl FrameGenerator for Wave {
    fn frame_count(&self) -> usize {
        100
    }

    fn fps(&self) -> f64 {
        25.0
    }

    fn frame(&self, i: usize) -> Figure {
        let sine: Vec<Vec3> = (0..629)
            .map(|k| k as f32 * 0.01)
            .map(|x| Vec3::new(x, (x + i as f32 / 10.0).sin(), 0.0))
            .collect();
        let panel = Panel::new_2d(GridCell::at(0, 0), [0.0, TAU], [-1.1, 1.1])
            .with(Lines::new(
                self.cosine.clone(),
                vec![LineStyle::new(Color::cycle(0), 2.0)],
            ))
            .with(Lines::new(
                Arc::new(vec![sine]),
                vec![LineStyle::new(Color::cycle(1), 2.0)],
            ));
        let mut figure = Figure::new(1, 1);
        figure.push(panel);
        figure
    }
}

fn main() -> Result<(), flipbook::Error> {
    let ctx = GpuContext::new_headless()?;
    let report = export(
        &ctx,
        &Wave::new(),
        &ExportOptions::new("wave.gif"),
        &mut |_, _| {},
        None,
    )?;
    println!(
        "wrote wave.gif: {} frames, {} bytes",
        report.frames, report.bytes
    );
    Ok(())
}
