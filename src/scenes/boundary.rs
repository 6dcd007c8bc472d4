//! `boundary`: a small MLP (2-16-16-2, tanh, Adam) learning the two-moons set (200 points,
//! noise 0.2, fixed seed). Training runs at set-up and keeps the network after every epoch;
//! frame i evaluates epoch i's network on a grid: the probability of class 1 as an image plane
//! (diverging colormap), the 0.5 contour as a line (marching squares, segments separated by NaN
//! breaks), the training points on top, and a title with epoch, loss and accuracy.

use flipbook::FrameGenerator;
use flipbook::glam::Vec3;
use flipbook::scene::*;
use flipbook::scenes::nn::Mlp;
use rand::{RngExt, SeedableRng};
use rand_distr::{Distribution, Normal};
use std::sync::Arc;

const GRID: (usize, usize) = (96, 64);
const X: [f32; 2] = [-1.6, 2.6];
const Y: [f32; 2] = [-1.1, 1.6];

/// The boundary scene.
pub struct Boundary {
    fps: f64,
    /// Network, loss and accuracy after each epoch.
    epochs: Vec<(Mlp, f32, f32)>,
    points: Arc<PointData>,
}

/// The two-moons data set: points and class labels.
pub fn moons(n: usize, noise: f32, seed: u64) -> (Vec<Vec<f32>>, Vec<usize>) {
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let normal = Normal::new(0.0f32, noise.max(1e-6)).expect("valid normal");
    let mut xs = Vec::with_capacity(n);
    let mut ys = Vec::with_capacity(n);
    for i in 0..n {
        let class = i % 2;
        let t = rng.random::<f32>() * std::f32::consts::PI;
        let (x, y) = if class == 0 {
            (t.cos(), t.sin())
        } else {
            (1.0 - t.cos(), 0.5 - t.sin())
        };
        xs.push(vec![
            x + normal.sample(&mut rng),
            y + normal.sample(&mut rng),
        ]);
        ys.push(class);
    }
    (xs, ys)
}

impl Boundary {
    /// `frames` epochs at `fps`.
    pub fn new(frames: usize, fps: f64) -> Self {
        let (xs, ys) = moons(200, 0.2, 7);
        let mut rng = rand::rngs::StdRng::seed_from_u64(3);
        let mut net = Mlp::new(&[2, 16, 16, 2], &mut rng);
        let mut epochs = Vec::with_capacity(frames);
        for _ in 0..frames {
            net.train_step(&xs, &ys, 0.03);
            let loss = {
                let n = xs.len() as f32;
                xs.iter()
                    .zip(&ys)
                    .map(|(x, &y)| -net.predict(x)[y].max(1e-12).ln())
                    .sum::<f32>()
                    / n
            };
            epochs.push((net.clone(), loss, net.accuracy(&xs, &ys)));
        }
        let red = Color::rgb8(0xd6, 0x27, 0x28);
        let blue = Color::rgb8(0x1f, 0x77, 0xb4);
        let points = PointData {
            positions: xs.iter().map(|p| Vec3::new(p[0], p[1], 0.0)).collect(),
            colors: ys
                .iter()
                .map(|&c| if c == 0 { red } else { blue })
                .collect(),
            sizes_px: vec![7.0],
        };
        Boundary {
            fps,
            epochs,
            points: Arc::new(points),
        }
    }

    /// Accuracy on the training set after the last epoch.
    pub fn final_accuracy(&self) -> f32 {
        self.epochs.last().map_or(0.0, |e| e.2)
    }
}

/// Segments of the `level` contour of `v` (`w`×`h`, row 0 at the bottom) over the rectangle
/// `x`×`y`, as one strip with NaN breaks between segments.
pub fn contour(v: &[f32], w: usize, h: usize, x: [f32; 2], y: [f32; 2], level: f32) -> Vec<Vec3> {
    let px = |i: f32| x[0] + (x[1] - x[0]) * i / (w - 1) as f32;
    let py = |j: f32| y[0] + (y[1] - y[0]) * j / (h - 1) as f32;
    let at = |i: usize, j: usize| v[j * w + i] - level;
    let cross = |a: f32, b: f32| a / (a - b);
    let mut out = Vec::new();
    for j in 0..h.saturating_sub(1) {
        for i in 0..w.saturating_sub(1) {
            let (a, b, c, d) = (at(i, j), at(i + 1, j), at(i + 1, j + 1), at(i, j + 1));
            // Crossings on the edges bottom, right, top, left, in order around the cell.
            let mut pts = Vec::with_capacity(4);
            if (a > 0.0) != (b > 0.0) {
                pts.push(Vec3::new(px(i as f32 + cross(a, b)), py(j as f32), 0.0));
            }
            if (b > 0.0) != (c > 0.0) {
                pts.push(Vec3::new(
                    px(i as f32 + 1.0),
                    py(j as f32 + cross(b, c)),
                    0.0,
                ));
            }
            if (c > 0.0) != (d > 0.0) {
                pts.push(Vec3::new(
                    px(i as f32 + 1.0 - cross(c, d)),
                    py(j as f32 + 1.0),
                    0.0,
                ));
            }
            if (d > 0.0) != (a > 0.0) {
                pts.push(Vec3::new(
                    px(i as f32),
                    py(j as f32 + 1.0 - cross(d, a)),
                    0.0,
                ));
            }
            let nan = Vec3::splat(f32::NAN);
            match pts.len() {
                2 => out.extend([pts[0], pts[1], nan]),
                4 => {
                    // Saddle: pair the crossings so the centre's side stays connected.
                    let centre = (a + b + c + d) / 4.0 > 0.0;
                    if centre == (a > 0.0) {
                        out.extend([pts[0], pts[1], nan, pts[2], pts[3], nan]);
                    } else {
                        out.extend([pts[0], pts[3], nan, pts[1], pts[2], nan]);
                    }
                }
                _ => {}
            }
        }
    }
    out
}

impl FrameGenerator for Boundary {
    fn frame_count(&self) -> usize {
        self.epochs.len()
    }

    fn fps(&self) -> f64 {
        self.fps
    }

    fn frame(&self, i: usize) -> Figure {
        let i = i.min(self.epochs.len().saturating_sub(1));
        let (net, loss, acc) = &self.epochs[i];
        let (w, h) = GRID;
        // Probabilities at cell centres, row 0 at the top for the image.
        let mut grid = vec![0.0f32; w * h];
        let mut rows_up = vec![0.0f32; w * h];
        for j in 0..h {
            for k in 0..w {
                let x = X[0] + (X[1] - X[0]) * (k as f32 + 0.5) / w as f32;
                let y = Y[0] + (Y[1] - Y[0]) * (j as f32 + 0.5) / h as f32;
                let p = net.predict(&[x, y])[1];
                rows_up[j * w + k] = p;
                grid[(h - 1 - j) * w + k] = p;
            }
        }
        let half = |lim: [f32; 2], n: usize| {
            let d = (lim[1] - lim[0]) / n as f32 / 2.0;
            [lim[0] + d, lim[1] - d]
        };
        let line = contour(&rows_up, w, h, half(X, w), half(Y, h), 0.5);
        let image = ImagePlane::new_2d(
            Arc::new(ImageData {
                width: w as u32,
                height: h as u32,
                pixels: Pixels::Scalar(grid),
            }),
            X,
            Y,
        )
        .with_colormap(Colormap::RdBu, 0.0, 1.0)
        .with_sampling(Sampling::Linear);
        let boundary = Lines::new(
            Arc::new(vec![line]),
            vec![LineStyle::new(Color::BLACK, 2.0)],
        );
        let decor = Decor {
            title: Some(format!(
                "epoch {}: loss {loss:.3}, accuracy {:.1}%",
                i + 1,
                acc * 100.0
            )),
            x: AxisSpec::labelled("x₁"),
            y: AxisSpec::labelled("x₂"),
            colorbar: Some(Colorbar {
                colormap: Colormap::RdBu,
                vmin: 0.0,
                vmax: 1.0,
                label: Some("P(class 1)".into()),
            }),
            ..Default::default()
        };
        let points = Points {
            data: self.points.clone(),
            marker: Marker::Circle,
            visible: None,
            label: None,
        };
        let mut fig = Figure::new(1, 1);
        fig.push(
            Panel::new_2d(GridCell::at(0, 0), X, Y)
                .with(image)
                .with(boundary)
                .with(points)
                .with_decor(decor),
        );
        fig
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn learns_the_moons() {
        let b = Boundary::new(150, 15.0);
        assert!(b.final_accuracy() > 0.9, "accuracy {}", b.final_accuracy());
        assert!(b.epochs[0].1 > b.epochs[149].1);
    }

    #[test]
    fn contour_of_a_plane_is_a_straight_line() {
        // v = x on a 3x3 grid over [0,2]²: the 1.0 contour is the line x = 1.
        let v: Vec<f32> = (0..9).map(|k| (k % 3) as f32).collect();
        let c = contour(&v, 3, 3, [0.0, 2.0], [0.0, 2.0], 1.0 - 1e-3);
        let pts: Vec<&Vec3> = c.iter().filter(|p| p.is_finite()).collect();
        assert!(!pts.is_empty());
        assert!(pts.iter().all(|p| (p.x - 1.0).abs() < 0.01), "{pts:?}");
    }
}
