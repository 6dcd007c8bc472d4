//! Writing your own scene: implement `FrameGenerator` and hand it to `export` (or the viewer).
//!
//! A sine wave travels across a fixed cosine. The x samples and the cosine never change, so
//! they live in an `Arc` built once; each frame only builds the moving sine, and flipbook
//! uploads only what is new. Axis labels, a grid, a legend and a per-frame title come from
//! the panel's `Decor`.
//!
//! Run with `cargo run --release --example custom_scene`; it writes `wave.gif`.

use flipbook::ExportOptions;
use flipbook::glam::Vec3;
use flipbook::scene::{
    AxisSpec, Color, Decor, Figure, GridCell, Legend, LegendEntry, LegendLoc, LineStyle, Lines,
    Panel, Swatch,
};
use flipbook::{FrameGenerator, GpuContext};
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

fn swatch(label: &str, color: Color) -> LegendEntry {
    LegendEntry {
        label: label.into(),
        swatch: Swatch::Line {
            color,
            width_px: 2.0,
            dashed: false,
        },
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
        let phase = i as f32 / 10.0;
        let sine: Vec<Vec3> = (0..629)
            .map(|k| k as f32 * 0.01)
            .map(|x| Vec3::new(x, (x + phase).sin(), 0.0))
            .collect();
        let (blue, orange) = (Color::cycle(0), Color::cycle(1));
        let decor = Decor {
            title: Some(format!("phase {phase:.1}")),
            x: AxisSpec::labelled("x"),
            y: AxisSpec::labelled("y"),
            grid: true,
            legend: Some(Legend {
                loc: LegendLoc::Best,
                entries: vec![swatch("cos x", blue), swatch("sin(x + phase)", orange)],
            }),
            ..Default::default()
        };
        let panel = Panel::new_2d(GridCell::at(0, 0), [0.0, TAU], [-1.1, 1.1])
            .with(Lines::new(
                self.cosine.clone(),
                vec![LineStyle::new(blue, 2.0)],
            ))
            .with(Lines::new(
                Arc::new(vec![sine]),
                vec![LineStyle::new(orange, 2.0)],
            ))
            .with_decor(decor);
        let mut figure = Figure::new(1, 1);
        figure.push(panel);
        figure
    }
}

fn main() -> Result<(), flipbook::Error> {
    let ctx = GpuContext::new_headless()?;
    let report = flipbook::export(&ctx, &Wave::new(), &ExportOptions::new("wave.gif"))?;
    println!(
        "wrote wave.gif: {} frames, {} bytes",
        report.frames, report.bytes
    );
    Ok(())
}
