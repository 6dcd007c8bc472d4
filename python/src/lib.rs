//! `flipbook._native`: the Rust side of `import flipbook`.
//!
//! How it works: the pure-Python layer (`python/flipbook/`) builds a figure in the scene-file
//! model (the JSON of `flipbook::data::SceneSpec`) and hands it over with the numpy arrays its
//! fields name. [`Scene`] binds them into a `flipbook::data::DataScene`, the same generator
//! scene files and the quick look build, and renders frames or exports files through the
//! library. Arrays are copied once into shared `flipbook::data::Array`s (numpy may change its
//! buffers after the call returns, so lending them would be unsound); exports run with the GIL
//! released, calling back into Python only to report progress and to notice Ctrl-C. The
//! command line (`flipbook …`, `python -m flipbook …`) runs through [`main`].

use flipbook::data::{Array, ArrayTable, DataError, DataScene, SceneSpec, spec::Syntax};
use flipbook::export::{Dither, ExportOptions, Format, HtmlEmbed};
use flipbook::{Error, FrameGenerator, GpuContext};
use numpy::ndarray::Array3;
use numpy::{
    PyArray3, PyReadonlyArray1, PyReadonlyArrayDyn, PyUntypedArray, PyUntypedArrayMethods,
};
use pyo3::exceptions::{PyKeyboardInterrupt, PyOSError, PyRuntimeError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

/// The process's GPU device, opened on first use (llvmpipe without a GPU).
fn gpu() -> PyResult<&'static GpuContext> {
    static CTX: OnceLock<Result<GpuContext, String>> = OnceLock::new();
    CTX.get_or_init(|| GpuContext::new_headless().map_err(|e| e.to_string()))
        .as_ref()
        .map_err(|e| PyRuntimeError::new_err(e.clone()))
}

/// A library error as the Python exception that fits it.
fn to_py(e: Error) -> PyErr {
    let msg = e.to_string();
    match e {
        Error::Io { .. } | Error::Output { .. } => PyOSError::new_err(msg),
        Error::Data(DataError::Io { .. }) => PyOSError::new_err(msg),
        Error::Cancelled => PyKeyboardInterrupt::new_err("export cancelled: nothing was written"),
        Error::NoAdapter { .. } | Error::Device(_) | Error::Gpu(_) | Error::MissingTool { .. } => {
            PyRuntimeError::new_err(msg)
        }
        _ => PyValueError::new_err(msg),
    }
}

fn data_err(e: DataError) -> PyErr {
    to_py(Error::Data(e))
}

/// A numpy array as a shared flipbook array (one copy, in C order).
fn to_array(name: &str, obj: &Bound<'_, PyAny>) -> PyResult<Array> {
    let untyped = obj.cast::<PyUntypedArray>().map_err(|_| {
        PyTypeError::new_err(format!(
            "array '{name}' is a {}, not a numpy array",
            obj.get_type()
                .name()
                .map(|n| n.to_string())
                .unwrap_or_default()
        ))
    })?;
    let shape = untyped.shape().to_vec();
    macro_rules! try_dtype {
        ($($t:ty),*) => {$(
            if let Ok(a) = obj.extract::<PyReadonlyArrayDyn<'_, $t>>() {
                let values: Vec<$t> = a.as_array().iter().copied().collect();
                return Array::new(name, shape, values).map_err(data_err);
            }
        )*};
    }
    try_dtype!(f32, f64, u8, i8, i16, i32, i64, u16, u32, u64, bool);
    Err(PyTypeError::new_err(format!(
        "array '{name}' has dtype {}; flipbook takes numbers (bool, integers, float16/32/64 — convert float16 with .astype('float32'))",
        untyped.dtype()
    )))
}

/// A figure bound to its arrays: frames and exports.
#[pyclass(frozen, module = "flipbook._native")]
struct Scene {
    scene: Arc<DataScene>,
}

/// Export options from Python keywords.
#[allow(clippy::too_many_arguments)]
fn export_options(
    scene: &DataScene,
    path: &Path,
    fps: Option<f64>,
    dpi: Option<f32>,
    crf: Option<u32>,
    bitrate: Option<u64>,
    loops: u16,
    start: Option<usize>,
    end: Option<usize>,
    dither: Option<&str>,
    html_embed: Option<&str>,
    title: Option<String>,
) -> PyResult<ExportOptions> {
    let mut o = ExportOptions::new(path);
    o.format = Some(Format::from_path(path).map_err(to_py)?);
    (o.width, o.height) = scene.size();
    o.dpi = dpi.unwrap_or(scene.dpi());
    if !(o.dpi.is_finite() && o.dpi > 0.0) {
        return Err(PyValueError::new_err(format!(
            "dpi={} is not a positive number",
            o.dpi
        )));
    }
    o.pixel_size().map_err(to_py)?;
    o.loops = loops;
    let count = scene.frame_count();
    let range = start.unwrap_or(0)..end.unwrap_or(count);
    flipbook::export::check_range(&range, count).map_err(to_py)?;
    o.range = Some(range);
    o.crf = crf;
    o.bitrate = bitrate;
    if let Some(d) = dither {
        o.dither = Dither::from_name(d).ok_or_else(|| {
            PyValueError::new_err(format!(
                "dither='{d}' is not none, ordered or floyd-steinberg"
            ))
        })?;
    }
    if let Some(h) = html_embed {
        o.html_embed = HtmlEmbed::from_name(h).ok_or_else(|| {
            PyValueError::new_err(format!("html_embed='{h}' is not auto, webp, png or video"))
        })?;
    }
    o.title = title;
    if let Some(f) = fps
        && !(f.is_finite() && f > 0.0)
    {
        return Err(PyValueError::new_err(format!(
            "fps={f} is not a positive number"
        )));
    }
    flipbook::export::check_requirements(o.format.unwrap_or(Format::Gif), &o).map_err(to_py)?;
    Ok(o)
}

/// The scene at another frame rate, for exports that ask for one.
struct AtFps<'a> {
    inner: &'a DataScene,
    fps: f64,
}

impl FrameGenerator for AtFps<'_> {
    fn frame_count(&self) -> usize {
        self.inner.frame_count()
    }
    fn fps(&self) -> f64 {
        self.fps
    }
    fn frame(&self, index: usize) -> flipbook::Figure {
        self.inner.frame(index)
    }
}

#[pymethods]
impl Scene {
    /// Binds a scene (the JSON of the scene-file model) to arrays: a data field whose value
    /// is a key of `arrays` reads that array; other references are files relative to
    /// `base_dir`.
    #[new]
    #[pyo3(signature = (spec_json, arrays, base_dir = "."))]
    fn new(spec_json: &str, arrays: &Bound<'_, PyDict>, base_dir: &str) -> PyResult<Self> {
        let spec = SceneSpec::parse(spec_json, Syntax::Json, Path::new("")).map_err(data_err)?;
        let mut table = ArrayTable::default();
        for (k, v) in arrays.iter() {
            let key: String = k.extract()?;
            let array = to_array(&key, &v)?;
            table.named.insert(key, array);
        }
        let scene = DataScene::build(&spec, Path::new(base_dir), &table, Path::new(""))
            .map_err(data_err)?;
        Ok(Scene {
            scene: Arc::new(scene),
        })
    }

    /// Number of frames.
    #[getter]
    fn frame_count(&self) -> usize {
        self.scene.frame_count()
    }

    /// Frames per second.
    #[getter]
    fn fps(&self) -> f64 {
        self.scene.fps()
    }

    /// The figure's size in pixels at 100 dpi.
    #[getter]
    fn size(&self) -> (u32, u32) {
        self.scene.size()
    }

    /// The figure's dpi.
    #[getter]
    fn dpi(&self) -> f32 {
        self.scene.dpi()
    }

    /// Frame `i` as an (H, W, 4) uint8 array, at the figure's dpi or `dpi`.
    #[pyo3(signature = (i, dpi = None))]
    fn frame<'py>(
        &self,
        py: Python<'py>,
        i: i64,
        dpi: Option<f32>,
    ) -> PyResult<Bound<'py, PyArray3<u8>>> {
        let n = self.scene.frame_count();
        let index = if i < 0 { i + n as i64 } else { i };
        if index < 0 || index >= n as i64 {
            return Err(pyo3::exceptions::PyIndexError::new_err(format!(
                "frame {i} is out of range: the figure has {n} frames"
            )));
        }
        let dpi = dpi.unwrap_or(self.scene.dpi());
        if !(dpi.is_finite() && dpi > 0.0) {
            return Err(PyValueError::new_err(format!(
                "dpi={dpi} is not a positive number"
            )));
        }
        let scene = self.scene.clone();
        let size = scene.size();
        let image = py
            .detach(move || {
                let ctx = gpu().map_err(|e| e.to_string())?;
                let figure = scene.frame(index as usize);
                // One renderer for the process: its pipelines are compiled once, not per frame.
                static RENDERER: Mutex<Option<flipbook::gpu::FigureRenderer>> = Mutex::new(None);
                let mut slot = RENDERER.lock().unwrap_or_else(|e| e.into_inner());
                let renderer = slot.get_or_insert_with(|| {
                    flipbook::gpu::FigureRenderer::new(&ctx.device, flipbook::gpu::CANVAS_FORMAT)
                });
                flipbook::render_figure_with(ctx, renderer, &figure, size, dpi)
                    .map_err(|e| e.to_string())
            })
            .map_err(PyValueError::new_err)?;
        let (w, h) = image.dimensions();
        let pixels = Array3::from_shape_vec((h as usize, w as usize, 4), image.into_raw())
            .map_err(|e| PyRuntimeError::new_err(e.to_string()))?;
        Ok(PyArray3::from_owned_array(py, pixels))
    }

    /// Writes the animation to `path` (.gif, .mp4, .webm, .apng, .html, or .png for numbered
    /// frames) with the GIL released; `progress(done, total)` is called as frames are written.
    #[pyo3(signature = (path, *, fps = None, dpi = None, crf = None, bitrate = None, r#loop = 0, start = None, end = None, dither = None, html_embed = None, title = None, progress = None))]
    #[allow(clippy::too_many_arguments)]
    fn save<'py>(
        &self,
        py: Python<'py>,
        path: PathBuf,
        fps: Option<f64>,
        dpi: Option<f32>,
        crf: Option<u32>,
        bitrate: Option<u64>,
        r#loop: u16,
        start: Option<usize>,
        end: Option<usize>,
        dither: Option<&str>,
        html_embed: Option<&str>,
        title: Option<String>,
        progress: Option<Py<PyAny>>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let options = export_options(
            &self.scene,
            &path,
            fps,
            dpi,
            crf,
            bitrate,
            r#loop,
            start,
            end,
            dither,
            html_embed,
            title,
        )?;
        let scene = self.scene.clone();
        let cancel = AtomicBool::new(false);
        let interrupted = AtomicBool::new(false);
        let callback_error: std::sync::Mutex<Option<PyErr>> = std::sync::Mutex::new(None);
        let result = py.detach(|| {
            let ctx = gpu().map_err(|e| Error::Gpu(e.to_string()))?;
            let generator = AtFps {
                inner: &scene,
                fps: fps.unwrap_or(scene.fps()),
            };
            let mut report = |done: usize, total: usize| {
                Python::attach(|py| {
                    if py.check_signals().is_err() {
                        interrupted.store(true, Ordering::SeqCst);
                        cancel.store(true, Ordering::SeqCst);
                        return;
                    }
                    if let Some(cb) = &progress
                        && let Err(e) = cb.call1(py, (done, total))
                    {
                        if let Ok(mut slot) = callback_error.lock() {
                            *slot = Some(e);
                        }
                        cancel.store(true, Ordering::SeqCst);
                    }
                });
            };
            flipbook::export::export_with(ctx, &generator, &options, &mut report, Some(&cancel))
        });
        if interrupted.load(Ordering::SeqCst) {
            return Err(PyKeyboardInterrupt::new_err(
                "save interrupted: nothing was written",
            ));
        }
        if let Some(e) = callback_error.lock().ok().and_then(|mut s| s.take()) {
            return Err(e);
        }
        let report = result.map_err(to_py)?;
        let out = PyDict::new(py);
        let files: Vec<String> = report
            .files
            .iter()
            .map(|f| f.display().to_string())
            .collect();
        out.set_item("files", PyList::new(py, files)?)?;
        out.set_item("frames", report.frames)?;
        out.set_item("bytes", report.bytes)?;
        out.set_item("seconds", report.elapsed.as_secs_f64())?;
        out.set_item("notes", PyList::new(py, report.notes)?)?;
        Ok(out)
    }

    /// The animation as an HTML fragment for a notebook: the self-contained player (frames as
    /// lossless WebP, no network access) inside an iframe with a unique id, so its element ids
    /// and script cannot clash with the notebook's or another figure's.
    #[pyo3(signature = (fps = None, dpi = None))]
    fn html(&self, py: Python<'_>, fps: Option<f64>, dpi: Option<f32>) -> PyResult<String> {
        let dir = tempfile::tempdir().map_err(|e| PyOSError::new_err(e.to_string()))?;
        let path = dir.path().join("player.html");
        let options = export_options(
            &self.scene,
            &path,
            fps,
            dpi,
            None,
            None,
            0,
            None,
            None,
            None,
            Some("webp"),
            None,
        )?;
        let (w, h) = options.pixel_size().map_err(to_py)?;
        let scene = self.scene.clone();
        py.detach(|| {
            let ctx = gpu().map_err(|e| Error::Gpu(e.to_string()))?;
            let generator = AtFps {
                inner: &scene,
                fps: fps.unwrap_or(scene.fps()),
            };
            flipbook::export::export_with(ctx, &generator, &options, &mut |_, _| {}, None)
        })
        .map_err(to_py)?;
        let page = std::fs::read_to_string(&path).map_err(|e| PyOSError::new_err(e.to_string()))?;
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let id = format!(
            "flipbook-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        let escaped = page.replace('&', "&amp;").replace('"', "&quot;");
        // The player's controls sit below the picture: leave room for them.
        Ok(format!(
            "<iframe id=\"{id}\" class=\"flipbook-player\" srcdoc=\"{escaped}\" \
             style=\"border:0;width:{}px;max-width:100%;height:{}px\" title=\"flipbook animation\"></iframe>",
            w + 40,
            h + 110
        ))
    }

    /// The scene as scene-file JSON is not kept; this says what it holds.
    fn __repr__(&self) -> String {
        let (w, h) = self.scene.size();
        format!(
            "<flipbook Scene: {} frames at {} fps, {w}x{h} at {} dpi>",
            self.scene.frame_count(),
            self.scene.fps(),
            self.scene.dpi()
        )
    }
}

/// A recording being written (`fig.record(path)`): the Rust writer behind the Python
/// recorder. The spec and array definitions go first; each `frame` call appends one record and
/// hands it to the OS before returning.
#[pyclass(module = "flipbook._native")]
struct Recorder {
    writer: Option<flipbook::record::RecordingWriter>,
    path: String,
}

fn record_err(e: flipbook::record::RecordError) -> PyErr {
    use flipbook::record::RecordError as R;
    let msg = e.to_string();
    match e {
        R::Io { .. } | R::Locked { .. } | R::Listen { .. } => PyOSError::new_err(msg),
        R::Connect { .. } | R::Disconnected { .. } => {
            pyo3::exceptions::PyConnectionError::new_err(msg)
        }
        _ => PyValueError::new_err(msg),
    }
}

fn dtype_named(name: &str) -> PyResult<flipbook::data::DType> {
    use flipbook::data::DType as D;
    Ok(match name {
        "bool" => D::Bool,
        "int8" => D::I8,
        "int16" => D::I16,
        "int32" => D::I32,
        "int64" => D::I64,
        "uint8" => D::U8,
        "uint16" => D::U16,
        "uint32" => D::U32,
        "uint64" => D::U64,
        "float16" => D::F16,
        "float32" => D::F32,
        "float64" => D::F64,
        other => {
            return Err(PyTypeError::new_err(format!(
                "dtype {other}: flipbook records numbers (bool, integers, floats)"
            )));
        }
    })
}

impl Recorder {
    fn writer(&mut self) -> PyResult<&mut flipbook::record::RecordingWriter> {
        let path = &self.path;
        self.writer
            .as_mut()
            .ok_or_else(|| PyValueError::new_err(format!("the recording {path} is closed")))
    }
}

#[pymethods]
impl Recorder {
    /// Creates (or replaces) the recording at `path` for the scene `spec_json`, or streams it
    /// to a viewer for `tcp://HOST:PORT` (with `keep`, also into that local recording). Raises
    /// `OSError` if another writer is recording to the file, `ConnectionError` if no viewer
    /// listens.
    #[new]
    #[pyo3(signature = (path, spec_json, keep=None))]
    fn new(path: &str, spec_json: &str, keep: Option<PathBuf>) -> PyResult<Self> {
        let writer = match path.strip_prefix("tcp://") {
            Some(addr) => {
                flipbook::record::RecordingWriter::connect(addr, spec_json, keep.as_deref())
            }
            None => flipbook::record::RecordingWriter::create(path, spec_json),
        }
        .map_err(record_err)?;
        Ok(Recorder {
            writer: Some(writer),
            path: path.to_string(),
        })
    }

    /// Defines an array (`dtype` by numpy's name; `shape` of one frame for per-frame arrays).
    fn add_array(
        &mut self,
        name: &str,
        dtype: &str,
        shape: Vec<usize>,
        per_frame: bool,
    ) -> PyResult<u32> {
        let d = dtype_named(dtype)?;
        self.writer()?
            .add_array(name, d, &shape, per_frame)
            .map_err(record_err)
    }

    /// Writes a static array's bytes (a flat uint8 view of the C-ordered, little-endian values).
    fn write_static(&mut self, id: u32, data: PyReadonlyArray1<'_, u8>) -> PyResult<()> {
        let bytes = data.as_slice()?;
        self.writer()?.write_static(id, bytes).map_err(record_err)
    }

    /// Appends a frame: `(id, bytes)` for each per-frame array that changed (bytes as a flat
    /// uint8 view). Returns the frame's index.
    fn frame(&mut self, changed: Vec<(u32, PyReadonlyArray1<'_, u8>)>) -> PyResult<u64> {
        let slices: Vec<(u32, &[u8])> = changed
            .iter()
            .map(|(id, a)| a.as_slice().map(|s| (*id, s)))
            .collect::<Result<_, _>>()?;
        self.writer()?.frame(&slices).map_err(record_err)
    }

    /// Frames written so far.
    #[getter]
    fn frames(&self) -> u64 {
        self.writer.as_ref().map_or(0, |w| w.frames())
    }

    /// Why the viewer stopped receiving a stream that is kept in a local file, once it has.
    #[getter]
    fn viewer_gone(&self) -> Option<String> {
        self.writer
            .as_ref()
            .and_then(|w| w.viewer_gone().map(str::to_string))
    }

    /// Writes the end-of-run record and closes the file.
    fn close(&mut self) -> PyResult<()> {
        match self.writer.take() {
            Some(w) => w.finish().map_err(record_err),
            None => Ok(()),
        }
    }
}

/// Runs the `flipbook` command line with `argv` (program name first); returns its exit status.
#[pyfunction]
fn main(py: Python<'_>, argv: Vec<String>) -> u8 {
    // `flipbook bench` times whole `flipbook` processes: here that is `python -m flipbook`.
    if let Ok(exe) = py
        .import("sys")
        .and_then(|s| s.getattr("executable"))
        .and_then(|e| e.extract::<String>())
        && !exe.is_empty()
    {
        flipbook::cli::set_self_command(vec![exe.into(), "-m".into(), "flipbook".into()]);
    }
    let args: Vec<std::ffi::OsString> = argv.into_iter().map(Into::into).collect();
    py.detach(|| flipbook::cli::main(args))
}

/// The native module.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    // Measured defaults of the `flipbook` program (see flipbook::cli::env), set at import while
    // the interpreter has not yet started rendering threads of ours.
    flipbook::cli::env::quiet_device_select();
    flipbook::cli::env::load_only_software_vulkan_without_gpu_devices();
    m.add("__version__", flipbook::VERSION)?;
    m.add_class::<Scene>()?;
    m.add_class::<Recorder>()?;
    m.add_function(wrap_pyfunction!(main, m)?)?;
    Ok(())
}
