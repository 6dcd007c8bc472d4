//! 2D axes: layout (margins that fit every label) and drawing of the frame, ticks, labels,
//! title, grid, twin y axis, colorbar and bar charts.

use super::text::{Placed, TextFonts, color32, place, place_pivoted};
use super::ticks::AxisTicks;
use super::*;
use crate::scene::{Axes, AxisSpec, Bars, Color, Colorbar, HAlign, Layer, VAlign};
use epaint::{Stroke, StrokeKind, vec2};

fn limits(panel: &Panel) -> ([f32; 2], [f32; 2]) {
    match panel.axes {
        Axes::TwoD { x_limits, y_limits } => (x_limits, y_limits),
        Axes::ThreeD { .. } => ([0.0, 1.0], [0.0, 1.0]),
    }
}

/// Bounding boxes of tick labels relative to their anchor, for measuring margins.
fn label_boxes(
    text: &mut TextFonts,
    ticks: &AxisTicks,
    rot: f32,
    h: HAlign,
    v: VAlign,
) -> Vec<Rect> {
    ticks
        .labels
        .iter()
        .map(|l| {
            place(
                text.layout(l, FONT_PX, Color::BLACK),
                Pos2::ZERO,
                h,
                v,
                rot,
                Color::BLACK,
            )
            .bbox
        })
        .collect()
}

/// Places an x tick label below its tick: centred when upright; when rotated, pivoted at the
/// end nearest the tick (the start when turned clockwise, the end when counter-clockwise).
fn place_x_label(text: &mut TextFonts, label: &str, at: Pos2, rot: f32) -> Placed {
    let g = text.layout(label, FONT_PX, Color::BLACK);
    if rot.abs() < 1.0 {
        place(g, at, HAlign::Center, VAlign::Top, 0.0, Color::BLACK)
    } else {
        let h = if rot < 0.0 {
            HAlign::Left
        } else {
            HAlign::Right
        };
        place_pivoted(
            g,
            at + vec2(0.0, 0.4 * FONT_PX),
            h,
            VAlign::Center,
            rot,
            Color::BLACK,
        )
    }
}

fn label_height(text: &mut TextFonts, label: &Option<String>) -> f32 {
    match label.as_deref().filter(|l| !l.is_empty()) {
        Some(l) => text.layout(l, FONT_PX, Color::BLACK).size().y + LABEL_PAD,
        None => 0.0,
    }
}

/// Width taken right of the axes by a colorbar: gap, bar, ticks, labels and its label.
fn colorbar_width(text: &mut TextFonts, cb: &Colorbar, height: f32) -> f32 {
    let t = super::ticks::auto(
        cb.vmin as f64,
        cb.vmax as f64,
        super::ticks::max_intervals(height, FONT_PX, false),
    );
    let widest = t
        .labels
        .iter()
        .map(|l| text.layout(l, FONT_PX, Color::BLACK).size().x)
        .fold(0.0, f32::max);
    colorbar_gap()
        + colorbar_bar(height)
        + TICK_LEN
        + TICK_PAD
        + widest
        + label_height(text, &cb.label)
}

fn colorbar_gap() -> f32 {
    1.2 * FONT_PX
}

fn colorbar_bar(height: f32) -> f32 {
    (height / 20.0).clamp(8.0, 24.0)
}

/// Computes ticks for the current rectangle.
fn ticks_for(
    panel: &Panel,
    r: RectPx,
) -> (Option<AxisTicks>, Option<AxisTicks>, Option<AxisTicks>) {
    let (xl, yl) = limits(panel);
    let d = &panel.decor;
    if d.hidden {
        return (None, None, None);
    }
    let x = axis_ticks(&d.x.ticks, xl[0], xl[1], r.w, true);
    let y = axis_ticks(&d.y.ticks, yl[0], yl[1], r.h, false);
    let twin = d
        .twin_y
        .as_ref()
        .and_then(|t| axis_ticks(&t.axis.ticks, t.limits[0], t.limits[1], r.h, false));
    (x, y, twin)
}

/// Lays out a 2D panel inside `cell`: margins grow until every label fits (two passes, since
/// the ticks chosen depend on the axes' size).
pub fn layout(text: &mut TextFonts, panel: &Panel, cell: RectPx) -> PanelLayout {
    let d = &panel.decor;
    let mut r = RectPx {
        x: cell.x + 0.125 * cell.w,
        y: cell.y + 0.1 * cell.h,
        w: 0.775 * cell.w,
        h: 0.78 * cell.h,
    };
    for _ in 0..2 {
        let (xt, yt, twin) = ticks_for(panel, r);
        let mut left = CELL_PAD;
        let mut right = CELL_PAD;
        let mut top = CELL_PAD;
        let mut bottom = CELL_PAD;
        if let Some(title) = d.title.as_deref().filter(|t| !t.is_empty()) {
            top += text.layout(title, TITLE_PX, Color::BLACK).size().y + TITLE_PAD;
        } else if yt.is_some() {
            top += 0.5 * FONT_PX; // the top tick label sticks out above the axes
        }
        if let Some(yt) = &yt {
            let boxes = label_boxes(
                text,
                yt,
                d.y.tick_rotation_deg,
                HAlign::Right,
                VAlign::Center,
            );
            let widest = boxes.iter().map(|b| b.width()).fold(0.0, f32::max);
            left += TICK_LEN + TICK_PAD + widest + label_height(text, &d.y.label);
        }
        if let Some(xt) = &xt {
            let rot = d.x.tick_rotation_deg;
            let boxes: Vec<Rect> = xt
                .labels
                .iter()
                .map(|l| place_x_label(text, l, Pos2::ZERO, rot).bbox)
                .collect();
            let tallest = boxes.iter().map(|b| b.height()).fold(0.0, f32::max);
            bottom += TICK_LEN + TICK_PAD + tallest + label_height(text, &d.x.label);
            // Labels near the ends may stick out sideways (rotated ones by their whole length).
            let (xl, _) = limits(panel);
            let span = xl[1] - xl[0];
            for (v, b) in xt.values.iter().zip(&boxes) {
                let f = if span != 0.0 {
                    (*v as f32 - xl[0]) / span
                } else {
                    0.5
                };
                let at = f * r.w;
                left = left.max(CELL_PAD - (at + b.left()));
                right = right.max(CELL_PAD + (at + b.right() - r.w));
            }
        }
        if let Some(t) = &twin {
            let boxes = label_boxes(text, t, 0.0, HAlign::Left, VAlign::Center);
            let widest = boxes.iter().map(|b| b.width()).fold(0.0, f32::max);
            let label = d
                .twin_y
                .as_ref()
                .map(|t| label_height(text, &t.axis.label))
                .unwrap_or(0.0);
            right = right.max(CELL_PAD + TICK_LEN + TICK_PAD + widest + label);
        }
        if let Some(cb) = &d.colorbar {
            right = right.max(CELL_PAD + colorbar_width(text, cb, r.h));
        }
        r = RectPx {
            x: cell.x + left,
            y: cell.y + top,
            w: (cell.w - left - right).max(10.0),
            h: (cell.h - top - bottom).max(10.0),
        };
    }
    if d.equal_aspect {
        let (xl, yl) = limits(panel);
        let want = ((xl[1] - xl[0]) / (yl[1] - yl[0])).abs();
        if want.is_finite() && want > 0.0 {
            if r.w / r.h > want {
                let w = r.h * want;
                r.x += (r.w - w) / 2.0;
                r.w = w;
            } else {
                let h = r.w / want;
                r.y += (r.h - h) / 2.0;
                r.h = h;
            }
        }
    }
    let (x, y, twin) = ticks_for(panel, r);
    PanelLayout {
        rect: r,
        x,
        y,
        z: None,
        twin,
    }
}

fn stroke(c: Color) -> Stroke {
    Stroke::new(LINE_PX, color32(c))
}

/// Draws a 2D panel's chrome.
pub fn draw(text: &mut TextFonts, panel: &Panel, layout: &PanelLayout, frame: &mut ChromeFrame) {
    let d = &panel.decor;
    let r = layout.rect;
    let axes_rect = rect(r);
    let canvas = Rect::EVERYTHING;
    let (xl, yl) = limits(panel);
    let px_x = |v: f64| r.x + (v as f32 - xl[0]) / (xl[1] - xl[0]) * r.w;
    let px_y = |v: f64, lim: [f32; 2]| r.y + r.h - (v as f32 - lim[0]) / (lim[1] - lim[0]) * r.h;
    let black = Color::BLACK;

    // Underlay: grid, then bars.
    if d.grid {
        let grey = Stroke::new(LINE_PX, color32(Color::rgb8(0xb0, 0xb0, 0xb0)));
        if let Some(xt) = &layout.x {
            for &v in &xt.values {
                let x = px_x(v);
                frame.under(
                    axes_rect,
                    Shape::line_segment([Pos2::new(x, r.y), Pos2::new(x, r.y + r.h)], grey),
                );
            }
        }
        if let Some(yt) = &layout.y {
            for &v in &yt.values {
                let y = px_y(v, yl);
                frame.under(
                    axes_rect,
                    Shape::line_segment([Pos2::new(r.x, y), Pos2::new(r.x + r.w, y)], grey),
                );
            }
        }
    }
    let twin_layers = d
        .twin_y
        .iter()
        .flat_map(|t| t.layers.iter().map(move |l| (l, t.limits)));
    for (layer, ylim) in panel.layers.iter().map(|l| (l, yl)).chain(twin_layers) {
        if let Layer::Bars(bars) = layer {
            draw_bars(text, bars, r, xl, ylim, frame);
        }
    }

    if d.hidden {
        draw_title(text, d.title.as_deref(), r, frame);
        if let Some(cb) = &d.colorbar {
            draw_colorbar(text, cb, r, frame);
        }
        return;
    }

    // Overlay: spines.
    frame.over(
        canvas,
        Shape::rect_stroke(axes_rect, 0.0, stroke(black), StrokeKind::Middle),
    );
    // x ticks and labels.
    if let Some(xt) = &layout.x {
        let rot = d.x.tick_rotation_deg;
        let mut lowest = r.y + r.h;
        for (v, l) in xt.values.iter().zip(&xt.labels) {
            let x = px_x(*v).round() + 0.5;
            let y0 = r.y + r.h;
            frame.over(
                canvas,
                Shape::line_segment(
                    [Pos2::new(x, y0), Pos2::new(x, y0 + TICK_LEN)],
                    stroke(black),
                ),
            );
            let p = place_x_label(text, l, Pos2::new(x, y0 + TICK_LEN + TICK_PAD), rot);
            lowest = lowest.max(p.bbox.bottom());
            frame.over(canvas, p.shape);
        }
        factor_text(
            text,
            &xt.factor,
            Pos2::new(r.x + r.w, lowest + 2.0),
            HAlign::Right,
            VAlign::Top,
            frame,
        );
        axis_label(
            text,
            &d.x,
            Pos2::new(r.x + r.w / 2.0, lowest + LABEL_PAD),
            VAlign::Top,
            0.0,
            frame,
        );
    } else if let Some(l) = d.x.label.as_deref() {
        let p = place(
            text.layout(l, FONT_PX, black),
            Pos2::new(r.x + r.w / 2.0, r.y + r.h + LABEL_PAD),
            HAlign::Center,
            VAlign::Top,
            0.0,
            black,
        );
        frame.over(canvas, p.shape);
    }
    // y ticks and labels, on the left.
    if let Some(yt) = &layout.y {
        let leftmost = y_ticks(text, yt, &d.y, r, yl, false, frame);
        factor_text(
            text,
            &yt.factor,
            Pos2::new(r.x, r.y - 2.0),
            HAlign::Left,
            VAlign::Bottom,
            frame,
        );
        axis_label(
            text,
            &d.y,
            Pos2::new(leftmost - LABEL_PAD, r.y + r.h / 2.0),
            VAlign::Bottom,
            90.0,
            frame,
        );
    }
    // Twin y axis, on the right.
    if let Some(twin) = &d.twin_y
        && let Some(tt) = &layout.twin
    {
        let rightmost = y_ticks(text, tt, &twin.axis, r, twin.limits, true, frame);
        axis_label(
            text,
            &twin.axis,
            Pos2::new(rightmost + LABEL_PAD, r.y + r.h / 2.0),
            VAlign::Top,
            90.0,
            frame,
        );
    }
    if let Some(cb) = &d.colorbar {
        draw_colorbar(text, cb, r, frame);
    }
    draw_title(text, d.title.as_deref(), r, frame);
}

/// Ticks and labels of a vertical axis at the left (or right) edge; returns the outer edge of
/// the labels.
fn y_ticks(
    text: &mut TextFonts,
    t: &AxisTicks,
    spec: &AxisSpec,
    r: RectPx,
    lim: [f32; 2],
    right: bool,
    frame: &mut ChromeFrame,
) -> f32 {
    let black = Color::BLACK;
    let x0 = if right { r.x + r.w } else { r.x };
    let dir = if right { 1.0 } else { -1.0 };
    let mut outer = x0;
    for (v, l) in t.values.iter().zip(&t.labels) {
        let y = (r.y + r.h - (*v as f32 - lim[0]) / (lim[1] - lim[0]) * r.h).round() + 0.5;
        frame.over(
            Rect::EVERYTHING,
            Shape::line_segment(
                [Pos2::new(x0, y), Pos2::new(x0 + dir * TICK_LEN, y)],
                stroke(black),
            ),
        );
        let g = text.layout(l, FONT_PX, black);
        let h = if right { HAlign::Left } else { HAlign::Right };
        let p: Placed = place(
            g,
            Pos2::new(x0 + dir * (TICK_LEN + TICK_PAD), y),
            h,
            VAlign::Center,
            spec.tick_rotation_deg,
            black,
        );
        outer = if right {
            outer.max(p.bbox.right())
        } else {
            outer.min(p.bbox.left())
        };
        frame.over(Rect::EVERYTHING, p.shape);
    }
    outer
}

fn axis_label(
    text: &mut TextFonts,
    spec: &AxisSpec,
    at: Pos2,
    v: VAlign,
    rot: f32,
    frame: &mut ChromeFrame,
) {
    if let Some(l) = spec.label.as_deref().filter(|l| !l.is_empty()) {
        let g = text.layout(l, FONT_PX, Color::BLACK);
        // Rotated 90°: "bottom" of the rotated box is its right side on screen, so for the left
        // axis the label's far edge sits at `at`.
        let (h, v) = if rot != 0.0 {
            (
                if v == VAlign::Bottom {
                    HAlign::Right
                } else {
                    HAlign::Left
                },
                VAlign::Center,
            )
        } else {
            (HAlign::Center, v)
        };
        frame.over(
            Rect::EVERYTHING,
            place(g, at, h, v, rot, Color::BLACK).shape,
        );
    }
}

fn factor_text(
    text: &mut TextFonts,
    factor: &str,
    at: Pos2,
    h: HAlign,
    v: VAlign,
    frame: &mut ChromeFrame,
) {
    if !factor.is_empty() {
        let g = text.layout(factor, FONT_PX, Color::BLACK);
        frame.over(
            Rect::EVERYTHING,
            place(g, at, h, v, 0.0, Color::BLACK).shape,
        );
    }
}

fn draw_title(text: &mut TextFonts, title: Option<&str>, r: RectPx, frame: &mut ChromeFrame) {
    if let Some(t) = title.filter(|t| !t.is_empty()) {
        let g = text.layout(t, TITLE_PX, Color::BLACK);
        let p = place(
            g,
            Pos2::new(r.x + r.w / 2.0, r.y - TITLE_PAD),
            HAlign::Center,
            VAlign::Bottom,
            0.0,
            Color::BLACK,
        );
        frame.over(Rect::EVERYTHING, p.shape);
    }
}

fn draw_colorbar(text: &mut TextFonts, cb: &Colorbar, r: RectPx, frame: &mut ChromeFrame) {
    let x0 = r.x + r.w + colorbar_gap();
    let bw = colorbar_bar(r.h);
    let lut = cb.colormap.lut_rgba8();
    // 256 flat bands, bottom = vmin, in one mesh: bands share their edges exactly and meshes
    // are not feathered, so no seam shows between them at any height (separately filled,
    // anti-aliased rectangles left light lines where their fringes overlapped).
    let band = r.h / 256.0;
    let mut mesh = epaint::Mesh::default();
    for (i, c) in lut.iter().enumerate() {
        let y1 = r.y + r.h - i as f32 * band;
        let y0 = if i == 255 { r.y } else { y1 - band };
        let color = epaint::Color32::from_rgb(c[0], c[1], c[2]);
        let base = mesh.vertices.len() as u32;
        for (x, y) in [(x0, y0), (x0 + bw, y0), (x0, y1), (x0 + bw, y1)] {
            mesh.colored_vertex(Pos2::new(x, y), color);
        }
        mesh.add_triangle(base, base + 1, base + 2);
        mesh.add_triangle(base + 1, base + 3, base + 2);
    }
    frame.over(Rect::EVERYTHING, Shape::mesh(mesh));
    let outline = Rect::from_min_size(Pos2::new(x0, r.y), vec2(bw, r.h));
    frame.over(
        Rect::EVERYTHING,
        Shape::rect_stroke(outline, 0.0, stroke(Color::BLACK), StrokeKind::Middle),
    );
    let t = super::ticks::auto(
        cb.vmin as f64,
        cb.vmax as f64,
        super::ticks::max_intervals(r.h, FONT_PX, false),
    );
    let bar_rect = RectPx {
        x: x0,
        y: r.y,
        w: bw,
        h: r.h,
    };
    let outer = y_ticks(
        text,
        &t,
        &AxisSpec::default(),
        bar_rect,
        [cb.vmin, cb.vmax],
        true,
        frame,
    );
    if let Some(l) = cb.label.as_deref() {
        let g = text.layout(l, FONT_PX, Color::BLACK);
        frame.over(
            Rect::EVERYTHING,
            place(
                g,
                Pos2::new(outer + LABEL_PAD, r.y + r.h / 2.0),
                HAlign::Left,
                VAlign::Center,
                90.0,
                Color::BLACK,
            )
            .shape,
        );
    }
}

fn draw_bars(
    text: &mut TextFonts,
    bars: &Bars,
    r: RectPx,
    xl: [f32; 2],
    yl: [f32; 2],
    frame: &mut ChromeFrame,
) {
    let px = |x: f32, y: f32| {
        Pos2::new(
            r.x + (x - xl[0]) / (xl[1] - xl[0]) * r.w,
            r.y + r.h - (y - yl[0]) / (yl[1] - yl[0]) * r.h,
        )
    };
    let clip = rect(r);
    for (i, (&pos, &val)) in bars.positions.iter().zip(&bars.values).enumerate() {
        if !(pos.is_finite() && val.is_finite()) {
            continue;
        }
        let (a, b) = (pos - bars.width / 2.0, pos + bars.width / 2.0);
        let (p0, p1) = if bars.horizontal {
            (px(bars.baseline, a), px(val, b))
        } else {
            (px(a, bars.baseline), px(b, val))
        };
        let rr = Rect::from_two_pos(p0, p1);
        frame.under(clip, Shape::rect_filled(rr, 0.0, color32(bars.color(i))));
        if let Some(dec) = bars.value_decimals {
            let label = super::ticks::number(val as f64, dec);
            let g = text.layout(&label, FONT_PX * 0.9, Color::BLACK);
            let (at, h, v) = match (bars.horizontal, val >= bars.baseline) {
                (false, true) => (
                    Pos2::new(rr.center().x, rr.top() - 2.0),
                    HAlign::Center,
                    VAlign::Bottom,
                ),
                (false, false) => (
                    Pos2::new(rr.center().x, rr.bottom() + 2.0),
                    HAlign::Center,
                    VAlign::Top,
                ),
                (true, true) => (
                    Pos2::new(rr.right() + 3.0, rr.center().y),
                    HAlign::Left,
                    VAlign::Center,
                ),
                (true, false) => (
                    Pos2::new(rr.left() - 3.0, rr.center().y),
                    HAlign::Right,
                    VAlign::Center,
                ),
            };
            frame.over(
                clip.expand(FONT_PX * 3.0),
                place(g, at, h, v, 0.0, Color::BLACK).shape,
            );
        }
    }
}
