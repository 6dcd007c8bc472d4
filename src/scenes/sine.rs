//! `sine`: sin(x + i/10) over [0, 2π) in steps of 0.01 travelling past a fixed cos(x), the
//! first animation of most tutorials. The x samples and the cosine are built once and shared
//! by every frame; a frame only builds its 629-point sine.

use flipbook::FrameGenerator;
use flipbook::glam::Vec3;
use flipbook::scene::*;
use std::sync::Arc;

/// The sine scene.
pub struct Sine {
    frames: usize,
    fps: f64,
    xs: Vec<f32>,
    cosine: Arc<Vec<Vec<Vec3>>>,
}

impl Sine {
    /// `frames` frames at `fps`.
    pub fn new(frames: usize, fps: f64) -> Self {
        let xs: Vec<f32> = (0..629).map(|i| i as f32 * 0.01).collect();
        let cosine = Arc::new(vec![
            xs.iter().map(|&x| Vec3::new(x, x.cos(), 0.0)).collect(),
        ]);
        Sine {
            frames,
            fps,
            xs,
            cosine,
        }
    }
}

impl FrameGenerator for Sine {
    fn frame_count(&self) -> usize {
        self.frames
    }

    fn fps(&self) -> f64 {
        self.fps
    }

    fn frame(&self, i: usize) -> Figure {
        let phase = i as f32 / 10.0;
        let sine = self
            .xs
            .iter()
            .map(|&x| Vec3::new(x, (x + phase).sin(), 0.0))
            .collect();
        let width = 2.0;
        let decor = Decor {
            title: Some(format!("sin(x + {phase:.1})")),
            x: AxisSpec::labelled("x"),
            y: AxisSpec::labelled("y"),
            grid: true,
            legend: Some(Legend {
                loc: LegendLoc::LowerLeft,
                entries: Vec::new(),
            }),
            ..Default::default()
        };
        let panel = Panel::new_2d(
            GridCell::at(0, 0),
            [0.0, std::f32::consts::TAU],
            [-1.1, 1.1],
        )
        .with(
            Lines::new(
                self.cosine.clone(),
                vec![LineStyle::new(Color::cycle(0), width)],
            )
            .with_label("cos(x)"),
        )
        .with(
            Lines::new(
                Arc::new(vec![sine]),
                vec![LineStyle::new(Color::cycle(1), width)],
            )
            .with_label("sin(x + i/10)"),
        )
        .with_decor(decor);
        let mut fig = Figure::new(1, 1);
        fig.push(panel);
        fig
    }
}
