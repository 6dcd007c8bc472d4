//! The quick look: a `.npy`, `.npz` or `.csv` file drawn with no scene file, by the shapes of
//! its arrays. It writes a [`SceneSpec`] (the same model a scene file reads into) over the
//! file's arrays, so what it draws can be saved as a scene file and edited.
//!
//! The leading axis is time. (T, N): a line per frame; (N, 2|3): a path growing over N frames
//! with a marker at its head; (T, N, 2|3): a point cloud per frame; (T, H, W): an image per
//! frame through a colormap with one vmin/vmax over all frames and a colorbar; (T, H, W, 3|4):
//! RGB(A) frames; (T,): a line growing over T frames. An `.npz` puts each array in its own
//! panel; a `.csv` draws each column as a line over the first, growing row by row. A
//! `step`/`steps` array (or CSV column) numbers the frames in the title instead of the frame
//! index.

use super::spec::*;
use super::{Array, ArrayTable, DataError, FileKind, ReadOptions, Result, format_shape};
use std::path::Path;

/// How an array is drawn by the quick look.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DrawAs {
    /// (T, N): a line per frame over its index; (T,): a line growing over T frames.
    Line,
    /// (N, 2) or (N, 3): a path growing over N frames.
    Path,
    /// (T, N, 2) or (T, N, 3): a point cloud per frame.
    Points,
    /// (T, H, W) through a colormap, or (T, H, W, 3|4) RGB(A).
    Image,
}

impl DrawAs {
    /// Parses `line`, `path`, `points` or `image`.
    pub fn from_name(s: &str) -> Option<DrawAs> {
        Some(match s.trim().to_ascii_lowercase().as_str() {
            "line" | "lines" => DrawAs::Line,
            "path" => DrawAs::Path,
            "points" | "scatter" => DrawAs::Points,
            "image" | "images" | "imshow" => DrawAs::Image,
            _ => return None,
        })
    }

    /// The name `--as` takes.
    pub fn name(self) -> &'static str {
        match self {
            DrawAs::Line => "line",
            DrawAs::Path => "path",
            DrawAs::Points => "points",
            DrawAs::Image => "image",
        }
    }

    /// The kind a shape suggests, or why it cannot be drawn.
    pub fn guess(shape: &[usize]) -> std::result::Result<DrawAs, String> {
        match shape {
            [] => Err("a 0-d array (one number) has no frames to animate".into()),
            [_] => Ok(DrawAs::Line),
            [_, 2 | 3] => Ok(DrawAs::Path),
            [_, _] => Ok(DrawAs::Line),
            [_, _, 2 | 3] => Ok(DrawAs::Points),
            [_, _, _] => Ok(DrawAs::Image),
            [_, _, _, 3 | 4] => Ok(DrawAs::Image),
            _ => Err(format!(
                "shape {} has no quick look: flipbook draws (T, N), (N, 2|3), (T, N, 2|3), (T, H, W) and (T, H, W, 3|4)",
                format_shape(shape)
            )),
        }
    }

    /// Whether `shape` can be drawn this way; the error says what shape it needs.
    fn check(self, shape: &[usize]) -> std::result::Result<(), String> {
        let ok = match self {
            DrawAs::Line => matches!(shape.len(), 1 | 2),
            DrawAs::Path => matches!(shape, [_, 2 | 3]),
            DrawAs::Points => matches!(shape, [_, _, 2 | 3]),
            DrawAs::Image => matches!(shape, [_, _, _] | [_, _, _, 3 | 4]),
        };
        if ok {
            return Ok(());
        }
        let needs = match self {
            DrawAs::Line => "(T, N), or (T,) for a growing line",
            DrawAs::Path => "(N, 2) or (N, 3)",
            DrawAs::Points => "(T, N, 2) or (T, N, 3)",
            DrawAs::Image => "(T, H, W) or (T, H, W, 3|4)",
        };
        Err(format!(
            "shape {} cannot be drawn as {}: that needs {needs}",
            format_shape(shape),
            self.name()
        ))
    }

    /// A sentence saying what a frame shows, for `inspect`.
    pub fn describe(self, shape: &[usize]) -> String {
        match (self, shape) {
            (DrawAs::Line, [t]) => format!("a line growing over {t} frames"),
            (DrawAs::Line, [t, n]) => format!("a line of {n} values per frame, {t} frames"),
            (DrawAs::Path, [n, d]) => format!("a {d}D path growing over {n} frames"),
            (DrawAs::Points, [t, n, d]) => format!("{n} points in {d}D per frame, {t} frames"),
            (DrawAs::Image, [t, h, w]) => {
                format!("a {w}x{h} image per frame through a colormap, {t} frames")
            }
            (DrawAs::Image, [t, h, w, c]) => {
                format!(
                    "a {w}x{h} {} image per frame, {t} frames",
                    if *c == 3 { "RGB" } else { "RGBA" }
                )
            }
            _ => "nothing".into(),
        }
    }
}

/// Options of the quick look (`--as`, `--cmap`, `--vmin`, `--vmax`, `--fps`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct QuickOptions {
    /// Draw every array this way instead of by its shape.
    pub draw_as: Option<DrawAs>,
    /// Colormap for images.
    pub cmap: Option<String>,
    /// Value at the colormap's low end (default: the minimum over all frames).
    pub vmin: Option<f32>,
    /// Value at the colormap's high end.
    pub vmax: Option<f32>,
    /// Frames per second (default 20).
    pub fps: Option<f64>,
}

/// Names of 1-D arrays that number the frames instead of being drawn.
const STEP_NAMES: [&str; 4] = ["step", "steps", "epoch", "epochs"];

/// A file's quick look: the scene and the arrays it reads (by name, in the table).
pub fn quick_look(path: &Path, options: &QuickOptions) -> Result<(SceneSpec, ArrayTable)> {
    let arrays = super::open_with(path, &ReadOptions::default())?;
    let kind = FileKind::from_path(path);
    quick_look_arrays(path, kind, arrays, options)
}

fn fail(path: &Path, field: &str, reason: String) -> DataError {
    DataError::SceneFile {
        path: path.to_path_buf(),
        field: field.to_string(),
        reason,
    }
}

/// The quick look of arrays already read from `path`.
pub fn quick_look_arrays(
    path: &Path,
    kind: Option<FileKind>,
    arrays: Vec<Array>,
    options: &QuickOptions,
) -> Result<(SceneSpec, ArrayTable)> {
    let mut table = ArrayTable::default();
    let mut spec = SceneSpec::default();
    spec.figure.fps = options.fps;
    if kind == Some(FileKind::Csv) {
        return csv_look(path, arrays, spec, table);
    }
    let (steps, drawn): (Vec<Array>, Vec<Array>) = arrays
        .into_iter()
        .partition(|a| STEP_NAMES.contains(&a.name()) && a.ndim() == 1);
    if drawn.is_empty() {
        return Err(fail(path, "", "holds no arrays to draw".into()));
    }
    let step_title = if let Some(s) = steps.first() {
        let key = format!("@{}", s.name());
        table.named.insert(key.clone(), s.clone());
        spec.figure.step = Some(DataSpec::Ref(key));
        if s.name().starts_with("epoch") {
            "epoch {step}"
        } else {
            "step {step}"
        }
    } else {
        "frame {frame}"
    };

    // A 1-D array as long as the rows of a (T, N) array (and not T long) is their x axis, as
    // `x` beside `y` of shape (T, len(x)) in a file saved by `np.savez(x=x, y=ys)`.
    // The first such array of each length is the axis; the others of that length are static
    // curves over it, each in its own panel, outside the timeline.
    let mut axes: Vec<Array> = Vec::new();
    let mut statics: Vec<Array> = Vec::new();
    let mut rest: Vec<Array> = Vec::new();
    for a in &drawn {
        if options.draw_as.is_some() || axis_for(a, &drawn).is_none() {
            rest.push(a.clone());
        } else if axes.iter().any(|x| x.len() == a.len()) {
            statics.push(a.clone());
        } else {
            axes.push(a.clone());
        }
    }
    let drawn = rest;

    // One timeline: every array's T must agree (a growing path's T is its length).
    let mut first: Option<(String, Vec<usize>, usize)> = None;
    let mut panels = Vec::new();
    for a in &drawn {
        let shape = a.shape().to_vec();
        let draw = match options.draw_as {
            Some(d) => d.check(&shape).map(|_| d),
            None => DrawAs::guess(&shape),
        }
        .map_err(|why| fail(path, a.name(), why))?;
        let t = shape[0];
        if t == 0 {
            return Err(fail(
                path,
                a.name(),
                format!(
                    "{} has shape {}: no frames",
                    a.label(),
                    format_shape(&shape)
                ),
            ));
        }
        match &first {
            None => first = Some((a.label(), shape.clone(), t)),
            Some((l0, s0, t0)) if *t0 != t => {
                return Err(fail(
                    path,
                    a.name(),
                    format!(
                        "{} has {t} frames (shape {}) but {l0} has {t0} (shape {}); the arrays of one file share one timeline",
                        a.label(),
                        format_shape(&shape),
                        format_shape(s0)
                    ),
                ));
            }
            Some(_) => {}
        }
        let key = format!("@{}", a.name());
        table.named.insert(key.clone(), a.clone());
        let mut panel = panel_for(a.name(), &key, draw, &shape, options);
        if let (DrawAs::Line, [_, n]) = (draw, shape.as_slice())
            && let Some(x) = axes.iter().find(|x| x.len() == *n)
        {
            let xkey = format!("@{}", x.name());
            table.named.insert(xkey.clone(), x.clone());
            if let Some(LayerSpec::Line(l)) = panel.layers.first_mut() {
                l.x = Some(DataSpec::Ref(xkey));
            }
            panel.xlabel = Some(x.name().to_string());
        }
        panels.push(panel);
    }
    for a in &statics {
        let key = format!("@{}", a.name());
        table.named.insert(key.clone(), a.clone());
        let mut panel = panel_for(a.name(), &key, DrawAs::Line, a.shape(), options);
        if let (Some(LayerSpec::Line(l)), Some(x)) = (
            panel.layers.first_mut(),
            axes.iter().find(|x| x.len() == a.len()),
        ) {
            let xkey = format!("@{}", x.name());
            table.named.insert(xkey.clone(), x.clone());
            l.x = Some(DataSpec::Ref(xkey));
            l.grow = false;
            panel.xlabel = Some(x.name().to_string());
        }
        panels.push(panel);
    }
    let single = panels.len() == 1;
    let cols = (panels.len() as f64).sqrt().ceil() as u32;
    let rows = (panels.len() as u32).div_ceil(cols);
    spec.figure.grid = Some([rows, cols]);
    if single {
        // One array: its name and the frame in the panel's title.
        if let Some(p) = panels.first_mut() {
            let name = drawn[0].name();
            p.title = Some(TextSpec::Template(format!(
                "{} — {step_title}",
                escape(name)
            )));
        }
    } else {
        spec.figure.suptitle = Some(TextSpec::Template(step_title.to_string()));
        // Wider figures for wide grids, so panels keep a readable size.
        if cols > 1 {
            spec.figure.figsize = Some([4.8 * cols.min(4) as f32, 3.6 * rows.min(4) as f32]);
        }
    }
    spec.panels = panels;
    Ok((spec, table))
}

/// The (T, N) array a 1-D array is the x axis of: one whose rows are as long as it is (and
/// whose T is not).
fn axis_for<'a>(a: &Array, all: &'a [Array]) -> Option<&'a Array> {
    if a.ndim() != 1 {
        return None;
    }
    all.iter()
        .find(|b| matches!(b.shape(), [t, n] if *n == a.len() && *t != a.len()))
}

fn escape(s: &str) -> String {
    s.replace('{', "{{").replace('}', "}}")
}

fn panel_for(name: &str, key: &str, draw: DrawAs, shape: &[usize], o: &QuickOptions) -> PanelSpec {
    let data = DataSpec::Ref(key.to_string());
    let mut p = PanelSpec {
        title: Some(TextSpec::Template(escape(name))),
        ..PanelSpec::default()
    };
    match draw {
        DrawAs::Line => {
            p.grid = true;
            p.layers.push(LayerSpec::Line(LineSpec {
                y: Some(data),
                grow: shape.len() == 1,
                ..LineSpec::default()
            }));
            p.xlabel = Some(if shape.len() == 1 {
                "frame".into()
            } else {
                "index".into()
            });
        }
        DrawAs::Path => {
            if shape[1] == 3 {
                p.projection = Some("3d".into());
            }
            p.layers.push(LayerSpec::Line(LineSpec {
                points: Some(data),
                grow: true,
                head: Some("o".into()),
                ..LineSpec::default()
            }));
        }
        DrawAs::Points => {
            if shape[2] == 3 {
                p.projection = Some("3d".into());
            }
            p.layers.push(LayerSpec::Scatter(ScatterSpec {
                points: Some(data),
                s: Some(DataSpec::scalar(9.0)),
                ..ScatterSpec::default()
            }));
        }
        DrawAs::Image => {
            p.layers.push(LayerSpec::Image(ImageSpec {
                data: Some(data),
                cmap: o.cmap.clone(),
                vmin: o.vmin,
                vmax: o.vmax,
                colorbar: (shape.len() == 3).then_some(FlagOr::Flag(true)),
                ..ImageSpec::default()
            }));
        }
    }
    p
}

/// A CSV: every column after the first is a line over the first, growing row by row.
fn csv_look(
    path: &Path,
    columns: Vec<Array>,
    mut spec: SceneSpec,
    mut table: ArrayTable,
) -> Result<(SceneSpec, ArrayTable)> {
    let Some((x, ys)) = columns.split_first() else {
        return Err(fail(path, "", "holds no columns".into()));
    };
    let rows = x.len();
    if rows == 0 {
        return Err(fail(
            path,
            "",
            "has a header but no rows: nothing to animate".into(),
        ));
    }
    let xkey = format!("@{}", x.name());
    table.named.insert(xkey.clone(), x.clone());
    // The first column numbers the rows (an epoch, a time): it is the x axis and the title's
    // step.
    spec.figure.step = Some(DataSpec::Ref(xkey.clone()));
    let title = format!("{} {{step}}", escape(x.name()));
    let mut panel = PanelSpec {
        title: Some(TextSpec::Template(title)),
        xlabel: Some(x.name().to_string()),
        grid: true,
        ..PanelSpec::default()
    };
    if ys.is_empty() {
        panel.layers.push(LayerSpec::Line(LineSpec {
            y: Some(DataSpec::Ref(xkey.clone())),
            grow: true,
            ..LineSpec::default()
        }));
    }
    for y in ys {
        let key = format!("@{}", y.name());
        table.named.insert(key.clone(), y.clone());
        panel.layers.push(LayerSpec::Line(LineSpec {
            x: Some(DataSpec::Ref(xkey.clone())),
            y: Some(DataSpec::Ref(key)),
            label: Some(y.name().to_string()),
            grow: true,
            head: Some("o".into()),
            ..LineSpec::default()
        }));
    }
    if ys.len() > 1 {
        panel.legend = Some(FlagOr::Flag(true));
    } else if let Some(y) = ys.first() {
        panel.ylabel = Some(y.name().to_string());
    }
    spec.figure.grid = Some([1, 1]);
    spec.panels = vec![panel];
    Ok((spec, table))
}

/// One line per array of a file: name, shape, dtype, value range and how the quick look draws
/// it (`flipbook inspect`).
pub fn inspect(path: &Path) -> Result<Vec<String>> {
    let arrays = super::open_with(path, &ReadOptions::default())?;
    let csv = FileKind::from_path(path) == Some(FileKind::Csv);
    let width = arrays.iter().map(|a| a.name().len()).max().unwrap_or(0);
    Ok(arrays
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let range = match a.value_range() {
                Some((lo, hi)) => format!("{lo:.4} .. {hi:.4}"),
                None => "no finite values".into(),
            };
            let how = if STEP_NAMES.contains(&a.name()) && a.ndim() == 1 && !csv {
                "numbers the frames ({step} in titles)".to_string()
            } else if let (false, Some(of)) = (csv, axis_for(a, &arrays)) {
                let first = arrays
                    .iter()
                    .find(|b| axis_for(b, &arrays).is_some() && b.len() == a.len());
                match first {
                    Some(x) if x.name() != a.name() => format!("a fixed line over {}", x.name()),
                    _ => format!("the x axis of {}", of.name()),
                }
            } else if csv {
                if i == 0 {
                    "the x axis (first column)".into()
                } else {
                    format!("a line growing over {} rows", a.len())
                }
            } else {
                match DrawAs::guess(a.shape()) {
                    Ok(d) => d.describe(a.shape()),
                    Err(why) => format!("not drawn: {why}"),
                }
            };
            format!(
                "{:width$}  {:14} {:8} {:24} {how}",
                a.name(),
                format_shape(a.shape()),
                a.dtype().to_string(),
                range
            )
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_pick_the_drawing() {
        assert_eq!(DrawAs::guess(&[40, 50]), Ok(DrawAs::Line));
        assert_eq!(DrawAs::guess(&[1500, 3]), Ok(DrawAs::Path));
        assert_eq!(DrawAs::guess(&[10, 100, 2]), Ok(DrawAs::Points));
        assert_eq!(DrawAs::guess(&[200, 48, 64]), Ok(DrawAs::Image));
        assert_eq!(DrawAs::guess(&[5, 48, 64, 3]), Ok(DrawAs::Image));
        assert_eq!(DrawAs::guess(&[7]), Ok(DrawAs::Line));
        assert!(DrawAs::guess(&[]).unwrap_err().contains("0-d"));
        assert!(DrawAs::guess(&[1, 2, 3, 5]).is_err());
        assert!(
            DrawAs::Image
                .check(&[40, 50])
                .unwrap_err()
                .contains("(T, H, W)")
        );
    }

    #[test]
    fn npz_arrays_of_different_length_name_both() {
        let a = Array::new("a", vec![3, 4], vec![0f32; 12]).unwrap();
        let b = Array::new("b", vec![5, 4], vec![0f32; 20]).unwrap();
        let e = quick_look_arrays(
            Path::new("run.npz"),
            Some(FileKind::Npz),
            vec![a, b],
            &QuickOptions::default(),
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.contains("run.npz") && e.contains("(5, 4)") && e.contains("(3, 4)"),
            "{e}"
        );
    }
}
