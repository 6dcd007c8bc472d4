//! A figure using every chart element, compared with a committed snapshot, plus the promise
//! that the viewer's canvas holds exactly the exported pixels.

mod common;

use common::{assert_snapshot, at, render_with_rects};
use flipbook::scene::*;
use glam::Vec3;
use std::sync::Arc;

/// 2×2: a regression plot with a twin cost axis and legend; an annotated heatmap with
/// category labels and a colorbar; bars with value labels and an annotation; 3D axes.
pub fn everything() -> Figure {
    let mut fig = Figure::new(2, 2);
    fig.title = Some("Every chart element".into());

    // Regression: red scatter, dashed green fit, cost on a twin axis.
    let xs: Vec<f32> = (0..30).map(|i| i as f32 / 3.0).collect();
    let ys: Vec<f32> = xs
        .iter()
        .enumerate()
        .map(|(i, x)| x - 2.0 + ((i * 7919) % 13) as f32 / 6.5 - 1.0)
        .collect();
    let scatter = Points {
        data: Arc::new(PointData {
            positions: xs
                .iter()
                .zip(&ys)
                .map(|(x, y)| Vec3::new(*x, *y, 0.0))
                .collect(),
            colors: vec![Color::rgb(1.0, 0.0, 0.0)],
            sizes_px: vec![6.0],
        }),
        marker: Marker::Circle,
        visible: None,
        label: None,
    };
    let fit = Lines::new(
        Arc::new(vec![vec![
            Vec3::new(0.0, -2.2, 0.0),
            Vec3::new(10.0, 7.9, 0.0),
        ]]),
        vec![LineStyle::new(Color::rgb(0.0, 0.5, 0.0), 2.0).dashed()],
    );
    let cost: Vec<Vec3> = (0..=50)
        .map(|i| Vec3::new(i as f32 / 5.0, 40.0 * (-(i as f32) / 12.0).exp() + 2.0, 0.0))
        .collect();
    let cost = Lines::new(
        Arc::new(vec![cost]),
        vec![LineStyle::new(Color::rgb(0.0, 0.0, 1.0), 2.0)],
    );
    let decor = Decor {
        title: Some("epoch 12 — cost 4.31".into()),
        x: AxisSpec::labelled("X data"),
        y: AxisSpec::labelled("Y data"),
        grid: true,
        legend: Some(Legend {
            loc: LegendLoc::UpperCenter,
            entries: vec![
                LegendEntry {
                    label: "original data".into(),
                    swatch: Swatch::Marker {
                        color: Color::rgb(1.0, 0.0, 0.0),
                        marker: Marker::Circle,
                        size_px: 6.0,
                    },
                },
                LegendEntry {
                    label: "fitting line".into(),
                    swatch: Swatch::Line {
                        color: Color::rgb(0.0, 0.5, 0.0),
                        width_px: 2.0,
                        dashed: true,
                    },
                },
                LegendEntry {
                    label: "cost".into(),
                    swatch: Swatch::Line {
                        color: Color::rgb(0.0, 0.0, 1.0),
                        width_px: 2.0,
                        dashed: false,
                    },
                },
            ],
        }),
        twin_y: Some(TwinY {
            limits: [0.0, 45.0],
            axis: AxisSpec::labelled("cost"),
            layers: vec![cost.into()],
        }),
        ..Default::default()
    };
    fig.push(
        Panel::new_2d(GridCell::at(0, 0), [0.0, 10.0], [-4.0, 10.0])
            .with(scatter)
            .with(fit)
            .with_decor(decor),
    );

    // Annotated heatmap.
    let (w, h) = (8u32, 6u32);
    let values: Vec<f32> = (0..w * h)
        .map(|i| ((i * 37 % 50) as f32) / 1000.0)
        .collect();
    let data = Arc::new(ImageData {
        width: w,
        height: h,
        pixels: Pixels::Scalar(values),
    });
    let (x, y) = ([-0.5, w as f32 - 0.5], [-0.5, h as f32 - 0.5]);
    let mut decor = Decor {
        x: AxisSpec::categories((0..w).map(|j| format!("orig_dim_{j}"))).rotated(-30.0),
        y: AxisSpec::categories((0..h).rev().map(|i| format!("embed_dim_{i}"))),
        colorbar: Some(Colorbar {
            colormap: Colormap::YlGn,
            vmin: 0.0,
            vmax: 0.05,
            label: Some("weight".into()),
        }),
        ..Default::default()
    };
    decor.annotations = heatmap_labels(&data, x, y, Colormap::YlGn, [0.0, 0.05], 3, 6.0);
    let image = ImagePlane::new_2d(data, x, y).with_colormap(Colormap::YlGn, 0.0, 0.05);
    fig.push(
        Panel::new_2d(GridCell::at(0, 1), x, y)
            .with(image)
            .with_decor(decor),
    );

    // Horizontal bars with value labels, and an annotation in data coordinates.
    let mut bars = Bars::new(vec![0.62, 0.21, 0.09, 0.05, 0.03], Color::cycle(0));
    bars.horizontal = true;
    bars.value_decimals = Some(2);
    bars.colors = (0..5)
        .map(|i| {
            if i == 0 {
                Color::cycle(3)
            } else {
                Color::cycle(0)
            }
        })
        .collect();
    let decor = Decor {
        title: Some("class confidence".into()),
        y: AxisSpec::categories(["cat", "dog", "car", "ship", "frog"]),
        x: AxisSpec::labelled("probability"),
        annotations: vec![
            Annotation::new("target ←", Anchor::Data(Vec3::new(0.45, 1.0, 0.0)))
                .aligned(HAlign::Left, VAlign::Center)
                .colored(Color::cycle(3)),
        ],
        ..Default::default()
    };
    fig.push(
        Panel::new_2d(GridCell::at(1, 0), [0.0, 1.0], [-0.6, 4.6])
            .with(bars)
            .with_decor(decor),
    );

    // 3D axes with a helix.
    let helix: Vec<Vec3> = (0..300)
        .map(|i| {
            let t = i as f32 * 0.06;
            Vec3::new(t.cos(), t.sin(), t / 18.0)
        })
        .collect();
    let decor = Decor {
        x: AxisSpec::labelled("x"),
        y: AxisSpec::labelled("y"),
        z: AxisSpec::labelled("z"),
        title: Some("3D axes".into()),
        ..Default::default()
    };
    fig.push(
        Panel::new_3d(
            GridCell::at(1, 1),
            Axes3dBox::new([-1.0, 1.0], [-1.0, 1.0], [0.0, 1.0]),
            OrbitCamera::default(),
        )
        .with(Lines::new(
            Arc::new(vec![helix]),
            vec![LineStyle::new(Color::cycle(4), 2.0)],
        ))
        .with_decor(decor),
    );
    fig
}

#[test]
fn every_element_snapshot() {
    let (frame, rects) = render_with_rects(&everything(), 900, 700);
    assert_snapshot("chrome_everything", &frame);
    // Nothing is clipped: every axes rectangle lies inside the canvas with room around it.
    for r in &rects {
        assert!(
            r.x > 20.0 && r.y > 20.0 && r.x + r.w < 880.0 && r.y + r.h < 690.0,
            "{r:?}"
        );
    }
    // The heatmap's darkest cell label is white, the lightest black: contrast follows colour.
    let heat = rects[1];
    assert!(heat.w > 100.0 && heat.h > 80.0);
    let bg = at(&frame, &rects[2], 0.9, 0.95);
    assert_eq!(
        bg,
        [255, 255, 255, 255],
        "the bar panel's empty corner is white"
    );
}

#[test]
fn empty_and_non_finite_data_do_not_crash() {
    let mut fig = Figure::new(1, 2);
    let lines = Lines::new(
        Arc::new(vec![vec![], vec![Vec3::new(f32::NAN, f32::INFINITY, 0.0)]]),
        vec![LineStyle::new(Color::BLACK, 1.0); 2],
    );
    fig.push(
        Panel::new_2d(GridCell::at(0, 0), [0.0, 1.0], [0.0, 1.0])
            .with(lines)
            .with_decor(Decor {
                title: Some("empty".into()),
                ..Default::default()
            }),
    );
    fig.push(
        Panel::new_2d(GridCell::at(0, 1), [f32::NAN, 1.0], [3.0, 3.0])
            .with(Bars::new(vec![], Color::BLACK)),
    );
    let (frame, _) = render_with_rects(&fig, 320, 200);
    assert_eq!(frame.pixels.len(), 320 * 200 * 4);
}
