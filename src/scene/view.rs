//! User view adjustments: what a viewer user did to each panel's view (orbit, zoom, pan),
//! stored as changes relative to the scene's own view, so an animated camera (lorenz orbits)
//! keeps animating with the user's offset, and export from the viewer applies the same offset.

use super::{Axes, Figure};
use glam::Vec2;

/// One panel's adjustment. The identity leaves the panel as the scene made it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PanelAdjust {
    /// Degrees added to a 3D camera's azimuth.
    pub azimuth_deg: f32,
    /// Degrees added to a 3D camera's elevation (the result is clamped to ±89.9°).
    pub elevation_deg: f32,
    /// Magnification: 2 shows half the data span (2D) or halves the camera distance (3D).
    pub zoom: f32,
    /// 2D shift of the view centre in units of the scene's data span (x right, y up).
    pub pan: Vec2,
}

impl Default for PanelAdjust {
    fn default() -> Self {
        PanelAdjust {
            azimuth_deg: 0.0,
            elevation_deg: 0.0,
            zoom: 1.0,
            pan: Vec2::ZERO,
        }
    }
}

impl PanelAdjust {
    /// Rotates a 3D view.
    pub fn orbit(&mut self, d_azimuth_deg: f32, d_elevation_deg: f32) {
        self.azimuth_deg = (self.azimuth_deg + d_azimuth_deg).rem_euclid(360.0);
        self.elevation_deg = (self.elevation_deg + d_elevation_deg).clamp(-180.0, 180.0);
    }

    /// Shifts a 2D view by `delta`, in fractions of the visible span.
    pub fn pan_by(&mut self, delta: Vec2) {
        self.pan += delta / self.zoom;
    }

    /// Zooms by `factor` keeping the point at `anchor` (fractions of the panel, 0..1, y up)
    /// in place, as scroll-zoom in a plot viewer does.
    pub fn zoom_by(&mut self, factor: f32, anchor: Vec2) {
        if !(factor.is_finite() && factor > 0.0) {
            return;
        }
        let new_zoom = (self.zoom * factor).clamp(1e-3, 1e4);
        // Visible span s = 1/zoom (in scene spans); the anchor's data position must not move.
        let (s, s2) = (1.0 / self.zoom, 1.0 / new_zoom);
        self.pan += (anchor - Vec2::splat(0.5)) * (s - s2);
        self.zoom = new_zoom;
    }
}

/// Adjustments for every panel of a figure, by panel index.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ViewAdjust {
    panels: Vec<PanelAdjust>,
}

impl ViewAdjust {
    /// The adjustment of panel `i` (identity if never touched).
    pub fn panel(&self, i: usize) -> PanelAdjust {
        self.panels.get(i).copied().unwrap_or_default()
    }

    /// Mutable adjustment of panel `i`.
    pub fn panel_mut(&mut self, i: usize) -> &mut PanelAdjust {
        if self.panels.len() <= i {
            self.panels.resize(i + 1, PanelAdjust::default());
        }
        &mut self.panels[i]
    }

    /// True when nothing is adjusted.
    pub fn is_identity(&self) -> bool {
        self.panels.iter().all(|p| *p == PanelAdjust::default())
    }

    /// Resets panel `i`.
    pub fn reset_panel(&mut self, i: usize) {
        if let Some(p) = self.panels.get_mut(i) {
            *p = PanelAdjust::default();
        }
    }

    /// Resets every panel.
    pub fn reset(&mut self) {
        self.panels.clear();
    }

    /// Applies the adjustments to `figure`'s panels.
    pub fn apply(&self, figure: &mut Figure) {
        for (panel, adj) in figure.panels.iter_mut().zip(&self.panels) {
            match &mut panel.axes {
                Axes::TwoD { x_limits, y_limits } => {
                    for (lim, pan) in [(x_limits, adj.pan.x), (y_limits, adj.pan.y)] {
                        let span = lim[1] - lim[0];
                        let centre = 0.5 * (lim[0] + lim[1]) + pan * span;
                        let half = 0.5 * span / adj.zoom;
                        *lim = [centre - half, centre + half];
                    }
                }
                Axes::ThreeD { camera, .. } => {
                    camera.azimuth_deg += adj.azimuth_deg;
                    camera.elevation_deg =
                        (camera.elevation_deg + adj.elevation_deg).clamp(-89.9, 89.9);
                    camera.distance /= adj.zoom;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scene::{Axes3dBox, GridCell, OrbitCamera, Panel};

    fn fig() -> Figure {
        let mut f = Figure::new(1, 2);
        f.push(Panel::new_2d(GridCell::at(0, 0), [0.0, 10.0], [-1.0, 1.0]));
        f.push(Panel::new_3d(
            GridCell::at(0, 1),
            Axes3dBox::new([0.0, 1.0], [0.0, 1.0], [0.0, 1.0]),
            OrbitCamera::default(),
        ));
        f
    }

    fn limits(f: &Figure) -> ([f32; 2], [f32; 2]) {
        match f.panels[0].axes {
            Axes::TwoD { x_limits, y_limits } => (x_limits, y_limits),
            _ => unreachable!(),
        }
    }

    #[test]
    fn identity_changes_nothing() {
        let mut f = fig();
        ViewAdjust::default().apply(&mut f);
        assert_eq!(limits(&f), ([0.0, 10.0], [-1.0, 1.0]));
    }

    #[test]
    fn zoom_keeps_the_anchor_fixed() {
        let mut v = ViewAdjust::default();
        v.panel_mut(0).zoom_by(2.0, Vec2::new(0.25, 0.5));
        let mut f = fig();
        v.apply(&mut f);
        let (x, y) = limits(&f);
        // x = 2.5 sat at a quarter of the panel and still does; the span halved.
        assert!((x[0] + 0.25 * (x[1] - x[0]) - 2.5).abs() < 1e-5, "{x:?}");
        assert!((x[1] - x[0] - 5.0).abs() < 1e-5);
        assert!((y[1] - y[0] - 1.0).abs() < 1e-5);
    }

    #[test]
    fn pan_moves_by_visible_fraction() {
        let mut v = ViewAdjust::default();
        v.panel_mut(0).zoom_by(2.0, Vec2::splat(0.5));
        v.panel_mut(0).pan_by(Vec2::new(0.5, 0.0)); // half the visible span (5) = 2.5
        let mut f = fig();
        v.apply(&mut f);
        let (x, _) = limits(&f);
        assert!(
            (x[0] - 5.0).abs() < 1e-5 && (x[1] - 10.0).abs() < 1e-5,
            "{x:?}"
        );
    }

    #[test]
    fn orbit_and_zoom_3d_and_reset() {
        let mut v = ViewAdjust::default();
        v.panel_mut(1).orbit(30.0, 100.0);
        v.panel_mut(1).zoom_by(2.0, Vec2::splat(0.5));
        let mut f = fig();
        v.apply(&mut f);
        let Axes::ThreeD { camera, .. } = f.panels[1].axes else {
            unreachable!()
        };
        let base = OrbitCamera::default();
        assert_eq!(camera.azimuth_deg, base.azimuth_deg + 30.0);
        assert_eq!(camera.elevation_deg, 89.9);
        assert_eq!(camera.distance, base.distance / 2.0);
        v.reset_panel(1);
        assert!(v.is_identity());
    }
}
