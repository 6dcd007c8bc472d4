//! Chart chrome: axes frames, ticks, tick labels, axis labels, titles, grids, legends,
//! colorbars, twin axes, bar charts and annotations, drawn into the same picture as the data.
//!
//! How it works: [`Chrome::build`] lays the figure out like matplotlib's `tight_layout` (each
//! panel's margins grow to fit its tick labels, rotated labels, titles and colorbar, so nothing
//! is clipped) and produces two lists of epaint shapes per frame: an *underlay* (grid lines, 3D
//! panes, bars) drawn before the data layers, and an *overlay* (spines, ticks, text, legends)
//! drawn after. Text is laid out by epaint with the bundled DejaVu Sans and drawn by egui-wgpu
//! through the same render pass as the data, so the window and exported files get identical
//! pixels. (egui's painter was chosen over glyphon because the viewer already ships egui, its
//! tessellator gives anti-aliased lines and rounded boxes for legends as well as text, and one
//! font atlas serves both the UI and the figure.)

mod axes2d;
mod axes3d;
mod legend;
pub mod text;
pub mod ticks;

use crate::scene::{Anchor, Annotation, Axes, Figure, Lines, Panel, RectPx, Ticks};
use epaint::{ClippedShape, Pos2, Rect, Shape};
pub use text::{TextFonts, use_font};
use ticks::AxisTicks;

/// Font size of tick labels, axis labels and legends in pixels (10 pt).
pub const FONT_PX: f32 = 10.0 * text::PX_PER_PT;
/// Font size of titles in pixels (12 pt).
pub const TITLE_PX: f32 = 12.0 * text::PX_PER_PT;
/// Tick length (3.5 pt).
pub const TICK_LEN: f32 = 3.5 * text::PX_PER_PT;
/// Gap between a tick and its label (3.5 pt).
pub const TICK_PAD: f32 = 3.5 * text::PX_PER_PT;
/// Gap between tick labels and the axis label (4 pt).
pub const LABEL_PAD: f32 = 4.0 * text::PX_PER_PT;
/// Gap between the axes and the title (6 pt).
pub const TITLE_PAD: f32 = 6.0 * text::PX_PER_PT;
/// Width of spines and ticks (0.8 pt).
pub const LINE_PX: f32 = 0.8 * text::PX_PER_PT;
/// Space kept around every panel's cell.
pub const CELL_PAD: f32 = 0.55 * FONT_PX;

/// Where a panel's parts go, in canvas pixels.
#[derive(Clone, Debug)]
pub struct PanelLayout {
    /// The axes area (data is drawn here).
    pub rect: RectPx,
    /// x ticks (None when hidden).
    pub x: Option<AxisTicks>,
    /// y ticks.
    pub y: Option<AxisTicks>,
    /// z ticks (3D).
    pub z: Option<AxisTicks>,
    /// Twin y ticks.
    pub twin: Option<AxisTicks>,
}

/// One frame's chrome.
pub struct ChromeFrame {
    /// Per panel, its layout.
    pub panels: Vec<PanelLayout>,
    /// Shapes drawn before the data layers.
    pub under: Vec<ClippedShape>,
    /// Shapes drawn after the data layers.
    pub over: Vec<ClippedShape>,
    /// Lines in a panel's data space (by panel index), drawn by the line renderer before the
    /// panel's own layers: 3D panes' edges and grid.
    pub data_lines: Vec<(usize, Lines)>,
}

impl ChromeFrame {
    fn push(list: &mut Vec<ClippedShape>, clip: Rect, shape: Shape) {
        list.push(ClippedShape {
            clip_rect: clip,
            shape,
            transform_after_tessellation: Default::default(),
        });
    }

    pub(crate) fn under(&mut self, clip: Rect, shape: Shape) {
        Self::push(&mut self.under, clip, shape);
    }

    pub(crate) fn over(&mut self, clip: Rect, shape: Shape) {
        Self::push(&mut self.over, clip, shape);
    }
}

/// Lays out and draws chrome; holds the fonts and their atlas.
pub struct Chrome {
    /// Fonts (public so the GPU side can upload the atlas).
    pub text: TextFonts,
}

/// Converts a pixel rectangle to epaint's.
pub fn rect(r: RectPx) -> Rect {
    Rect::from_min_size(Pos2::new(r.x, r.y), epaint::vec2(r.w, r.h))
}

impl Chrome {
    /// Chrome with the bundled font (and any font given to [`use_font`]).
    pub fn new(max_texture_side: usize) -> Self {
        Chrome {
            text: TextFonts::new(max_texture_side),
        }
    }

    /// Lays out `figure` on a canvas of `width`×`height` layout pixels (1/100 inch) and builds
    /// its chrome there; `scale` target pixels make one layout pixel (dpi / 100), which only
    /// changes how finely text is rasterised, never where anything goes.
    pub fn build(&mut self, figure: &Figure, width: f32, height: f32, scale: f32) -> ChromeFrame {
        self.text.begin_frame(scale);
        let (w, h) = (width, height);
        let canvas = Rect::from_min_size(Pos2::ZERO, epaint::vec2(w, h));
        let mut top = 0.0;
        let mut frame = ChromeFrame {
            panels: Vec::new(),
            under: Vec::new(),
            over: Vec::new(),
            data_lines: Vec::new(),
        };
        if let Some(title) = figure.title.as_deref().filter(|t| !t.is_empty()) {
            let measured = self
                .text
                .measure(|t| t.layout(title, TITLE_PX, crate::Color::BLACK).size().y);
            let g = self.text.layout(title, TITLE_PX, crate::Color::BLACK);
            let placed = text::place(
                g,
                Pos2::new(w / 2.0, CELL_PAD),
                crate::scene::HAlign::Center,
                crate::scene::VAlign::Top,
                0.0,
                crate::Color::BLACK,
            );
            top = CELL_PAD.round() + measured + 0.3 * TITLE_PX;
            frame.over(canvas, placed.shape);
        }
        let (rows, cols) = figure.grid;
        let cell_w = w / cols as f32;
        let cell_h = (h - top) / rows as f32;
        for panel in &figure.panels {
            let c = panel.cell;
            let cell = RectPx {
                x: c.col as f32 * cell_w,
                y: top + c.row as f32 * cell_h,
                w: cell_w * c.col_span.max(1) as f32,
                h: cell_h * c.row_span.max(1) as f32,
            };
            // Measured at one pixel per point: the layout is the same at every dpi.
            let layout = self.text.measure(|text| match panel.axes {
                Axes::TwoD { .. } => axes2d::layout(text, panel, cell),
                Axes::ThreeD { .. } => axes3d::layout(text, panel, cell),
            });
            frame.panels.push(layout);
        }
        for (i, (panel, layout)) in figure.panels.iter().zip(frame.panels.clone()).enumerate() {
            match panel.axes {
                Axes::TwoD { .. } => axes2d::draw(&mut self.text, panel, &layout, &mut frame),
                Axes::ThreeD { .. } => axes3d::draw(&mut self.text, panel, i, &layout, &mut frame),
            }
            if let Some(legend) = &panel.decor.legend {
                legend::draw_legend(&mut self.text, panel, &layout, legend, &mut frame);
            }
            for a in &panel.decor.annotations {
                self.annotate(panel, &layout, a, (w, h), &mut frame);
            }
        }
        frame
    }

    fn annotate(
        &mut self,
        panel: &Panel,
        layout: &PanelLayout,
        a: &Annotation,
        (w, h): (f32, f32),
        frame: &mut ChromeFrame,
    ) {
        if a.text.is_empty() {
            return;
        }
        let r = layout.rect;
        let at = match a.at {
            Anchor::Figure(p) => Pos2::new(p.x * w, (1.0 - p.y) * h),
            Anchor::Axes(p) => Pos2::new(r.x + p.x * r.w, r.y + (1.0 - p.y) * r.h),
            Anchor::Data(d) => match data_to_px(panel, r, d) {
                Some(p) => p,
                None => return,
            },
        };
        let g = self
            .text
            .layout(&a.text, a.size_pt * text::PX_PER_PT, a.color);
        let placed = text::place(g, at, a.halign, a.valign, 0.0, a.color);
        let canvas = Rect::from_min_size(Pos2::ZERO, epaint::vec2(w, h));
        frame.over(canvas, placed.shape);
    }
}

/// Projects a data point of `panel` into canvas pixels (None behind a 3D camera).
pub fn data_to_px(panel: &Panel, r: RectPx, d: glam::Vec3) -> Option<Pos2> {
    let clip = panel.clip_from_data(r.aspect()) * d.extend(1.0);
    if clip.w <= 1e-6 || !clip.is_finite() {
        return None;
    }
    let ndc = clip.truncate() / clip.w;
    Some(Pos2::new(
        r.x + (ndc.x * 0.5 + 0.5) * r.w,
        r.y + (0.5 - ndc.y * 0.5) * r.h,
    ))
}

/// Ticks for one axis over `[lo, hi]` drawn `length_px` long.
pub(crate) fn axis_ticks(
    spec: &Ticks,
    lo: f32,
    hi: f32,
    length_px: f32,
    horizontal: bool,
) -> Option<AxisTicks> {
    match spec {
        Ticks::None => None,
        Ticks::Auto => Some(ticks::auto(
            lo as f64,
            hi as f64,
            ticks::max_intervals(length_px, FONT_PX, horizontal),
        )),
        Ticks::Fixed(list) => {
            let (a, b) = (lo.min(hi), lo.max(hi));
            let tol = (b - a).abs() * 1e-4;
            let kept: Vec<&(f32, String)> = list
                .iter()
                .filter(|(v, _)| *v >= a - tol && *v <= b + tol)
                .collect();
            Some(AxisTicks {
                values: kept.iter().map(|(v, _)| *v as f64).collect(),
                labels: kept.iter().map(|(_, l)| l.clone()).collect(),
                factor: String::new(),
            })
        }
    }
}
