//! 3D axes as matplotlib draws them: the three panes at the back of the box (light grey, with
//! grid lines at the ticks), axis lines with ticks and labels along the box edges nearest the
//! viewer, all re-projected every frame so they turn with the camera.

use super::text::{TextFonts, color32, place};
use super::*;
use crate::scene::{Axes, Color, HAlign, LineStyle, Lines, VAlign};
use epaint::{Stroke, Vec2};
use glam::Vec3;

/// Lays out a 3D panel: the whole cell less padding and the title.
pub fn layout(text: &mut TextFonts, panel: &Panel, cell: RectPx) -> PanelLayout {
    let mut top = CELL_PAD;
    if let Some(t) = panel.decor.title.as_deref().filter(|t| !t.is_empty()) {
        top += text.layout(t, TITLE_PX, Color::BLACK).size().y + TITLE_PAD * 0.5;
    }
    // Tick labels and axis labels sit outside the projected box: keep room for them.
    let side = CELL_PAD + 2.0 * FONT_PX;
    let r = RectPx {
        x: cell.x + side,
        y: cell.y + top,
        w: (cell.w - 2.0 * side).max(10.0),
        h: (cell.h - top - side).max(10.0),
    };
    let Axes::ThreeD { bounds, .. } = &panel.axes else {
        return PanelLayout {
            rect: r,
            x: None,
            y: None,
            z: None,
            twin: None,
        };
    };
    let d = &panel.decor;
    // A box edge is roughly half the panel across: fewer ticks than a 2D axis of full length.
    let len = 0.5 * r.w.min(r.h);
    let l = bounds.limits;
    let (x, y, z) = if d.hidden {
        (None, None, None)
    } else {
        (
            axis_ticks(&d.x.ticks, l[0][0], l[0][1], len, true),
            axis_ticks(&d.y.ticks, l[1][0], l[1][1], len, true),
            axis_ticks(&d.z.ticks, l[2][0], l[2][1], len, false),
        )
    };
    PanelLayout {
        rect: r,
        x,
        y,
        z,
        twin: None,
    }
}

/// Draws a 3D panel's panes, grid, axis lines, ticks and labels.
pub fn draw(
    text: &mut TextFonts,
    panel: &Panel,
    panel_index: usize,
    layout: &PanelLayout,
    frame: &mut ChromeFrame,
) {
    let r = layout.rect;
    let d = &panel.decor;
    if let Some(t) = d.title.as_deref().filter(|t| !t.is_empty()) {
        let g = text.layout(t, TITLE_PX, Color::BLACK);
        frame.over(
            Rect::EVERYTHING,
            place(
                g,
                Pos2::new(r.x + r.w / 2.0, r.y),
                HAlign::Center,
                VAlign::Bottom,
                0.0,
                Color::BLACK,
            )
            .shape,
        );
    }
    let Axes::ThreeD { bounds, camera } = &panel.axes else {
        return;
    };
    if d.hidden {
        return;
    }
    let lim = bounds.limits;
    let proj = |p: Vec3| data_to_px(panel, r, p);
    // Which side of the box faces away from the eye, per axis (the panes go there).
    let eye = camera.eye();
    let back = |i: usize| if eye[i] > 0.0 { lim[i][0] } else { lim[i][1] };
    let front = |i: usize| if eye[i] > 0.0 { lim[i][1] } else { lim[i][0] };
    let (bx, by, bz) = (back(0), back(1), back(2));
    let clip = rect(r).expand(4.0 * FONT_PX);

    // Panes: x = bx, y = by, z = bz.
    let pane_fill = color32(Color::rgb(0.95, 0.95, 0.95).with_alpha(0.5));
    let panes: [[Vec3; 4]; 3] = [
        [
            Vec3::new(bx, lim[1][0], lim[2][0]),
            Vec3::new(bx, lim[1][1], lim[2][0]),
            Vec3::new(bx, lim[1][1], lim[2][1]),
            Vec3::new(bx, lim[1][0], lim[2][1]),
        ],
        [
            Vec3::new(lim[0][0], by, lim[2][0]),
            Vec3::new(lim[0][1], by, lim[2][0]),
            Vec3::new(lim[0][1], by, lim[2][1]),
            Vec3::new(lim[0][0], by, lim[2][1]),
        ],
        [
            Vec3::new(lim[0][0], lim[1][0], bz),
            Vec3::new(lim[0][1], lim[1][0], bz),
            Vec3::new(lim[0][1], lim[1][1], bz),
            Vec3::new(lim[0][0], lim[1][1], bz),
        ],
    ];
    for pane in &panes {
        let pts: Option<Vec<Pos2>> = pane.iter().map(|p| proj(*p)).collect();
        if let Some(pts) = pts {
            frame.under(clip, Shape::convex_polygon(pts, pane_fill, Stroke::NONE));
        }
    }
    // The panes' edges and the grid lines across them at each tick go to the line renderer as
    // data-space segments (a quad each; as chrome meshes each took six long thin triangles),
    // separated by NaN. Edges first, so grid lines end on top of them as before.
    let mut edges: Vec<Vec3> = Vec::new();
    for pane in &panes {
        edges.extend(pane.iter().chain([&pane[0]]));
        edges.push(Vec3::NAN);
    }
    let mut grid: Vec<Vec3> = Vec::new();
    let mut seg = |a: Vec3, b: Vec3| grid.extend([a, b, Vec3::NAN]);
    if let Some(t) = &layout.x {
        for &v in &t.values {
            let v = v as f32;
            seg(Vec3::new(v, by, lim[2][0]), Vec3::new(v, by, lim[2][1]));
            seg(Vec3::new(v, lim[1][0], bz), Vec3::new(v, lim[1][1], bz));
        }
    }
    if let Some(t) = &layout.y {
        for &v in &t.values {
            let v = v as f32;
            seg(Vec3::new(bx, v, lim[2][0]), Vec3::new(bx, v, lim[2][1]));
            seg(Vec3::new(lim[0][0], v, bz), Vec3::new(lim[0][1], v, bz));
        }
    }
    if let Some(t) = &layout.z {
        for &v in &t.values {
            let v = v as f32;
            seg(Vec3::new(bx, lim[1][0], v), Vec3::new(bx, lim[1][1], v));
            seg(Vec3::new(lim[0][0], by, v), Vec3::new(lim[0][1], by, v));
        }
    }
    let styles = vec![
        LineStyle::new(Color::rgb(0.8, 0.8, 0.8), LINE_PX * 0.8),
        LineStyle::new(Color::rgb(0.88, 0.88, 0.88), LINE_PX),
    ];
    frame.data_lines.push((
        panel_index,
        Lines::new(std::sync::Arc::new(vec![edges, grid]), styles),
    ));

    // Axes along the floor's front edges (x and y) and a vertical edge at the side (z).
    let centre = Vec3::new(
        (lim[0][0] + lim[0][1]) / 2.0,
        (lim[1][0] + lim[1][1]) / 2.0,
        (lim[2][0] + lim[2][1]) / 2.0,
    );
    let (fx, fy) = (front(0), front(1));
    // For z pick the side corner (front in one axis, back in the other) further right on screen.
    let corners = [(fx, by), (bx, fy)];
    let zc = corners
        .iter()
        .copied()
        .max_by(|a, b| {
            let pa = proj(Vec3::new(a.0, a.1, bz)).map_or(0.0, |p| p.x);
            let pb = proj(Vec3::new(b.0, b.1, bz)).map_or(0.0, |p| p.x);
            pa.total_cmp(&pb)
        })
        .unwrap_or((fx, by));
    let axes = [
        (
            0usize,
            &layout.x,
            &d.x,
            Vec3::new(lim[0][0], fy, bz),
            Vec3::new(lim[0][1], fy, bz),
            Vec3::new(0.0, fy - centre.y, 0.0),
        ),
        (
            1,
            &layout.y,
            &d.y,
            Vec3::new(fx, lim[1][0], bz),
            Vec3::new(fx, lim[1][1], bz),
            Vec3::new(fx - centre.x, 0.0, 0.0),
        ),
        (
            2,
            &layout.z,
            &d.z,
            Vec3::new(zc.0, zc.1, lim[2][0]),
            Vec3::new(zc.0, zc.1, lim[2][1]),
            Vec3::new(zc.0 - centre.x, zc.1 - centre.y, 0.0),
        ),
    ];
    let black = Color::BLACK;
    for (i, ticks, spec, a, b, outward) in axes {
        let (Some(pa), Some(pb)) = (proj(a), proj(b)) else {
            continue;
        };
        frame.over(
            Rect::EVERYTHING,
            Shape::line_segment([pa, pb], Stroke::new(LINE_PX, color32(black))),
        );
        // Screen direction pointing away from the box at this edge.
        let mid = a.lerp(b, 0.5);
        let out = match (
            proj(mid),
            proj(mid + outward.normalize_or_zero() * 0.25 * span(lim, i, outward)),
        ) {
            (Some(p), Some(q)) if (q - p).length() > 1e-3 => (q - p).normalized(),
            _ => Vec2::new(0.0, 1.0),
        };
        let mut reach: f32 = 0.0;
        if let Some(t) = ticks {
            for (v, l) in t.values.iter().zip(&t.labels) {
                let mut p3 = a;
                p3[i] = *v as f32;
                let Some(p) = proj(p3) else { continue };
                frame.over(
                    Rect::EVERYTHING,
                    Shape::line_segment(
                        [p, p + out * TICK_LEN],
                        Stroke::new(LINE_PX, color32(black)),
                    ),
                );
                let g = text.layout(l, FONT_PX * 0.9, black);
                let half = g.size() * 0.5;
                // Push the label's centre out far enough that its box clears the tick.
                let clearance = (out.x.abs() * half.x + out.y.abs() * half.y) + TICK_LEN + 2.0;
                let placed = place(
                    g,
                    p + out * clearance,
                    HAlign::Center,
                    VAlign::Center,
                    0.0,
                    black,
                );
                reach = reach.max(clearance + (out.x.abs() * half.x + out.y.abs() * half.y));
                frame.over(Rect::EVERYTHING, placed.shape);
            }
        }
        if let Some(label) = spec.label.as_deref().filter(|l| !l.is_empty())
            && let Some(pm) = proj(mid)
        {
            let g = text.layout(label, FONT_PX, black);
            let half = g.size() * 0.5;
            let dist =
                reach.max(TICK_LEN) + LABEL_PAD + out.x.abs() * half.x + out.y.abs() * half.y;
            frame.over(
                Rect::EVERYTHING,
                place(
                    g,
                    pm + out * dist,
                    HAlign::Center,
                    VAlign::Center,
                    0.0,
                    black,
                )
                .shape,
            );
        }
    }
}

/// A length in data units on the axes perpendicular to axis `i` along `dir`, for finding
/// which way is "out" on screen.
fn span(lim: [[f32; 2]; 3], i: usize, dir: Vec3) -> f32 {
    let mut s: f32 = 0.0;
    for k in 0..3 {
        if k != i && dir[k] != 0.0 {
            s = s.max((lim[k][1] - lim[k][0]).abs());
        }
    }
    s.max(1e-6)
}
