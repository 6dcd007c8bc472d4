//! Frame generators: a scene knows its frame count and fps and builds any frame on request,
//! deterministically. Random access is what lets the viewer scrub to any frame for the cost of
//! one frame and makes exports reproducible: frame i is the same picture however it was reached.

mod boundary;
mod channels;
mod fooling;
mod lorenz;
pub mod nn;
mod regression;
mod sine;
mod weights;

pub use boundary::{Boundary, contour, moons};
pub use channels::Channels;
pub use fooling::Fooling;
pub use lorenz::Lorenz;
pub use regression::Regression;
pub use sine::Sine;
pub use weights::Weights;

use crate::scene::{Figure, ViewAdjust};
use crate::{Error, Result};
use std::sync::Arc;

/// A deterministic, random-access source of frames.
pub trait FrameGenerator: Send + Sync {
    /// Number of frames in the timeline.
    fn frame_count(&self) -> usize;
    /// Playback rate in frames per second.
    fn fps(&self) -> f64;
    /// The figure of frame `index` (`0..frame_count()`); the same index always gives the same
    /// figure. Heavy data should be shared between frames through `Arc`s so it is uploaded once.
    fn frame(&self, index: usize) -> Figure;
}

/// Options every built-in scene accepts.
#[derive(Clone, Debug, Default)]
pub struct SceneOptions {
    /// Frame count instead of the scene's default.
    pub frames: Option<usize>,
    /// Frames per second instead of the scene's default.
    pub fps: Option<f64>,
    /// Scene-specific settings.
    pub params: SceneParams,
}

/// A built-in scene: its name, a one-line description and how to build it.
pub struct SceneInfo {
    /// Name used on the command line.
    pub name: &'static str,
    /// One line saying what it shows.
    pub summary: &'static str,
    /// Default frame count.
    pub frames: usize,
    /// Default frames per second.
    pub fps: f64,
    build: fn(usize, f64, &SceneParams) -> Box<dyn FrameGenerator>,
}

/// Scene-specific settings given as `--param key=value`.
#[derive(Clone, Debug, Default)]
pub struct SceneParams {
    /// lorenz: fade each trajectory over this many points behind its head.
    pub trail: Option<usize>,
}

impl SceneParams {
    /// Parses `key=value` pairs, naming the one at fault.
    pub fn parse(pairs: &[String]) -> Result<Self> {
        let mut p = SceneParams::default();
        for pair in pairs {
            let bad = |why: &str| Error::Option {
                option: "--param".into(),
                value: pair.clone(),
                reason: why.into(),
            };
            let (k, v) = pair
                .split_once('=')
                .ok_or_else(|| bad("expected key=value"))?;
            match k.trim() {
                "trail" => {
                    p.trail = Some(
                        v.trim()
                            .parse()
                            .map_err(|_| bad("trail is a whole number of points"))?,
                    )
                }
                _ => return Err(bad("known keys: trail")),
            }
        }
        Ok(p)
    }
}

/// The built-in scenes, in the order `flipbook list` shows them.
pub fn builtin_scenes() -> &'static [SceneInfo] {
    &[
        SceneInfo {
            name: "sine",
            summary: "sin(x + i/10) travelling past a fixed cos(x), with axes and a legend",
            frames: 100,
            fps: 25.0,
            build: |n, fps, _| Box::new(Sine::new(n, fps)),
        },
        SceneInfo {
            name: "regression",
            summary: "a line fitted by per-sample gradient descent, with its cost on a twin axis",
            frames: 90,
            fps: 10.0,
            build: |n, fps, _| Box::new(Regression::new(n, fps)),
        },
        SceneInfo {
            name: "lorenz",
            summary: "three Lorenz trajectories from starts 1e-4 apart diverging in 3D (--param trail=N fades them)",
            frames: 240,
            fps: 24.0,
            build: |n, fps, p| Box::new(Lorenz::new(n, fps).with_trail(p.trail)),
        },
        SceneInfo {
            name: "channels",
            summary: "a random image whose red channel moves across, with its R, G, B channels and a blur",
            frames: 24,
            fps: 6.0,
            build: |n, fps, _| Box::new(Channels::new(n, fps)),
        },
        SceneInfo {
            name: "fooling",
            summary: "an image of a circle altered by gradient ascent until a trained classifier says square",
            frames: 40,
            fps: 8.0,
            build: |n, fps, _| Box::new(Fooling::new(n, fps)),
        },
        SceneInfo {
            name: "boundary",
            summary: "a small MLP learning two moons: probability, decision boundary, loss and accuracy per epoch",
            frames: 150,
            fps: 15.0,
            build: |n, fps, _| Box::new(Boundary::new(n, fps)),
        },
        SceneInfo {
            name: "weights",
            summary: "a layer's weight matrix during training as an annotated heatmap with a colorbar",
            frames: 60,
            fps: 8.0,
            build: |n, fps, _| Box::new(Weights::new(n, fps)),
        },
    ]
}

/// Builds the built-in scene `name`, with `options` overriding its defaults.
pub fn build_scene(name: &str, options: &SceneOptions) -> Result<Box<dyn FrameGenerator>> {
    let scenes = builtin_scenes();
    let info = scenes
        .iter()
        .find(|s| s.name == name)
        .ok_or_else(|| Error::UnknownScene {
            name: name.to_string(),
            known: scenes.iter().map(|s| s.name).collect::<Vec<_>>().join(", "),
        })?;
    let frames = options.frames.unwrap_or(info.frames);
    if frames == 0 {
        return Err(Error::Option {
            option: "--frames".into(),
            value: "0".into(),
            reason: "must be at least 1".into(),
        });
    }
    let fps = options.fps.unwrap_or(info.fps);
    if !(fps.is_finite() && fps > 0.0) {
        return Err(Error::Option {
            option: "--fps".into(),
            value: fps.to_string(),
            reason: "must be a positive number".into(),
        });
    }
    Ok(Box::new(AutoLimits::new((info.build)(
        frames,
        fps,
        &options.params,
    ))))
}

/// A generator seen through a user's view adjustments: what the viewer exports, so the file
/// shows the camera the user set.
pub struct WithView {
    /// The scene.
    pub inner: Arc<dyn FrameGenerator>,
    /// The adjustments applied to every frame.
    pub view: ViewAdjust,
}

impl FrameGenerator for WithView {
    fn frame_count(&self) -> usize {
        self.inner.frame_count()
    }

    fn fps(&self) -> f64 {
        self.inner.fps()
    }

    fn frame(&self, index: usize) -> Figure {
        let mut f = self.inner.frame(index);
        self.view.apply(&mut f);
        f
    }
}

/// A generator whose panels marked [`autoscale`](crate::scene::Decor::autoscale) get fixed 2D
/// limits computed once from every frame's data, with matplotlib's 5% margins, so the axes do
/// not jump during playback. Scenes without such panels pass through untouched (frame 0 is
/// looked at to tell).
pub struct AutoLimits {
    inner: Box<dyn FrameGenerator>,
    limits: Vec<Option<([f32; 2], [f32; 2])>>,
}

impl AutoLimits {
    /// Scans `inner`'s frames if any panel asks for automatic limits.
    pub fn new(inner: Box<dyn FrameGenerator>) -> Self {
        let first = inner.frame(0);
        let wanted: Vec<bool> = first.panels.iter().map(|p| p.decor.autoscale).collect();
        let mut bounds: Vec<Option<([f32; 2], [f32; 2])>> = vec![None; wanted.len()];
        if wanted.iter().any(|&w| w) {
            for i in 0..inner.frame_count() {
                let f = if i == 0 {
                    first.clone()
                } else {
                    inner.frame(i)
                };
                for (k, panel) in f.panels.iter().enumerate().take(wanted.len()) {
                    if !wanted[k] {
                        continue;
                    }
                    if let Some((x, y)) = crate::scene::data_bounds_2d(&panel.layers) {
                        let b = bounds[k].get_or_insert((x, y));
                        *b = (
                            [b.0[0].min(x[0]), b.0[1].max(x[1])],
                            [b.1[0].min(y[0]), b.1[1].max(y[1])],
                        );
                    }
                }
            }
        }
        let margin = |[lo, hi]: [f32; 2]| {
            let pad = if hi > lo { 0.05 * (hi - lo) } else { 0.5 };
            [lo - pad, hi + pad]
        };
        let limits = bounds
            .into_iter()
            .map(|b| b.map(|(x, y)| (margin(x), margin(y))))
            .collect();
        AutoLimits { inner, limits }
    }
}

impl FrameGenerator for AutoLimits {
    fn frame_count(&self) -> usize {
        self.inner.frame_count()
    }

    fn fps(&self) -> f64 {
        self.inner.fps()
    }

    fn frame(&self, index: usize) -> Figure {
        let mut f = self.inner.frame(index);
        for (panel, limits) in f.panels.iter_mut().zip(&self.limits) {
            if let (Some((x, y)), crate::scene::Axes::TwoD { x_limits, y_limits }) =
                (limits, &mut panel.axes)
            {
                (*x_limits, *y_limits) = (*x, *y);
            }
        }
        f
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scene::{Color, Decor, GridCell, LineStyle, Lines, Panel};
    use glam::Vec3;

    /// A line that grows by one point per frame, with a NaN in the middle.
    struct Growing;

    impl FrameGenerator for Growing {
        fn frame_count(&self) -> usize {
            10
        }
        fn fps(&self) -> f64 {
            10.0
        }
        fn frame(&self, i: usize) -> Figure {
            let pts: Vec<Vec3> = (0..=i)
                .map(|k| {
                    if k == 5 {
                        Vec3::NAN
                    } else {
                        Vec3::new(k as f32, (k * k) as f32, 0.0)
                    }
                })
                .collect();
            let decor = Decor {
                autoscale: true,
                ..Default::default()
            };
            let mut f = Figure::new(1, 1);
            f.push(
                Panel::new_2d(GridCell::at(0, 0), [0.0, 1.0], [0.0, 1.0])
                    .with(Lines::new(
                        Arc::new(vec![pts]),
                        vec![LineStyle::new(Color::BLACK, 1.0)],
                    ))
                    .with_decor(decor),
            );
            f
        }
    }

    #[test]
    fn automatic_limits_cover_every_frame_and_never_move() {
        let g = AutoLimits::new(Box::new(Growing));
        let lims = |i| match g.frame(i).panels[0].axes {
            crate::scene::Axes::TwoD { x_limits, y_limits } => (x_limits, y_limits),
            _ => unreachable!(),
        };
        let (x, y) = lims(0);
        assert!(
            (x[0] + 0.45).abs() < 1e-4 && (x[1] - 9.45).abs() < 1e-4,
            "{x:?}"
        );
        assert!(
            (y[0] + 4.05).abs() < 1e-3 && (y[1] - 85.05).abs() < 1e-3,
            "{y:?}"
        );
        assert_eq!(lims(3), lims(9), "the same limits in every frame");
    }
}
