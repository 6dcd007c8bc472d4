//! The data-driven scene: a [`SceneSpec`] bound to arrays, as a [`FrameGenerator`].
//!
//! How it works: [`DataScene::build`] resolves every data field once — loading referenced
//! arrays (each file and key once), checking shapes, deciding per field whether it is static
//! or per-frame by the one rule (an array with one more leading axis than one frame needs is
//! per-frame), checking that every per-frame field agrees on T, and computing axis and colour
//! limits over all frames from the arrays' cached value ranges. Static data becomes the scene
//! model's `Arc`s once, so the renderer uploads it once; frame i then reads only frame i's
//! slice of each per-frame array (lent straight from a memory map where the dtype allows).
//!
//! Errors name the scene file, the field (`panels[0].layers[2].y`), the array and its shape.

use super::spec::*;
use super::template::Template;
use super::{Array, ArrayRef, DataError, ReadOptions, Result, format_shape};
use crate::animation::FrameGenerator;
use crate::scene::{
    Anchor, Annotation, Axes, Axes3dBox, AxisSpec, Bars, Color, Colorbar, Colormap, Decor, Figure,
    FormatString, GridCell, HAlign, ImageData, ImagePlane, Layer, LegendLoc, LineDash, LineStyle,
    Lines, Marker, OrbitCamera, Panel, Pixels, PointData, Points, Sampling, Ticks, TwinY, VAlign,
    heatmap_labels,
};
use glam::{Vec2, Vec3};
use std::borrow::Cow;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Points per inch, and layout pixels per inch (flipbook's layout is matplotlib's at 100 dpi).
const PX_PER_PT: f32 = 100.0 / 72.0;

/// A figure built from a [`SceneSpec`] and arrays; frame i reads frame i of every per-frame
/// array.
pub struct DataScene {
    frames: usize,
    fps: f64,
    size: (u32, u32),
    dpi: f32,
    background: Color,
    grid: (u32, u32),
    suptitle: Option<Text>,
    panels: Vec<CPanel>,
    values: Values,
}

/// Where a scene's arrays come from: files relative to `base`, and arrays held in memory under
/// names (the Python package and recordings register theirs here).
#[derive(Clone, Debug, Default)]
pub struct ArrayTable {
    /// Arrays by the name a field uses for them.
    pub named: HashMap<String, Array>,
    /// Per-frame data read one frame at a time from elsewhere (a recording), by the name a field
    /// uses for it. A field naming one is always per-frame.
    pub sources: HashMap<String, Arc<dyn FrameSource>>,
    /// How files are read.
    pub read: ReadOptions,
}

/// Per-frame values that are not one whole `(T, ...)` [`Array`]: a recording decodes frame i
/// from its file when asked. A field bound to a source is per-frame, with
/// [`len`](Self::len) frames of [`frame_shape`](Self::frame_shape).
pub trait FrameSource: Send + Sync {
    /// Where the values come from, for messages (`run.flipbook:@a0`).
    fn label(&self) -> String;
    /// The element type the values were stored in.
    fn dtype(&self) -> super::DType;
    /// One frame's shape.
    fn frame_shape(&self) -> &[usize];
    /// The number of frames.
    fn len(&self) -> usize;
    /// Whether there are no frames.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Frame `i` as an array of shape `(1, ...frame_shape)`.
    fn frame(&self, i: usize) -> Result<Array>;
    /// Finite (min, max) of each of the last axis' `columns` columns over all frames (one
    /// entry for `columns == 1`: the whole range), without decoding frames where possible.
    fn column_ranges(&self, columns: usize) -> Vec<Option<(f32, f32)>>;
}

impl std::fmt::Debug for dyn FrameSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "FrameSource({}, {} frames of {})",
            self.label(),
            self.len(),
            format_shape(self.frame_shape())
        )
    }
}

impl DataScene {
    /// Reads a scene file (`.toml` or `.json`) and the arrays it names (relative to the file).
    pub fn from_file(path: &Path) -> Result<DataScene> {
        let spec = SceneSpec::from_file(path)?;
        let base = path.parent().unwrap_or(Path::new("."));
        DataScene::build(&spec, base, &ArrayTable::default(), path)
    }

    /// Binds `spec` to arrays: names in `table` first, then files relative to `base`. `file`
    /// names the scene in errors (empty for none).
    pub fn build(
        spec: &SceneSpec,
        base: &Path,
        table: &ArrayTable,
        file: &Path,
    ) -> Result<DataScene> {
        let mut b = Builder {
            file: file.to_path_buf(),
            base: base.to_path_buf(),
            table,
            cache: HashMap::new(),
            time: None,
            grows: Vec::new(),
            known_names: ["frame", "frames", "step"].map(String::from).to_vec(),
        };
        b.scene(spec)
    }

    /// The figure's size in pixels at 100 dpi (its layout).
    pub fn size(&self) -> (u32, u32) {
        self.size
    }

    /// The figure's dpi.
    pub fn dpi(&self) -> f32 {
        self.dpi
    }

    fn build_frame(&self, i: usize) -> Figure {
        let mut fig = Figure::new(self.grid.0, self.grid.1);
        fig.background = self.background;
        fig.title = self.suptitle.as_ref().map(|t| t.at(i, &self.values));
        for p in &self.panels {
            fig.panels.push(p.frame(i, &self.values));
        }
        fig
    }
}

impl FrameGenerator for DataScene {
    fn frame_count(&self) -> usize {
        self.frames
    }
    fn fps(&self) -> f64 {
        self.fps
    }
    fn frame(&self, index: usize) -> Figure {
        self.build_frame(index.min(self.frames.saturating_sub(1)))
    }
}

// ---------------------------------------------------------------------------------------------
// Fields

/// A resolved data field: static (the whole array is one frame's value) or per-frame.
#[derive(Clone)]
struct Field {
    array: Array,
    per_frame: bool,
    /// The values of a static field, converted once.
    fixed: Option<Arc<Vec<f32>>>,
    /// Per-frame values read from a source instead of `array` (which is then an empty
    /// placeholder with the source's label and dtype).
    source: Option<Arc<dyn FrameSource>>,
}

impl Field {
    /// One frame's shape.
    fn shape(&self) -> &[usize] {
        if let Some(s) = &self.source {
            s.frame_shape()
        } else if self.per_frame {
            self.array.frame_shape()
        } else {
            self.array.shape()
        }
    }

    /// The whole shape, time first for per-frame fields (for messages).
    fn full_shape(&self) -> Vec<usize> {
        match &self.source {
            Some(s) => std::iter::once(s.len())
                .chain(s.frame_shape().iter().copied())
                .collect(),
            None => self.array.shape().to_vec(),
        }
    }

    /// Where the values come from, for messages.
    fn label(&self) -> String {
        match &self.source {
            Some(s) => s.label(),
            None => self.array.label(),
        }
    }

    /// The element type the values are stored in.
    fn dtype(&self) -> super::DType {
        match &self.source {
            Some(s) => s.dtype(),
            None => self.array.dtype(),
        }
    }

    /// Frame `i` of a per-frame field as an array of its own (`(1, ...)` for a source).
    fn frame_u8(&self, i: usize) -> Option<Vec<u8>> {
        match &self.source {
            Some(s) => {
                let a = s.frame(i.min(s.len().saturating_sub(1))).ok()?;
                a.frame_u8(0).ok().flatten().map(Cow::into_owned)
            }
            None => self
                .array
                .frame_u8(i.min(self.array.len().saturating_sub(1)))
                .ok()
                .flatten()
                .map(Cow::into_owned),
        }
    }

    /// Values of frame `i` (a static field's values for every i).
    fn at(&self, i: usize) -> Cow<'_, [f32]> {
        if let Some(s) = &self.source {
            return s
                .frame(i.min(s.len().saturating_sub(1)))
                .ok()
                .and_then(|a| a.frame(0).ok().map(Cow::into_owned))
                .map_or(Cow::Borrowed(&[]), Cow::Owned);
        }
        match &self.fixed {
            Some(v) => Cow::Borrowed(v.as_slice()),
            None => self
                .array
                .frame(i.min(self.array.len().saturating_sub(1)))
                .unwrap_or(Cow::Borrowed(&[])),
        }
    }

    /// One number of frame `i` (scalars and per-frame scalars).
    fn scalar(&self, i: usize) -> f32 {
        self.at(i).first().copied().unwrap_or(f32::NAN)
    }

    /// Finite (min, max) over all frames.
    fn range(&self) -> Option<(f32, f32)> {
        match &self.source {
            Some(s) => s.column_ranges(1).first().copied().flatten(),
            None => self.array.value_range(),
        }
    }

    /// Finite (min, max) of each of the last axis' `d` columns over all frames.
    fn column_ranges(&self, d: usize) -> Vec<Option<(f32, f32)>> {
        if let Some(s) = &self.source {
            let mut r = s.column_ranges(d);
            r.resize(d, None);
            return r;
        }
        let mut out = vec![None::<(f32, f32)>; d];
        let frames = if self.per_frame { self.array.len() } else { 1 };
        for f in 0..frames {
            for (k, v) in self.at(f).iter().enumerate() {
                if v.is_finite() {
                    let r = &mut out[k % d];
                    *r = Some(r.map_or((*v, *v), |(lo, hi)| (lo.min(*v), hi.max(*v))));
                }
            }
        }
        self.array.release_pages();
        out
    }
}

/// Per-frame numbers for text templates: `frame`, `step`, `frames` and the scene's `vars`.
struct Values {
    step: Option<Field>,
    vars: HashMap<String, Field>,
    frames: usize,
}

impl Values {
    fn get(&self, name: &str, i: usize) -> Option<f64> {
        match name {
            "frame" => Some(i as f64),
            "frames" => Some(self.frames as f64),
            "step" => Some(self.step.as_ref().map_or(i as f64, |f| f.scalar(i) as f64)),
            _ => self.vars.get(name).map(|f| f.scalar(i) as f64),
        }
    }
}

/// Text that may change per frame.
enum Text {
    Template(Template),
    PerFrame(Vec<String>),
}

impl Text {
    fn at(&self, i: usize, values: &Values) -> String {
        match self {
            Text::Template(t) => t.render(|n| values.get(n, i)),
            Text::PerFrame(v) => v.get(i).or(v.last()).cloned().unwrap_or_default(),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Compiled panels and layers

struct CPanel {
    cell: GridCell,
    axes: Axes,
    spin_deg: f32,
    decor: Decor,
    title: Option<Text>,
    layers: Vec<CLayer>,
    twin: Vec<CLayer>,
}

impl CPanel {
    fn frame(&self, i: usize, values: &Values) -> Panel {
        let mut axes = self.axes.clone();
        if let Axes::ThreeD { camera, .. } = &mut axes {
            camera.azimuth_deg += self.spin_deg * i as f32;
        }
        let mut panel = Panel {
            cell: self.cell,
            axes,
            layers: Vec::new(),
            decor: self.decor.clone(),
        };
        panel.decor.title = self.title.as_ref().map(|t| t.at(i, values));
        for l in &self.layers {
            l.emit(i, values, &mut panel.layers, &mut panel.decor.annotations);
        }
        if let Some(twin) = &mut panel.decor.twin_y {
            let mut notes = Vec::new();
            for l in &self.twin {
                l.emit(i, values, &mut twin.layers, &mut notes);
            }
            panel.decor.annotations.extend(notes);
        }
        panel
    }
}

/// Positions of a line or scatter: x/y/z columns or one (N, D) points field.
struct Coords {
    x: Option<Field>,
    y: Option<Field>,
    z: Option<Field>,
    points: Option<(Field, usize)>,
    n: usize,
    /// Positions of a layer with no per-frame coordinates, built once.
    fixed: Option<Arc<Vec<Vec3>>>,
}

impl Coords {
    fn positions(&self, i: usize) -> Arc<Vec<Vec3>> {
        if let Some(p) = &self.fixed {
            return p.clone();
        }
        Arc::new(self.build(i))
    }

    fn build(&self, i: usize) -> Vec<Vec3> {
        if let Some((p, d)) = &self.points {
            let v = p.at(i);
            return v
                .chunks_exact(*d)
                .map(|c| Vec3::new(c[0], c[1], if *d == 3 { c[2] } else { 0.0 }))
                .collect();
        }
        let x = self.x.as_ref().map(|f| f.at(i));
        let y = self.y.as_ref().map(|f| f.at(i));
        let z = self.z.as_ref().map(|f| f.at(i));
        (0..self.n)
            .map(|k| {
                let get = |c: &Option<Cow<[f32]>>, default: f32| {
                    c.as_ref()
                        .map_or(default, |v| v.get(k).copied().unwrap_or(f32::NAN))
                };
                Vec3::new(get(&x, k as f32), get(&y, 0.0), get(&z, 0.0))
            })
            .collect()
    }

    fn per_frame(&self) -> bool {
        [&self.x, &self.y, &self.z]
            .iter()
            .any(|f| f.as_ref().is_some_and(|f| f.per_frame))
            || self.points.as_ref().is_some_and(|(f, _)| f.per_frame)
    }

    /// (x, y, z) ranges over all frames; x defaults to the index.
    fn ranges(&self) -> [Option<(f32, f32)>; 3] {
        if let Some((p, d)) = &self.points {
            let r = p.column_ranges(*d);
            return [r[0], r[1], r.get(2).copied().flatten()];
        }
        let idx = (self.n > 0).then(|| (0.0, (self.n - 1) as f32));
        [
            self.x.as_ref().map_or(idx, |f| f.range()),
            self.y.as_ref().and_then(|f| f.range()),
            self.z.as_ref().and_then(|f| f.range()),
        ]
    }
}

enum CLayer {
    Line {
        coords: Coords,
        style: Option<LineStyle>,
        markers: Option<(Marker, f32, Color)>,
        label: Option<String>,
        grow: bool,
        head: Option<(Marker, f32, Color)>,
    },
    Scatter {
        coords: Coords,
        colors: ColorSource,
        sizes: SizeSource,
        marker: Marker,
        label: Option<String>,
        grow: bool,
        fixed: Option<Arc<PointData>>,
    },
    Image {
        data: Field,
        kind: PixelKind,
        x: [f32; 2],
        y: [f32; 2],
        cmap: Colormap,
        vmin: f32,
        vmax: f32,
        sampling: Sampling,
        alpha: f32,
        annotate: Option<usize>,
        fixed: Option<Arc<ImageData>>,
    },
    Bars {
        values: Field,
        positions: Field,
        template: Bars,
    },
    Text {
        text: Text,
        x: Option<Field>,
        y: Option<Field>,
        z: Option<Field>,
        coords: TextCoords,
        note: Annotation,
    },
}

#[derive(Clone, Copy)]
enum TextCoords {
    Data,
    Axes,
    Figure,
}

enum ColorSource {
    One(Color),
    Mapped {
        field: Field,
        cmap: Colormap,
        vmin: f32,
        vmax: f32,
        alpha: f32,
    },
}

enum SizeSource {
    One(f32),
    Each(Field),
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum PixelKind {
    Scalar,
    Rgb { channels: usize, bytes: bool },
}

impl CLayer {
    fn emit(
        &self,
        i: usize,
        values: &Values,
        layers: &mut Vec<Layer>,
        notes: &mut Vec<Annotation>,
    ) {
        match self {
            CLayer::Line {
                coords,
                style,
                markers,
                label,
                grow,
                head,
            } => {
                let pos = coords.positions(i);
                let shown = if *grow {
                    (i + 1).min(pos.len())
                } else {
                    pos.len()
                };
                if let Some(style) = style {
                    let strips = Arc::new(vec![pos.to_vec()]);
                    let mut lines = Lines::new(strips, vec![*style]);
                    if *grow {
                        // One strip, so one visible range.
                        #[allow(clippy::single_range_in_vec_init)]
                        {
                            lines.visible = Some(vec![0..shown]);
                        }
                    }
                    lines.label = label.clone();
                    layers.push(lines.into());
                }
                if let Some((m, size, color)) = markers {
                    let mut pts = Points::uniform(pos.to_vec(), *color, *size).with_marker(*m);
                    if *grow {
                        pts.visible = Some(0..shown);
                    }
                    // Labelled like the line: the legend shows one entry with both.
                    pts.label = label.clone();
                    layers.push(pts.into());
                }
                if let (Some((m, size, color)), Some(p)) =
                    (head, shown.checked_sub(1).and_then(|k| pos.get(k)))
                {
                    layers.push(
                        Points::uniform(vec![*p], *color, *size)
                            .with_marker(*m)
                            .into(),
                    );
                }
            }
            CLayer::Scatter {
                coords,
                colors,
                sizes,
                marker,
                label,
                grow,
                fixed,
            } => {
                let data = match fixed {
                    Some(d) => d.clone(),
                    None => Arc::new(point_data(coords, colors, sizes, i)),
                };
                let n = data.positions.len();
                layers.push(
                    Points {
                        data,
                        marker: *marker,
                        visible: grow.then(|| 0..(i + 1).min(n)),
                        label: label.clone(),
                    }
                    .into(),
                );
            }
            CLayer::Image {
                data,
                kind,
                x,
                y,
                cmap,
                vmin,
                vmax,
                sampling,
                alpha,
                annotate,
                fixed,
            } => {
                let img = match fixed {
                    Some(d) => d.clone(),
                    None => Arc::new(image_data(data, *kind, i)),
                };
                if let Some(decimals) = annotate {
                    notes.extend(heatmap_labels(
                        &img,
                        *x,
                        *y,
                        *cmap,
                        [*vmin, *vmax],
                        *decimals,
                        10.0,
                    ));
                }
                let mut plane = ImagePlane::new_2d(img, *x, *y)
                    .with_colormap(*cmap, *vmin, *vmax)
                    .with_sampling(*sampling);
                plane.alpha = *alpha;
                layers.push(plane.into());
            }
            CLayer::Bars {
                values,
                positions,
                template,
            } => {
                let mut bars = template.clone();
                bars.values = values.at(i).to_vec();
                bars.positions = positions.at(i).to_vec();
                layers.push(bars.into());
            }
            CLayer::Text {
                text,
                x,
                y,
                z,
                coords,
                note,
            } => {
                let get = |f: &Option<Field>| f.as_ref().map_or(0.0, |f| f.scalar(i));
                let at = match coords {
                    TextCoords::Data => Anchor::Data(Vec3::new(get(x), get(y), get(z))),
                    TextCoords::Axes => Anchor::Axes(Vec2::new(get(x), get(y))),
                    TextCoords::Figure => Anchor::Figure(Vec2::new(get(x), get(y))),
                };
                notes.push(Annotation {
                    text: text.at(i, values),
                    at,
                    ..note.clone()
                });
            }
        }
    }
}

fn point_data(coords: &Coords, colors: &ColorSource, sizes: &SizeSource, i: usize) -> PointData {
    let positions = coords.build(i);
    let colors = match colors {
        ColorSource::One(c) => vec![*c],
        ColorSource::Mapped {
            field,
            cmap,
            vmin,
            vmax,
            alpha,
        } => {
            let v = field.at(i);
            let mut c: Vec<Color> = v
                .iter()
                .map(|&v| cmap.map(v, *vmin, *vmax).with_alpha(*alpha))
                .collect();
            if c.len() == 1 {
                c.truncate(1);
            }
            c
        }
    };
    let sizes_px = match sizes {
        SizeSource::One(s) => vec![*s],
        SizeSource::Each(f) => f.at(i).iter().map(|&s| area_to_px(s)).collect(),
    };
    PointData {
        positions,
        colors,
        sizes_px,
    }
}

/// matplotlib's scatter `s` (marker area in points²) as a diameter in layout pixels.
fn area_to_px(s: f32) -> f32 {
    s.max(0.0).sqrt() * PX_PER_PT
}

fn image_data(field: &Field, kind: PixelKind, i: usize) -> ImageData {
    let shape = field.shape();
    let (h, w) = (shape[0] as u32, shape[1] as u32);
    let pixels = match kind {
        PixelKind::Scalar => Pixels::Scalar(field.at(i).into_owned()),
        PixelKind::Rgb {
            channels,
            bytes: true,
        } => {
            let b = if field.per_frame {
                field.frame_u8(i)
            } else {
                field
                    .array
                    .to_f32_vec()
                    .ok()
                    .map(|v| v.into_iter().map(|x| x as u8).collect())
            }
            .unwrap_or_default();
            if channels == 3 {
                Pixels::Rgb8(b)
            } else {
                Pixels::Rgba8(b)
            }
        }
        PixelKind::Rgb {
            channels,
            bytes: false,
        } => {
            let v = field.at(i);
            if channels == 3 {
                Pixels::RgbF32(v.iter().map(|x| x.clamp(0.0, 1.0)).collect())
            } else {
                Pixels::Rgba8(
                    v.iter()
                        .map(|x| (x.clamp(0.0, 1.0) * 255.0).round() as u8)
                        .collect(),
                )
            }
        }
    };
    ImageData {
        width: w,
        height: h,
        pixels,
    }
}

// ---------------------------------------------------------------------------------------------
// Building

struct Builder<'a> {
    file: PathBuf,
    base: PathBuf,
    table: &'a ArrayTable,
    cache: HashMap<String, Array>,
    /// The first per-frame field: its path, array label, shape and T.
    time: Option<(String, String, Vec<usize>, usize)>,
    /// Growing layers: path and point count (each must equal T).
    grows: Vec<(String, usize)>,
    /// The names templates may use: frame, frames, step and the scene's vars.
    known_names: Vec<String>,
}

/// Which shapes a field accepts for one frame.
#[derive(Clone, Copy)]
enum Rank {
    /// A number: `()` static, `(T,)` per frame.
    Scalar,
    /// A vector `(N,)`, or `(T, N)` per frame.
    Vector,
    /// A vector or one number broadcast to every item.
    VectorOrScalar,
    /// Points `(N, 2|3)`, or `(T, N, 2|3)`.
    Points,
    /// An image `(H, W)`, `(H, W, 3|4)`, or with a leading T.
    Image,
}

impl Builder<'_> {
    fn err(&self, field: &str, reason: impl Into<String>) -> DataError {
        DataError::SceneFile {
            path: self.file.clone(),
            field: field.to_string(),
            reason: reason.into(),
        }
    }

    fn load(&mut self, field: &str, spec: &DataSpec) -> Result<Array> {
        match spec {
            DataSpec::Literal { shape, values } => {
                let v: Vec<f32> = values.iter().map(|&v| v as f32).collect();
                Array::new(format!("the values given for {field}"), shape.clone(), v)
            }
            DataSpec::Ref(r) => {
                if let Some(a) = self.table.named.get(r) {
                    return Ok(a.clone());
                }
                if let Some(a) = self.cache.get(r) {
                    return Ok(a.clone());
                }
                let a = ArrayRef::parse(r)
                    .and_then(|ar| ar.load_with(&self.base, &self.table.read))
                    .map_err(|e| self.err(field, e.to_string()))?;
                self.cache.insert(r.clone(), a.clone());
                Ok(a)
            }
        }
    }

    /// Loads a field, decides static or per-frame by `rank`, and checks T against the other
    /// per-frame fields.
    fn field(&mut self, path: &str, spec: &DataSpec, rank: Rank, what: &str) -> Result<Field> {
        if let DataSpec::Ref(r) = spec
            && let Some(s) = self.table.sources.get(r)
        {
            return self.source_field(path, s.clone(), rank, what);
        }
        let array = self.load(path, spec)?;
        let shape = array.shape().to_vec();
        let last = shape.last().copied().unwrap_or(0);
        let per_frame = match (rank, shape.len()) {
            (Rank::Scalar, 0) | (Rank::Vector | Rank::VectorOrScalar, 1) => false,
            (Rank::VectorOrScalar, 0) => false,
            (Rank::Scalar, 1) | (Rank::Vector | Rank::VectorOrScalar, 2) => true,
            (Rank::Points, 2) if matches!(last, 2 | 3) => false,
            (Rank::Points, 3) if matches!(last, 2 | 3) => true,
            (Rank::Image, 2) => false,
            (Rank::Image, 3) if matches!(last, 3 | 4) => false,
            (Rank::Image, 3) => true,
            (Rank::Image, 4) if matches!(last, 3 | 4) => true,
            _ => {
                let needs = match rank {
                    Rank::Scalar => "a number, or (T,) for one per frame",
                    Rank::Vector => "(N,), or (T, N) for one per frame",
                    Rank::VectorOrScalar => "a number, (N,), or (T, N) for one per frame",
                    Rank::Points => "(N, 2) or (N, 3), or (T, N, 2|3) for one per frame",
                    Rank::Image => "(H, W) or (H, W, 3|4), or with a leading T for one per frame",
                };
                return Err(self.err(
                    path,
                    format!(
                        "{} has shape {}; {what} needs {needs}",
                        array.label(),
                        format_shape(&shape)
                    ),
                ));
            }
        };
        if per_frame {
            let t = shape[0];
            self.agree(path, &array.label(), &shape, t)?;
        }
        let fixed = if per_frame {
            None
        } else {
            Some(Arc::new(
                array
                    .to_f32_vec()
                    .map_err(|e| self.err(path, e.to_string()))?,
            ))
        };
        Ok(Field {
            array,
            per_frame,
            fixed,
            source: None,
        })
    }

    /// A field read frame by frame from `source`: its frame shape must be one frame of `rank`.
    fn source_field(
        &mut self,
        path: &str,
        source: Arc<dyn FrameSource>,
        rank: Rank,
        what: &str,
    ) -> Result<Field> {
        let fs = source.frame_shape();
        let last = fs.last().copied().unwrap_or(0);
        let fits = match (rank, fs.len()) {
            (Rank::Scalar, 0) | (Rank::Vector, 1) | (Rank::VectorOrScalar, 0 | 1) => true,
            (Rank::Points, 2) => matches!(last, 2 | 3),
            (Rank::Image, 2) => true,
            (Rank::Image, 3) => matches!(last, 3 | 4),
            _ => false,
        };
        let full: Vec<usize> = std::iter::once(source.len())
            .chain(fs.iter().copied())
            .collect();
        if !fits {
            return Err(self.err(
                path,
                format!(
                    "{} has frames of shape {}, which is not one frame of {what}",
                    source.label(),
                    format_shape(fs)
                ),
            ));
        }
        self.agree(path, &source.label(), &full, source.len())?;
        let array = Array::new(source.label(), vec![0], Vec::<f32>::new())?;
        Ok(Field {
            array,
            per_frame: true,
            fixed: None,
            source: Some(source),
        })
    }

    fn agree(&mut self, path: &str, label: &str, shape: &[usize], t: usize) -> Result<()> {
        if t == 0 {
            return Err(self.err(
                path,
                format!(
                    "{label} has shape {}: 0 frames along its leading (time) axis",
                    format_shape(shape)
                ),
            ));
        }
        match &self.time {
            None => self.time = Some((path.to_string(), label.to_string(), shape.to_vec(), t)),
            Some((p0, l0, s0, t0)) if *t0 != t => {
                return Err(self.err(
                    path,
                    format!(
                        "{label} has {t} frames (shape {}) but {p0} has {t0} ({l0}, shape {}); every per-frame field needs the same T",
                        format_shape(shape),
                        format_shape(s0)
                    ),
                ));
            }
            Some(_) => {}
        }
        Ok(())
    }

    fn text(&mut self, path: &str, spec: &TextSpec) -> Result<Text> {
        match spec {
            TextSpec::Template(s) => {
                let t = Template::parse(s).map_err(|e| self.err(path, e))?;
                for name in t.names() {
                    if !self.known_names.iter().any(|k| k == name) {
                        let close = self
                            .known_names
                            .iter()
                            .filter(|k| strsim::damerau_levenshtein(k, name) <= 2)
                            .min_by_key(|k| strsim::damerau_levenshtein(k, name));
                        let hint = close
                            .map(|k| format!("did you mean '{k}'? "))
                            .unwrap_or_default();
                        return Err(self.err(
                            path,
                            format!(
                                "'{{{name}}}' names no value ({hint}known: {}; add others under [vars])",
                                self.known_names.join(", ")
                            ),
                        ));
                    }
                }
                Ok(Text::Template(t))
            }
            TextSpec::PerFrame(v) => {
                let label = format!("a list of {} strings", v.len());
                self.agree(path, &label, &[v.len()], v.len())?;
                Ok(Text::PerFrame(v.clone()))
            }
        }
    }

    fn color(&self, path: &str, c: &ColorSpec) -> Result<Color> {
        match c {
            ColorSpec::Name(n) => Color::parse(n).map_err(|e| self.err(path, scene_msg(e))),
            ColorSpec::Channels(v) => match v.as_slice() {
                [r, g, b] if v.iter().all(|c| (0.0..=1.0).contains(c)) => {
                    Ok(Color::rgb(*r, *g, *b))
                }
                [r, g, b, a] if v.iter().all(|c| (0.0..=1.0).contains(c)) => {
                    Ok(Color::rgb(*r, *g, *b).with_alpha(*a))
                }
                _ => Err(self.err(
                    path,
                    format!("colour {v:?} is not [r, g, b] or [r, g, b, a] in 0..1"),
                )),
            },
        }
    }

    fn scene(&mut self, spec: &SceneSpec) -> Result<DataScene> {
        let fig = &spec.figure;
        let figsize = fig.figsize.unwrap_or([6.4, 4.8]);
        if !figsize
            .iter()
            .all(|v| v.is_finite() && *v > 0.0 && *v <= 300.0)
        {
            return Err(self.err(
                "figure.figsize",
                format!("{figsize:?} is not two sizes in inches (0 < size <= 300)"),
            ));
        }
        let dpi = fig.dpi.unwrap_or(100.0);
        if !(dpi.is_finite() && dpi > 0.0) {
            return Err(self.err("figure.dpi", format!("{dpi} is not a positive number")));
        }
        let fps = fig.fps.unwrap_or(20.0);
        if !(fps.is_finite() && fps > 0.0) {
            return Err(self.err("figure.fps", format!("{fps} is not a positive number")));
        }
        let background = match &fig.background {
            Some(c) => self.color("figure.background", c)?,
            None => Color::WHITE,
        };
        let step = match &fig.step {
            Some(s) => Some(self.field("figure.step", s, Rank::Scalar, "a step value")?),
            None => None,
        };
        let mut vars = HashMap::new();
        for (name, s) in &spec.vars {
            let path = format!("vars.{name}");
            if matches!(name.as_str(), "frame" | "frames" | "step") {
                return Err(self.err(
                    &path,
                    format!("'{name}' is built in; name the value otherwise"),
                ));
            }
            vars.insert(
                name.clone(),
                self.field(&path, s, Rank::Scalar, "a template value")?,
            );
            self.known_names.push(name.clone());
        }
        let suptitle = match &fig.suptitle {
            Some(t) => Some(self.text("figure.suptitle", t)?),
            None => None,
        };

        // Grid and placement: explicit cells first, the others fill free cells in reading order.
        let n = spec.panels.len();
        let grid = match fig.grid {
            Some([r, c]) if r >= 1 && c >= 1 => (r, c),
            Some(g) => {
                return Err(self.err(
                    "figure.grid",
                    format!("{g:?} is not [rows, cols] of at least 1"),
                ));
            }
            None => {
                let explicit = spec
                    .panels
                    .iter()
                    .filter_map(|p| p.at.map(|a| (a, p.span.unwrap_or([1, 1]))));
                let (mut r, mut c) = (1, n.max(1) as u32);
                for ([row, col], [rs, cs]) in explicit {
                    r = r.max(row + rs);
                    c = c.max(col + cs);
                }
                (r, c)
            }
        };
        // Which panel holds each cell.
        let mut taken: Vec<Option<usize>> = vec![None; (grid.0 * grid.1) as usize];
        // Panels placed with `at` claim their cells first; the others fill free cells in
        // reading order.
        let mut cells: Vec<Option<GridCell>> = vec![None; spec.panels.len()];
        let order = (0..spec.panels.len())
            .filter(|&k| spec.panels[k].at.is_some())
            .chain((0..spec.panels.len()).filter(|&k| spec.panels[k].at.is_none()));
        for k in order {
            let p = &spec.panels[k];
            let span = p.span.unwrap_or([1, 1]);
            let at = match p.at {
                Some(a) => a,
                None => {
                    let free = (0..taken.len())
                        .find(|&c| taken[c].is_none())
                        .ok_or_else(|| {
                            self.err(
                                &format!("panels[{k}]"),
                                format!("no free cell left in the {}x{} grid", grid.0, grid.1),
                            )
                        })?;
                    [free as u32 / grid.1, free as u32 % grid.1]
                }
            };
            if span[0] == 0 || span[1] == 0 || at[0] + span[0] > grid.0 || at[1] + span[1] > grid.1
            {
                return Err(self.err(
                    &format!("panels[{k}].at"),
                    format!(
                        "cell {at:?} spanning {span:?} does not fit the {}x{} grid",
                        grid.0, grid.1
                    ),
                ));
            }
            // Panels placed by hand may overlap (an inset, as matplotlib allows); those
            // placed automatically only take free cells.
            for r in at[0]..at[0] + span[0] {
                for c in at[1]..at[1] + span[1] {
                    taken[(r * grid.1 + c) as usize].get_or_insert(k);
                }
            }
            cells[k] = Some(GridCell {
                row: at[0],
                col: at[1],
                row_span: span[0],
                col_span: span[1],
            });
        }

        let mut panels = Vec::new();
        for (k, (p, cell)) in spec.panels.iter().zip(cells).enumerate() {
            let cell = cell.unwrap_or(GridCell::at(0, 0));
            panels.push(self.panel(&format!("panels[{k}]"), p, cell)?);
        }

        // The timeline: per-frame fields and growing layers must agree.
        let mut frames = self.time.as_ref().map(|t| t.3);
        for (path, len) in std::mem::take(&mut self.grows) {
            match frames {
                None => frames = Some(len),
                Some(t) if t != len => {
                    let other = self
                        .time
                        .as_ref()
                        .map_or("another growing layer".to_string(), |t| {
                            format!("{} ({} frames)", t.0, t.3)
                        });
                    return Err(self.err(
                        &path,
                        format!(
                            "grows over its {len} points, so has {len} frames, but {other} has {t}"
                        ),
                    ));
                }
                Some(_) => {}
            }
        }
        let frames = match (frames, fig.frames) {
            (Some(t), Some(f)) if f != t => {
                return Err(self.err(
                    "figure.frames",
                    format!("is {f} but the per-frame data has {t} frames"),
                ));
            }
            (Some(t), _) => t,
            (None, Some(0)) => return Err(self.err("figure.frames", "must be at least 1")),
            (None, Some(f)) => f,
            (None, None) => 1,
        };
        Ok(DataScene {
            frames,
            fps,
            size: (
                (figsize[0] * 100.0).round() as u32,
                (figsize[1] * 100.0).round() as u32,
            ),
            dpi,
            background,
            grid,
            suptitle,
            panels,
            values: Values { step, vars, frames },
        })
    }

    fn panel(&mut self, path: &str, p: &PanelSpec, cell: GridCell) -> Result<CPanel> {
        let three_d = match p
            .projection
            .as_deref()
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            None | Some("2d") | Some("rectilinear") => false,
            Some("3d") => true,
            Some(other) => {
                return Err(self.err(
                    &format!("{path}.projection"),
                    format!("'{other}' is not 2d or 3d"),
                ));
            }
        };
        let mut decor = Decor {
            grid: p.grid,
            ..Decor::default()
        };
        decor.x.label = p.xlabel.clone();
        decor.y.label = p.ylabel.clone();
        decor.z.label = p.zlabel.clone();
        decor.x = self.ticks(
            &format!("{path}.xticks"),
            decor.x,
            &p.xticks,
            &p.xticklabels,
            p.xtick_rotation,
        )?;
        decor.y = self.ticks(
            &format!("{path}.yticks"),
            decor.y,
            &p.yticks,
            &p.yticklabels,
            p.ytick_rotation,
        )?;
        match p.axis.as_deref() {
            None | Some("on") => {}
            Some("off") => decor.hidden = true,
            Some(o) => {
                return Err(self.err(&format!("{path}.axis"), format!("'{o}' is not on or off")));
            }
        }
        decor.legend = match &p.legend {
            None | Some(FlagOr::Flag(false)) => None,
            Some(FlagOr::Flag(true)) => Some(crate::scene::Legend { loc: LegendLoc::Best, entries: Vec::new() }),
            Some(FlagOr::Value(loc)) => Some(crate::scene::Legend {
                loc: LegendLoc::from_name(loc).ok_or_else(|| {
                    self.err(&format!("{path}.legend"), format!("'{loc}' is not a legend location (best, upper right, upper left, lower left, lower right, right, center left, center right, lower center, upper center, center)"))
                })?,
                entries: Vec::new(),
            }),
        };
        let title = match &p.title {
            Some(t) => Some(self.text(&format!("{path}.title"), t)?),
            None => None,
        };

        let mut cycle = 0usize;
        let mut bounds = Bounds::default();
        let mut layers = Vec::new();
        for (k, l) in p.layers.iter().enumerate() {
            let lp = format!("{path}.layers[{k}]");
            layers.push(self.layer(&lp, l, three_d, &mut cycle, &mut bounds, &mut decor)?);
        }
        let mut twin = Vec::new();
        let mut twin_bounds = Bounds::default();
        if let Some(t) = &p.twin {
            if three_d {
                return Err(self.err(&format!("{path}.twin"), "a 3D panel has no twin axis"));
            }
            for (k, l) in t.layers.iter().enumerate() {
                let lp = format!("{path}.twin.layers[{k}]");
                twin.push(self.layer(&lp, l, false, &mut cycle, &mut twin_bounds, &mut decor)?);
            }
            bounds.x = union(bounds.x, twin_bounds.x);
        }

        let lim = |me: &Self,
                   name: &str,
                   set: Option<[f32; 2]>,
                   auto: Option<(f32, f32)>,
                   tight: bool|
         -> Result<[f32; 2]> {
            match set {
                Some(l) if l.iter().all(|v| v.is_finite()) && l[0] != l[1] => Ok(l),
                Some(l) => Err(me.err(
                    &format!("{path}.{name}"),
                    format!("{l:?} is not two different finite numbers"),
                )),
                None => Ok(padded(auto, tight)),
            }
        };
        let tight_x = bounds.image_only_x();
        let tight_y = bounds.image_only_y();
        let x = lim(self, "xlim", p.xlim, bounds.x, tight_x)?;
        let mut y = lim(self, "ylim", p.ylim, bounds.y, tight_y)?;
        if bounds.flip_y && p.ylim.is_none() {
            y = [y[1], y[0]];
        }
        if let Some(t) = &p.twin {
            let ty = lim(self, "twin.ylim", t.ylim, twin_bounds.y, false)?;
            decor.twin_y = Some(TwinY {
                limits: ty,
                axis: AxisSpec {
                    label: t.ylabel.clone(),
                    ..AxisSpec::default()
                },
                layers: Vec::new(),
            });
        }
        decor.equal_aspect = match p.aspect.as_deref() {
            Some("equal") => true,
            Some("auto") => false,
            None => bounds.has_image && !three_d,
            Some(o) => {
                return Err(self.err(
                    &format!("{path}.aspect"),
                    format!("'{o}' is not equal or auto"),
                ));
            }
        };
        let (axes, spin) = if three_d {
            let z = lim(self, "zlim", p.zlim, bounds.z, true)?;
            let tight = |a: [f32; 2], set: bool| {
                if set {
                    a
                } else {
                    padded(Some((a[0], a[1])), true)
                }
            };
            let cam = p.camera.clone().unwrap_or_default();
            let camera = OrbitCamera::looking_from(
                cam.azimuth.unwrap_or(-60.0),
                cam.elevation.unwrap_or(30.0),
            );
            (
                Axes::ThreeD {
                    bounds: Axes3dBox::new(
                        tight(lim(self, "xlim", p.xlim, bounds.x, true)?, p.xlim.is_some()),
                        tight(lim(self, "ylim", p.ylim, bounds.y, true)?, p.ylim.is_some()),
                        z,
                    ),
                    camera,
                },
                cam.spin.unwrap_or(0.0),
            )
        } else {
            (
                Axes::TwoD {
                    x_limits: x,
                    y_limits: y,
                },
                0.0,
            )
        };
        Ok(CPanel {
            cell,
            axes,
            spin_deg: spin,
            decor,
            title,
            layers,
            twin,
        })
    }

    fn ticks(
        &self,
        path: &str,
        mut axis: AxisSpec,
        at: &Option<Vec<f32>>,
        labels: &Option<Vec<String>>,
        rotation: Option<f32>,
    ) -> Result<AxisSpec> {
        axis.tick_rotation_deg = rotation.unwrap_or(0.0);
        match (at, labels) {
            (None, None) => {}
            (Some(at), None) => {
                axis.ticks = Ticks::Fixed(
                    at.iter()
                        .map(|&v| (v, crate::chrome::ticks::number(v as f64, decimals_for(v))))
                        .collect(),
                );
            }
            (None, Some(l)) => {
                axis.ticks = Ticks::Fixed(
                    l.iter()
                        .enumerate()
                        .map(|(i, s)| (i as f32, s.clone()))
                        .collect(),
                )
            }
            (Some(at), Some(l)) if at.len() == l.len() => {
                axis.ticks = Ticks::Fixed(at.iter().copied().zip(l.iter().cloned()).collect());
            }
            (Some(at), Some(l)) => {
                return Err(self.err(
                    path,
                    format!("{} tick positions but {} labels", at.len(), l.len()),
                ));
            }
        }
        Ok(axis)
    }

    #[allow(clippy::too_many_lines)]
    /// Compiles one layer (`path` names it in errors), taking colours from the panel's cycle
    /// and widening the panel's automatic limits.
    fn layer(
        &mut self,
        path: &str,
        spec: &LayerSpec,
        three_d: bool,
        cycle: &mut usize,
        bounds: &mut Bounds,
        decor: &mut Decor,
    ) -> Result<CLayer> {
        match spec {
            LayerSpec::Line(l) => self.line(path, l, three_d, cycle, bounds),
            LayerSpec::Scatter(s) => self.scatter(path, s, three_d, cycle, bounds),
            LayerSpec::Image(im) => self.image(path, im, three_d, bounds, decor),
            LayerSpec::Bars(b) => self.bars(path, b, cycle, bounds, decor),
            LayerSpec::Text(t) => self.text_layer(path, t),
        }
    }

    /// A `plot`: coordinates, a format string and its overrides, markers, a growing head.
    fn line(
        &mut self,
        path: &str,
        l: &LineSpec,
        three_d: bool,
        cycle: &mut usize,
        bounds: &mut Bounds,
    ) -> Result<CLayer> {
        let coords = self.coords(path, &l.x, &l.y, &l.z, &l.points, three_d, "a line")?;
        let fmt = match &l.fmt {
            Some(f) => self.parsed(path, "fmt", FormatString::parse(f))?,
            None => FormatString::default(),
        };
        let alpha = self.alpha(path, l.alpha)?;
        let color = match &l.color {
            Some(c) => self.color(&format!("{path}.color"), c)?,
            None => fmt.color.unwrap_or_else(|| next_color(cycle)),
        }
        .with_alpha(alpha);
        let dash = match &l.linestyle {
            Some(s) => self.parsed(path, "linestyle", LineDash::parse(s))?,
            None => fmt.dash.unwrap_or_default(),
        };
        let width_pt = l.linewidth.unwrap_or(1.5);
        if !(width_pt.is_finite() && width_pt >= 0.0) {
            return Err(self.err(
                &format!("{path}.linewidth"),
                format!("{width_pt} is not a width in points"),
            ));
        }
        let width_px = width_pt * PX_PER_PT;
        let style = (dash != LineDash::None).then(|| {
            let mut s = LineStyle::new(color, width_px);
            s.dash_px = dash.pattern_px(width_px);
            if let Some(t) = l.trail {
                s = s.fading(t);
            }
            s
        });
        let ms = l.markersize.unwrap_or(6.0) * PX_PER_PT;
        let marker = match &l.marker {
            Some(m) => Some(self.parsed(path, "marker", Marker::parse(m))?),
            None => fmt.marker,
        };
        let markers = marker.map(|(m, f)| (m, ms * f, color));
        let head = match &l.head {
            Some(m) => {
                let (m, f) = self.parsed(path, "head", Marker::parse(m))?;
                Some((m, ms * f, color.with_alpha(1.0)))
            }
            None => None,
        };
        if (head.is_some() || l.trail.is_some()) && !l.grow {
            return Err(self.err(path, "head and trail need grow = true"));
        }
        if l.grow {
            self.grow(path, &coords)?;
        }
        bounds.add_coords(&coords);
        Ok(CLayer::Line {
            coords,
            style,
            markers,
            label: l.label.clone(),
            grow: l.grow,
            head,
        })
    }

    /// A `scatter`: coordinates, one colour or values through a colormap, sizes in points².
    fn scatter(
        &mut self,
        path: &str,
        s: &ScatterSpec,
        three_d: bool,
        cycle: &mut usize,
        bounds: &mut Bounds,
    ) -> Result<CLayer> {
        let coords = self.coords(path, &s.x, &s.y, &s.z, &s.points, three_d, "a scatter")?;
        let alpha = self.alpha(path, s.alpha)?;
        let (marker, factor) = match &s.marker {
            Some(m) => self.parsed(path, "marker", Marker::parse(m))?,
            None => (Marker::Circle, 1.0),
        };
        let colors = match (&s.c, &s.color) {
            (Some(_), Some(_)) => {
                return Err(self.err(
                    path,
                    "give c (values through a colormap) or color, not both",
                ));
            }
            (Some(c), None) => {
                let f = self.field(&format!("{path}.c"), c, Rank::Vector, "c")?;
                self.same_n(&format!("{path}.c"), &f, coords.n)?;
                let cmap = self.cmap(path, &s.cmap)?;
                let (lo, hi) = f.range().unwrap_or((0.0, 1.0));
                ColorSource::Mapped {
                    field: f,
                    cmap,
                    vmin: s.vmin.unwrap_or(lo),
                    vmax: s.vmax.unwrap_or(hi),
                    alpha,
                }
            }
            (None, Some(c)) => {
                ColorSource::One(self.color(&format!("{path}.color"), c)?.with_alpha(alpha))
            }
            (None, None) => ColorSource::One(next_color(cycle).with_alpha(alpha)),
        };
        let sizes = match &s.s {
            None => SizeSource::One(area_to_px(36.0) * factor),
            Some(spec) => {
                let f = self.field(&format!("{path}.s"), spec, Rank::VectorOrScalar, "s")?;
                if f.shape().is_empty() {
                    SizeSource::One(area_to_px(f.scalar(0)) * factor)
                } else {
                    self.same_n(&format!("{path}.s"), &f, coords.n)?;
                    SizeSource::Each(f)
                }
            }
        };
        if s.grow {
            self.grow(path, &coords)?;
        }
        bounds.add_coords(&coords);
        let dynamic = coords.per_frame()
            || matches!(&colors, ColorSource::Mapped { field, .. } if field.per_frame)
            || matches!(&sizes, SizeSource::Each(f) if f.per_frame);
        let fixed = (!dynamic).then(|| Arc::new(point_data(&coords, &colors, &sizes, 0)));
        Ok(CLayer::Scatter {
            coords,
            colors,
            sizes,
            marker,
            label: s.label.clone(),
            grow: s.grow,
            fixed,
        })
    }

    /// An `imshow`: scalar (through a colormap) or RGB(A) pixels, extent, annotations and a
    /// colorbar.
    fn image(
        &mut self,
        path: &str,
        im: &ImageSpec,
        three_d: bool,
        bounds: &mut Bounds,
        decor: &mut Decor,
    ) -> Result<CLayer> {
        if three_d {
            return Err(self.err(path, "images go in 2D panels"));
        }
        let spec = im
            .data
            .as_ref()
            .ok_or_else(|| self.err(path, "an image needs data"))?;
        let data = self.field(&format!("{path}.data"), spec, Rank::Image, "an image")?;
        let shape = data.shape().to_vec();
        let (h, w) = (shape[0], shape[1]);
        if h == 0 || w == 0 {
            return Err(self.err(
                &format!("{path}.data"),
                format!(
                    "{} has shape {}: an empty image",
                    data.label(),
                    format_shape(&data.full_shape())
                ),
            ));
        }
        let kind = if shape.len() == 3 {
            PixelKind::Rgb {
                channels: shape[2],
                bytes: data.dtype() == super::DType::U8,
            }
        } else {
            PixelKind::Scalar
        };
        let cmap = self.cmap(path, &im.cmap)?;
        let (lo, hi) = if kind == PixelKind::Scalar {
            data.range().unwrap_or((0.0, 1.0))
        } else {
            (0.0, 1.0)
        };
        let (vmin, vmax) = (im.vmin.unwrap_or(lo), im.vmax.unwrap_or(hi));
        if !(vmin.is_finite() && vmax.is_finite()) {
            return Err(self.err(path, format!("vmin {vmin} / vmax {vmax} must be finite")));
        }
        let sampling = match im.interpolation.as_deref() {
            None | Some("nearest") | Some("none") => Sampling::Nearest,
            Some("bilinear") | Some("linear") => Sampling::Linear,
            Some(o) => {
                return Err(self.err(
                    &format!("{path}.interpolation"),
                    format!("'{o}' is not nearest or bilinear"),
                ));
            }
        };
        let (x, y, flip) = match im.extent {
            Some([l, r, b, t]) if [l, r, b, t].iter().all(|v| v.is_finite()) => {
                ([l, r], [b, t], false)
            }
            Some(e) => {
                return Err(self.err(
                    &format!("{path}.extent"),
                    format!("{e:?} is not four finite numbers"),
                ));
            }
            None => ([-0.5, w as f32 - 0.5], [h as f32 - 0.5, -0.5], true),
        };
        bounds.x = union(bounds.x, Some((x[0].min(x[1]), x[0].max(x[1]))));
        bounds.y = union(bounds.y, Some((y[0].min(y[1]), y[0].max(y[1]))));
        bounds.has_image = true;
        bounds.flip_y |= flip;
        let annotate = self.number_format(path, &im.annotate)?;
        if annotate.is_some() && kind != PixelKind::Scalar {
            return Err(self.err(
                &format!("{path}.annotate"),
                "annotations label scalar images",
            ));
        }
        match &im.colorbar {
            None | Some(FlagOr::Flag(false)) => {}
            Some(cb) => {
                let label = if let FlagOr::Value(l) = cb {
                    Some(l.clone())
                } else {
                    None
                };
                decor.colorbar = Some(Colorbar {
                    colormap: cmap,
                    vmin,
                    vmax,
                    label,
                });
            }
        }
        let alpha = self.alpha(path, im.alpha)?;
        let fixed = (!data.per_frame).then(|| Arc::new(image_data(&data, kind, 0)));
        Ok(CLayer::Image {
            data,
            kind,
            x,
            y,
            cmap,
            vmin,
            vmax,
            sampling,
            alpha,
            annotate,
            fixed,
        })
    }

    /// `bar`/`barh`: values, positions (or 0..N), colours, category tick labels.
    fn bars(
        &mut self,
        path: &str,
        b: &BarsSpec,
        cycle: &mut usize,
        bounds: &mut Bounds,
        decor: &mut Decor,
    ) -> Result<CLayer> {
        let vspec = b
            .values
            .as_ref()
            .ok_or_else(|| self.err(path, "bars need values"))?;
        let values = self.field(&format!("{path}.values"), vspec, Rank::Vector, "bars")?;
        let n = values.shape()[0];
        let positions = match &b.x {
            Some(x) => {
                let f = self.field(&format!("{path}.x"), x, Rank::Vector, "bar positions")?;
                self.same_n(&format!("{path}.x"), &f, n)?;
                f
            }
            None => {
                let idx: Vec<f32> = (0..n).map(|i| i as f32).collect();
                let array = Array::new("bar positions", vec![n], idx.clone())?;
                Field {
                    array,
                    per_frame: false,
                    fixed: Some(Arc::new(idx)),
                    source: None,
                }
            }
        };
        let colors = match &b.color {
            None => vec![next_color(cycle)],
            Some(ColorsSpec::One(c)) => vec![self.color(&format!("{path}.color"), c)?],
            Some(ColorsSpec::Many(cs)) => {
                if cs.len() != n && cs.len() != 1 {
                    return Err(self.err(
                        &format!("{path}.color"),
                        format!("{} colours for {n} bars (give 1 or {n})", cs.len()),
                    ));
                }
                let mut out = Vec::new();
                for (k, c) in cs.iter().enumerate() {
                    out.push(self.color(&format!("{path}.color[{k}]"), c)?);
                }
                out
            }
        };
        let width = b.width.unwrap_or(0.8);
        let bottom = b.bottom.unwrap_or(0.0);
        if let Some(labels) = &b.tick_labels {
            if labels.len() != n {
                return Err(self.err(
                    &format!("{path}.tick_labels"),
                    format!("{} labels for {n} bars", labels.len()),
                ));
            }
            let pos = positions.at(0);
            let axis = if b.horizontal {
                &mut decor.y
            } else {
                &mut decor.x
            };
            axis.ticks = Ticks::Fixed(pos.iter().copied().zip(labels.iter().cloned()).collect());
        }
        let value_decimals = self.number_format(path, &b.annotate)?;
        let (vlo, vhi) = values.range().unwrap_or((0.0, 1.0));
        let (plo, phi) = positions.range().unwrap_or((0.0, 0.0));
        let along = Some((plo - width / 2.0, phi + width / 2.0));
        let across = Some(((vlo + bottom).min(bottom), (vhi + bottom).max(bottom)));
        if b.horizontal {
            bounds.x = union(bounds.x, across);
            bounds.y = union(bounds.y, along);
        } else {
            bounds.x = union(bounds.x, along);
            bounds.y = union(bounds.y, across);
        }
        bounds.has_other = true;
        let template = Bars {
            positions: Vec::new(),
            values: Vec::new(),
            width,
            baseline: bottom,
            colors,
            horizontal: b.horizontal,
            value_decimals,
            label: b.label.clone(),
        };
        Ok(CLayer::Bars {
            values,
            positions,
            template,
        })
    }

    /// A `text` layer: a template or per-frame strings at a point in data, axes or figure
    /// coordinates.
    fn text_layer(&mut self, path: &str, t: &TextLayerSpec) -> Result<CLayer> {
        let text = match &t.text {
            Some(s) => self.text(&format!("{path}.text"), s)?,
            None => return Err(self.err(path, "a text layer needs text")),
        };
        let mut pos = |name: &str, spec: &Option<DataSpec>| -> Result<Option<Field>> {
            spec.as_ref()
                .map(|s| {
                    self.field(
                        &format!("{path}.{name}"),
                        s,
                        Rank::Scalar,
                        "a text position",
                    )
                })
                .transpose()
        };
        let (x, y, z) = (pos("x", &t.x)?, pos("y", &t.y)?, pos("z", &t.z)?);
        let coords = match t.coords.as_deref() {
            None | Some("data") => TextCoords::Data,
            Some("axes") => TextCoords::Axes,
            Some("figure") => TextCoords::Figure,
            Some(o) => {
                return Err(self.err(
                    &format!("{path}.coords"),
                    format!("'{o}' is not data, axes or figure"),
                ));
            }
        };
        let halign = match t.ha.as_deref() {
            None | Some("left") => HAlign::Left,
            Some("center") | Some("centre") => HAlign::Center,
            Some("right") => HAlign::Right,
            Some(o) => {
                return Err(self.err(
                    &format!("{path}.ha"),
                    format!("'{o}' is not left, center or right"),
                ));
            }
        };
        let valign = match t.va.as_deref() {
            None | Some("bottom") | Some("baseline") => VAlign::Bottom,
            Some("center") | Some("centre") => VAlign::Center,
            Some("top") => VAlign::Top,
            Some(o) => {
                return Err(self.err(
                    &format!("{path}.va"),
                    format!("'{o}' is not top, center or bottom"),
                ));
            }
        };
        let color = match &t.color {
            Some(c) => self.color(&format!("{path}.color"), c)?,
            None => Color::BLACK,
        };
        let size = t.size.unwrap_or(10.0);
        if !(size.is_finite() && size > 0.0) {
            return Err(self.err(
                &format!("{path}.size"),
                format!("{size} is not a size in points"),
            ));
        }
        let note = Annotation::new("", Anchor::Axes(Vec2::ZERO))
            .aligned(halign, valign)
            .colored(color)
            .sized(size);
        Ok(CLayer::Text {
            text,
            x,
            y,
            z,
            coords,
            note,
        })
    }

    /// A value parsed from a name (format string, marker, line style, colormap), its error
    /// naming the field `path.field`.
    fn parsed<T>(&self, path: &str, field: &str, r: crate::Result<T>) -> Result<T> {
        r.map_err(|e| self.err(&format!("{path}.{field}"), scene_msg(e)))
    }

    /// The decimals an `annotate` number format (`.2f`, `d`) asks for.
    fn number_format(&self, path: &str, f: &Option<String>) -> Result<Option<usize>> {
        f.as_ref()
            .map(|f| {
                decimals_of(f).ok_or_else(|| {
                    self.err(
                        &format!("{path}.annotate"),
                        format!("'{f}' is not a number format such as .2f or d"),
                    )
                })
            })
            .transpose()
    }

    #[allow(clippy::too_many_arguments)]
    fn coords(
        &mut self,
        path: &str,
        x: &Option<DataSpec>,
        y: &Option<DataSpec>,
        z: &Option<DataSpec>,
        points: &Option<DataSpec>,
        three_d: bool,
        what: &str,
    ) -> Result<Coords> {
        let mut c = if let Some(p) = points {
            if x.is_some() || y.is_some() || z.is_some() {
                return Err(self.err(path, "give points or x/y/z, not both"));
            }
            let f = self.field(&format!("{path}.points"), p, Rank::Points, what)?;
            let shape = f.shape().to_vec();
            let (n, d) = (shape[0], shape[1]);
            if d == 3 && !three_d {
                return Err(self.err(
                    &format!("{path}.points"),
                    format!(
                        "{} has 3 columns (x, y, z) but the panel is 2D: set projection = \"3d\"",
                        f.label()
                    ),
                ));
            }
            Coords {
                x: None,
                y: None,
                z: None,
                points: Some((f, d)),
                n,
                fixed: None,
            }
        } else {
            let y = y
                .as_ref()
                .ok_or_else(|| self.err(path, format!("{what} needs y (or points)")))?;
            let yf = self.field(
                &format!("{path}.y"),
                y,
                Rank::Vector,
                &format!("{what}'s y"),
            )?;
            let n = yf.shape()[0];
            let mut get = |name: &str, s: &Option<DataSpec>| -> Result<Option<Field>> {
                match s {
                    None => Ok(None),
                    Some(s) => {
                        let p = format!("{path}.{name}");
                        let f = self.field(&p, s, Rank::Vector, &format!("{what}'s {name}"))?;
                        self.same_n(&p, &f, n)?;
                        Ok(Some(f))
                    }
                }
            };
            let xf = get("x", x)?;
            let zf = get("z", z)?;
            if zf.is_some() && !three_d {
                return Err(self.err(
                    &format!("{path}.z"),
                    "z needs a 3D panel: set projection = \"3d\"",
                ));
            }
            Coords {
                x: xf,
                y: Some(yf),
                z: zf,
                points: None,
                n,
                fixed: None,
            }
        };
        if !c.per_frame() {
            c.fixed = Some(Arc::new(c.build(0)));
        }
        Ok(c)
    }

    fn same_n(&self, path: &str, f: &Field, n: usize) -> Result<()> {
        let len = f.shape().first().copied().unwrap_or(1);
        if len != n {
            return Err(self.err(
                path,
                format!(
                    "{} has {len} values per frame (shape {}) but the layer has {n} points",
                    f.label(),
                    format_shape(&f.full_shape())
                ),
            ));
        }
        Ok(())
    }

    fn grow(&mut self, path: &str, coords: &Coords) -> Result<()> {
        if coords.per_frame() {
            return Err(self.err(path, "a growing layer's points are static: frame i shows the first i+1 (give (N,) or (N, D) data)"));
        }
        if coords.n == 0 {
            return Err(self.err(path, "a growing layer needs at least one point"));
        }
        self.grows.push((path.to_string(), coords.n));
        Ok(())
    }

    fn cmap(&self, path: &str, name: &Option<String>) -> Result<Colormap> {
        match name {
            None => Ok(Colormap::Viridis),
            Some(n) => self.parsed(path, "cmap", Colormap::from_name(n)),
        }
    }

    fn alpha(&self, path: &str, a: Option<f32>) -> Result<f32> {
        match a {
            None => Ok(1.0),
            Some(a) if (0.0..=1.0).contains(&a) => Ok(a),
            Some(a) => Err(self.err(&format!("{path}.alpha"), format!("{a} is not in 0..1"))),
        }
    }
}

/// Axis extents a panel's layers cover over all frames.
#[derive(Default)]
struct Bounds {
    x: Option<(f32, f32)>,
    y: Option<(f32, f32)>,
    z: Option<(f32, f32)>,
    has_image: bool,
    has_other: bool,
    flip_y: bool,
}

impl Bounds {
    fn add_coords(&mut self, c: &Coords) {
        let [x, y, z] = c.ranges();
        self.x = union(self.x, x);
        self.y = union(self.y, y);
        self.z = union(self.z, z);
        self.has_other = true;
    }
    fn image_only_x(&self) -> bool {
        self.has_image && !self.has_other
    }
    fn image_only_y(&self) -> bool {
        self.has_image && !self.has_other
    }
}

fn union(a: Option<(f32, f32)>, b: Option<(f32, f32)>) -> Option<(f32, f32)> {
    match (a, b) {
        (Some(a), Some(b)) => Some((a.0.min(b.0), a.1.max(b.1))),
        (a, None) => a,
        (None, b) => b,
    }
}

/// Limits from a data range: matplotlib's 5% margins, none when `tight`; a single value or no
/// data gets a unit-wide window.
fn padded(r: Option<(f32, f32)>, tight: bool) -> [f32; 2] {
    match r {
        None => [0.0, 1.0],
        Some((lo, hi)) if hi > lo => {
            let pad = if tight { 0.0 } else { 0.05 * (hi - lo) };
            [lo - pad, hi + pad]
        }
        Some((v, _)) => [v - 0.5, v + 0.5],
    }
}

/// Decimals of a number format: `".2f"` → 2, `"d"` → 0.
fn decimals_of(fmt: &str) -> Option<usize> {
    let f = fmt.trim().trim_start_matches("{:").trim_end_matches('}');
    if f == "d" {
        return Some(0);
    }
    f.strip_prefix('.')?.strip_suffix(['f', 'F'])?.parse().ok()
}

fn decimals_for(v: f32) -> usize {
    let s = format!("{v}");
    s.split_once('.').map_or(0, |(_, d)| d.len().min(6))
}

/// The next colour of a panel's cycle (C0, C1, …).
fn next_color(cycle: &mut usize) -> Color {
    let c = Color::cycle(*cycle);
    *cycle += 1;
    c
}

fn scene_msg(e: crate::Error) -> String {
    match e {
        crate::Error::Scene(m) => m,
        other => other.to_string(),
    }
}
