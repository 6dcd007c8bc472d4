//! Figure layout: where each panel's axes area lies in pixels. Cells of the grid are equal;
//! a margin around the figure and a gap between cells leave room for titles and tick labels.

use super::{Axes, Figure};

/// A rectangle in pixels, origin at the top-left of the canvas, y down.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RectPx {
    /// Left edge.
    pub x: f32,
    /// Top edge.
    pub y: f32,
    /// Width.
    pub w: f32,
    /// Height.
    pub h: f32,
}

impl RectPx {
    /// Width divided by height (1 when degenerate).
    pub fn aspect(&self) -> f32 {
        if self.h > 0.0 && self.w > 0.0 { self.w / self.h } else { 1.0 }
    }

    /// The rectangle clipped to a `width`×`height` canvas and rounded to whole pixels, as
    /// `(x, y, w, h)`; `None` if nothing is left.
    pub fn to_scissor(&self, width: u32, height: u32) -> Option<(u32, u32, u32, u32)> {
        let x0 = self.x.round().clamp(0.0, width as f32) as u32;
        let y0 = self.y.round().clamp(0.0, height as f32) as u32;
        let x1 = (self.x + self.w).round().clamp(0.0, width as f32) as u32;
        let y1 = (self.y + self.h).round().clamp(0.0, height as f32) as u32;
        (x1 > x0 && y1 > y0).then(|| (x0, y0, x1 - x0, y1 - y0))
    }
}

/// The axes rectangle of every panel of `figure` on a `width`×`height` canvas, in panel order.
///
/// 2D axes keep matplotlib-like margins for ticks and labels; 3D axes use the whole cell, as
/// matplotlib's 3D axes do.
pub fn panel_rects(figure: &Figure, width: u32, height: u32) -> Vec<RectPx> {
    let (rows, cols) = figure.grid;
    let (w, h) = (width as f32, height as f32);
    let cell_w = w / cols as f32;
    let cell_h = h / rows as f32;
    figure
        .panels
        .iter()
        .map(|p| {
            let x = p.cell.col as f32 * cell_w;
            let y = p.cell.row as f32 * cell_h;
            let cw = cell_w * p.cell.col_span.max(1) as f32;
            let ch = cell_h * p.cell.row_span.max(1) as f32;
            let (l, r, t, b) = match p.axes {
                // Fractions of the cell, close to matplotlib's subplot defaults.
                Axes::TwoD { .. } => (0.125, 0.1, 0.12, 0.11),
                Axes::ThreeD { .. } => (0.02, 0.02, 0.02, 0.02),
            };
            RectPx { x: x + l * cw, y: y + t * ch, w: cw * (1.0 - l - r), h: ch * (1.0 - t - b) }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scene::{GridCell, Panel};

    #[test]
    fn grid_cells_do_not_overlap_and_stay_inside() {
        let mut f = Figure::new(2, 3);
        for r in 0..2 {
            for c in 0..3 {
                f.push(Panel::new_2d(GridCell::at(r, c), [0.0, 1.0], [0.0, 1.0]));
            }
        }
        let rects = panel_rects(&f, 641, 479);
        for (i, a) in rects.iter().enumerate() {
            assert!(a.x >= 0.0 && a.y >= 0.0 && a.x + a.w <= 641.0 && a.y + a.h <= 479.0);
            for b in &rects[i + 1..] {
                let apart = a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y || b.y + b.h <= a.y;
                assert!(apart, "{a:?} overlaps {b:?}");
            }
        }
    }

    #[test]
    fn scissor_clips_and_rejects_empty() {
        let r = RectPx { x: -5.0, y: 10.0, w: 50.0, h: 1000.0 };
        assert_eq!(r.to_scissor(40, 100), Some((0, 10, 40, 90)));
        assert_eq!(RectPx { x: 50.0, y: 0.0, w: 10.0, h: 10.0 }.to_scissor(40, 100), None);
    }
}
