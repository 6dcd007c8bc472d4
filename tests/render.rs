//! Offscreen renders of each primitive on the real (software) GPU, checked against committed
//! snapshots and for properties a snapshot alone cannot state.

mod common;

use common::{assert_snapshot, at, coverage, pixel, render, render_with_rects};
use flipbook::scene::{
    Axes3dBox, Color, Colormap, Figure, GridCell, ImageData, ImagePlane, LineStyle, Lines, Marker,
    OrbitCamera, Panel, Pixels, PointData, Points, Sampling,
};
use glam::Vec3;
use std::sync::Arc;

/// A figure of one panel without chrome (these tests are about the data primitives).
fn one_panel(panel: Panel) -> Figure {
    let mut f = Figure::new(1, 1);
    f.push(bare(panel));
    f
}

fn bare(mut panel: Panel) -> Panel {
    panel.decor.hidden = true;
    panel
}

fn lines_2d_figure() -> Figure {
    let xs: Vec<f32> = (0..=200).map(|i| i as f32 * 0.05).collect();
    let sine: Vec<Vec3> = xs.iter().map(|&x| Vec3::new(x, x.sin(), 0.0)).collect();
    let mut cosine: Vec<Vec3> = xs.iter().map(|&x| Vec3::new(x, x.cos(), 0.0)).collect();
    for p in &mut cosine[95..105] {
        p.y = f32::NAN; // a gap from x = 4.75 to 5.25
    }
    let flat = vec![Vec3::new(0.5, -1.2, 0.0), Vec3::new(9.5, -1.2, 0.0)];
    let strips = Arc::new(vec![sine, cosine, flat]);
    let styles = vec![
        LineStyle::new(Color::cycle(0), 1.0),
        LineStyle::new(Color::cycle(1), 3.0),
        LineStyle::new(Color::cycle(2).with_alpha(0.5), 9.0),
    ];
    one_panel(
        Panel::new_2d(GridCell::at(0, 0), [0.0, 10.0], [-1.5, 1.5])
            .with(Lines::new(strips, styles)),
    )
}

#[test]
fn lines_2d_snapshot_nan_gap_and_width() {
    let (frame, rects) = render_with_rects(&lines_2d_figure(), 320, 240);
    assert_snapshot("lines_2d", &frame);
    let r = rects[0];
    let x = (r.x + 0.5 * r.w) as u32; // data x = 5.0, inside the NaN gap
    let column_orange = (0..240).filter(|&y| {
        let p = pixel(&frame, x, y);
        p[0] > 200 && p[1] > 100 && p[1] < 160 && p[2] < 80
    });
    assert_eq!(
        column_orange.count(),
        0,
        "the NaN breaks the cosine line at x = 5"
    );
    // The 9 px translucent green line: count rows touched in one column.
    let x = 160;
    let rows: Vec<u32> = (150..240)
        .filter(|&y| {
            let p = pixel(&frame, x, y);
            p[1] as i32 > p[0] as i32 + 30 && p[1] as i32 > p[2] as i32 + 30
        })
        .collect();
    assert!(
        (8..=11).contains(&rows.len()),
        "9 px wide line covers 8..=11 rows, got {rows:?}"
    );
    let mid = pixel(&frame, x, rows[rows.len() / 2]);
    // 50% green over white: about (150, 208, 150).
    assert!(
        mid[0].abs_diff(150) < 12 && mid[1].abs_diff(208) < 12,
        "half-transparent green, got {mid:?}"
    );
}

#[test]
fn lines_visible_range_limits_what_is_drawn() {
    let pts: Vec<Vec3> = (0..=10).map(|i| Vec3::new(i as f32, 0.0, 0.0)).collect();
    let lines = Lines::new(Arc::new(vec![pts]), vec![LineStyle::new(Color::BLACK, 4.0)])
        .with_visible(std::iter::once(0..6).collect());
    let (frame, rects) = render_with_rects(
        &one_panel(Panel::new_2d(GridCell::at(0, 0), [0.0, 10.0], [-1.0, 1.0]).with(lines)),
        200,
        100,
    );
    let dark = |u: f32| at(&frame, &rects[0], u, 0.5)[0] < 100;
    assert!(dark(0.3), "drawn up to point 5");
    assert!(!dark(0.7), "not drawn past point 5");
}

fn helix() -> Vec<Vec3> {
    (0..400)
        .map(|i| {
            let t = i as f32 * 0.05;
            Vec3::new(t.cos(), t.sin(), t / 20.0 * 2.0 - 1.0)
        })
        .collect()
}

#[test]
fn lines_3d_snapshot() {
    let cube_edges: Vec<Vec3> = [
        [-1, -1, -1],
        [1, -1, -1],
        [1, 1, -1],
        [-1, 1, -1],
        [-1, -1, -1],
        [-1, -1, 1],
        [1, -1, 1],
        [1, 1, 1],
        [-1, 1, 1],
        [-1, -1, 1],
    ]
    .iter()
    .map(|c| Vec3::new(c[0] as f32, c[1] as f32, c[2] as f32))
    .collect();
    let lines = Lines::new(
        Arc::new(vec![helix(), cube_edges]),
        vec![
            LineStyle::new(Color::cycle(3), 2.0),
            LineStyle::new(Color::rgb(0.5, 0.5, 0.5), 1.0),
        ],
    );
    let bounds = Axes3dBox {
        limits: [[-1.0, 1.0]; 3],
        box_aspect: [1.0, 1.0, 1.0],
    };
    let fig =
        one_panel(Panel::new_3d(GridCell::at(0, 0), bounds, OrbitCamera::default()).with(lines));
    let frame = render(&fig, 240, 240);
    assert_snapshot("lines_3d", &frame);
    assert!(coverage(&frame, [255, 255, 255]) > 0.02);
}

#[test]
fn points_markers_sizes_and_colours() {
    let mut fig = Figure::new(1, 4);
    for (k, marker) in [
        Marker::Circle,
        Marker::Square,
        Marker::Triangle,
        Marker::Cross,
    ]
    .into_iter()
    .enumerate()
    {
        let positions: Vec<Vec3> = (0..3)
            .map(|i| Vec3::new(0.5, 0.2 + 0.3 * i as f32, 0.0))
            .collect();
        let data = PointData {
            positions,
            colors: (0..3).map(|i| Color::cycle(i + k)).collect(),
            sizes_px: vec![6.0, 12.0, 22.0],
        };
        let points = Points {
            data: Arc::new(data),
            marker,
            visible: None,
            label: None,
        };
        fig.push(bare(
            Panel::new_2d(GridCell::at(0, k as u32), [0.0, 1.0], [0.0, 1.0]).with(points),
        ));
    }
    let (frame, rects) = render_with_rects(&fig, 320, 160);
    assert_snapshot("points_markers", &frame);
    // The big circle's centre has exactly its colour.
    let want = Color::cycle(2).to_rgba8();
    let got = at(&frame, &rects[0], 0.5, 0.2);
    assert!(
        got.iter().zip(want).all(|(a, b)| a.abs_diff(b) <= 2),
        "centre {got:?} vs {want:?}"
    );
}

#[test]
fn points_3d_snapshot() {
    let mut positions = Vec::new();
    let mut colors = Vec::new();
    for i in 0..6 {
        for j in 0..6 {
            for k in 0..6 {
                positions.push(Vec3::new(i as f32, j as f32, k as f32) / 5.0);
                colors.push(Colormap::Plasma.map(k as f32, 0.0, 5.0));
            }
        }
    }
    positions.push(Vec3::new(f32::NAN, 0.0, 0.0)); // skipped, not a crash
    colors.push(Color::BLACK);
    let data = PointData {
        positions,
        colors,
        sizes_px: vec![7.0],
    };
    let bounds = Axes3dBox::new([0.0, 1.0], [0.0, 1.0], [0.0, 1.0]);
    let fig = one_panel(
        Panel::new_3d(
            GridCell::at(0, 0),
            bounds,
            OrbitCamera::looking_from(-50.0, 25.0),
        )
        .with(Points {
            data: Arc::new(data),
            marker: Marker::Circle,
            visible: None,
            label: None,
        }),
    );
    let frame = render(&fig, 200, 200);
    assert_snapshot("points_3d", &frame);
}

/// A million points (the splatting path) against a reference computed on the CPU: the cloud
/// is so dense (about 20 points of 2 px per pixel, each 80% opaque) that every pixel of the
/// axes shows the colour of the points there, viridis(x·y) at that pixel's data position. A
/// wrong position, scale, flip or colour shows as a large difference; anti-aliasing and the
/// last few points blended differ by a few levels (on lavapipe: none by more than 24, a mean
/// of about 2). Outside the axes only the grey chrome shows: the points are clipped.
#[test]
fn million_points_render() {
    let fig = flipbook::scenes::point_cloud(1_000_000);
    let (frame, rects) = render_with_rects(&fig, 320, 240);
    let rect = rects[0];
    let lut = Colormap::Viridis.lut_rgba8();
    let (mut compared, mut off, mut total_error) = (0usize, 0usize, 0u64);
    // Two pixels in from each spine (the axes' frame and the ticks' inner ends).
    let (x0, x1) = (
        rect.x.ceil() as u32 + 2,
        (rect.x + rect.w).floor() as u32 - 2,
    );
    let (y0, y1) = (
        rect.y.ceil() as u32 + 2,
        (rect.y + rect.h).floor() as u32 - 2,
    );
    assert!(x1 > x0 + 100 && y1 > y0 + 80, "{rect:?}");
    for py in y0..y1 {
        for px in x0..x1 {
            let u = (px as f32 + 0.5 - rect.x) / rect.w;
            let v = 1.0 - (py as f32 + 0.5 - rect.y) / rect.h;
            let want = lut[Colormap::lut_index(u * v, 0.0, 1.0)];
            let got = pixel(&frame, px, py);
            let err = (0..3).map(|c| got[c].abs_diff(want[c])).max().unwrap();
            compared += 1;
            total_error += err as u64;
            if err > 24 {
                off += 1;
            }
        }
    }
    let mean = total_error as f64 / compared as f64;
    assert!(
        off * 200 <= compared && mean < 5.0,
        "{off} of {compared} pixels differ from viridis(x*y) by more than 24; mean error {mean:.2}"
    );

    let mut coloured_outside = 0;
    for py in 0..frame.height {
        for px in 0..frame.width {
            let (x, y) = (px as f32 + 0.5, py as f32 + 0.5);
            let near = x > rect.x - 2.0
                && x < rect.x + rect.w + 2.0
                && y > rect.y - 2.0
                && y < rect.y + rect.h + 2.0;
            let p = pixel(&frame, px, py);
            let (lo, hi) = (p[..3].iter().min().unwrap(), p[..3].iter().max().unwrap());
            if !near && hi - lo > 30 {
                coloured_outside += 1;
            }
        }
    }
    assert_eq!(
        coloured_outside, 0,
        "points drawn outside the axes {rect:?}"
    );
}

fn rgb_image() -> Arc<ImageData> {
    let (w, h) = (8u32, 6u32);
    let mut px = Vec::new();
    for y in 0..h {
        for x in 0..w {
            px.extend_from_slice(&[(x * 32) as u8, (y * 50) as u8, 200 - (x * 20) as u8]);
        }
    }
    Arc::new(ImageData {
        width: w,
        height: h,
        pixels: Pixels::Rgb8(px),
    })
}

fn scalar_image() -> Arc<ImageData> {
    let (w, h) = (10u32, 8u32);
    let mut v: Vec<f32> = (0..w * h)
        .map(|i| ((i % w) as f32 / (w - 1) as f32) * 2.0 - 1.0 + (i / w) as f32 * 0.05)
        .collect();
    v[(3 * w + 4) as usize] = f32::NAN;
    Arc::new(ImageData {
        width: w,
        height: h,
        pixels: Pixels::Scalar(v),
    })
}

#[test]
fn images_rgb_and_colormapped() {
    let mut fig = Figure::new(1, 3);
    fig.push(bare(
        Panel::new_2d(GridCell::at(0, 0), [0.0, 8.0], [0.0, 6.0]).with(ImagePlane::new_2d(
            rgb_image(),
            [0.0, 8.0],
            [0.0, 6.0],
        )),
    ));
    fig.push(bare(
        Panel::new_2d(GridCell::at(0, 1), [0.0, 10.0], [0.0, 8.0]).with(
            ImagePlane::new_2d(scalar_image(), [0.0, 10.0], [0.0, 8.0]).with_colormap(
                Colormap::Viridis,
                -1.0,
                1.0,
            ),
        ),
    ));
    fig.push(bare(
        Panel::new_2d(GridCell::at(0, 2), [0.0, 10.0], [0.0, 8.0]).with(
            ImagePlane::new_2d(scalar_image(), [0.0, 10.0], [0.0, 8.0])
                .with_colormap(Colormap::RdBu, -1.0, 1.0)
                .with_sampling(Sampling::Linear),
        ),
    ));
    let (frame, rects) = render_with_rects(&fig, 480, 160);
    assert_snapshot("images", &frame);

    // Nearest sampling: the centre of image pixel (x=2, y=1) shows its exact colour.
    assert_eq!(
        at(&frame, &rects[0], 2.5 / 8.0, 1.5 / 6.0),
        [64, 50, 160, 255]
    );
    // Scalar through viridis: pixel (0, 0) holds -1 → the first entry of the map.
    assert_eq!(
        at(&frame, &rects[1], 0.5 / 10.0, 0.5 / 8.0),
        [68, 1, 84, 255]
    );
    // The NaN pixel (4, 3) is transparent: the white background shows through.
    assert_eq!(
        at(&frame, &rects[1], 4.5 / 10.0, 3.5 / 8.0),
        [255, 255, 255, 255]
    );
}

#[test]
fn odd_size_grid_reads_back_unpadded() {
    // 641 px rows are 2564 bytes, not a multiple of 256: readback must strip the padding.
    let mut fig = Figure::new(2, 2);
    fig.push(bare(
        Panel::new_2d(GridCell::at(0, 0), [0.0, 10.0], [-1.5, 1.5]).with(
            match &lines_2d_figure().panels[0].layers[0] {
                flipbook::scene::Layer::Lines(l) => l.clone(),
                _ => unreachable!(),
            },
        ),
    ));
    fig.push(bare(
        Panel::new_2d(GridCell::at(0, 1), [0.0, 8.0], [0.0, 6.0]).with(ImagePlane::new_2d(
            rgb_image(),
            [0.0, 8.0],
            [0.0, 6.0],
        )),
    ));
    let lorenz = flipbook::scenes::Lorenz::new(40, 20.0);
    let mut l = flipbook::FrameGenerator::frame(&lorenz, 39)
        .panels
        .remove(0);
    l.cell = GridCell::at(1, 0);
    l.cell.col_span = 2;
    fig.push(l);
    let (frame, rects) = render_with_rects(&fig, 641, 479);
    assert_eq!(
        (frame.width, frame.height, frame.pixels.len()),
        (641, 479, 641 * 479 * 4)
    );
    assert_snapshot("grid_641x479", &frame);
    // The image in the top-right panel reaches the panel's right edge.
    assert_ne!(
        at(&frame, &rects[1], 0.99, 0.5)[..3],
        [255, 255, 255],
        "image pixels at the right edge survive unpadding"
    );
}

#[test]
fn same_frame_renders_identically() {
    let lorenz = flipbook::scenes::Lorenz::new(60, 20.0);
    let a = render(&flipbook::FrameGenerator::frame(&lorenz, 42), 200, 150);
    let b = render(&flipbook::FrameGenerator::frame(&lorenz, 42), 200, 150);
    assert_eq!(a.pixels, b.pixels);
}

#[test]
fn inconsistent_data_is_an_error_not_a_panic() {
    let ctx = common::gpu();
    let mut renderer =
        flipbook::gpu::FigureRenderer::new(&ctx.device, flipbook::gpu::CANVAS_FORMAT);
    let bad = ImageData {
        width: 4,
        height: 4,
        pixels: Pixels::Rgb8(vec![0; 5]),
    };
    let fig = one_panel(
        Panel::new_2d(GridCell::at(0, 0), [0.0, 1.0], [0.0, 1.0]).with(ImagePlane::new_2d(
            Arc::new(bad),
            [0.0, 1.0],
            [0.0, 1.0],
        )),
    );
    let err = renderer
        .prepare(&ctx.device, &ctx.queue, &fig, (64, 64), 1.0)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("panel 0, layer 0") && err.contains("needs 48 values"),
        "{err}"
    );
}

/// Mean absolute channel difference, and the share of pixels differing by more than `tol` in
/// any channel.
fn difference(a: &flipbook::gpu::RgbaFrame, b: &flipbook::gpu::RgbaFrame, tol: u8) -> (f64, f64) {
    let (mut sum, mut off) = (0u64, 0usize);
    for (p, q) in a.pixels.chunks_exact(4).zip(b.pixels.chunks_exact(4)) {
        let d = (0..3).map(|c| p[c].abs_diff(q[c])).max().unwrap_or(0);
        sum += (0..3).map(|c| p[c].abs_diff(q[c]) as u64).sum::<u64>();
        off += (d > tol) as usize;
    }
    let n = a.pixels.len() / 4;
    (sum as f64 / (3 * n) as f64, off as f64 / n as f64)
}

fn cloud(n: usize, alpha: f32, marker: Marker, three_d: bool) -> Figure {
    // A spiral galaxy of small markers, dense in the middle, sparse outside.
    let mut positions = Vec::with_capacity(n);
    let mut colors = Vec::with_capacity(n);
    let total = flipbook::gpu::SPLAT_POINTS_MIN as f32;
    for i in 0..n {
        let t = i as f32 / total;
        let angle = t * 40.0 + (i % 3) as f32 * 2.1;
        let r = t.sqrt() * 0.9 + 0.04 * ((i as f32 * 12.9898).sin() * 43758.547).fract();
        // A little height, for the 3D view.
        positions.push(Vec3::new(
            r * angle.cos(),
            r * angle.sin(),
            (t * 9.0).sin() * 0.3,
        ));
        colors.push(Colormap::Viridis.map(t, 0.0, 1.0).with_alpha(alpha));
    }
    let data = PointData {
        positions,
        colors,
        sizes_px: vec![3.0],
    };
    let points = Points {
        data: Arc::new(data),
        marker,
        visible: None,
        label: None,
    };
    if three_d {
        let bounds = Axes3dBox::new([-1.0, 1.0], [-1.0, 1.0], [-1.0, 1.0]);
        let camera = OrbitCamera::looking_from(-50.0, 35.0);
        return one_panel(Panel::new_3d(GridCell::at(0, 0), bounds, camera).with(points));
    }
    one_panel(Panel::new_2d(GridCell::at(0, 0), [-1.0, 1.0], [-1.0, 1.0]).with(points))
}

#[test]
fn splatted_points_match_quads() {
    // SPLAT_POINTS_MIN points are splatted, one fewer are drawn as quads: the pictures differ
    // only on the rims where markers overlap (and by the one point).
    let n = flipbook::gpu::SPLAT_POINTS_MIN;
    for (alpha, marker, three_d) in [
        (1.0, Marker::Circle, false),
        (0.5, Marker::Circle, false),
        (1.0, Marker::Cross, false),
        (1.0, Marker::Square, true),
    ] {
        let splat = render(&cloud(n, alpha, marker, three_d), 320, 240);
        let quads = render(&cloud(n - 1, alpha, marker, three_d), 320, 240);
        if std::env::var_os("SAVE_SPLAT").is_some() {
            let name = format!("{marker:?}_{alpha}");
            flipbook::export::save_png(
                std::path::Path::new(&format!("/tmp/splat_{name}.png")),
                &splat,
            )
            .unwrap();
            flipbook::export::save_png(
                std::path::Path::new(&format!("/tmp/quads_{name}.png")),
                &quads,
            )
            .unwrap();
        }
        let (mean, off) = difference(&splat, &quads, 48);
        assert!(
            // Thin crosses are mostly rim, so they differ most.
            mean < 8.0 && off < 0.06,
            "alpha {alpha}, {marker:?}: mean difference {mean:.2}, {:.1}% of pixels off",
            off * 100.0
        );
        let drawn = coverage(&splat, [255, 255, 255]);
        assert!(drawn > 0.03, "{marker:?}: the cloud is drawn ({drawn:.3})");
    }
}

fn tangle(points: usize) -> Figure {
    // Two long opaque curves that cross themselves and each other, a thin translucent one and
    // a dashed one: every case the line splatter handles.
    let total = flipbook::gpu::SPLAT_SEGMENTS_MIN / 4;
    let curve = |k: f32, phase: f32| -> Vec<Vec3> {
        (0..total)
            .map(|i| {
                let t = i as f32 / total as f32 * std::f32::consts::TAU;
                Vec3::new((3.0 * t + phase).sin(), (k * t).sin() * 0.9, 0.0)
            })
            .collect()
    };
    let mut strips = vec![
        curve(2.0, 0.0),
        curve(5.0, 1.0),
        curve(1.0, 2.0),
        curve(4.0, 0.5),
    ];
    // The last strip loses its last points so the layer has `points` points in all.
    let drop = 4 * total - points;
    let last = strips.len() - 1;
    strips[last].truncate(total - drop);
    let styles = vec![
        LineStyle::new(Color::cycle(0), 1.5),
        LineStyle::new(Color::cycle(1), 3.0),
        LineStyle::new(Color::cycle(2).with_alpha(0.5), 0.7),
        LineStyle::new(Color::cycle(3), 2.0).dashed(),
    ];
    one_panel(
        Panel::new_2d(GridCell::at(0, 0), [-1.1, 1.1], [-1.1, 1.1])
            .with(Lines::new(Arc::new(strips), styles)),
    )
}

#[test]
fn splatted_lines_match_quads() {
    let n = flipbook::gpu::SPLAT_SEGMENTS_MIN;
    // Four strips of SPLAT_SEGMENTS_MIN points in all are splatted; the same with the last
    // point dropped are quads.
    let splat = render(&tangle(n), 320, 240);
    let quads = render(&tangle(n - 1), 320, 240);
    if std::env::var_os("SAVE_SPLAT").is_some() {
        flipbook::export::save_png(std::path::Path::new("/tmp/splat_lines.png"), &splat).unwrap();
        flipbook::export::save_png(std::path::Path::new("/tmp/quads_lines.png"), &quads).unwrap();
    }
    let (mean, off) = difference(&splat, &quads, 48);
    assert!(
        mean < 3.0 && off < 0.03,
        "mean difference {mean:.2}, {:.1}% of pixels off",
        off * 100.0
    );
}

#[test]
fn splatted_lines_zoomed_far_in_stay_bounded() {
    // A long splatted line seen through a tiny window: its segments span millions of pixels,
    // and the splatter must only walk the ones on the panel.
    let n = flipbook::gpu::SPLAT_SEGMENTS_MIN * 2;
    let strip: Vec<Vec3> = (0..n)
        .map(|i| {
            let x = i as f32 / n as f32;
            Vec3::new(x, (x * 40.0).sin(), 0.0)
        })
        .collect();
    let lines = Lines::new(
        Arc::new(vec![strip]),
        vec![LineStyle::new(Color::cycle(0), 2.0)],
    );
    let figure =
        one_panel(Panel::new_2d(GridCell::at(0, 0), [0.5, 0.5002], [-1.0, 1.0]).with(lines));
    let frame = render(&figure, 200, 150);
    assert!(
        coverage(&frame, [255, 255, 255]) > 0.005,
        "the line crosses the window"
    );
}

/// An exporting canvas lends its mapped readback buffers instead of copying them: the frames
/// are the same as copied ones, each buffer goes back to the ring when its frame is dropped, a
/// caller keeping every frame gets copies once six are out (never a hang), and rows that need
/// padding (641 px) are always copied.
#[test]
fn lent_frames_match_copied_ones() {
    let ctx = common::gpu();
    let lorenz = flipbook::scenes::Lorenz::new(30, 20.0);
    // (how each frame's pixels were held, the bytes), dropping frames at once or keeping them.
    let frames = |width: u32, lend: bool, keep: bool| -> Vec<(String, Vec<u8>)> {
        let mut canvas = flipbook::gpu::Canvas::new(ctx, width, 96).expect("canvas");
        canvas.lend_readback(lend);
        let mut renderer =
            flipbook::gpu::FigureRenderer::new(&ctx.device, flipbook::gpu::CANVAS_FORMAT);
        let mut kept = Vec::new();
        let mut out = Vec::new();
        let mut take = |f: flipbook::gpu::RgbaFrame| {
            out.push((format!("{:?}", f.pixels), f.pixels.to_vec()));
            if keep {
                kept.push(f);
            }
        };
        for i in 0..20 {
            let figure = flipbook::FrameGenerator::frame(&lorenz, i);
            let done = canvas
                .submit(ctx, &mut renderer, &figure, i)
                .expect("submit");
            done.into_iter().for_each(&mut take);
        }
        canvas
            .flush(ctx)
            .expect("flush")
            .into_iter()
            .for_each(&mut take);
        out
    };
    let kinds =
        |v: &[(String, Vec<u8>)], kind: &str| v.iter().filter(|f| f.0.contains(kind)).count();
    for width in [256, 641] {
        let copied = frames(width, false, false);
        assert_eq!((copied.len(), kinds(&copied, "owned")), (20, 20));
        for keep in [false, true] {
            let borrowed = frames(width, true, keep);
            let same = copied.iter().zip(&borrowed).all(|(a, b)| a.1 == b.1);
            assert!(
                same,
                "{width} px, keep {keep}: lent frames differ from copied ones"
            );
            let lent = kinds(&borrowed, "lent");
            let expected = match (width, keep) {
                (641, _) => 0,
                (_, false) => 20,
                (_, true) => 6,
            };
            assert_eq!(lent, expected, "{width} px, keep {keep}: frames lent");
        }
    }
}
