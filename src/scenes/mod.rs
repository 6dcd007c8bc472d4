//! The built-in tutorial scenes, each a [`FrameGenerator`] written only against the public API
//! (the examples compile these very files), and the registry the command line picks them from
//! by name. The animation abstraction itself lives in [`crate::animation`].

mod boundary;
mod channels;
mod cloud;
mod fooling;
mod lorenz;
pub mod nn;
mod regression;
mod sine;
mod weights;

pub use boundary::{Boundary, contour, moons};
pub use channels::Channels;
pub use cloud::point_cloud;
pub use fooling::Fooling;
pub use lorenz::Lorenz;
pub use regression::Regression;
pub use sine::Sine;
pub use weights::Weights;

use crate::animation::{AutoLimits, FrameGenerator, check_timeline};
use crate::{Error, Result, Setting};

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
    /// About how many bytes the scene precomputes per frame (trajectories, training history),
    /// so a frame count the machine cannot hold is refused before any work.
    pub bytes_per_frame: u64,
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
            let bad = |why: &str| Error::invalid(Setting::SceneParam, pair.clone(), why);
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
            bytes_per_frame: 0,
            build: |n, fps, _| Box::new(Sine::new(n, fps)),
        },
        SceneInfo {
            name: "regression",
            summary: "a line fitted by per-sample gradient descent, with its cost on a twin axis",
            frames: 90,
            fps: 10.0,
            bytes_per_frame: 64,
            build: |n, fps, _| Box::new(Regression::new(n, fps)),
        },
        SceneInfo {
            name: "lorenz",
            summary: "three Lorenz trajectories from starts 1e-4 apart diverging in 3D (--param trail=N fades them)",
            frames: 240,
            fps: 24.0,
            bytes_per_frame: 1024,
            build: |n, fps, p| Box::new(Lorenz::new(n, fps).with_trail(p.trail)),
        },
        SceneInfo {
            name: "channels",
            summary: "a random image whose red channel moves across, with its R, G, B channels and a blur",
            frames: 24,
            fps: 6.0,
            bytes_per_frame: 0,
            build: |n, fps, _| Box::new(Channels::new(n, fps)),
        },
        SceneInfo {
            name: "fooling",
            summary: "an image of a circle altered by gradient ascent until a trained classifier says square",
            frames: 40,
            fps: 8.0,
            bytes_per_frame: 1024,
            build: |n, fps, _| Box::new(Fooling::new(n, fps)),
        },
        SceneInfo {
            name: "boundary",
            summary: "a small MLP learning two moons: probability, decision boundary, loss and accuracy per epoch",
            frames: 150,
            fps: 15.0,
            bytes_per_frame: 2048,
            build: |n, fps, _| Box::new(Boundary::new(n, fps)),
        },
        SceneInfo {
            name: "weights",
            summary: "a layer's weight matrix during training as an annotated heatmap with a colorbar",
            frames: 60,
            fps: 8.0,
            bytes_per_frame: 512,
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
    let fps = options.fps.unwrap_or(info.fps);
    check_timeline(frames, fps)?;
    crate::memory::check_fits(
        || format!("{name} with {frames} frames"),
        frames as u64,
        info.bytes_per_frame,
    )?;
    Ok(Box::new(AutoLimits::new((info.build)(
        frames,
        fps,
        &options.params,
    ))?))
}
