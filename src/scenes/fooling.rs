//! `fooling`: a small classifier (MLP 144-24-5) is trained at set-up on 12×12 images of five
//! procedurally drawn shapes; then an image of a circle is nudged, step by step, along the
//! sign of the gradient of log p("square") until the network calls it a square, and a few
//! steps beyond. Frames show the image, the perturbation so far (diverging colormap, fixed
//! symmetric range) and a bar chart of the class confidences.

use flipbook::FrameGenerator;
use flipbook::scene::*;
use flipbook::scenes::nn::{Mlp, argmax};
use rand::{RngExt, SeedableRng};
use std::sync::Arc;

const SIDE: usize = 12;
/// The classes, in output order.
pub const CLASSES: [&str; 5] = ["circle", "square", "triangle", "cross", "bar"];
const SOURCE: usize = 0;
const TARGET: usize = 1;
const STEP: f32 = 0.004;

/// Draws one shape of `class` with random centre and size, plus a little noise.
fn draw(class: usize, rng: &mut impl rand::Rng) -> Vec<f32> {
    let c = (rng.random_range(4.5..7.5f32), rng.random_range(4.5..7.5f32));
    let r = rng.random_range(2.6..4.2f32);
    let mut img = vec![0.0f32; SIDE * SIDE];
    for y in 0..SIDE {
        for x in 0..SIDE {
            let (dx, dy) = (x as f32 + 0.5 - c.0, y as f32 + 0.5 - c.1);
            let inside = match class {
                0 => (dx * dx + dy * dy).sqrt() <= r,
                1 => dx.abs() <= r * 0.85 && dy.abs() <= r * 0.85,
                2 => dy <= r * 0.7 && dy >= -r && dx.abs() <= (dy + r) * 0.6,
                3 => (dx.abs() <= 0.9 && dy.abs() <= r) || (dy.abs() <= 0.9 && dx.abs() <= r),
                _ => dy.abs() <= 1.0 && dx.abs() <= r * 1.3,
            };
            img[y * SIDE + x] = if inside { 0.9 } else { 0.1 } + rng.random_range(-0.08..0.08f32);
        }
    }
    img
}

/// The fooling scene.
pub struct Fooling {
    fps: f64,
    /// Per step: the image and the class probabilities.
    steps: Vec<(Vec<f32>, Vec<f32>)>,
    original: Vec<f32>,
    /// Largest |perturbation| over all steps, for a fixed colour range.
    reach: f32,
    /// Test-set accuracy of the trained classifier.
    pub accuracy: f32,
}

impl Fooling {
    /// `frames` attack steps (the first frame is the unaltered image) at `fps`.
    pub fn new(frames: usize, fps: f64) -> Self {
        let mut rng = rand::rngs::StdRng::seed_from_u64(5);
        let (mut xs, mut ys) = (Vec::new(), Vec::new());
        for i in 0..400 {
            xs.push(draw(i % 5, &mut rng));
            ys.push(i % 5);
        }
        let mut net = Mlp::new(&[SIDE * SIDE, 24, CLASSES.len()], &mut rng);
        for _ in 0..60 {
            net.train_step(&xs, &ys, 0.01);
        }
        let (mut tx, mut ty) = (Vec::new(), Vec::new());
        for i in 0..100 {
            tx.push(draw(i % 5, &mut rng));
            ty.push(i % 5);
        }
        let accuracy = net.accuracy(&tx, &ty);
        // A circle the network recognises.
        let original = (0..50)
            .map(|_| draw(SOURCE, &mut rng))
            .find(|x| argmax(&net.predict(x)) == SOURCE)
            .unwrap_or_else(|| draw(SOURCE, &mut rng));
        let mut x = original.clone();
        let mut steps = vec![(x.clone(), net.predict(&x))];
        while steps.len() < frames.max(1) {
            let g = net.input_gradient(&x, TARGET);
            for (v, gi) in x.iter_mut().zip(g) {
                *v = (*v + STEP * gi.signum()).clamp(0.0, 1.0);
            }
            steps.push((x.clone(), net.predict(&x)));
        }
        let reach = steps
            .iter()
            .flat_map(|(s, _)| s.iter().zip(&original).map(|(a, b)| (a - b).abs()))
            .fold(1e-3, f32::max);
        Fooling {
            fps,
            steps,
            original,
            reach,
            accuracy,
        }
    }

    /// The class on top after the last step.
    pub fn final_class(&self) -> usize {
        self.steps.last().map_or(SOURCE, |s| argmax(&s.1))
    }

    /// The class the attack aims for.
    pub fn target(&self) -> usize {
        TARGET
    }
}

impl FrameGenerator for Fooling {
    fn frame_count(&self) -> usize {
        self.steps.len()
    }

    fn fps(&self) -> f64 {
        self.fps
    }

    fn frame(&self, i: usize) -> Figure {
        let i = i.min(self.steps.len() - 1);
        let (img, probs) = &self.steps[i];
        let side = SIDE as f32;
        let scalar = |v: Vec<f32>| {
            Arc::new(ImageData {
                width: SIDE as u32,
                height: SIDE as u32,
                pixels: Pixels::Scalar(v),
            })
        };
        let delta: Vec<f32> = img.iter().zip(&self.original).map(|(a, b)| a - b).collect();
        let top = argmax(probs);
        let mut fig = Figure::new(1, 3);
        fig.title = Some(format!(
            "step {i}: p({}) = {:.2}, p({}) = {:.2} → predicted \"{}\"",
            CLASSES[SOURCE], probs[SOURCE], CLASSES[TARGET], probs[TARGET], CLASSES[top]
        ));
        let hidden = |title: &str| Decor {
            title: Some(title.into()),
            hidden: true,
            equal_aspect: true,
            ..Default::default()
        };
        fig.push(
            Panel::new_2d(GridCell::at(0, 0), [0.0, side], [0.0, side])
                .with(
                    ImagePlane::new_2d(scalar(img.clone()), [0.0, side], [0.0, side])
                        .with_colormap(Colormap::Gray, 0.0, 1.0),
                )
                .with_decor(hidden("input")),
        );
        let mut d = hidden("perturbation");
        d.colorbar = Some(Colorbar {
            colormap: Colormap::RdBu,
            vmin: -self.reach,
            vmax: self.reach,
            label: None,
        });
        fig.push(
            Panel::new_2d(GridCell::at(0, 1), [0.0, side], [0.0, side])
                .with(
                    ImagePlane::new_2d(scalar(delta), [0.0, side], [0.0, side]).with_colormap(
                        Colormap::RdBu,
                        -self.reach,
                        self.reach,
                    ),
                )
                .with_decor(d),
        );
        let mut bars = Bars::new(probs.clone(), Color::cycle(0));
        bars.horizontal = true;
        bars.positions = (0..CLASSES.len())
            .map(|k| (CLASSES.len() - 1 - k) as f32)
            .collect();
        bars.colors = (0..CLASSES.len())
            .map(|k| {
                if k == TARGET {
                    Color::cycle(3)
                } else if k == SOURCE {
                    Color::cycle(2)
                } else {
                    Color::cycle(0)
                }
            })
            .collect();
        bars.value_decimals = Some(2);
        let labels: Vec<(f32, String)> = CLASSES
            .iter()
            .enumerate()
            .map(|(k, c)| ((CLASSES.len() - 1 - k) as f32, c.to_string()))
            .collect();
        let decor = Decor {
            title: Some("confidence".into()),
            x: AxisSpec::default(),
            y: AxisSpec {
                ticks: Ticks::Fixed(labels),
                ..Default::default()
            },
            ..Default::default()
        };
        fig.push(
            Panel::new_2d(
                GridCell::at(0, 2),
                [0.0, 1.3],
                [-0.6, CLASSES.len() as f32 - 0.4],
            )
            .with(bars)
            .with_decor(decor),
        );
        fig
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifier_learns_and_is_fooled() {
        let f = Fooling::new(40, 8.0);
        assert!(f.accuracy > 0.8, "test accuracy {}", f.accuracy);
        assert_eq!(argmax(&f.steps[0].1), SOURCE, "starts as a circle");
        assert_eq!(f.final_class(), f.target(), "ends as the target class");
        // The switch happens mid-animation, so there is something to watch on both sides.
        let switch = f
            .steps
            .iter()
            .position(|s| argmax(&s.1) == TARGET)
            .unwrap_or(0);
        assert!(
            (8..=34).contains(&switch),
            "target on top from step {switch}"
        );
    }
}
