//! `weights`: a small network (8 → 6 → 4, tanh) learns to classify four clusters in 8
//! dimensions; each frame shows its first layer's 6×8 weight magnitudes after one more epoch
//! as an annotated heatmap: a value in every cell, YlGn with a fixed range, `embed_dim_i` ×
//! `orig_dim_j` category labels and a colorbar, as in the tutorial.

use flipbook::FrameGenerator;
use flipbook::scene::*;
use flipbook::scenes::nn::Mlp;
use rand::SeedableRng;
use rand_distr::{Distribution, Normal};
use std::sync::Arc;

const IN: usize = 8;
const HIDDEN: usize = 6;

/// The weights scene.
pub struct Weights {
    fps: f64,
    /// |W| of the first layer after each epoch, row-major `HIDDEN × IN`, and the loss.
    snapshots: Vec<(Vec<f32>, f32)>,
    vmax: f32,
}

impl Weights {
    /// `frames` epochs at `fps`.
    pub fn new(frames: usize, fps: f64) -> Self {
        let mut rng = rand::rngs::StdRng::seed_from_u64(11);
        let normal = Normal::new(0.0f32, 1.0).expect("valid normal");
        let centres: Vec<Vec<f32>> = (0..4)
            .map(|_| (0..IN).map(|_| 1.5 * normal.sample(&mut rng)).collect())
            .collect();
        let (mut xs, mut ys) = (Vec::new(), Vec::new());
        for i in 0..240 {
            let c = i % 4;
            xs.push(
                centres[c]
                    .iter()
                    .map(|m| m + 0.8 * normal.sample(&mut rng))
                    .collect::<Vec<f32>>(),
            );
            ys.push(c);
        }
        let mut net = Mlp::new(&[IN, HIDDEN, 4], &mut rng);
        let mut snapshots: Vec<(Vec<f32>, f32)> = Vec::with_capacity(frames);
        for _ in 0..frames {
            let loss = net.train_step(&xs, &ys, 0.02);
            snapshots.push((net.layers[0].w.iter().map(|w| w.abs()).collect(), loss));
        }
        let max = snapshots
            .iter()
            .flat_map(|s| s.0.iter())
            .fold(0.0f32, |m, v| m.max(*v));
        // A round upper limit so the colorbar ends on a tick.
        let vmax = (max * 10.0).ceil() / 10.0;
        Weights {
            fps,
            snapshots,
            vmax,
        }
    }
}

impl FrameGenerator for Weights {
    fn frame_count(&self) -> usize {
        self.snapshots.len()
    }

    fn fps(&self) -> f64 {
        self.fps
    }

    fn frame(&self, i: usize) -> Figure {
        let i = i.min(self.snapshots.len() - 1);
        let (w, loss) = &self.snapshots[i];
        let data = Arc::new(ImageData {
            width: IN as u32,
            height: HIDDEN as u32,
            pixels: Pixels::Scalar(w.clone()),
        });
        let (x, y) = ([-0.5, IN as f32 - 0.5], [-0.5, HIDDEN as f32 - 0.5]);
        let range = [0.0, self.vmax];
        let decor = Decor {
            title: Some(format!(
                "first layer |W| after epoch {} (loss {loss:.3})",
                i + 1
            )),
            x: AxisSpec::categories((0..IN).map(|j| format!("orig_dim_{j}"))).rotated(-30.0),
            // Row 0 of the matrix is drawn at the top.
            y: AxisSpec::categories((0..HIDDEN).rev().map(|r| format!("embed_dim_{r}"))),
            colorbar: Some(Colorbar {
                colormap: Colormap::YlGn,
                vmin: range[0],
                vmax: range[1],
                label: Some("|weight|".into()),
            }),
            annotations: heatmap_labels(&data, x, y, Colormap::YlGn, range, 2, 8.0),
            equal_aspect: true,
            ..Default::default()
        };
        let image =
            ImagePlane::new_2d(data, x, y).with_colormap(Colormap::YlGn, range[0], range[1]);
        let mut fig = Figure::new(1, 1);
        fig.push(
            Panel::new_2d(GridCell::at(0, 0), x, y)
                .with(image)
                .with_decor(decor),
        );
        fig
    }
}
