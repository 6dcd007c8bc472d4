//! `point_cloud`: a large static scatter for measuring and testing the splatting path, not a
//! tutorial animation (it is not in the registry).

use flipbook::scene::{Colormap, Figure, GridCell, Panel, PointData, Points};
use std::sync::Arc;

/// A 2D scatter of `n` points on a low-discrepancy (R2) sequence, coloured by position.
pub fn point_cloud(n: usize) -> Figure {
    let (a1, a2) = (0.754_877_7_f64, 0.569_840_3_f64);
    let mut positions = Vec::with_capacity(n);
    let mut colors = Vec::with_capacity(n);
    for i in 0..n {
        let x = (0.5 + a1 * i as f64).fract() as f32;
        let y = (0.5 + a2 * i as f64).fract() as f32;
        positions.push(flipbook::glam::Vec3::new(x, y, 0.0));
        colors.push(Colormap::Viridis.map(x * y, 0.0, 1.0).with_alpha(0.8));
    }
    let mut fig = Figure::new(1, 1);
    let points = Points {
        data: Arc::new(PointData {
            positions,
            colors,
            sizes_px: vec![2.0],
        }),
        marker: Default::default(),
        visible: None,
        label: None,
    };
    fig.push(Panel::new_2d(GridCell::at(0, 0), [0.0, 1.0], [0.0, 1.0]).with(points));
    fig
}
