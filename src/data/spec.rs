//! The scene-file model: a figure described in matplotlib's vocabulary, its data fields naming
//! arrays (`"run.npz:weights"`) or giving literal values. TOML and JSON read into the same
//! serde structs; [`crate::data::DataScene`] turns them into frames.
//!
//! This is the one description of a data-driven figure: scene files parse into it, the quick
//! look builds it from a file's shapes, and the Python package and recordings build it too
//! (with arrays they hold in memory, named in [`DataScene::build`](crate::data::DataScene)'s
//! array table). Unknown fields are errors that name the field's path and suggest the closest
//! known field.

use super::error::{DataError, Result};
use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

/// A data field: a reference to an array in a file (or in the array table the scene is built
/// with), or literal numbers (a number, or nested lists of equal lengths).
#[derive(Clone, Debug, PartialEq)]
pub enum DataSpec {
    /// `"file.npy"`, `"run.npz:key"`, `"log.csv:column"`, or a name in the array table.
    Ref(String),
    /// Numbers in C order with their shape (`[]` for a single number).
    Literal {
        /// The shape of the nested lists.
        shape: Vec<usize>,
        /// The numbers, flattened.
        values: Vec<f64>,
    },
}

impl DataSpec {
    /// One literal number.
    pub fn scalar(v: f64) -> DataSpec {
        DataSpec::Literal {
            shape: Vec::new(),
            values: vec![v],
        }
    }

    /// A reference to an array.
    pub fn reference(r: impl Into<String>) -> DataSpec {
        DataSpec::Ref(r.into())
    }
}

impl Serialize for DataSpec {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        match self {
            DataSpec::Ref(r) => s.serialize_str(r),
            DataSpec::Literal { shape, values } => nested(shape, values).serialize(s),
        }
    }
}

/// Literal numbers as nested lists, for serialising.
#[derive(Serialize)]
#[serde(untagged)]
enum Nested {
    Num(f64),
    List(Vec<Nested>),
}

fn nested(shape: &[usize], values: &[f64]) -> Nested {
    match shape.split_first() {
        None => Nested::Num(values.first().copied().unwrap_or(f64::NAN)),
        Some((&n, rest)) => {
            let step: usize = rest.iter().product();
            Nested::List(
                (0..n)
                    .map(|i| nested(rest, values.get(i * step..(i + 1) * step).unwrap_or(&[])))
                    .collect(),
            )
        }
    }
}

impl<'de> Deserialize<'de> for DataSpec {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = DataSpec;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an array reference such as \"run.npz:weights\", a number, or a list of numbers")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> std::result::Result<DataSpec, E> {
                Ok(DataSpec::Ref(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> std::result::Result<DataSpec, E> {
                Ok(DataSpec::scalar(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> std::result::Result<DataSpec, E> {
                Ok(DataSpec::scalar(v as f64))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> std::result::Result<DataSpec, E> {
                Ok(DataSpec::scalar(v as f64))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> std::result::Result<DataSpec, E> {
                Ok(DataSpec::scalar(v as u8 as f64))
            }
            fn visit_seq<A: SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> std::result::Result<DataSpec, A::Error> {
                let mut items: Vec<DataSpec> = Vec::new();
                while let Some(item) = seq.next_element::<DataSpec>()? {
                    items.push(item);
                }
                let mut shape: Option<Vec<usize>> = None;
                let mut values = Vec::new();
                for (i, item) in items.iter().enumerate() {
                    let DataSpec::Literal {
                        shape: s,
                        values: v,
                    } = item
                    else {
                        return Err(de::Error::custom(format!(
                            "item {i} of a list of numbers is a string; lists hold numbers only"
                        )));
                    };
                    match &shape {
                        None => shape = Some(s.clone()),
                        Some(first) if first != s => {
                            return Err(de::Error::custom(format!(
                                "nested lists of unequal lengths: item 0 has shape {} but item {i} has {}",
                                super::format_shape(first),
                                super::format_shape(s)
                            )));
                        }
                        Some(_) => {}
                    }
                    values.extend_from_slice(v);
                }
                let mut full = vec![items.len()];
                full.extend(shape.unwrap_or_default());
                Ok(DataSpec::Literal {
                    shape: full,
                    values,
                })
            }
        }
        d.deserialize_any(V)
    }
}

/// Text that may change per frame: a template (`"epoch {step}"`) or one string per frame.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum TextSpec {
    /// A template; `{frame}`, `{step}` and the scene's `vars` fill its slots.
    Template(String),
    /// One string per frame.
    PerFrame(Vec<String>),
}

impl From<&str> for TextSpec {
    fn from(s: &str) -> Self {
        TextSpec::Template(s.to_string())
    }
}

/// A colour: a name or hex string as matplotlib takes it, or RGB(A) channels in 0..=1.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ColorSpec {
    /// `"r"`, `"C1"`, `"tab:orange"`, `"steelblue"`, `"#1f77b4"`, `"0.5"`.
    Name(String),
    /// `[r, g, b]` or `[r, g, b, a]`.
    Channels(Vec<f32>),
}

/// One colour, or one per item (bars).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ColorsSpec {
    /// One colour for all.
    One(ColorSpec),
    /// One colour per item.
    Many(Vec<ColorSpec>),
}

/// `true` for a default, or a string option (a legend's `loc`, a colorbar's label).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum FlagOr<T> {
    /// On or off with defaults.
    Flag(bool),
    /// On with this setting.
    Value(T),
}

/// A whole scene file.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SceneSpec {
    /// Figure-wide settings.
    #[serde(default)]
    pub figure: FigureSpec,
    /// Named per-frame values for text templates: `loss = "log.csv:loss"` makes `{loss}`
    /// available. Each is a (T,) array (per frame) or one number.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub vars: BTreeMap<String, DataSpec>,
    /// The panels, in order; each takes the next free grid cell unless `at` says where.
    #[serde(default)]
    pub panels: Vec<PanelSpec>,
}

/// Figure-wide settings (matplotlib's `plt.figure(...)`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FigureSpec {
    /// Size in inches (matplotlib's `figsize`); default 6.4×4.8.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub figsize: Option<[f32; 2]>,
    /// Dots per inch; default 100. `figsize` × `dpi` is the pixel size.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dpi: Option<f32>,
    /// Frames per second; default 20.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fps: Option<f64>,
    /// Number of frames, when no field is per-frame (a static figure, or `{frame}` text only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub frames: Option<usize>,
    /// Grid `[rows, cols]`; default: one row with a column per panel.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grid: Option<[u32; 2]>,
    /// Title above all panels (`suptitle`); a template.
    #[serde(default, skip_serializing_if = "Option::is_none", alias = "title")]
    pub suptitle: Option<TextSpec>,
    /// Background colour; default white.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub background: Option<ColorSpec>,
    /// Per-frame step values for `{step}` (an epoch number, say); default the frame number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step: Option<DataSpec>,
}

/// A 3D camera (matplotlib's `view_init(elev, azim)`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CameraSpec {
    /// Azimuth in degrees; default -60.
    #[serde(default, skip_serializing_if = "Option::is_none", alias = "azim")]
    pub azimuth: Option<f32>,
    /// Elevation in degrees; default 30.
    #[serde(default, skip_serializing_if = "Option::is_none", alias = "elev")]
    pub elevation: Option<f32>,
    /// Degrees the camera turns per frame around the vertical axis (a slow spin); default 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spin: Option<f32>,
}

/// A second y axis on the right (matplotlib's `twinx`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TwinSpec {
    /// Label of the right axis.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ylabel: Option<String>,
    /// Limits of the right axis; default: the data of its layers over all frames.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ylim: Option<[f32; 2]>,
    /// Layers drawn against the right axis.
    #[serde(default)]
    pub layers: Vec<LayerSpec>,
}

/// One panel: 2D or 3D axes and their layers.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PanelSpec {
    /// `[row, col]` in the figure's grid; default the next free cell.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<[u32; 2]>,
    /// `[rows, cols]` the panel spans; default `[1, 1]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub span: Option<[u32; 2]>,
    /// `"2d"` (default) or `"3d"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub projection: Option<String>,
    /// Title above the panel; a template.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<TextSpec>,
    /// x axis label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub xlabel: Option<String>,
    /// y axis label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ylabel: Option<String>,
    /// z axis label (3D).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zlabel: Option<String>,
    /// x limits; default: the data over all frames with 5% margins.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub xlim: Option<[f32; 2]>,
    /// y limits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ylim: Option<[f32; 2]>,
    /// z limits (3D).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zlim: Option<[f32; 2]>,
    /// Tick positions on x (category axes with `xticklabels`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub xticks: Option<Vec<f32>>,
    /// Labels for `xticks` (default: the positions).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub xticklabels: Option<Vec<String>>,
    /// Rotation of the x tick labels in degrees.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub xtick_rotation: Option<f32>,
    /// Tick positions on y.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub yticks: Option<Vec<f32>>,
    /// Labels for `yticks`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub yticklabels: Option<Vec<String>>,
    /// Rotation of the y tick labels in degrees.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ytick_rotation: Option<f32>,
    /// Grid lines at the ticks.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub grid: bool,
    /// A legend of the labelled layers: `true` (best place) or a `loc` such as "upper left".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legend: Option<FlagOr<String>>,
    /// `"equal"`: one data unit as long on x as on y; `"auto"` (default) fills the panel.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aspect: Option<String>,
    /// `"off"` hides the frame, ticks and labels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub axis: Option<String>,
    /// The 3D camera.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub camera: Option<CameraSpec>,
    /// A second y axis on the right.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub twin: Option<TwinSpec>,
    /// What is drawn, in order.
    #[serde(default)]
    pub layers: Vec<LayerSpec>,
}

/// A layer: what is drawn, by `kind`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum LayerSpec {
    /// A line (`plot`).
    #[serde(alias = "plot")]
    Line(LineSpec),
    /// Markers at points (`scatter`).
    Scatter(ScatterSpec),
    /// An image (`imshow`).
    #[serde(alias = "imshow")]
    Image(ImageSpec),
    /// Bars (`bar`, `barh`).
    #[serde(alias = "bar")]
    Bars(BarsSpec),
    /// Text at a point (`text`).
    Text(TextLayerSpec),
}

impl LayerSpec {
    /// The layer kind's name as a scene file writes it.
    pub fn kind(&self) -> &'static str {
        match self {
            LayerSpec::Line(_) => "line",
            LayerSpec::Scatter(_) => "scatter",
            LayerSpec::Image(_) => "image",
            LayerSpec::Bars(_) => "bars",
            LayerSpec::Text(_) => "text",
        }
    }
}

/// A line through points: `y` over `x` (default its index), or `points` of shape (N, 2|3).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LineSpec {
    /// x values (N,); default 0, 1, 2, ….
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub x: Option<DataSpec>,
    /// y values (N,).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub y: Option<DataSpec>,
    /// z values (N,) in a 3D panel.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub z: Option<DataSpec>,
    /// Points (N, 2) or (N, 3) instead of x, y, z.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub points: Option<DataSpec>,
    /// matplotlib format string: `"g--"`, `"ro"`, `"b-o"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fmt: Option<String>,
    /// Colour; default the next colour of the cycle.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub color: Option<ColorSpec>,
    /// Width in points; default 1.5.
    #[serde(default, skip_serializing_if = "Option::is_none", alias = "lw")]
    pub linewidth: Option<f32>,
    /// `"-"`, `"--"`, `":"`, `"-."` or `"none"`.
    #[serde(default, skip_serializing_if = "Option::is_none", alias = "ls")]
    pub linestyle: Option<String>,
    /// A marker at every point: `o . s ^ x +`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub marker: Option<String>,
    /// Marker size in points; default 6.
    #[serde(default, skip_serializing_if = "Option::is_none", alias = "ms")]
    pub markersize: Option<f32>,
    /// Opacity, 0..=1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alpha: Option<f32>,
    /// Legend text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// Draw the line growing: frame i shows its first i+1 points (the line's N is the timeline).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub grow: bool,
    /// With `grow`: a marker at the newest point (`o . s ^ x +`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub head: Option<String>,
    /// With `grow`: fade out over this many points behind the head (a trail).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trail: Option<f32>,
}

/// Markers at points: `x`, `y` (and `z`), or `points` of shape (N, 2|3).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScatterSpec {
    /// x values (N,).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub x: Option<DataSpec>,
    /// y values (N,).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub y: Option<DataSpec>,
    /// z values (N,) in a 3D panel.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub z: Option<DataSpec>,
    /// Points (N, 2) or (N, 3) instead of x, y, z.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub points: Option<DataSpec>,
    /// Values (N,) mapped through `cmap` to colours.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub c: Option<DataSpec>,
    /// One colour for all points; default the next colour of the cycle.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub color: Option<ColorSpec>,
    /// Marker area in points² (matplotlib's `s`): one number or (N,); default 36.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub s: Option<DataSpec>,
    /// `o . s ^ x +`; default `o`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub marker: Option<String>,
    /// Colormap for `c`; default viridis.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cmap: Option<String>,
    /// Value at the colormap's low end; default `c`'s minimum over all frames.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vmin: Option<f32>,
    /// Value at the colormap's high end.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vmax: Option<f32>,
    /// Opacity, 0..=1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alpha: Option<f32>,
    /// Legend text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// Frame i shows the first i+1 points.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub grow: bool,
}

/// An image (matplotlib's `imshow`): (H, W) scalars through a colormap, or (H, W, 3|4) RGB(A),
/// uint8 or floats in 0..=1.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImageSpec {
    /// The pixels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<DataSpec>,
    /// Colormap for scalars; default viridis.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cmap: Option<String>,
    /// Value at the colormap's low end; default the minimum over all frames.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vmin: Option<f32>,
    /// Value at the colormap's high end; default the maximum over all frames.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vmax: Option<f32>,
    /// `"nearest"` (default) or `"bilinear"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interpolation: Option<String>,
    /// `[left, right, bottom, top]` in data units; default `[-0.5, W-0.5, H-0.5, -0.5]`
    /// flipped so row 0 is at the top, as matplotlib's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extent: Option<[f32; 4]>,
    /// A value in every cell, formatted like `".2f"` (annotated heatmaps).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annotate: Option<String>,
    /// A colorbar beside the panel: `true`, or its label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub colorbar: Option<FlagOr<String>>,
    /// Opacity, 0..=1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alpha: Option<f32>,
}

/// Bars (matplotlib's `bar`, or `barh` with `horizontal`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BarsSpec {
    /// Bar lengths (N,).
    #[serde(default, skip_serializing_if = "Option::is_none", alias = "height")]
    pub values: Option<DataSpec>,
    /// Bar positions (N,); default 0, 1, 2, ….
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub x: Option<DataSpec>,
    /// Labels under the bars (category ticks).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tick_labels: Option<Vec<String>>,
    /// Bar thickness in data units; default 0.8.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub width: Option<f32>,
    /// Where bars start; default 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bottom: Option<f32>,
    /// One colour or one per bar; default the next colour of the cycle.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub color: Option<ColorsSpec>,
    /// Horizontal bars (`barh`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub horizontal: bool,
    /// Each bar's value at its end, formatted like `".2f"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annotate: Option<String>,
    /// Legend text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
}

/// Text at a point (matplotlib's `text`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TextLayerSpec {
    /// The text: a template or one string per frame.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<TextSpec>,
    /// x position (a number, or (T,) per frame).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub x: Option<DataSpec>,
    /// y position.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub y: Option<DataSpec>,
    /// z position (3D).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub z: Option<DataSpec>,
    /// `"data"` (default), `"axes"` (0..1 of the panel) or `"figure"` (0..1 of the figure).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coords: Option<String>,
    /// Font size in points; default 10.
    #[serde(default, skip_serializing_if = "Option::is_none", alias = "fontsize")]
    pub size: Option<f32>,
    /// Colour; default black.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub color: Option<ColorSpec>,
    /// `"left"`, `"center"` or `"right"`; default left, as matplotlib's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ha: Option<String>,
    /// `"top"`, `"center"` or `"bottom"`; default bottom... as matplotlib's baseline.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub va: Option<String>,
}

/// Scene-file syntaxes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Syntax {
    /// TOML (`.toml`).
    Toml,
    /// JSON (`.json`).
    Json,
}

impl Syntax {
    /// The syntax a path's extension names.
    pub fn from_path(path: &Path) -> Option<Syntax> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "toml" => Some(Syntax::Toml),
            "json" => Some(Syntax::Json),
            _ => None,
        }
    }
}

impl SceneSpec {
    /// Reads a scene file (`.toml` or `.json`).
    pub fn from_file(path: &Path) -> Result<SceneSpec> {
        let syntax = Syntax::from_path(path).ok_or_else(|| DataError::SceneFile {
            path: path.to_path_buf(),
            field: String::new(),
            reason: "a scene file ends in .toml or .json".into(),
        })?;
        let text = std::fs::read(path).map_err(|source| DataError::Io {
            at: super::Location::file(path),
            source,
        })?;
        let text = String::from_utf8(text).map_err(|e| DataError::SceneFile {
            path: path.to_path_buf(),
            field: String::new(),
            reason: format!(
                "not UTF-8 text (byte {} is invalid)",
                e.utf8_error().valid_up_to()
            ),
        })?;
        SceneSpec::parse(&text, syntax, path)
    }

    /// Parses scene-file text; `path` names it in errors.
    pub fn parse(text: &str, syntax: Syntax, path: &Path) -> Result<SceneSpec> {
        let fail = |field: String, reason: String| DataError::SceneFile {
            path: path.to_path_buf(),
            field,
            reason,
        };
        match syntax {
            Syntax::Toml => {
                let de = toml::Deserializer::parse(text).map_err(|e| {
                    let at = e
                        .span()
                        .map(|s| format!("line {}: ", line_of(text, s.start)))
                        .unwrap_or_default();
                    fail(String::new(), format!("{at}{}", one_line(e.message())))
                })?;
                serde_path_to_error::deserialize(de).map_err(|e| {
                    let field = clean_path(&e.path().to_string());
                    let inner = e.into_inner();
                    // Layers are tagged by `kind`, so serde buffers them and toml's span falls
                    // back to the whole array: find the table (and the unknown key) by name.
                    let key = inner
                        .message()
                        .strip_prefix("unknown field `")
                        .and_then(|m| m.split('`').next());
                    let at = toml_line(text, &field, key)
                        .or_else(|| inner.span().map(|s| line_of(text, s.start)))
                        .map(|l| format!("line {l}: "))
                        .unwrap_or_default();
                    fail(field, format!("{at}{}", explain(inner.message())))
                })
            }
            Syntax::Json => {
                let mut de = serde_json::Deserializer::from_str(text);
                let spec: SceneSpec = serde_path_to_error::deserialize(&mut de).map_err(|e| {
                    let field = e.path().to_string();
                    let inner = e.into_inner();
                    let msg = inner.to_string();
                    let msg = msg.split(" at line ").next().unwrap_or(&msg).to_string();
                    fail(
                        clean_path(&field),
                        format!("line {}: {}", inner.line(), explain(&msg)),
                    )
                })?;
                de.end().map_err(|e| fail(String::new(), e.to_string()))?;
                Ok(spec)
            }
        }
    }

    /// The scene as TOML text.
    pub fn to_toml(&self) -> String {
        toml::to_string_pretty(self).unwrap_or_else(|e| format!("# cannot write TOML: {e}"))
    }

    /// The scene as JSON text.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
    }
}

fn line_of(text: &str, byte: usize) -> usize {
    text.as_bytes()[..byte.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// The line of `[[a.b]]` table `path` (as `a[0].b[1]`) in TOML `text`, or of its `key = …`
/// line when `key` is given and found there. Tables written inline are not found (`None`).
fn toml_line(text: &str, path: &str, key: Option<&str>) -> Option<usize> {
    use std::collections::HashMap;
    if path.is_empty() {
        return None;
    }
    // Each array of tables' latest index, by its resolved path (`panels[0].layers`).
    let mut last: HashMap<String, usize> = HashMap::new();
    let resolve = |names: &[&str], last: &HashMap<String, usize>| {
        let mut out = String::new();
        for n in names {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(n.trim());
            if let Some(i) = last.get(&out) {
                out = format!("{out}[{i}]");
            }
        }
        out
    };
    let mut current = String::new();
    let mut header = None;
    for (n, line) in text.lines().enumerate() {
        let t = line.trim();
        if let Some(name) = t.strip_prefix("[[").and_then(|r| r.split("]]").next()) {
            let names: Vec<&str> = name.split('.').collect();
            let (parent, leaf) = names.split_at(names.len() - 1);
            let mut array = resolve(parent, &last);
            if !array.is_empty() {
                array.push('.');
            }
            array.push_str(leaf[0].trim());
            let i = last.get(&array).map_or(0, |i| i + 1);
            last.insert(array.clone(), i);
            current = format!("{array}[{i}]");
        } else if let Some(name) = t.strip_prefix('[').and_then(|r| r.split(']').next()) {
            let names: Vec<&str> = name.split('.').collect();
            current = resolve(&names, &last);
        } else if let Some(k) = key
            && current == path
            && t.split('=').next().map(str::trim) == Some(k)
        {
            return Some(n + 1);
        }
        if current == path && header.is_none() {
            header = Some(n + 1);
        }
    }
    header
}

fn one_line(s: &str) -> String {
    s.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// `panels[0].layers[2].colr` as serde_path_to_error writes it, minus its `?` for the root.
fn clean_path(p: &str) -> String {
    // serde_path_to_error writes `?` for a position it could not name.
    let p = p.replace(".?", "");
    if p == "." || p == "?" {
        String::new()
    } else {
        p
    }
}

/// Adds "did you mean" to serde's unknown-field and unknown-variant messages.
fn explain(msg: &str) -> String {
    let msg = msg.trim();
    let grab = |prefix: &str| -> Option<(String, Vec<String>)> {
        let rest = msg.strip_prefix(prefix)?;
        let (name, rest) = rest.split_once('`')?;
        let expected = rest.split("expected").nth(1)?;
        let known: Vec<String> = expected
            .split('`')
            .skip(1)
            .step_by(2)
            .map(str::to_string)
            .collect();
        Some((name.to_string(), known))
    };
    for prefix in ["unknown field `", "unknown variant `"] {
        if let Some((name, known)) = grab(prefix) {
            // Fewest edits (a swap of two letters is one), ties to the most similar start.
            let best = known
                .iter()
                .map(|k| {
                    (
                        strsim::damerau_levenshtein(&name, k),
                        -strsim::jaro_winkler(&name, k),
                        k,
                    )
                })
                .filter(|(d, _, k)| *d <= (k.len().max(name.len()) / 3).max(2))
                .min_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)))
                .map(|(d, _, k)| (d, k));
            let what = if prefix.contains("field") {
                "field"
            } else {
                "kind"
            };
            return match best {
                Some((_, k)) => format!(
                    "unknown {what} '{name}' (did you mean '{k}'? known: {})",
                    known.join(", ")
                ),
                None => format!("unknown {what} '{name}' (known: {})", known.join(", ")),
            };
        }
    }
    msg.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toml(s: &str) -> Result<SceneSpec> {
        SceneSpec::parse(s, Syntax::Toml, Path::new("scene.toml"))
    }

    #[test]
    fn a_scene_in_toml_and_json_is_the_same_model() {
        let t = toml(
            r#"
            figure = { fps = 10, suptitle = "epoch {step}" }
            [[panels]]
            title = "fit"
            legend = "upper left"
            [[panels.layers]]
            kind = "scatter"
            x = "fits.npz:x"
            y = [1, 2, 3]
            [[panels.layers]]
            kind = "plot"
            y = [[1, 2], [3, 4]]
            fmt = "g--"
            "#,
        )
        .unwrap();
        let LayerSpec::Line(line) = &t.panels[0].layers[1] else {
            panic!("{t:?}")
        };
        assert_eq!(
            line.y,
            Some(DataSpec::Literal {
                shape: vec![2, 2],
                values: vec![1.0, 2.0, 3.0, 4.0]
            })
        );
        assert_eq!(t.panels[0].legend, Some(FlagOr::Value("upper left".into())));
        let j = SceneSpec::parse(&t.to_json(), Syntax::Json, Path::new("s.json")).unwrap();
        assert_eq!(j, t);
        assert_eq!(toml(&t.to_toml()).unwrap(), t);
    }

    #[test]
    fn toml_errors_in_layers_point_at_the_layer_and_key() {
        let text = "[figure]\nfps = 5\n\n[[panels]]\n[[panels.layers]]\nkind = \"line\"\n\n\
                    [[panels.layers]]\nkind = \"line\"\nlabel = \"b\"\nwidht = 3\n\n\
                    [[panels]]\n[[panels.layers]]\nkind = \"bars\"\nlabel = 5\n";
        let e = toml(text).unwrap_err().to_string();
        assert!(
            e.contains("panels[0].layers[1]") && e.contains("line 11:"),
            "{e}"
        );
        let fixed = text.replace("widht = 3", "");
        let e = toml(&fixed).unwrap_err().to_string();
        // The second panel's layer: its table header (serde cannot say which key).
        assert!(
            e.contains("panels[1].layers[0]") && e.contains("line 14:"),
            "{e}"
        );
        assert_eq!(toml_line(text, "figure", Some("fps")), Some(2));
        assert_eq!(toml_line(text, "panels[2]", None), None);
    }

    #[test]
    fn unknown_fields_are_named_with_a_suggestion() {
        let e = toml("[[panels]]\n[[panels.layers]]\nkind = \"line\"\ncolr = \"r\"\n")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("panels[0].layers[0]")
                && e.contains("'colr'")
                && e.contains("did you mean 'color'"),
            "{e}"
        );
        let e = toml("[figure]\nfsp = 3\n").unwrap_err().to_string();
        assert!(e.contains("did you mean 'fps'"), "{e}");
        let e = toml("[[panels]]\n[[panels.layers]]\nkind = \"lines\"\n")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("'lines'") && e.contains("did you mean 'line'"),
            "{e}"
        );
        let e = toml("[[panels]]\n[[panels.layers]]\nkind = \"line\"\ny = [[1, 2], [3]]\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("unequal"), "{e}");
        let e = SceneSpec::parse(
            "{\"panels\": [{\"titel\": \"x\"}]}",
            Syntax::Json,
            Path::new("s.json"),
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.contains("s.json") && e.contains("panels[0]") && e.contains("did you mean 'title'"),
            "{e}"
        );
    }
}
