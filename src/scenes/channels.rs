//! `channels`: a random 50×50 RGB image whose red channel moves, over 24 frames, from the left
//! image to the right one; below, the left image's R, G and B channels and a blurred copy. The
//! frame number is the figure title. Images are tiny, so each frame uploads its own.

use flipbook::FrameGenerator;
use flipbook::scene::*;
use rand::{RngExt, SeedableRng};
use std::sync::Arc;

const SIDE: u32 = 50;

/// The channels scene.
pub struct Channels {
    frames: usize,
    fps: f64,
    /// The starting image, RGB in 0..=1.
    left: Vec<f32>,
}

impl Channels {
    /// `frames` frames at `fps`.
    pub fn new(frames: usize, fps: f64) -> Self {
        let mut rng = rand::rngs::StdRng::seed_from_u64(0);
        let left = (0..SIDE * SIDE * 3).map(|_| rng.random::<f32>()).collect();
        Channels { frames, fps, left }
    }
}

fn image(pixels: Pixels) -> Arc<ImageData> {
    Arc::new(ImageData {
        width: SIDE,
        height: SIDE,
        pixels,
    })
}

/// A 3×3 binomial blur of an RGB image (edges clamped).
fn blur(rgb: &[f32]) -> Vec<f32> {
    let s = SIDE as i64;
    let k = [1.0, 2.0, 1.0];
    let mut out = vec![0.0; rgb.len()];
    for y in 0..s {
        for x in 0..s {
            for c in 0..3 {
                let mut acc = 0.0;
                for (dy, wy) in (-1..=1).zip(k) {
                    for (dx, wx) in (-1..=1).zip(k) {
                        let (xx, yy) = ((x + dx).clamp(0, s - 1), (y + dy).clamp(0, s - 1));
                        acc += wx * wy * rgb[((yy * s + xx) * 3 + c) as usize];
                    }
                }
                out[((y * s + x) * 3 + c) as usize] = acc / 16.0;
            }
        }
    }
    out
}

impl FrameGenerator for Channels {
    fn frame_count(&self) -> usize {
        self.frames
    }

    fn fps(&self) -> f64 {
        self.fps
    }

    fn frame(&self, i: usize) -> Figure {
        let t = if self.frames > 1 {
            i as f32 / (self.frames - 1) as f32
        } else {
            1.0
        };
        let mut left = self.left.clone();
        let mut right = vec![0.0; left.len()];
        for p in 0..(SIDE * SIDE) as usize {
            let red = self.left[3 * p];
            left[3 * p] = (red - red * t).clamp(0.0, 1.0);
            right[3 * p] = red * t;
        }
        let extent = ([0.0, SIDE as f32], [0.0, SIDE as f32]);
        let panel = |cell: GridCell, title: &str, layer: ImagePlane| {
            Panel::new_2d(cell, extent.0, extent.1)
                .with(layer)
                .with_decor(Decor {
                    title: Some(title.into()),
                    hidden: true,
                    equal_aspect: true,
                    ..Default::default()
                })
        };
        let rgb = |v: Vec<f32>| ImagePlane::new_2d(image(Pixels::RgbF32(v)), extent.0, extent.1);
        let mut fig = Figure::new(2, 4);
        fig.title = Some(format!("frame {i}"));
        let mut wide = |col, title: &str, v: Vec<f32>| {
            let mut cell = GridCell::at(0, col);
            cell.col_span = 2;
            fig.push(panel(cell, title, rgb(v)));
        };
        wide(0, "left: red moves out", left.clone());
        wide(2, "right: red moves in", right);
        for (c, (name, cmap)) in [
            ("R", Colormap::Reds),
            ("G", Colormap::Greens),
            ("B", Colormap::Blues),
        ]
        .into_iter()
        .enumerate()
        {
            let channel: Vec<f32> = left.chunks_exact(3).map(|p| p[c]).collect();
            let layer = ImagePlane::new_2d(image(Pixels::Scalar(channel)), extent.0, extent.1)
                .with_colormap(cmap, 0.0, 1.0);
            fig.push(panel(GridCell::at(1, c as u32), name, layer));
        }
        fig.push(panel(
            GridCell::at(1, 3),
            "blurred",
            rgb(blur(&left)).with_sampling(Sampling::Linear),
        ));
        fig
    }
}
