//! Figures at several dpi: the same layout, proportionally scaled. A render at dpi 200 box
//! filtered down by 2 matches the dpi-100 render (text included), and the panels' rectangles
//! scale exactly.

mod common;

use flipbook::FrameGenerator;
use flipbook::gpu::{CANVAS_FORMAT, Canvas, FigureRenderer, RgbaFrame};
use flipbook::scene::{Figure, RectPx};

/// Renders `figure` as a `size` figure (pixels at 100 dpi) at `dpi`; the frame and the panels'
/// axes rectangles in target pixels.
fn render_at(figure: &Figure, size: (u32, u32), dpi: f32) -> (RgbaFrame, Vec<RectPx>) {
    let ctx = common::gpu();
    let (w, h) = flipbook::export::pixel_size(size, dpi).expect("pixel size");
    let mut canvas = Canvas::new(ctx, w, h)
        .expect("canvas")
        .with_scale(dpi / 100.0);
    let mut renderer = FigureRenderer::new(&ctx.device, CANVAS_FORMAT);
    let frame = canvas
        .render(ctx, &mut renderer, figure, 0)
        .expect("render");
    (frame, renderer.panel_rects().to_vec())
}

/// `frame` averaged over 2×2 blocks.
fn halve(frame: &RgbaFrame) -> Vec<[f32; 3]> {
    let (w, h) = (frame.width as usize / 2, frame.height as usize / 2);
    let px = |x: usize, y: usize| {
        let i = (y * frame.width as usize + x) * 4;
        [
            frame.pixels[i] as f32,
            frame.pixels[i + 1] as f32,
            frame.pixels[i + 2] as f32,
        ]
    };
    let mut out = Vec::with_capacity(w * h);
    for y in 0..h {
        for x in 0..w {
            let mut s = [0.0f32; 3];
            for (dx, dy) in [(0, 0), (1, 0), (0, 1), (1, 1)] {
                let p = px(2 * x + dx, 2 * y + dy);
                for c in 0..3 {
                    s[c] += p[c] / 4.0;
                }
            }
            out.push(s);
        }
    }
    out
}

/// Mean absolute difference per channel (0–255) and the share of pixels off by more than 64.
fn compare(low: &RgbaFrame, high_halved: &[[f32; 3]]) -> (f64, f64) {
    let mut sum = 0.0f64;
    let mut far = 0usize;
    for (i, h) in high_halved.iter().enumerate() {
        let mut worst = 0.0f32;
        for (c, v) in h.iter().enumerate() {
            let d = (low.pixels[i * 4 + c] as f32 - v).abs();
            sum += d as f64;
            worst = worst.max(d);
        }
        if worst > 64.0 {
            far += 1;
        }
    }
    let n = high_halved.len() as f64;
    (sum / (3.0 * n), far as f64 / n)
}

fn scene_frame(name: &str, frame: usize) -> Figure {
    flipbook::scenes::build_scene(name, &Default::default())
        .expect("scene")
        .frame(frame)
}

#[test]
fn dpi_200_halved_matches_dpi_100_and_rects_scale_exactly() {
    for (name, frame) in [("regression", 40), ("lorenz", 120), ("weights", 30)] {
        let figure = scene_frame(name, frame);
        let (low, low_rects) = render_at(&figure, (640, 480), 100.0);
        let (high, high_rects) = render_at(&figure, (640, 480), 200.0);
        assert_eq!((high.width, high.height), (1280, 960), "{name}");
        // The layout does not depend on the dpi: every rectangle is exactly twice as large.
        assert_eq!(low_rects.len(), high_rects.len());
        for (l, h) in low_rects.iter().zip(&high_rects) {
            assert_eq!(l.scaled(2.0), *h, "{name}: panel rectangles scale exactly");
        }
        let (mean, far) = compare(&low, &halve(&high));
        // Text is rasterised anew at each size, so its edges differ; everything else agrees.
        assert!(
            mean < 6.0 && far < 0.05,
            "{name}: dpi 200 halved differs from dpi 100 by {mean:.2}/255 on average, \
             {:.2}% of pixels by more than 64",
            far * 100.0
        );
    }
}

#[test]
fn line_widths_and_marker_sizes_grow_with_the_dpi() {
    use flipbook::glam::Vec3;
    use flipbook::scene::{Color, Decor, GridCell, LineStyle, Lines, Panel, Points};
    use std::sync::Arc;
    // A 4-px line across the middle and a 12-px square marker, on hidden axes.
    let mut figure = Figure::new(1, 1);
    figure.push(
        Panel::new_2d(GridCell::at(0, 0), [0.0, 1.0], [0.0, 1.0])
            .with(Lines::new(
                Arc::new(vec![vec![
                    Vec3::new(0.0, 0.5, 0.0),
                    Vec3::new(0.5, 0.5, 0.0),
                ]]),
                vec![LineStyle::new(Color::BLACK, 4.0)],
            ))
            .with(
                Points::uniform(vec![Vec3::new(0.75, 0.5, 0.0)], Color::BLACK, 12.0)
                    .with_marker(flipbook::scene::Marker::Square),
            )
            .with_decor(Decor {
                hidden: true,
                ..Default::default()
            }),
    );
    // Dark pixels down one column through the line and one through the marker.
    let dark_run = |f: &RgbaFrame, x: u32| {
        (0..f.height)
            .filter(|&y| common::pixel(f, x, y)[0] < 128)
            .count() as f32
    };
    for dpi in [100.0, 200.0, 300.0] {
        let (f, rects) = render_at(&figure, (200, 100), dpi);
        let r = rects[0];
        let s = dpi / 100.0;
        let line = dark_run(&f, (r.x + 0.25 * r.w) as u32);
        let marker = dark_run(&f, (r.x + 0.75 * r.w) as u32);
        assert!(
            (line - 4.0 * s).abs() <= 1.0,
            "dpi {dpi}: line {line} px thick"
        );
        // A square marker of size 12 has sides of 12·√π/2 ≈ 10.6 px at 100 dpi (the area of
        // the circle of that size, as in shaders/markers.wgsl), scaled by the dpi.
        assert!(
            (marker - 10.635 * s).abs() <= 1.5,
            "dpi {dpi}: marker {marker} px tall"
        );
    }
}

#[test]
fn bad_dpi_is_a_clear_error() {
    for dpi in [0.0, -5.0, f32::NAN, f32::INFINITY] {
        let err = flipbook::export::pixel_size((640, 480), dpi)
            .unwrap_err()
            .to_string();
        assert!(err.contains("invalid dpi"), "{dpi}: {err}");
    }
    let dir = tempfile::tempdir().unwrap();
    let mut opts = flipbook::ExportOptions::new(dir.path().join("big.gif"));
    opts.dpi = 100.0 * (common::gpu().max_texture_side() as f32 / 640.0) * 1.5;
    let err = flipbook::export(common::gpu(), &flipbook::scenes::Sine::new(2, 10.0), &opts)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("invalid dpi") && err.contains("largest texture side"),
        "{err}"
    );
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}
