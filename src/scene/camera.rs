//! 3D axes: a data box scaled onto a world-space box centred at the origin, seen by a perspective
//! orbit camera described in matplotlib's vocabulary (azimuth, elevation, distance; z is up).
//!
//! The eye sits at `distance · (cos e · cos a, cos e · sin a, sin e)` and looks at the origin, so
//! azimuth 0 looks along −x and azimuth 90° along −y, as `Axes3D.view_init(elev, azim)` does.
//! The field of view applies to the smaller side of the viewport so the box fits either way.

use glam::{Mat4, Vec3};

/// A perspective camera orbiting the origin.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct OrbitCamera {
    /// Rotation about the z axis in degrees (matplotlib `azim`).
    pub azimuth_deg: f32,
    /// Angle above the xy plane in degrees (matplotlib `elev`), clamped to ±89.9°.
    pub elevation_deg: f32,
    /// Distance from the origin in world units (the box's largest half-side is 1).
    pub distance: f32,
    /// Field of view across the viewport's smaller side, in degrees.
    pub fov_deg: f32,
}

impl Default for OrbitCamera {
    /// matplotlib's default view (`elev=30`, `azim=-60`) at a distance that fits the default box.
    fn default() -> Self {
        OrbitCamera {
            azimuth_deg: -60.0,
            elevation_deg: 30.0,
            distance: 6.0,
            fov_deg: 30.0,
        }
    }
}

impl OrbitCamera {
    /// A default camera looking from `azimuth_deg`, `elevation_deg`.
    pub fn looking_from(azimuth_deg: f32, elevation_deg: f32) -> Self {
        OrbitCamera {
            azimuth_deg,
            elevation_deg,
            ..Default::default()
        }
    }

    /// The eye position in world space.
    pub fn eye(&self) -> Vec3 {
        let a = self.azimuth_deg.to_radians();
        let e = self.elevation_deg.clamp(-89.9, 89.9).to_radians();
        self.distance.max(1e-3) * Vec3::new(e.cos() * a.cos(), e.cos() * a.sin(), e.sin())
    }

    /// World → view transform (right-handed, camera looks down −z, z-up world).
    pub fn view_from_world(&self) -> Mat4 {
        Mat4::look_at_rh(self.eye(), Vec3::ZERO, Vec3::Z)
    }

    /// World → clip transform for a viewport of `aspect` = width / height (depth in 0..1).
    pub fn clip_from_world(&self, aspect: f32) -> Mat4 {
        let aspect = if aspect.is_finite() && aspect > 0.0 {
            aspect
        } else {
            1.0
        };
        let fov = self.fov_deg.clamp(1.0, 170.0).to_radians();
        // Keep `fov` across the smaller side: when the viewport is tall, widen the vertical fov.
        let fov_y = if aspect >= 1.0 {
            fov
        } else {
            2.0 * ((fov / 2.0).tan() / aspect).atan()
        };
        let d = self.distance.max(1e-3);
        let proj = Mat4::perspective_rh(fov_y, aspect, (d * 0.05).max(1e-3), d * 10.0 + 10.0);
        proj * self.view_from_world()
    }
}

/// Data limits of 3D axes and the on-screen proportions of the box they fill.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Axes3dBox {
    /// `[min, max]` of x, y and z in data units.
    pub limits: [[f32; 2]; 3],
    /// Relative side lengths of the drawn box (matplotlib's default is 4:4:3).
    pub box_aspect: [f32; 3],
}

impl Axes3dBox {
    /// A box with matplotlib's default 4:4:3 proportions.
    pub fn new(x: [f32; 2], y: [f32; 2], z: [f32; 2]) -> Self {
        Axes3dBox {
            limits: [x, y, z],
            box_aspect: [4.0, 4.0, 3.0],
        }
    }

    /// Half side lengths of the world-space box; the largest is 1.
    pub fn half_extents(&self) -> Vec3 {
        let a = Vec3::from(self.box_aspect).abs().max(Vec3::splat(1e-6));
        a / a.max_element()
    }

    /// Data → world transform: the data box onto `[-h, h]` per axis, `h` = [`Self::half_extents`].
    pub fn world_from_data(&self) -> Mat4 {
        let h = self.half_extents();
        let mut scale = Vec3::ZERO;
        let mut centre = Vec3::ZERO;
        for i in 0..3 {
            let [lo, hi] = self.limits[i];
            let span = if (hi - lo).abs() > f32::EPSILON {
                hi - lo
            } else {
                1.0
            };
            scale[i] = 2.0 * h[i] / span;
            centre[i] = 0.5 * (lo + hi);
        }
        Mat4::from_scale(scale) * Mat4::from_translation(-centre)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn project(m: Mat4, p: Vec3) -> Vec3 {
        m.project_point3(p)
    }

    #[test]
    fn box_corners_map_to_half_extents() {
        let b = Axes3dBox::new([-25.0, 25.0], [-35.0, 35.0], [0.0, 55.0]);
        let m = b.world_from_data();
        assert!(
            project(m, Vec3::new(-25.0, -35.0, 0.0))
                .abs_diff_eq(Vec3::new(-1.0, -1.0, -0.75), 1e-5)
        );
        assert!(
            project(m, Vec3::new(25.0, 35.0, 55.0)).abs_diff_eq(Vec3::new(1.0, 1.0, 0.75), 1e-5)
        );
        assert!(project(m, Vec3::new(0.0, 0.0, 27.5)).abs_diff_eq(Vec3::ZERO, 1e-5));
    }

    #[test]
    fn azimuth_and_elevation_follow_matplotlib() {
        let c = OrbitCamera {
            azimuth_deg: 0.0,
            elevation_deg: 0.0,
            distance: 5.0,
            fov_deg: 30.0,
        };
        assert!(c.eye().abs_diff_eq(Vec3::new(5.0, 0.0, 0.0), 1e-5));
        let c = OrbitCamera {
            azimuth_deg: 90.0,
            ..c
        };
        assert!(c.eye().abs_diff_eq(Vec3::new(0.0, 5.0, 0.0), 1e-4));
        let c = OrbitCamera {
            elevation_deg: 90.0,
            ..c
        };
        // Clamped just short of the pole so "up" stays defined.
        assert!(c.eye().z > 4.99 && c.eye().truncate().length() < 0.01);
    }

    #[test]
    fn origin_projects_to_viewport_centre_and_up_is_up() {
        let c = OrbitCamera::default();
        let m = c.clip_from_world(4.0 / 3.0);
        let o = project(m, Vec3::ZERO);
        assert!(o.truncate().abs_diff_eq(glam::Vec2::ZERO, 1e-5));
        assert!(o.z > 0.0 && o.z < 1.0, "depth {o:?} inside 0..1");
        assert!(
            project(m, Vec3::Z * 0.5).y > 0.0,
            "+z appears above the centre"
        );
    }

    #[test]
    fn default_box_fits_in_view_at_any_azimuth_and_aspect() {
        let b = Axes3dBox::new([0.0, 1.0], [0.0, 1.0], [0.0, 1.0]);
        for aspect in [0.5, 1.0, 4.0 / 3.0, 2.0] {
            for az in (0..360).step_by(15) {
                let c = OrbitCamera {
                    azimuth_deg: az as f32,
                    ..Default::default()
                };
                let m = c.clip_from_world(aspect) * b.world_from_data();
                for i in 0..8 {
                    let p = Vec3::new((i & 1) as f32, ((i >> 1) & 1) as f32, ((i >> 2) & 1) as f32);
                    let q = project(m, p);
                    assert!(
                        q.x.abs() < 1.0 && q.y.abs() < 1.0,
                        "corner {p} at {q} (aspect {aspect}, az {az})"
                    );
                }
            }
        }
    }

    #[test]
    fn nearer_points_have_smaller_depth() {
        let c = OrbitCamera::looking_from(0.0, 0.0);
        let m = c.clip_from_world(1.0);
        assert!(project(m, Vec3::new(0.5, 0.0, 0.0)).z < project(m, Vec3::new(-0.5, 0.0, 0.0)).z);
    }
}
