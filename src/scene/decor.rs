//! Chart decorations as plain data: axis labels and ticks, titles, grids, legends, colorbars,
//! twin axes and text annotations. `chrome/` turns them into pixels.

use super::{Color, Colormap, ImageData, Layer, Marker, Pixels};
use glam::{Vec2, Vec3};

/// Where an axis gets its ticks.
#[derive(Clone, Debug, PartialEq, Default)]
pub enum Ticks {
    /// "Nice" numbers (1-2-2.5-5 steps) chosen for the axis length, as matplotlib's AutoLocator.
    #[default]
    Auto,
    /// No ticks or tick labels.
    None,
    /// Ticks at these data values with these labels (category axes).
    Fixed(Vec<(f32, String)>),
}

/// One axis: label, ticks and how tick labels are turned.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct AxisSpec {
    /// Axis label ("epoch", "cost").
    pub label: Option<String>,
    /// Tick positions.
    pub ticks: Ticks,
    /// Tick label rotation in degrees, counter-clockwise (matplotlib's `rotation`); rotated
    /// x labels are anchored at their right end, like `ha="right"`.
    pub tick_rotation_deg: f32,
}

impl AxisSpec {
    /// An automatic axis with a label.
    pub fn labelled(label: impl Into<String>) -> Self {
        AxisSpec {
            label: Some(label.into()),
            ..Default::default()
        }
    }

    /// Category ticks: `labels[i]` at value `i`.
    pub fn categories(labels: impl IntoIterator<Item = impl Into<String>>) -> Self {
        let ticks = labels
            .into_iter()
            .enumerate()
            .map(|(i, l)| (i as f32, l.into()))
            .collect();
        AxisSpec {
            ticks: Ticks::Fixed(ticks),
            ..Default::default()
        }
    }

    /// Sets the tick label rotation.
    pub fn rotated(mut self, degrees: f32) -> Self {
        self.tick_rotation_deg = degrees;
        self
    }

    /// Sets the label.
    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }
}

/// Legend placement, with matplotlib's `loc` names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum LegendLoc {
    /// The corner or side where the legend covers the fewest data points.
    #[default]
    Best,
    /// "upper right".
    UpperRight,
    /// "upper left".
    UpperLeft,
    /// "lower left".
    LowerLeft,
    /// "lower right".
    LowerRight,
    /// "right" (centre right).
    Right,
    /// "center left".
    CenterLeft,
    /// "center right".
    CenterRight,
    /// "lower center".
    LowerCenter,
    /// "upper center".
    UpperCenter,
    /// "center".
    Center,
}

impl LegendLoc {
    /// Parses a matplotlib `loc` string ("upper right", "best", …).
    pub fn from_name(name: &str) -> Option<Self> {
        Some(match name.trim().to_ascii_lowercase().as_str() {
            "best" => LegendLoc::Best,
            "upper right" => LegendLoc::UpperRight,
            "upper left" => LegendLoc::UpperLeft,
            "lower left" => LegendLoc::LowerLeft,
            "lower right" => LegendLoc::LowerRight,
            "right" => LegendLoc::Right,
            "center left" => LegendLoc::CenterLeft,
            "center right" => LegendLoc::CenterRight,
            "lower center" => LegendLoc::LowerCenter,
            "upper center" => LegendLoc::UpperCenter,
            "center" => LegendLoc::Center,
            _ => return None,
        })
    }

    /// The anchor as fractions of the axes (x right, y up) for fixed locations.
    pub fn anchor(self) -> Vec2 {
        match self {
            LegendLoc::Best | LegendLoc::UpperRight => Vec2::new(1.0, 1.0),
            LegendLoc::UpperLeft => Vec2::new(0.0, 1.0),
            LegendLoc::LowerLeft => Vec2::new(0.0, 0.0),
            LegendLoc::LowerRight => Vec2::new(1.0, 0.0),
            LegendLoc::Right | LegendLoc::CenterRight => Vec2::new(1.0, 0.5),
            LegendLoc::CenterLeft => Vec2::new(0.0, 0.5),
            LegendLoc::LowerCenter => Vec2::new(0.5, 0.0),
            LegendLoc::UpperCenter => Vec2::new(0.5, 1.0),
            LegendLoc::Center => Vec2::new(0.5, 0.5),
        }
    }
}

/// What a legend entry shows beside its label.
#[derive(Clone, Debug, PartialEq)]
pub enum Swatch {
    /// A short line.
    Line {
        /// Colour.
        color: Color,
        /// Width in pixels.
        width_px: f32,
        /// Dashed.
        dashed: bool,
    },
    /// A marker.
    Marker {
        /// Colour.
        color: Color,
        /// Shape.
        marker: Marker,
        /// Size in pixels.
        size_px: f32,
    },
    /// A filled rectangle (bars, areas).
    Patch(Color),
    /// A short line with a marker at its middle (a line drawn with markers, `"r-o"`).
    LineMarker {
        /// The line's colour.
        color: Color,
        /// Width in pixels.
        width_px: f32,
        /// Dashed.
        dashed: bool,
        /// The marker's shape.
        marker: Marker,
        /// The marker's size in pixels.
        size_px: f32,
        /// The marker's colour.
        marker_color: Color,
    },
}

/// One legend line.
#[derive(Clone, Debug, PartialEq)]
pub struct LegendEntry {
    /// Text.
    pub label: String,
    /// Swatch.
    pub swatch: Swatch,
}

/// A legend box.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Legend {
    /// Placement.
    pub loc: LegendLoc,
    /// Entries, top to bottom.
    pub entries: Vec<LegendEntry>,
}

/// A colorbar beside a panel.
#[derive(Clone, Debug, PartialEq)]
pub struct Colorbar {
    /// The colormap shown.
    pub colormap: Colormap,
    /// Value at the bottom.
    pub vmin: f32,
    /// Value at the top.
    pub vmax: f32,
    /// Label beside the bar.
    pub label: Option<String>,
}

/// Where an annotation is anchored.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Anchor {
    /// Data coordinates of the panel (z ignored in 2D).
    Data(Vec3),
    /// Fractions of the panel's axes area (0,0 bottom-left; 1,1 top-right).
    Axes(Vec2),
    /// Fractions of the whole figure (0,0 bottom-left; 1,1 top-right).
    Figure(Vec2),
}

/// Horizontal alignment of text relative to its anchor.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum HAlign {
    /// Text starts at the anchor.
    Left,
    /// Text is centred on the anchor.
    #[default]
    Center,
    /// Text ends at the anchor.
    Right,
}

/// Vertical alignment of text relative to its anchor.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum VAlign {
    /// The anchor is at the text's top.
    Top,
    /// The anchor is at the text's middle.
    #[default]
    Center,
    /// The anchor is at the text's bottom.
    Bottom,
}

/// Text placed on the figure, e.g. "epoch 12 — cost 0.43" or a heatmap cell's value.
#[derive(Clone, Debug, PartialEq)]
pub struct Annotation {
    /// The text; may change every frame.
    pub text: String,
    /// Anchor point.
    pub at: Anchor,
    /// Colour.
    pub color: Color,
    /// Font size in points (1 pt = 1/72 in; flipbook figures are 100 px per inch, as matplotlib's).
    pub size_pt: f32,
    /// Horizontal alignment.
    pub halign: HAlign,
    /// Vertical alignment.
    pub valign: VAlign,
}

impl Annotation {
    /// Black 10 pt text centred on `at`.
    pub fn new(text: impl Into<String>, at: Anchor) -> Self {
        Annotation {
            text: text.into(),
            at,
            color: Color::BLACK,
            size_pt: 10.0,
            halign: HAlign::Center,
            valign: VAlign::Center,
        }
    }

    /// Sets the alignment.
    pub fn aligned(mut self, h: HAlign, v: VAlign) -> Self {
        (self.halign, self.valign) = (h, v);
        self
    }

    /// Sets the colour.
    pub fn colored(mut self, c: Color) -> Self {
        self.color = c;
        self
    }

    /// Sets the size.
    pub fn sized(mut self, pt: f32) -> Self {
        self.size_pt = pt;
        self
    }
}

/// A second y axis on the right sharing the panel's x axis (matplotlib's `twinx`).
#[derive(Clone, Debug)]
pub struct TwinY {
    /// y range of the twin axis.
    pub limits: [f32; 2],
    /// The twin axis' label and ticks.
    pub axis: AxisSpec,
    /// Layers drawn against the twin axis.
    pub layers: Vec<Layer>,
}

/// Everything drawn around a panel's data.
#[derive(Clone, Debug, Default)]
pub struct Decor {
    /// Title above the axes.
    pub title: Option<String>,
    /// x axis.
    pub x: AxisSpec,
    /// y axis.
    pub y: AxisSpec,
    /// z axis (3D only).
    pub z: AxisSpec,
    /// Grid lines at the major ticks.
    pub grid: bool,
    /// Hide the frame, ticks and labels (matplotlib's `axis("off")`), e.g. for images.
    pub hidden: bool,
    /// Compute the 2D limits from the data of every frame (plus matplotlib's 5% margins), so the
    /// axes never jump during playback. Applied by [`crate::scenes::AutoLimits`], which
    /// `build_scene` wraps every built-in scene in; the limits the panel was made with are
    /// replaced. Non-finite values are ignored.
    pub autoscale: bool,
    /// One data unit is as long on x as on y (matplotlib's `aspect="equal"`, `imshow`'s
    /// default): the axes shrink to keep square pixels.
    pub equal_aspect: bool,
    /// Legend.
    pub legend: Option<Legend>,
    /// Colorbar on the right.
    pub colorbar: Option<Colorbar>,
    /// Text annotations.
    pub annotations: Vec<Annotation>,
    /// A second y axis on the right.
    pub twin_y: Option<TwinY>,
}

/// One annotation per cell of a scalar image: its value with `decimals` decimals, centred on the
/// cell, black on light cells and white on dark ones (by the cell colour's luminance), as in
/// matplotlib's annotated-heatmap recipe. The image covers `x`×`y` in data units, row 0 at the
/// top. NaN cells get no label.
pub fn heatmap_labels(
    data: &ImageData,
    x: [f32; 2],
    y: [f32; 2],
    colormap: Colormap,
    [vmin, vmax]: [f32; 2],
    decimals: usize,
    size_pt: f32,
) -> Vec<Annotation> {
    let Pixels::Scalar(values) = &data.pixels else {
        return Vec::new();
    };
    let (w, h) = (data.width as usize, data.height as usize);
    let (cw, ch) = ((x[1] - x[0]) / w as f32, (y[1] - y[0]) / h as f32);
    let mut out = Vec::with_capacity(w * h);
    for row in 0..h {
        for col in 0..w {
            let v = values[row * w + col];
            if !v.is_finite() {
                continue;
            }
            let c = colormap.map(v, vmin, vmax);
            let text_color = if c.luminance() > 0.408 {
                Color::BLACK
            } else {
                Color::WHITE
            };
            let at = Vec3::new(
                x[0] + (col as f32 + 0.5) * cw,
                y[1] - (row as f32 + 0.5) * ch,
                0.0,
            );
            let text = crate::chrome::ticks::number(v as f64, decimals);
            out.push(
                Annotation::new(text, Anchor::Data(at))
                    .colored(text_color)
                    .sized(size_pt),
            );
        }
    }
    out
}
