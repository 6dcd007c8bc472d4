//! What is drawn: a [`Figure`] holds [`Panel`]s laid out in a grid; each panel is 2D or 3D axes
//! holding [`Layer`]s (lines, points, image planes). Plain data, no GPU.
//!
//! Heavy data (trajectories, point clouds, pixels) lives behind `Arc`s. A generator builds it
//! once and hands the same `Arc` to every frame; the renderer compares `Arc` pointers and uploads
//! only data it has not seen. A frame changes cheap things: visible ranges, the camera, colours.

mod camera;
mod colormap;
#[rustfmt::skip]
mod colormap_tables;
mod decor;
mod layout;
mod names;
mod view;

pub use camera::{Axes3dBox, OrbitCamera};
pub use colormap::Colormap;
pub use decor::{
    Anchor, Annotation, AxisSpec, Colorbar, Decor, HAlign, Legend, LegendEntry, LegendLoc, Swatch,
    Ticks, TwinY, VAlign, heatmap_labels,
};
pub use layout::RectPx;
pub use names::{FormatString, LineDash};
pub use view::{PanelAdjust, ViewAdjust};

use crate::{Error, Result};
use glam::{Mat4, Vec3};
use std::ops::Range;
use std::sync::Arc;

/// A colour in sRGB space with straight (not premultiplied) alpha, each channel in 0..=1.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Color {
    /// Red.
    pub r: f32,
    /// Green.
    pub g: f32,
    /// Blue.
    pub b: f32,
    /// Alpha (opacity).
    pub a: f32,
}

impl Color {
    /// Opaque white.
    pub const WHITE: Color = Color::rgb(1.0, 1.0, 1.0);
    /// Opaque black.
    pub const BLACK: Color = Color::rgb(0.0, 0.0, 0.0);

    /// An opaque colour from channels in 0..=1.
    pub const fn rgb(r: f32, g: f32, b: f32) -> Self {
        Color { r, g, b, a: 1.0 }
    }

    /// An opaque colour from 8-bit channels.
    pub fn rgb8(r: u8, g: u8, b: u8) -> Self {
        Color::rgb(r as f32 / 255.0, g as f32 / 255.0, b as f32 / 255.0)
    }

    /// The same colour with another alpha.
    pub fn with_alpha(self, a: f32) -> Self {
        Color { a, ..self }
    }

    /// Parses `#rrggbb` or `#rrggbbaa`.
    pub fn hex(s: &str) -> Result<Self> {
        let bad = || Error::Scene(format!("colour '{s}' is not #rrggbb or #rrggbbaa"));
        let h = s.strip_prefix('#').ok_or_else(bad)?;
        if !(h.len() == 6 || h.len() == 8) || !h.is_ascii() {
            return Err(bad());
        }
        let byte = |i: usize| u8::from_str_radix(&h[i..i + 2], 16).map_err(|_| bad());
        let mut c = Color::rgb8(byte(0)?, byte(2)?, byte(4)?);
        if h.len() == 8 {
            c.a = byte(6)? as f32 / 255.0;
        }
        Ok(c)
    }

    /// matplotlib's default colour cycle (`tab10`, "C0".."C9"); `i` wraps around.
    pub fn cycle(i: usize) -> Self {
        const TAB10: [[u8; 3]; 10] = [
            [0x1f, 0x77, 0xb4],
            [0xff, 0x7f, 0x0e],
            [0x2c, 0xa0, 0x2c],
            [0xd6, 0x27, 0x28],
            [0x94, 0x67, 0xbd],
            [0x8c, 0x56, 0x4b],
            [0xe3, 0x77, 0xc2],
            [0x7f, 0x7f, 0x7f],
            [0xbc, 0xbd, 0x22],
            [0x17, 0xbe, 0xcf],
        ];
        let [r, g, b] = TAB10[i % TAB10.len()];
        Color::rgb8(r, g, b)
    }

    /// The colour as four 8-bit channels.
    pub fn to_rgba8(self) -> [u8; 4] {
        let q = |v: f32| (v.clamp(0.0, 1.0) * 255.0).round() as u8;
        [q(self.r), q(self.g), q(self.b), q(self.a)]
    }

    /// Relative luminance (WCAG, from sRGB), 0 for black to 1 for white.
    pub fn luminance(self) -> f32 {
        let lin = |c: f32| {
            if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * lin(self.r) + 0.7152 * lin(self.g) + 0.0722 * lin(self.b)
    }

    /// The colour as an array, for uniforms.
    pub fn to_array(self) -> [f32; 4] {
        [self.r, self.g, self.b, self.a]
    }
}

/// A whole picture: panels in a grid on a background.
#[derive(Clone, Debug)]
pub struct Figure {
    /// Background colour behind every panel.
    pub background: Color,
    /// Grid rows and columns that panels are placed in.
    pub grid: (u32, u32),
    /// The panels, drawn in order.
    pub panels: Vec<Panel>,
    /// Title above all panels (matplotlib's `suptitle`).
    pub title: Option<String>,
}

impl Figure {
    /// An empty figure with a white background and a `rows`×`cols` grid.
    pub fn new(rows: u32, cols: u32) -> Self {
        Figure {
            background: Color::WHITE,
            grid: (rows.max(1), cols.max(1)),
            panels: Vec::new(),
            title: None,
        }
    }

    /// Adds a panel and returns a mutable reference to it.
    pub fn push(&mut self, panel: Panel) -> &mut Panel {
        self.panels.push(panel);
        let last = self.panels.len() - 1;
        &mut self.panels[last]
    }

    /// Checks every layer's data for consistency, naming the panel and layer at fault.
    pub fn validate(&self) -> Result<()> {
        for (p, panel) in self.panels.iter().enumerate() {
            let (rows, cols) = self.grid;
            if panel.cell.row >= rows || panel.cell.col >= cols {
                return Err(Error::Scene(format!(
                    "panel {p} is at row {}, column {} of a {rows}x{cols} grid",
                    panel.cell.row, panel.cell.col
                )));
            }
            let twin = panel.decor.twin_y.iter().flat_map(|t| &t.layers);
            for (l, layer) in panel.layers.iter().chain(twin).enumerate() {
                layer.validate().map_err(|e| match e {
                    Error::Scene(m) => Error::Scene(format!("panel {p}, layer {l}: {m}")),
                    other => other,
                })?;
            }
        }
        Ok(())
    }
}

/// Where a panel sits in its figure's grid.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GridCell {
    /// Row, from the top, starting at 0.
    pub row: u32,
    /// Column, from the left, starting at 0.
    pub col: u32,
    /// Rows spanned (at least 1).
    pub row_span: u32,
    /// Columns spanned (at least 1).
    pub col_span: u32,
}

impl GridCell {
    /// A single cell.
    pub fn at(row: u32, col: u32) -> Self {
        GridCell {
            row,
            col,
            row_span: 1,
            col_span: 1,
        }
    }
}

/// One set of axes and what is drawn in them.
#[derive(Clone, Debug)]
pub struct Panel {
    /// Position in the figure's grid.
    pub cell: GridCell,
    /// 2D or 3D axes.
    pub axes: Axes,
    /// Layers, drawn in order (later on top).
    pub layers: Vec<Layer>,
    /// Axes, ticks, labels, title, legend, colorbar, annotations.
    pub decor: Decor,
}

impl Panel {
    /// A panel with 2D axes spanning the given data limits.
    pub fn new_2d(cell: GridCell, x_limits: [f32; 2], y_limits: [f32; 2]) -> Self {
        Panel {
            cell,
            axes: Axes::TwoD { x_limits, y_limits },
            layers: Vec::new(),
            decor: Decor::default(),
        }
    }

    /// A panel with 3D axes.
    pub fn new_3d(cell: GridCell, bounds: Axes3dBox, camera: OrbitCamera) -> Self {
        Panel {
            cell,
            axes: Axes::ThreeD { bounds, camera },
            layers: Vec::new(),
            decor: Decor::default(),
        }
    }

    /// Adds a layer.
    pub fn with(mut self, layer: impl Into<Layer>) -> Self {
        self.layers.push(layer.into());
        self
    }

    /// Sets the decorations.
    pub fn with_decor(mut self, decor: Decor) -> Self {
        self.decor = decor;
        self
    }

    /// Sets the title.
    pub fn titled(mut self, title: impl Into<String>) -> Self {
        self.decor.title = Some(title.into());
        self
    }

    /// Shows a legend at `loc` listing the panel's labelled layers (matplotlib's `legend()`).
    pub fn with_legend(mut self, loc: LegendLoc) -> Self {
        self.decor.legend = Some(Legend {
            loc,
            entries: Vec::new(),
        });
        self
    }

    /// The entries the panel's legend shows: the hand-built ones if it has any, otherwise one
    /// per labelled layer, the panel's own layers first and then its twin axis' layers, each
    /// with a swatch in the layer's style.
    pub fn legend_entries(&self) -> Vec<LegendEntry> {
        match &self.decor.legend {
            None => Vec::new(),
            Some(l) if !l.entries.is_empty() => l.entries.clone(),
            Some(_) => {
                let twin = self.decor.twin_y.iter().flat_map(|t| &t.layers);
                let mut out: Vec<LegendEntry> = Vec::new();
                for e in self
                    .layers
                    .iter()
                    .chain(twin)
                    .filter_map(Layer::legend_entry)
                {
                    // Lines followed by markers under the same label are one line drawn with
                    // markers (matplotlib's "r-o"): one entry showing both.
                    if let Some(last) = out.last_mut()
                        && last.label == e.label
                        && let (
                            Swatch::Line {
                                color,
                                width_px,
                                dashed,
                            },
                            Swatch::Marker {
                                color: marker_color,
                                marker,
                                size_px,
                            },
                        ) = (&last.swatch, &e.swatch)
                    {
                        last.swatch = Swatch::LineMarker {
                            color: *color,
                            width_px: *width_px,
                            dashed: *dashed,
                            marker: *marker,
                            size_px: *size_px,
                            marker_color: *marker_color,
                        };
                        continue;
                    }
                    out.push(e);
                }
                out
            }
        }
    }

    /// The transform from data coordinates to clip space for a viewport of `aspect` = width/height.
    pub fn clip_from_data(&self, aspect: f32) -> Mat4 {
        self.axes.clip_from_data(aspect)
    }
}

/// The coordinate system of a panel.
#[derive(Clone, Debug)]
pub enum Axes {
    /// 2D axes: data limits map linearly onto the panel; the first limit is at the left/bottom.
    TwoD {
        /// x range shown, `[left, right]`.
        x_limits: [f32; 2],
        /// y range shown, `[bottom, top]`.
        y_limits: [f32; 2],
    },
    /// 3D axes: data limits map onto a box seen through a perspective orbit camera.
    ThreeD {
        /// The data box and its on-screen proportions.
        bounds: Axes3dBox,
        /// Where the camera looks from.
        camera: OrbitCamera,
    },
}

impl Axes {
    /// The transform from data coordinates to clip space for a viewport of `aspect` = width/height.
    pub fn clip_from_data(&self, aspect: f32) -> Mat4 {
        match self {
            Axes::TwoD { x_limits, y_limits } => ortho_2d(*x_limits, *y_limits),
            Axes::ThreeD { bounds, camera } => {
                camera.clip_from_world(aspect) * bounds.world_from_data()
            }
        }
    }
}

/// Maps `x_limits`×`y_limits` onto clip space [-1, 1]². Degenerate limits are widened so the
/// matrix stays invertible.
pub fn ortho_2d(x_limits: [f32; 2], y_limits: [f32; 2]) -> Mat4 {
    let span = |[a, b]: [f32; 2]| {
        let d = b - a;
        if d.abs() < f32::EPSILON * a.abs().max(1.0) {
            (a - 0.5, 1.0)
        } else {
            (a, d)
        }
    };
    let (x0, dx) = span(x_limits);
    let (y0, dy) = span(y_limits);
    Mat4::from_cols(
        glam::Vec4::new(2.0 / dx, 0.0, 0.0, 0.0),
        glam::Vec4::new(0.0, 2.0 / dy, 0.0, 0.0),
        glam::Vec4::new(0.0, 0.0, 1.0, 0.0),
        glam::Vec4::new(-1.0 - 2.0 * x0 / dx, -1.0 - 2.0 * y0 / dy, 0.0, 1.0),
    )
}

/// The smallest box holding every finite visible point of `layers` in data x/y, if any.
pub fn data_bounds_2d(layers: &[Layer]) -> Option<([f32; 2], [f32; 2])> {
    let mut b: Option<([f32; 2], [f32; 2])> = None;
    let mut add = |x: f32, y: f32| {
        if x.is_finite() && y.is_finite() {
            let e = b.get_or_insert(([x, x], [y, y]));
            e.0 = [e.0[0].min(x), e.0[1].max(x)];
            e.1 = [e.1[0].min(y), e.1[1].max(y)];
        }
    };
    for layer in layers {
        match layer {
            Layer::Lines(l) => {
                for (i, strip) in l.strips.iter().enumerate() {
                    let n = strip.len();
                    let r = l
                        .visible
                        .as_ref()
                        .map_or(0..n, |v| v[i].start.min(n)..v[i].end.min(n));
                    strip[r].iter().for_each(|p| add(p.x, p.y));
                }
            }
            Layer::Points(p) => {
                let n = p.data.positions.len();
                let r = p
                    .visible
                    .clone()
                    .map_or(0..n, |v| v.start.min(n)..v.end.min(n));
                p.data.positions[r].iter().for_each(|q| add(q.x, q.y));
            }
            Layer::Image(im) => im.corners.iter().for_each(|c| add(c.x, c.y)),
            Layer::Bars(bars) => {
                for (&pos, &v) in bars.positions.iter().zip(&bars.values) {
                    for along in [pos - bars.width / 2.0, pos + bars.width / 2.0] {
                        for across in [bars.baseline, v] {
                            if bars.horizontal {
                                add(across, along)
                            } else {
                                add(along, across)
                            }
                        }
                    }
                }
            }
        }
    }
    b
}

/// Something drawn inside a panel.
#[derive(Clone, Debug)]
pub enum Layer {
    /// Line strips.
    Lines(Lines),
    /// A point cloud (scatter).
    Points(Points),
    /// An image plane.
    Image(ImagePlane),
    /// A bar chart.
    Bars(Bars),
}

impl Layer {
    /// The layer's legend text, if it has one.
    pub fn label(&self) -> Option<&str> {
        match self {
            Layer::Lines(l) => l.label.as_deref(),
            Layer::Points(p) => p.label.as_deref(),
            Layer::Bars(b) => b.label.as_deref(),
            Layer::Image(_) => None,
        }
    }

    /// The legend entry of a labelled layer, its swatch drawn in the layer's own style (the
    /// first strip, point or bar of it); `None` for unlabelled layers and images.
    pub fn legend_entry(&self) -> Option<LegendEntry> {
        let label = self.label()?.to_string();
        let swatch = match self {
            Layer::Lines(l) => {
                let s = l.styles.first()?;
                Swatch::Line {
                    color: s.color,
                    width_px: s.width_px,
                    dashed: s.dash_px.is_some(),
                }
            }
            Layer::Points(p) => Swatch::Marker {
                color: *p.data.colors.first()?,
                marker: p.marker,
                size_px: *p.data.sizes_px.first()?,
            },
            Layer::Bars(b) => Swatch::Patch(b.color(0)),
            Layer::Image(_) => return None,
        };
        Some(LegendEntry { label, swatch })
    }

    fn validate(&self) -> Result<()> {
        match self {
            Layer::Lines(l) => l.validate(),
            Layer::Points(p) => p.validate(),
            Layer::Image(i) => i.validate(),
            Layer::Bars(b) => b.validate(),
        }
    }
}

impl From<Lines> for Layer {
    fn from(l: Lines) -> Self {
        Layer::Lines(l)
    }
}
impl From<Points> for Layer {
    fn from(p: Points) -> Self {
        Layer::Points(p)
    }
}
impl From<Bars> for Layer {
    fn from(b: Bars) -> Self {
        Layer::Bars(b)
    }
}
impl From<ImagePlane> for Layer {
    fn from(i: ImagePlane) -> Self {
        Layer::Image(i)
    }
}

/// How one line strip is drawn.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LineStyle {
    /// Colour (alpha allowed).
    pub color: Color,
    /// Width in pixels; anti-aliased, so fractional widths are fine.
    pub width_px: f32,
    /// If non-zero, the line fades out over this many points behind its last visible point.
    pub fade_points: f32,
    /// Dash pattern in pixels (on, off); `None` draws a solid line.
    pub dash_px: Option<[f32; 2]>,
}

impl LineStyle {
    /// A solid line of a colour and width.
    pub fn new(color: Color, width_px: f32) -> Self {
        LineStyle {
            color,
            width_px,
            fade_points: 0.0,
            dash_px: None,
        }
    }

    /// The same style dashed like matplotlib's `"--"` (dashes 3.7× and gaps 1.6× the width).
    pub fn dashed(mut self) -> Self {
        let w = self.width_px.max(1.0);
        self.dash_px = Some([3.7 * w, 1.6 * w]);
        self
    }

    /// The same style fading out over `points` points behind the head (a trail).
    pub fn fading(mut self, points: f32) -> Self {
        self.fade_points = points.max(0.0);
        self
    }
}

/// Several line strips sharing one GPU buffer and drawn with one draw call.
///
/// A point with a NaN or infinite coordinate breaks its strip, as in matplotlib.
#[derive(Clone, Debug)]
pub struct Lines {
    /// The strips' points in data coordinates (z is ignored by 2D axes). Uploaded once per `Arc`.
    pub strips: Arc<Vec<Vec<Vec3>>>,
    /// One style per strip.
    pub styles: Vec<LineStyle>,
    /// Per strip, the range of points drawn this frame; `None` draws everything.
    pub visible: Option<Vec<Range<usize>>>,
    /// The legend's text for these lines (matplotlib's `label=`); the swatch takes the first
    /// strip's style.
    pub label: Option<String>,
}

impl Lines {
    /// Lines with one style per strip, all points visible.
    pub fn new(strips: Arc<Vec<Vec<Vec3>>>, styles: Vec<LineStyle>) -> Self {
        Lines {
            strips,
            styles,
            visible: None,
            label: None,
        }
    }

    /// Names these lines in the panel's legend.
    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    /// Shows only `ranges[i]` of strip `i`'s points (each within its strip: validation rejects
    /// ranges past the data).
    pub fn with_visible(mut self, ranges: Vec<Range<usize>>) -> Self {
        self.visible = Some(ranges);
        self
    }

    fn validate(&self) -> Result<()> {
        if self.styles.len() != self.strips.len() {
            return Err(Error::Scene(format!(
                "{} line strips but {} styles",
                self.strips.len(),
                self.styles.len()
            )));
        }
        if let Some(v) = &self.visible
            && v.len() != self.strips.len()
        {
            return Err(Error::Scene(format!(
                "{} line strips but {} visible ranges",
                self.strips.len(),
                v.len()
            )));
        }
        if let Some(v) = &self.visible {
            for (i, (r, strip)) in v.iter().zip(self.strips.iter()).enumerate() {
                if r.start > r.end || r.end > strip.len() {
                    return Err(Error::Scene(format!(
                        "line strip {i} shows points {}..{} but has {}",
                        r.start,
                        r.end,
                        strip.len()
                    )));
                }
            }
        }
        for (i, s) in self.styles.iter().enumerate() {
            if !(s.width_px.is_finite() && s.width_px >= 0.0) {
                return Err(Error::Scene(format!("line {i} has width {}", s.width_px)));
            }
        }
        Ok(())
    }
}

/// Marker shapes for points.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Marker {
    /// A filled disc (matplotlib `"o"`).
    #[default]
    Circle,
    /// A filled square (`"s"`).
    Square,
    /// A filled upward triangle (`"^"`).
    Triangle,
    /// A diagonal cross (`"x"`).
    Cross,
}

/// A point cloud drawn with one draw call; each point has its own colour and size.
#[derive(Clone, Debug)]
pub struct Points {
    /// Positions, colours and sizes. Uploaded once per `Arc`.
    pub data: Arc<PointData>,
    /// Marker shape.
    pub marker: Marker,
    /// The range of points drawn this frame; `None` draws all.
    pub visible: Option<Range<usize>>,
    /// The legend's text for these points; the swatch takes the first point's colour and size.
    pub label: Option<String>,
}

/// The per-point data of a [`Points`] layer.
#[derive(Clone, Debug, Default)]
pub struct PointData {
    /// Positions in data coordinates. Points with a non-finite coordinate are not drawn.
    pub positions: Vec<Vec3>,
    /// One colour per point, or a single colour for all.
    pub colors: Vec<Color>,
    /// Marker diameter in pixels per point, or a single size for all.
    pub sizes_px: Vec<f32>,
}

impl Points {
    /// Points of one colour and size.
    pub fn uniform(positions: Vec<Vec3>, color: Color, size_px: f32) -> Self {
        Points {
            data: Arc::new(PointData {
                positions,
                colors: vec![color],
                sizes_px: vec![size_px],
            }),
            marker: Marker::Circle,
            visible: None,
            label: None,
        }
    }

    /// Names these points in the panel's legend.
    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    /// Sets the marker shape.
    pub fn with_marker(mut self, marker: Marker) -> Self {
        self.marker = marker;
        self
    }

    fn validate(&self) -> Result<()> {
        let n = self.data.positions.len();
        if let Some(r) = &self.visible
            && (r.start > r.end || r.end > n)
        {
            return Err(Error::Scene(format!(
                "points {}..{} are shown but the layer has {n}",
                r.start, r.end
            )));
        }
        for (what, len) in [
            ("colours", self.data.colors.len()),
            ("sizes", self.data.sizes_px.len()),
        ] {
            if len != 1 && len != n && n > 0 {
                return Err(Error::Scene(format!(
                    "{n} points but {len} {what} (give 1 or {n})"
                )));
            }
            if len == 0 && n > 0 {
                return Err(Error::Scene(format!("{n} points but no {what}")));
            }
        }
        Ok(())
    }
}

/// Pixels of an image plane.
#[derive(Clone, Debug)]
pub enum Pixels {
    /// 8-bit RGB, row-major, 3 bytes per pixel.
    Rgb8(Vec<u8>),
    /// 8-bit RGBA (straight alpha), row-major, 4 bytes per pixel.
    Rgba8(Vec<u8>),
    /// Floating-point RGB in 0..=1, row-major, 3 values per pixel.
    RgbF32(Vec<f32>),
    /// Scalars mapped through the layer's colormap; NaN is transparent.
    Scalar(Vec<f32>),
}

/// An image: `width`×`height` pixels, row 0 at the top.
#[derive(Clone, Debug)]
pub struct ImageData {
    /// Columns.
    pub width: u32,
    /// Rows.
    pub height: u32,
    /// The pixel values.
    pub pixels: Pixels,
}

impl ImageData {
    fn validate(&self) -> Result<()> {
        let n = self.width as usize * self.height as usize;
        let (len, per) = match &self.pixels {
            Pixels::Rgb8(v) => (v.len(), 3),
            Pixels::Rgba8(v) => (v.len(), 4),
            Pixels::RgbF32(v) => (v.len(), 3),
            Pixels::Scalar(v) => (v.len(), 1),
        };
        if self.width == 0 || self.height == 0 {
            return Err(Error::Scene(format!(
                "image is {}x{}",
                self.width, self.height
            )));
        }
        if len != n * per {
            return Err(Error::Scene(format!(
                "image is {}x{} with {per} values per pixel, so needs {} values, but has {len}",
                self.width,
                self.height,
                n * per
            )));
        }
        Ok(())
    }
}

/// How an image is sampled when scaled.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Sampling {
    /// Each pixel a crisp rectangle (matplotlib `interpolation="nearest"`).
    #[default]
    Nearest,
    /// Bilinear interpolation between pixel centres.
    Linear,
}

/// An image drawn on a rectangle in data space.
#[derive(Clone, Debug)]
pub struct ImagePlane {
    /// The pixels. Uploaded once per `Arc`.
    pub data: Arc<ImageData>,
    /// Corners in data space: top-left, top-right, bottom-left, bottom-right of the image.
    pub corners: [Vec3; 4],
    /// Colormap for scalar data.
    pub colormap: Colormap,
    /// Scalar value mapped to the colormap's low end.
    pub vmin: f32,
    /// Scalar value mapped to the colormap's high end.
    pub vmax: f32,
    /// Nearest or linear sampling.
    pub sampling: Sampling,
    /// Opacity multiplier.
    pub alpha: f32,
}

impl ImagePlane {
    /// An image covering `[x0, x1]`×`[y0, y1]` in a 2D panel, with row 0 at `y1` (the top), like
    /// matplotlib's `imshow(extent=…)` with `origin="upper"`.
    pub fn new_2d(data: Arc<ImageData>, x: [f32; 2], y: [f32; 2]) -> Self {
        let c = |x, y| Vec3::new(x, y, 0.0);
        ImagePlane {
            data,
            corners: [c(x[0], y[1]), c(x[1], y[1]), c(x[0], y[0]), c(x[1], y[0])],
            colormap: Colormap::Viridis,
            vmin: 0.0,
            vmax: 1.0,
            sampling: Sampling::Nearest,
            alpha: 1.0,
        }
    }

    /// Maps scalar data through `cmap` from `vmin` to `vmax`.
    pub fn with_colormap(mut self, cmap: Colormap, vmin: f32, vmax: f32) -> Self {
        self.colormap = cmap;
        self.vmin = vmin;
        self.vmax = vmax;
        self
    }

    /// Sets the sampling.
    pub fn with_sampling(mut self, s: Sampling) -> Self {
        self.sampling = s;
        self
    }

    fn validate(&self) -> Result<()> {
        self.data.validate()?;
        if !(self.vmin.is_finite() && self.vmax.is_finite()) {
            return Err(Error::Scene(format!(
                "vmin {} / vmax {} must be finite",
                self.vmin, self.vmax
            )));
        }
        Ok(())
    }
}

/// A bar chart: one bar per value, vertical (or horizontal), each with an optional value label.
#[derive(Clone, Debug)]
pub struct Bars {
    /// Bar centres along the category axis.
    pub positions: Vec<f32>,
    /// Bar lengths from `baseline`.
    pub values: Vec<f32>,
    /// Bar thickness in data units.
    pub width: f32,
    /// Where bars start.
    pub baseline: f32,
    /// One colour per bar, or one for all.
    pub colors: Vec<Color>,
    /// Horizontal bars (`barh`): positions on y, values along x.
    pub horizontal: bool,
    /// Print each value at its bar's end with this many decimals.
    pub value_decimals: Option<usize>,
    /// The legend's text for these bars; the swatch takes the first bar's colour.
    pub label: Option<String>,
}

impl Bars {
    /// Vertical bars at 0, 1, 2, … of width 0.8 (matplotlib's defaults) in one colour.
    pub fn new(values: Vec<f32>, color: Color) -> Self {
        Bars {
            positions: (0..values.len()).map(|i| i as f32).collect(),
            values,
            width: 0.8,
            baseline: 0.0,
            colors: vec![color],
            horizontal: false,
            value_decimals: None,
            label: None,
        }
    }

    /// Names these bars in the panel's legend.
    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    fn validate(&self) -> Result<()> {
        if self.positions.len() != self.values.len() {
            return Err(Error::Scene(format!(
                "{} bar positions but {} values",
                self.positions.len(),
                self.values.len()
            )));
        }
        let n = self.values.len();
        if self.colors.is_empty() && n > 0 {
            return Err(Error::Scene(format!("{n} bars but no colour")));
        }
        if !(self.width.is_finite() && self.baseline.is_finite()) {
            return Err(Error::Scene(format!(
                "bar width {} and baseline {} must be finite",
                self.width, self.baseline
            )));
        }
        if self.colors.len() != 1 && self.colors.len() != n && n > 0 {
            return Err(Error::Scene(format!(
                "{n} bars but {} colours (give 1 or {n})",
                self.colors.len()
            )));
        }
        Ok(())
    }

    /// The colour of bar `i`.
    pub fn color(&self, i: usize) -> Color {
        self.colors
            .get(i)
            .or(self.colors.first())
            .copied()
            .unwrap_or(Color::cycle(0))
    }
}

#[cfg(test)]
// One visible range per strip: a one-strip layer's list has one range, as intended.
#[allow(clippy::single_range_in_vec_init)]
mod tests {
    use super::*;

    fn labelled_panel() -> Panel {
        let line = Lines::new(
            Arc::new(vec![vec![Vec3::ZERO, Vec3::ONE]]),
            vec![LineStyle::new(Color::cycle(1), 2.5).dashed()],
        )
        .with_label("fit");
        let points = Points::uniform(vec![Vec3::ZERO], Color::rgb(1.0, 0.0, 0.0), 7.0)
            .with_marker(Marker::Square)
            .with_label("data");
        let unlabelled = Bars::new(vec![1.0], Color::BLACK);
        let twin = Bars::new(vec![2.0], Color::cycle(2)).with_label("cost");
        let mut panel = Panel::new_2d(GridCell::at(0, 0), [0.0, 1.0], [0.0, 1.0])
            .with(points)
            .with(unlabelled)
            .with(line)
            .with_legend(LegendLoc::UpperLeft);
        panel.decor.twin_y = Some(TwinY {
            limits: [0.0, 1.0],
            axis: AxisSpec::default(),
            layers: vec![twin.into()],
        });
        panel
    }

    #[test]
    fn legend_lists_labelled_layers_in_their_own_style() {
        let entries = labelled_panel().legend_entries();
        let labels: Vec<&str> = entries.iter().map(|e| e.label.as_str()).collect();
        assert_eq!(
            labels,
            ["data", "fit", "cost"],
            "panel layers, then the twin's"
        );
        assert_eq!(
            entries[0].swatch,
            Swatch::Marker {
                color: Color::rgb(1.0, 0.0, 0.0),
                marker: Marker::Square,
                size_px: 7.0
            }
        );
        assert_eq!(
            entries[1].swatch,
            Swatch::Line {
                color: Color::cycle(1),
                width_px: 2.5,
                dashed: true
            }
        );
        assert_eq!(entries[2].swatch, Swatch::Patch(Color::cycle(2)));
    }

    #[test]
    fn a_line_with_markers_under_one_label_is_one_entry_showing_both() {
        let line = Lines::new(
            Arc::new(vec![vec![Vec3::ZERO, Vec3::ONE]]),
            vec![LineStyle::new(Color::cycle(3), 1.5)],
        )
        .with_label("fit");
        let marks = |label: &str| {
            Points::uniform(vec![Vec3::ZERO], Color::cycle(3), 6.0)
                .with_marker(Marker::Circle)
                .with_label(label)
        };
        let panel = Panel::new_2d(GridCell::at(0, 0), [0.0, 1.0], [0.0, 1.0])
            .with(line)
            .with(marks("fit"))
            .with(marks("other"))
            .with_legend(LegendLoc::Best);
        let entries = panel.legend_entries();
        assert_eq!(entries.len(), 2, "{entries:?}");
        assert_eq!(
            entries[0].swatch,
            Swatch::LineMarker {
                color: Color::cycle(3),
                width_px: 1.5,
                dashed: false,
                marker: Marker::Circle,
                size_px: 6.0,
                marker_color: Color::cycle(3),
            }
        );
        assert!(matches!(entries[1].swatch, Swatch::Marker { .. }));
    }

    #[test]
    fn hand_built_entries_win_and_no_legend_lists_nothing() {
        let mut panel = labelled_panel();
        let own = LegendEntry {
            label: "by hand".into(),
            swatch: Swatch::Patch(Color::BLACK),
        };
        if let Some(l) = panel.decor.legend.as_mut() {
            l.entries = vec![own.clone()];
        }
        assert_eq!(panel.legend_entries(), vec![own]);
        panel.decor.legend = None;
        assert!(panel.legend_entries().is_empty());
    }

    #[test]
    fn visible_ranges_past_the_data_are_invalid() {
        let lines = Lines::new(
            Arc::new(vec![vec![Vec3::ZERO; 3]]),
            vec![LineStyle::new(Color::BLACK, 1.0)],
        );
        assert!(
            Layer::from(lines.clone().with_visible(vec![1..3]))
                .validate()
                .is_ok()
        );
        let err = Layer::from(lines.with_visible(vec![2..5]))
            .validate()
            .unwrap_err()
            .to_string();
        assert!(err.contains("2..5") && err.contains("has 3"), "{err}");
        let mut points = Points::uniform(vec![Vec3::ZERO; 2], Color::BLACK, 3.0);
        points.visible = Some(0..4);
        assert!(Layer::from(points).validate().is_err());
    }
}
