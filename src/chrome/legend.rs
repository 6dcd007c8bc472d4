//! Legends: a framed box of swatches and labels with matplotlib's proportions (font-relative
//! padding, a 2 em swatch, white frame at 80% opacity with a light grey edge and rounded
//! corners), at a named location or, for `Best`, where it hides the fewest data points.

use super::text::{TextFonts, color32, place};
use super::*;
use crate::scene::{Color, HAlign, Layer, Legend, LegendLoc, Marker, Swatch, VAlign};
use epaint::{Stroke, StrokeKind, vec2};

/// Canvas positions of a sample of the panel's visible data, for `Best` placement.
fn data_points(panel: &Panel, r: RectPx) -> Vec<Pos2> {
    let mut out = Vec::new();
    let mut add = |p: glam::Vec3, panel: &Panel| {
        if let Some(q) = data_to_px(panel, r, p) {
            out.push(q);
        }
    };
    let twin_panel = panel.decor.twin_y.as_ref().map(|t| {
        let mut p = panel.clone();
        if let Axes::TwoD { y_limits, .. } = &mut p.axes {
            *y_limits = t.limits;
        }
        p.decor.twin_y = None;
        (p, t.layers.clone())
    });
    let mut sets: Vec<(&Panel, &[Layer])> = vec![(panel, &panel.layers)];
    if let Some((p, layers)) = &twin_panel {
        sets.push((p, layers));
    }
    for (p, layers) in sets {
        for layer in layers {
            match layer {
                Layer::Lines(l) => {
                    for (i, s) in l.strips.iter().enumerate() {
                        let range = l.visible.as_ref().map_or(0..s.len(), |v| {
                            v[i].start.min(s.len())..v[i].end.min(s.len())
                        });
                        let step = (range.len() / 200).max(1);
                        for q in s[range].iter().step_by(step) {
                            add(*q, p);
                        }
                    }
                }
                Layer::Points(pts) => {
                    let n = pts.data.positions.len();
                    let range = pts
                        .visible
                        .clone()
                        .map_or(0..n, |v| v.start.min(n)..v.end.min(n));
                    let step = (range.len() / 500).max(1);
                    for q in pts.data.positions[range].iter().step_by(step) {
                        add(*q, p);
                    }
                }
                Layer::Bars(b) => {
                    for (&pos, &v) in b.positions.iter().zip(&b.values) {
                        let q = if b.horizontal {
                            glam::Vec3::new(v, pos, 0.0)
                        } else {
                            glam::Vec3::new(pos, v, 0.0)
                        };
                        add(q, p);
                    }
                }
                Layer::Image(_) => {}
            }
        }
    }
    out
}

const CANDIDATES: [LegendLoc; 9] = [
    LegendLoc::UpperRight,
    LegendLoc::UpperLeft,
    LegendLoc::LowerLeft,
    LegendLoc::LowerRight,
    LegendLoc::CenterLeft,
    LegendLoc::CenterRight,
    LegendLoc::LowerCenter,
    LegendLoc::UpperCenter,
    LegendLoc::Center,
];

fn box_at(loc: LegendLoc, r: RectPx, size: epaint::Vec2) -> Rect {
    let inset = 0.5 * FONT_PX; // matplotlib's borderaxespad
    let a = loc.anchor();
    let x = r.x + inset + a.x * (r.w - 2.0 * inset - size.x);
    let y = r.y + inset + (1.0 - a.y) * (r.h - 2.0 * inset - size.y);
    Rect::from_min_size(Pos2::new(x, y), size)
}

/// Draws `legend` inside `layout.rect`, listing [`Panel::legend_entries`]: the hand-built
/// entries, or else the panel's labelled layers. A legend with nothing to list is not drawn.
pub fn draw_legend(
    text: &mut TextFonts,
    panel: &Panel,
    layout: &PanelLayout,
    legend: &Legend,
    frame: &mut ChromeFrame,
) {
    let entries = panel.legend_entries();
    if entries.is_empty() {
        return;
    }
    let em = FONT_PX;
    let pad = 0.4 * em;
    let handle = 2.0 * em;
    let gap = 0.8 * em;
    let spacing = 0.5 * em;
    let sizes: Vec<_> = text.measure(|t| {
        entries
            .iter()
            .map(|e| t.layout(&e.label, FONT_PX, Color::BLACK).size())
            .collect()
    });
    let galleys: Vec<_> = entries
        .iter()
        .map(|e| text.layout(&e.label, FONT_PX, Color::BLACK))
        .collect();
    let row_h = sizes.iter().map(|s| s.y).fold(em, f32::max);
    let text_w = sizes.iter().map(|s| s.x).fold(0.0, f32::max);
    let n = entries.len() as f32;
    let size = vec2(
        2.0 * pad + handle + gap + text_w,
        2.0 * pad + n * row_h + (n - 1.0) * spacing,
    );
    let r = layout.rect;
    let rect = match legend.loc {
        LegendLoc::Best => {
            let pts = data_points(panel, r);
            let mut best = (usize::MAX, box_at(LegendLoc::UpperRight, r, size));
            for loc in CANDIDATES {
                let b = box_at(loc, r, size);
                let hidden = pts.iter().filter(|p| b.contains(**p)).count();
                if hidden < best.0 {
                    best = (hidden, b);
                }
            }
            best.1
        }
        loc => box_at(loc, r, size),
    };
    frame.over(
        Rect::EVERYTHING,
        Shape::rect_filled(rect, 0.2 * em, color32(Color::WHITE.with_alpha(0.8))),
    );
    frame.over(
        Rect::EVERYTHING,
        Shape::rect_stroke(
            rect,
            0.2 * em,
            Stroke::new(LINE_PX, color32(Color::rgb(0.8, 0.8, 0.8))),
            StrokeKind::Inside,
        ),
    );
    for (i, (entry, g)) in entries.iter().zip(galleys).enumerate() {
        let cy = rect.top() + pad + i as f32 * (row_h + spacing) + row_h / 2.0;
        let hx = rect.left() + pad;
        let mid = Pos2::new(hx + handle / 2.0, cy);
        match &entry.swatch {
            Swatch::Line {
                color,
                width_px,
                dashed,
            } => line_swatch(frame, hx, handle, cy, *color, *width_px, *dashed),
            Swatch::Marker {
                color,
                marker,
                size_px,
            } => frame.over(
                Rect::EVERYTHING,
                marker_shape(*marker, mid, *size_px, *color),
            ),
            Swatch::LineMarker {
                color,
                width_px,
                dashed,
                marker,
                size_px,
                marker_color,
            } => {
                line_swatch(frame, hx, handle, cy, *color, *width_px, *dashed);
                frame.over(
                    Rect::EVERYTHING,
                    marker_shape(*marker, mid, *size_px, *marker_color),
                );
            }
            Swatch::Patch(color) => {
                let rr = Rect::from_center_size(mid, vec2(handle, 0.7 * em));
                frame.over(
                    Rect::EVERYTHING,
                    Shape::rect_filled(rr, 0.0, color32(*color)),
                );
            }
        }
        let p = place(
            g,
            Pos2::new(hx + handle + gap, cy),
            HAlign::Left,
            VAlign::Center,
            0.0,
            Color::BLACK,
        );
        frame.over(Rect::EVERYTHING, p.shape);
    }
}

/// A legend's line handle from `x` to `x + len` at height `y`, solid or dashed.
fn line_swatch(
    frame: &mut ChromeFrame,
    x: f32,
    len: f32,
    y: f32,
    color: Color,
    width_px: f32,
    dashed: bool,
) {
    let stroke = Stroke::new(width_px, color32(color));
    if !dashed {
        let seg = [Pos2::new(x, y), Pos2::new(x + len, y)];
        frame.over(Rect::EVERYTHING, Shape::line_segment(seg, stroke));
        return;
    }
    let dash = 3.7 * width_px.max(1.0);
    let space = 1.6 * width_px.max(1.0);
    let mut x0 = x;
    while x0 < x + len {
        let x1 = (x0 + dash).min(x + len);
        let seg = [Pos2::new(x0, y), Pos2::new(x1, y)];
        frame.over(Rect::EVERYTHING, Shape::line_segment(seg, stroke));
        x0 = x1 + space;
    }
}

/// A legend marker of `size_px` centred on `c`.
fn marker_shape(marker: Marker, c: Pos2, size_px: f32, color: Color) -> Shape {
    let s = size_px / 2.0;
    let fill = color32(color);
    match marker {
        Marker::Circle => Shape::circle_filled(c, s, fill),
        Marker::Square => Shape::rect_filled(
            Rect::from_center_size(c, vec2(1.77 * s, 1.77 * s)),
            0.0,
            fill,
        ),
        Marker::Triangle => Shape::convex_polygon(
            vec![
                c + vec2(0.0, -s),
                c + vec2(0.87 * s, 0.5 * s),
                c + vec2(-0.87 * s, 0.5 * s),
            ],
            fill,
            Stroke::NONE,
        ),
        Marker::Cross => Shape::Vec(vec![
            Shape::line_segment(
                [c + vec2(-s, -s) * 0.7, c + vec2(s, s) * 0.7],
                Stroke::new(s * 0.36, fill),
            ),
            Shape::line_segment(
                [c + vec2(-s, s) * 0.7, c + vec2(s, -s) * 0.7],
                Stroke::new(s * 0.36, fill),
            ),
        ]),
    }
}
