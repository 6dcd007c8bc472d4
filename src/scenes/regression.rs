//! `regression`: y = x − 2 + N(0, 1) noise at 50 points over [0, 10], fitted by per-sample
//! gradient descent as in the tutorial. Training runs once at set-up and keeps (w, b, cost) per
//! epoch; frames sample the epochs non-uniformly — every epoch early on while the line moves
//! fast, then every 5th, then every 20th — so the animation spends its time where change is.

use flipbook::FrameGenerator;
use flipbook::glam::Vec3;
use flipbook::scene::*;
use rand::SeedableRng;
use rand_distr::{Distribution, Normal};
use std::sync::Arc;

/// The regression scene.
pub struct Regression {
    fps: f64,
    points: Arc<PointData>,
    /// Per frame: epoch number, w, b, cost.
    frames: Vec<(usize, f32, f32, f32)>,
    cost_max: f32,
}

const N: usize = 50;
const LR: f32 = 2e-4;

/// Epochs shown: every epoch to 20, every 5th to 200, every 20th after that.
fn epochs_shown(frames: usize) -> Vec<usize> {
    let mut e: Vec<usize> = (1..=20).collect();
    e.extend((25..=200).step_by(5));
    let mut k = 220;
    while e.len() < frames {
        e.push(k);
        k += 20;
    }
    e.truncate(frames);
    e
}

impl Regression {
    /// `frames` frames at `fps` (the last frame shows epoch 20 + 5·36 + 20·(frames − 56)).
    pub fn new(frames: usize, fps: f64) -> Self {
        let mut rng = rand::rngs::StdRng::seed_from_u64(0);
        let noise = Normal::new(0.0f32, 1.0).expect("valid normal");
        let xs: Vec<f32> = (0..N).map(|i| 10.0 * i as f32 / (N - 1) as f32).collect();
        let ys: Vec<f32> = xs
            .iter()
            .map(|x| x - 2.0 + noise.sample(&mut rng))
            .collect();
        let shown = epochs_shown(frames);
        let last = shown.last().copied().unwrap_or(1);
        let (mut w, mut b) = (-1.0f32, 1.0f32);
        let cost = |w: f32, b: f32| {
            xs.iter()
                .zip(&ys)
                .map(|(x, y)| (w * x + b - y).powi(2))
                .sum::<f32>()
        };
        let mut out = Vec::with_capacity(shown.len());
        let mut next = shown.iter().peekable();
        for epoch in 1..=last {
            for (x, y) in xs.iter().zip(&ys) {
                let g = 2.0 * (w * x + b - y);
                w -= LR * g * x;
                b -= LR * g;
            }
            if next.peek() == Some(&&epoch) {
                next.next();
                out.push((epoch, w, b, cost(w, b)));
            }
        }
        let cost_max = out.iter().map(|f| f.3).fold(cost(-1.0, 1.0), f32::max);
        let points = PointData {
            positions: xs
                .iter()
                .zip(&ys)
                .map(|(x, y)| Vec3::new(*x, *y, 0.0))
                .collect(),
            colors: vec![Color::rgb(1.0, 0.0, 0.0)],
            sizes_px: vec![7.0],
        };
        Regression {
            fps,
            points: Arc::new(points),
            frames: out,
            cost_max,
        }
    }

    /// Cost (sum of squared errors) at the first and last frame.
    pub fn cost_range(&self) -> (f32, f32) {
        (
            self.frames.first().map_or(0.0, |f| f.3),
            self.frames.last().map_or(0.0, |f| f.3),
        )
    }
}

impl FrameGenerator for Regression {
    fn frame_count(&self) -> usize {
        self.frames.len()
    }

    fn fps(&self) -> f64 {
        self.fps
    }

    fn frame(&self, i: usize) -> Figure {
        let i = i.min(self.frames.len().saturating_sub(1));
        let (epoch, w, b, cost) = self.frames[i];
        let green = Color::rgb(0.0, 0.5, 0.0);
        let blue = Color::rgb(0.0, 0.0, 1.0);
        let fit = Lines::new(
            Arc::new(vec![vec![
                Vec3::new(0.0, b, 0.0),
                Vec3::new(10.0, 10.0 * w + b, 0.0),
            ]]),
            vec![LineStyle::new(green, 2.0).dashed()],
        )
        .with_label("fitting line");
        let n = self.frames.len().max(2) as f32;
        let curve: Vec<Vec3> = self.frames[..=i]
            .iter()
            .enumerate()
            .map(|(k, f)| Vec3::new(10.0 * k as f32 / (n - 1.0), f.3, 0.0))
            .collect();
        let cost_line =
            Lines::new(Arc::new(vec![curve]), vec![LineStyle::new(blue, 2.0)]).with_label("cost");
        let decor = Decor {
            title: Some(format!("epoch {epoch}  cost {cost:.1}")),
            // Limits from the data of all frames: the fitted line's ends included.
            autoscale: true,
            x: AxisSpec::labelled("X data"),
            y: AxisSpec::labelled("Y data"),
            // Entries from the labelled layers below, the twin axis' cost line included.
            legend: Some(Legend {
                loc: LegendLoc::UpperCenter,
                entries: Vec::new(),
            }),
            twin_y: Some(TwinY {
                limits: [0.0, self.cost_max * 1.05],
                axis: AxisSpec::labelled("cost"),
                layers: vec![cost_line.into()],
            }),
            ..Default::default()
        };
        let scatter = Points {
            data: self.points.clone(),
            marker: Marker::Circle,
            visible: None,
            label: Some("original data".into()),
        };
        let mut fig = Figure::new(1, 1);
        fig.push(
            Panel::new_2d(GridCell::at(0, 0), [-0.3, 10.3], [-5.0, 11.0])
                .with(scatter)
                .with(fit)
                .with_decor(decor),
        );
        fig
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn training_cuts_the_cost_tenfold() {
        let r = Regression::new(100, 10.0);
        let (first, last) = r.cost_range();
        assert!(last * 10.0 < first, "cost {first} → {last}");
        assert_eq!(r.frame_count(), 100);
        let epochs: Vec<usize> = r.frames.iter().map(|f| f.0).collect();
        assert_eq!(&epochs[..3], &[1, 2, 3]);
        assert!(epochs.windows(2).all(|w| w[1] > w[0]));
    }
}
