//! Animations: a [`FrameGenerator`] knows its frame count and fps and builds any frame on
//! request, deterministically. Random access is what lets the viewer scrub to any frame for the
//! cost of one frame and makes exports reproducible: frame i is the same picture however it was
//! reached.
//!
//! Adapters wrap a generator without knowing what it draws:
//! - [`from_fn`] turns a closure `|i| -> Figure` into a generator;
//! - [`GeneratorExt::map`] changes every frame of another generator;
//! - [`WithView`] applies a viewer user's camera (a fixed view) to every frame;
//! - [`AutoLimits`] gives panels marked [`autoscale`](crate::scene::Decor::autoscale) 2D
//!   limits computed once over every frame, so nothing jumps during playback. Exports, the
//!   viewer and one-figure renders apply it themselves ([`FrameLimits`]), so a generator never
//!   needs wrapping by hand; wrapping twice costs nothing (applied limits clear the mark).

use crate::scene::{Axes, Figure, ViewAdjust};
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

macro_rules! forward_generator {
    ($($ty:ty),*) => {$(
        impl<G: FrameGenerator + ?Sized> FrameGenerator for $ty {
            fn frame_count(&self) -> usize {
                (**self).frame_count()
            }
            fn fps(&self) -> f64 {
                (**self).fps()
            }
            fn frame(&self, index: usize) -> Figure {
                (**self).frame(index)
            }
        }
    )*};
}
forward_generator!(&G, Box<G>, Arc<G>);

/// Checks a generator's frame count and rate: at least one frame, a positive finite fps.
pub fn check_timeline(frames: usize, fps: f64) -> Result<()> {
    if frames == 0 {
        return Err(Error::invalid(
            crate::Setting::FrameCount,
            "0",
            "must be at least 1",
        ));
    }
    if !(fps.is_finite() && fps > 0.0) {
        return Err(Error::invalid(
            crate::Setting::Fps,
            fps.to_string(),
            "must be a positive number",
        ));
    }
    Ok(())
}

/// A scene written as a closure; see [`from_fn`].
pub struct FromFn<F> {
    frames: usize,
    fps: f64,
    build: F,
}

/// A generator of `frames` frames at `fps` whose frame `i` is `build(i)`.
///
/// ```
/// use flipbook::{animation::from_fn, FrameGenerator, scene::*};
/// let scene = from_fn(50, 25.0, |i| {
///     let mut fig = Figure::new(1, 1);
///     fig.push(Panel::new_2d(GridCell::at(0, 0), [0.0, 1.0], [0.0, 1.0]).titled(format!("frame {i}")));
///     fig
/// });
/// assert_eq!(scene.frame(7).panels[0].decor.title.as_deref(), Some("frame 7"));
/// ```
pub fn from_fn<F>(frames: usize, fps: f64, build: F) -> FromFn<F>
where
    F: Fn(usize) -> Figure + Send + Sync,
{
    FromFn { frames, fps, build }
}

impl<F: Fn(usize) -> Figure + Send + Sync> FrameGenerator for FromFn<F> {
    fn frame_count(&self) -> usize {
        self.frames
    }
    fn fps(&self) -> f64 {
        self.fps
    }
    fn frame(&self, index: usize) -> Figure {
        (self.build)(index)
    }
}

/// Another generator with every frame passed through a function; see [`GeneratorExt::map`].
pub struct Map<G, F> {
    inner: G,
    f: F,
}

impl<G: FrameGenerator, F: Fn(usize, Figure) -> Figure + Send + Sync> FrameGenerator for Map<G, F> {
    fn frame_count(&self) -> usize {
        self.inner.frame_count()
    }
    fn fps(&self) -> f64 {
        self.inner.fps()
    }
    fn frame(&self, index: usize) -> Figure {
        (self.f)(index, self.inner.frame(index))
    }
}

/// Adapters available on every sized generator.
pub trait GeneratorExt: FrameGenerator + Sized {
    /// Frame `i` becomes `f(i, frame)`: add an annotation, change a title, restyle a layer.
    fn map<F: Fn(usize, Figure) -> Figure + Send + Sync>(self, f: F) -> Map<Self, F> {
        Map { inner: self, f }
    }

    /// Every frame seen through `view` (a viewer user's orbit, zoom and pan).
    fn with_view(self, view: ViewAdjust) -> WithView<Self> {
        WithView::new(self, view)
    }

    /// Panels marked `autoscale` get limits computed over every frame; see [`AutoLimits`].
    fn auto_limits(self) -> Result<AutoLimits<Self>> {
        AutoLimits::new(self)
    }
}

impl<G: FrameGenerator> GeneratorExt for G {}

/// A generator seen through a user's view adjustments: what the viewer exports, so the file
/// shows the camera the user set.
pub struct WithView<G> {
    inner: G,
    view: ViewAdjust,
}

impl<G: FrameGenerator> WithView<G> {
    /// `inner` seen through `view`.
    pub fn new(inner: G, view: ViewAdjust) -> Self {
        WithView { inner, view }
    }
}

impl<G: FrameGenerator> FrameGenerator for WithView<G> {
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

/// 2D limits per panel, `None` for panels that keep their own.
type PanelLimits = Option<([f32; 2], [f32; 2])>;

/// Fixed 2D limits for the panels of a figure that asked for automatic ones, computed once from
/// data with matplotlib's 5% margins. Non-finite values are ignored; a panel with no finite
/// data keeps the limits it was made with.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FrameLimits {
    panels: Vec<PanelLimits>,
}

impl FrameLimits {
    /// Scans every frame of `generator` if frame 0 has a panel marked `autoscale`, validating
    /// each frame first (inconsistent data is an error naming the frame, not a wrong limit);
    /// returns `None` when no panel asks for automatic limits.
    pub fn scan(generator: &dyn FrameGenerator) -> Result<Option<FrameLimits>> {
        let count = generator.frame_count();
        if count == 0 {
            return Ok(None);
        }
        let first = generator.frame(0);
        if !first.panels.iter().any(|p| p.decor.autoscale) {
            return Ok(None);
        }
        let mut acc = Bounds::for_figure(&first);
        for i in 0..count {
            let f = if i == 0 {
                first.clone()
            } else {
                generator.frame(i)
            };
            f.validate().map_err(|e| e.in_frame(i))?;
            acc.add(&f);
        }
        Ok(Some(acc.limits()))
    }

    /// The limits of one figure on its own (for a single render): its own data's bounds.
    pub fn of_figure(figure: &Figure) -> Result<Option<FrameLimits>> {
        if !figure.panels.iter().any(|p| p.decor.autoscale) {
            return Ok(None);
        }
        figure.validate()?;
        let mut acc = Bounds::for_figure(figure);
        acc.add(figure);
        Ok(Some(acc.limits()))
    }

    /// Sets the limits of every panel that has them and clears its `autoscale` mark, so the
    /// figure is final (a second [`AutoLimits`] leaves it alone).
    pub fn apply(&self, figure: &mut Figure) {
        for (panel, limits) in figure.panels.iter_mut().zip(&self.panels) {
            if let Some((x, y)) = limits
                && let Axes::TwoD { x_limits, y_limits } = &mut panel.axes
            {
                (*x_limits, *y_limits) = (*x, *y);
                panel.decor.autoscale = false;
            }
        }
    }
}

/// Running data bounds per autoscaled panel.
struct Bounds {
    wanted: Vec<bool>,
    bounds: Vec<PanelLimits>,
}

impl Bounds {
    fn for_figure(first: &Figure) -> Self {
        let wanted: Vec<bool> = first.panels.iter().map(|p| p.decor.autoscale).collect();
        let bounds = vec![None; wanted.len()];
        Bounds { wanted, bounds }
    }

    fn add(&mut self, f: &Figure) {
        for (k, panel) in f.panels.iter().enumerate().take(self.wanted.len()) {
            if !self.wanted[k] {
                continue;
            }
            if let Some((x, y)) = crate::scene::data_bounds_2d(&panel.layers) {
                let b = self.bounds[k].get_or_insert((x, y));
                *b = (
                    [b.0[0].min(x[0]), b.0[1].max(x[1])],
                    [b.1[0].min(y[0]), b.1[1].max(y[1])],
                );
            }
        }
    }

    fn limits(self) -> FrameLimits {
        let margin = |[lo, hi]: [f32; 2]| {
            let pad = if hi > lo { 0.05 * (hi - lo) } else { 0.5 };
            [lo - pad, hi + pad]
        };
        FrameLimits {
            panels: self
                .bounds
                .into_iter()
                .map(|b| b.map(|(x, y)| (margin(x), margin(y))))
                .collect(),
        }
    }
}

/// A generator whose panels marked [`autoscale`](crate::scene::Decor::autoscale) get fixed 2D
/// limits computed once from every frame's data, so the axes do not jump during playback.
/// Scenes without such panels pass through untouched (frame 0 is looked at to tell).
pub struct AutoLimits<G> {
    inner: G,
    limits: Option<FrameLimits>,
}

impl<G: FrameGenerator> AutoLimits<G> {
    /// Scans `inner`'s frames if any panel asks for automatic limits; inconsistent layer data
    /// in any frame is an error.
    pub fn new(inner: G) -> Result<Self> {
        let limits = FrameLimits::scan(&inner)?;
        Ok(AutoLimits { inner, limits })
    }
}

impl<G: FrameGenerator> FrameGenerator for AutoLimits<G> {
    fn frame_count(&self) -> usize {
        self.inner.frame_count()
    }
    fn fps(&self) -> f64 {
        self.inner.fps()
    }
    fn frame(&self, index: usize) -> Figure {
        let mut f = self.inner.frame(index);
        if let Some(l) = &self.limits {
            l.apply(&mut f);
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
    fn growing() -> impl FrameGenerator {
        from_fn(10, 10.0, |i| {
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
        })
    }

    fn limits_of(f: &Figure) -> ([f32; 2], [f32; 2]) {
        match f.panels[0].axes {
            Axes::TwoD { x_limits, y_limits } => (x_limits, y_limits),
            _ => unreachable!(),
        }
    }

    #[test]
    fn automatic_limits_cover_every_frame_and_never_move() {
        let g = growing().auto_limits().unwrap();
        let (x, y) = limits_of(&g.frame(0));
        assert!(
            (x[0] + 0.45).abs() < 1e-4 && (x[1] - 9.45).abs() < 1e-4,
            "{x:?}"
        );
        assert!(
            (y[0] + 4.05).abs() < 1e-3 && (y[1] - 85.05).abs() < 1e-3,
            "{y:?}"
        );
        assert_eq!(limits_of(&g.frame(3)), limits_of(&g.frame(9)));
        assert!(
            !g.frame(3).panels[0].decor.autoscale,
            "applied limits are final"
        );
        // Wrapping again scans nothing and changes nothing.
        let twice = g.auto_limits().unwrap();
        assert!(twice.limits.is_none());
    }

    #[test]
    fn map_and_with_view_change_every_frame() {
        let g = growing().map(|i, mut f| {
            f.title = Some(format!("step {i}"));
            f
        });
        assert_eq!(g.frame(4).title.as_deref(), Some("step 4"));
        assert_eq!(g.frame_count(), 10);
        let boxed: Box<dyn FrameGenerator> = Box::new(g);
        assert_eq!(boxed.frame(2).title.as_deref(), Some("step 2"));
    }

    #[test]
    fn inconsistent_data_is_an_error_before_limits() {
        let bad = from_fn(3, 10.0, |i| {
            let mut f = Figure::new(1, 1);
            let lines = Lines::new(
                Arc::new(vec![vec![Vec3::ZERO; 4]]),
                vec![LineStyle::new(Color::BLACK, 1.0)],
            )
            .with_visible(std::iter::once(0..(2 + 2 * i)).collect());
            f.push(
                Panel::new_2d(GridCell::at(0, 0), [0.0, 1.0], [0.0, 1.0])
                    .with(lines)
                    .with_decor(Decor {
                        autoscale: true,
                        ..Default::default()
                    }),
            );
            f
        });
        let err = AutoLimits::new(bad)
            .err()
            .expect("frame 2 shows 0..6 of 4 points");
        let msg = err.to_string();
        assert!(msg.contains("frame 2") && msg.contains("0..6"), "{msg}");
    }

    #[test]
    fn check_timeline_names_the_value() {
        assert!(
            check_timeline(0, 10.0)
                .unwrap_err()
                .to_string()
                .contains("frame count")
        );
        assert!(
            check_timeline(5, f64::NAN)
                .unwrap_err()
                .to_string()
                .contains("NaN")
        );
        assert!(check_timeline(5, 24.0).is_ok());
    }
}
