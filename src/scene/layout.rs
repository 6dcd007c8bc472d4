//! Pixel rectangles. Where panels go is decided by `crate::chrome`, which sizes margins to fit
//! the labels.

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
        if self.h > 0.0 && self.w > 0.0 {
            self.w / self.h
        } else {
            1.0
        }
    }

    /// The same rectangle with every coordinate multiplied by `s` (layout pixels to target
    /// pixels at `s` = dpi / 100).
    pub fn scaled(&self, s: f32) -> RectPx {
        RectPx {
            x: self.x * s,
            y: self.y * s,
            w: self.w * s,
            h: self.h * s,
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scissor_clips_and_rejects_empty() {
        let r = RectPx {
            x: -5.0,
            y: 10.0,
            w: 50.0,
            h: 1000.0,
        };
        assert_eq!(r.to_scissor(40, 100), Some((0, 10, 40, 90)));
        assert_eq!(
            RectPx {
                x: 50.0,
                y: 0.0,
                w: 10.0,
                h: 10.0
            }
            .to_scissor(40, 100),
            None
        );
    }
}
