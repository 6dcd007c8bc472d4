//! `lorenz`: three trajectories of the Lorenz system (σ = 10, ρ = 28, β = 8/3) from starts whose
//! y differs by 1e-4, integrated once with RK4 at set-up. Every frame shares the trajectories'
//! `Arc`, so the GPU receives them once; a frame only moves the visible end of each line, the
//! three head markers and the orbiting camera.

use flipbook::FrameGenerator;
use flipbook::glam::Vec3;
use flipbook::scene::{
    Axes3dBox, AxisSpec, Color, Decor, Figure, GridCell, LineStyle, Lines, Marker, OrbitCamera,
    Panel, PointData, Points,
};
use std::sync::Arc;

/// Integration steps per frame (as in the matplotlib tutorial: 20 steps of 0.005).
const STEPS_PER_FRAME: usize = 20;
/// Integration time step.
const DT: f64 = 0.005;
/// Every `STRIDE`-th integration step is kept as a line vertex: 10 vertices per frame give
/// segments of a few pixels whose chords stray from the true curve by well under 0.1 px at
/// 640×480, at half the cost of drawing every step.
const STRIDE: usize = 2;
const POINTS_PER_FRAME: usize = STEPS_PER_FRAME / STRIDE;

/// The Lorenz scene.
pub struct Lorenz {
    frames: usize,
    fps: f64,
    trajectories: Arc<Vec<Vec<Vec3>>>,
    trail: Option<usize>,
}

impl Lorenz {
    /// A scene of `frames` frames at `fps`.
    pub fn new(frames: usize, fps: f64) -> Self {
        let starts = [[0.0, 1.0, 1.05], [0.0, 1.0001, 1.05], [0.0, 1.0002, 1.05]];
        let steps = frames * STEPS_PER_FRAME + 1;
        let trajectories = starts
            .iter()
            .map(|s| integrate(*s, steps).into_iter().step_by(STRIDE).collect())
            .collect();
        Lorenz {
            frames,
            fps,
            trajectories: Arc::new(trajectories),
            trail: None,
        }
    }

    /// Fades each line out over `trail` points behind its head (`None`: whole lines).
    pub fn with_trail(mut self, trail: Option<usize>) -> Self {
        self.trail = trail;
        self
    }

    /// The trajectories in data coordinates (for tests and examples).
    pub fn trajectories(&self) -> &Arc<Vec<Vec<Vec3>>> {
        &self.trajectories
    }
}

fn lorenz(p: [f64; 3]) -> [f64; 3] {
    let [x, y, z] = p;
    [10.0 * (y - x), x * (28.0 - z) - y, x * y - 8.0 / 3.0 * z]
}

fn integrate(start: [f64; 3], steps: usize) -> Vec<Vec3> {
    let add =
        |a: [f64; 3], b: [f64; 3], k: f64| [a[0] + k * b[0], a[1] + k * b[1], a[2] + k * b[2]];
    let mut p = start;
    let mut out = Vec::with_capacity(steps);
    for _ in 0..steps {
        out.push(Vec3::new(p[0] as f32, p[1] as f32, p[2] as f32));
        let k1 = lorenz(p);
        let k2 = lorenz(add(p, k1, DT / 2.0));
        let k3 = lorenz(add(p, k2, DT / 2.0));
        let k4 = lorenz(add(p, k3, DT));
        for i in 0..3 {
            p[i] += DT / 6.0 * (k1[i] + 2.0 * k2[i] + 2.0 * k3[i] + k4[i]);
        }
    }
    out
}

impl FrameGenerator for Lorenz {
    fn frame_count(&self) -> usize {
        self.frames
    }

    fn fps(&self) -> f64 {
        self.fps
    }

    fn frame(&self, index: usize) -> Figure {
        let index = index.min(self.frames.saturating_sub(1));
        let visible = (index + 1) * POINTS_PER_FRAME + 1;
        let n = self.trajectories.len();
        let styles = (0..n)
            .map(|i| LineStyle::new(Color::cycle(i), 1.5))
            .collect();
        // With a trail only its points are drawn; the fade hides the rest anyway.
        let first = self.trail.map_or(0, |t| visible.saturating_sub(t + 1));
        let lines =
            Lines::new(self.trajectories.clone(), styles).with_visible(vec![first..visible; n]);
        let heads: Vec<Vec3> = self.trajectories.iter().map(|t| t[visible - 1]).collect();
        let heads = PointData {
            positions: heads,
            colors: (0..n).map(Color::cycle).collect(),
            sizes_px: vec![8.0],
        };
        let points = Points {
            data: Arc::new(heads),
            marker: Marker::Circle,
            visible: None,
            label: None,
        };
        let camera = OrbitCamera::looking_from(-60.0 + 0.5 * index as f32, 30.0);
        let bounds = Axes3dBox::new([-22.0, 22.0], [-30.0, 30.0], [0.0, 52.0]);
        let decor = Decor {
            title: Some(format!(
                "Lorenz attractor, t = {:.2}",
                (index + 1) as f64 * STEPS_PER_FRAME as f64 * DT
            )),
            x: AxisSpec::labelled("x"),
            y: AxisSpec::labelled("y"),
            z: AxisSpec::labelled("z"),
            ..Default::default()
        };
        let mut fig = Figure::new(1, 1);
        fig.push(
            Panel::new_3d(GridCell::at(0, 0), bounds, camera)
                .with(lines)
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
    fn trajectories_start_close_and_diverge() {
        let s = Lorenz::new(200, 20.0);
        let t = s.trajectories();
        assert_eq!(t.len(), 3);
        assert!((t[0][0] - t[1][0]).length() < 2e-4);
        let last = t[0].len() - 1;
        assert!(
            (t[0][last] - t[1][last]).length() > 1.0,
            "chaos separates the trajectories"
        );
        for p in t.iter().flatten() {
            assert!(
                p.x.abs() < 30.0 && p.y.abs() < 40.0 && p.z > -1.0 && p.z < 60.0,
                "stays on the attractor: {p}"
            );
        }
    }

    #[test]
    fn frames_are_deterministic_and_share_data() {
        let s = Lorenz::new(50, 20.0);
        let (a, b) = (s.frame(7), s.frame(7));
        let flipbook::scene::Layer::Lines(la) = &a.panels[0].layers[0] else {
            panic!("lines first")
        };
        let flipbook::scene::Layer::Lines(lb) = &b.panels[0].layers[0] else {
            panic!("lines first")
        };
        assert!(Arc::ptr_eq(&la.strips, &lb.strips));
        assert_eq!(la.visible, lb.visible);
        assert_eq!(la.visible.as_ref().unwrap()[0], 0..8 * POINTS_PER_FRAME + 1);
    }
}
