//! Frame generators: a scene knows its frame count and fps and builds any frame on request,
//! deterministically. Random access is what lets the viewer scrub to any frame for the cost of
//! one frame and makes exports reproducible: frame i is the same picture however it was reached.

mod lorenz;

pub use lorenz::Lorenz;

use crate::scene::{Figure, ViewAdjust};
use std::sync::Arc;
use crate::{Error, Result};

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
    build: fn(usize, f64) -> Box<dyn FrameGenerator>,
}

/// The built-in scenes, in the order `flipbook list` shows them.
pub fn builtin_scenes() -> &'static [SceneInfo] {
    &[SceneInfo {
        name: "lorenz",
        summary: "three Lorenz trajectories from starts 1e-4 apart diverging in 3D, camera orbiting",
        frames: 240,
        fps: 24.0,
        build: |n, fps| Box::new(Lorenz::new(n, fps)),
    }]
}

/// Builds the built-in scene `name`, with `options` overriding its defaults.
pub fn build_scene(name: &str, options: &SceneOptions) -> Result<Box<dyn FrameGenerator>> {
    let scenes = builtin_scenes();
    let info = scenes.iter().find(|s| s.name == name).ok_or_else(|| Error::UnknownScene {
        name: name.to_string(),
        known: scenes.iter().map(|s| s.name).collect::<Vec<_>>().join(", "),
    })?;
    let frames = options.frames.unwrap_or(info.frames);
    if frames == 0 {
        return Err(Error::Option { option: "--frames".into(), value: "0".into(), reason: "must be at least 1".into() });
    }
    let fps = options.fps.unwrap_or(info.fps);
    if !(fps.is_finite() && fps > 0.0) {
        return Err(Error::Option { option: "--fps".into(), value: fps.to_string(), reason: "must be a positive number".into() });
    }
    Ok((info.build)(frames, fps))
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
