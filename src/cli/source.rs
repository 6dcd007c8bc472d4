//! What `export`, `view` and `inspect` draw: a built-in scene by name, a data file's quick look
//! (`.npy`, `.npz`, `.csv`), a scene file (`.toml`, `.json`) or a recording (`.flipbook`).

use anyhow::{Result, bail};
use flipbook::FrameGenerator;
use flipbook::data::{self, DataScene, DrawAs, FileKind, QuickOptions, spec::Syntax};
use flipbook::record::{Recording, RunStatus};
use flipbook::scenes::{SceneOptions, SceneParams, build_scene};
use std::path::Path;
use std::sync::Arc;

/// The quick look's flags, shared by `export` and `view`.
#[derive(clap::Args, Clone, Debug, Default)]
pub struct DataArgs {
    /// Data files: draw every array as line, path, points or image instead of by its shape.
    #[arg(long = "as", value_name = "KIND", value_parser = parse_draw_as)]
    pub draw_as: Option<DrawAs>,
    /// Data files: the colormap of images (matplotlib's names: viridis, magma, gray, RdBu_r, …).
    #[arg(long)]
    pub cmap: Option<String>,
    /// Data files: the value at the colormap's low end (default: the minimum over all frames).
    #[arg(long, allow_hyphen_values = true)]
    pub vmin: Option<f32>,
    /// Data files: the value at the colormap's high end (default: the maximum over all frames).
    #[arg(long, allow_hyphen_values = true)]
    pub vmax: Option<f32>,
}

fn parse_draw_as(s: &str) -> Result<DrawAs, String> {
    DrawAs::from_name(s).ok_or_else(|| "expected line, path, points or image".into())
}

/// A scene to draw and the figure settings it carries.
pub struct Source {
    /// The frames.
    pub generator: Arc<dyn FrameGenerator>,
    /// The figure's size at 100 dpi, if the source sets one (scene files).
    pub size: Option<(u32, u32)>,
    /// The figure's dpi, if the source sets one.
    pub dpi: Option<f32>,
    /// A recording the viewer follows while its run writes it.
    pub live: Option<Arc<dyn flipbook::viewer::LiveSource>>,
}

/// What a SCENE argument names.
pub enum Kind {
    /// A built-in scene.
    Builtin,
    /// A data file for the quick look.
    Data,
    /// A scene file.
    SceneFile,
    /// A recording (`.flipbook`), possibly still being written.
    Recording,
}

/// Tells a data file or scene file (by extension) from a built-in scene's name.
pub fn kind_of(scene: &str) -> Kind {
    let p = Path::new(scene);
    if p.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("flipbook"))
    {
        Kind::Recording
    } else if FileKind::from_path(p).is_some() {
        Kind::Data
    } else if Syntax::from_path(p).is_some() {
        Kind::SceneFile
    } else {
        Kind::Builtin
    }
}

/// Opens what SCENE names.
pub fn open(
    scene: &str,
    frames: Option<usize>,
    fps: Option<f64>,
    params: &SceneParams,
    data: &DataArgs,
) -> Result<Source> {
    let kind = kind_of(scene);
    if !matches!(kind, Kind::Builtin) {
        if frames.is_some() {
            bail!(
                "--frames sets a built-in scene's length; {scene}'s frames come from its data (choose some with --start/--end)"
            );
        }
        if params.trail.is_some() {
            bail!("--param sets a built-in scene's settings; {scene} has none");
        }
    }
    if matches!(kind, Kind::Builtin | Kind::Recording)
        && (data.draw_as.is_some()
            || data.cmap.is_some()
            || data.vmin.is_some()
            || data.vmax.is_some())
    {
        bail!(
            "--as, --cmap, --vmin and --vmax apply to data files (.npy, .npz, .csv); '{scene}' is {}",
            if matches!(kind, Kind::Builtin) {
                "a built-in scene"
            } else {
                "a recording"
            }
        );
    }
    if let (Some(lo), Some(hi)) = (data.vmin, data.vmax)
        && lo >= hi
    {
        bail!("--vmin {lo} must be below --vmax {hi}");
    }
    match kind {
        Kind::Builtin => Ok(Source {
            generator: build_scene(
                scene,
                &SceneOptions {
                    frames,
                    fps,
                    params: params.clone(),
                },
            )?
            .into(),
            size: None,
            dpi: None,
            live: None,
        }),
        Kind::Data => {
            let path = Path::new(scene);
            let options = QuickOptions {
                draw_as: data.draw_as,
                cmap: data.cmap.clone(),
                vmin: data.vmin,
                vmax: data.vmax,
                fps,
            };
            let (spec, table) = data::quick_look(path, &options)?;
            let s = DataScene::build(&spec, path.parent().unwrap_or(Path::new(".")), &table, path)?;
            Ok(Source {
                size: Some(s.size()),
                dpi: None,
                generator: Arc::new(s),
                live: None,
            })
        }
        Kind::Recording => {
            let rec = Arc::new(open_recording(Path::new(scene))?);
            let (size, dpi) = rec.size_dpi().unzip();
            let generator: Arc<dyn FrameGenerator> = match fps {
                Some(fps) => Arc::new(WithFps(rec.clone(), fps)),
                None => rec.clone(),
            };
            Ok(Source {
                generator,
                size,
                dpi,
                live: Some(rec),
            })
        }
        Kind::SceneFile => {
            let path = Path::new(scene);
            let mut spec = data::SceneSpec::from_file(path)?;
            if fps.is_some() {
                spec.figure.fps = fps;
            }
            let base = path.parent().unwrap_or(Path::new("."));
            let s = DataScene::build(&spec, base, &Default::default(), path)?;
            let (size, dpi) = (s.size(), s.dpi());
            Ok(Source {
                size: Some(size),
                dpi: Some(dpi),
                generator: Arc::new(s),
                live: None,
            })
        }
    }
}

/// Opens a recording with at least one frame, saying on stderr what a reader should know: damage
/// skipped, a run still going.
pub fn open_recording(path: &Path) -> Result<Recording> {
    let rec = Recording::open(path)?;
    for p in rec.problems() {
        eprintln!(
            "warning: {}: damaged record at {p}; skipped, the frames around it are kept",
            path.display()
        );
    }
    if !rec.has_header() {
        bail!(
            "{}: the recording has no complete header yet (is the run just starting?)",
            path.display()
        );
    }
    let n = rec.frame_count();
    if n == 0 {
        bail!("{}: no frame has been recorded yet", path.display());
    }
    match rec.status() {
        RunStatus::Running => eprintln!(
            "{}: the run is still going; reading the {n} frames written so far",
            path.display()
        ),
        RunStatus::Stopped => eprintln!(
            "{}: the run stopped without ending (killed or crashed?); it has {n} frames",
            path.display()
        ),
        RunStatus::Ended => {}
    }
    Ok(rec)
}

/// `view --listen ADDR`: listens, spools the first writer's stream into a file in the temporary
/// directory and returns its path once it holds a frame.
pub fn wait_for_stream(addr: &str) -> Result<String> {
    let listener = flipbook::record::Listener::bind(addr)?;
    let name = format!(
        "flipbook-{}-{}.flipbook",
        listener.local_addr().replace([':', '.'], "_"),
        std::process::id()
    );
    let path = std::env::temp_dir().join(name);
    eprintln!(
        "listening on {}: waiting for a run (fig.record(\"tcp://{addr}\")); keeping it in {}",
        listener.local_addr(),
        path.display()
    );
    let spooler = listener.spool_into(&path)?;
    loop {
        if let Ok(rec) = Recording::open(&path)
            && rec.frame_count() > 0
        {
            return Ok(path.display().to_string());
        }
        if spooler.is_finished() {
            match spooler.join() {
                Ok(Err(e)) => return Err(e.into()),
                _ => bail!("the run connected to {addr} but sent no frame before it went away"),
            }
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

/// A generator played at another rate.
struct WithFps<G>(G, f64);

impl<G: FrameGenerator> FrameGenerator for WithFps<G> {
    fn frame_count(&self) -> usize {
        self.0.frame_count()
    }
    fn fps(&self) -> f64 {
        self.1
    }
    fn frame(&self, index: usize) -> flipbook::Figure {
        self.0.frame(index)
    }
}

/// `flipbook inspect FILE`: each array of a data file, or a scene file's timeline and panels.
/// A closed pipe (`| head`) ends the listing quietly.
pub fn inspect(file: &Path) -> Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    macro_rules! println {
        ($($arg:tt)*) => {
            if writeln!(out, $($arg)*).is_err() {
                return Ok(());
            }
        };
    }
    match kind_of(&file.to_string_lossy()) {
        Kind::Data => {
            for line in data::inspect(file)? {
                println!("{line}");
            }
            let (spec, table) = data::quick_look(file, &QuickOptions::default())?;
            let s = DataScene::build(&spec, file.parent().unwrap_or(Path::new(".")), &table, file)?;
            println!("quick look: {} frames at {} fps", s.frame_count(), s.fps());
        }
        Kind::SceneFile => {
            let s = DataScene::from_file(file)?;
            let spec = data::SceneSpec::from_file(file)?;
            println!(
                "{}: {} frames at {} fps, {}x{} at {} dpi",
                file.display(),
                s.frame_count(),
                s.fps(),
                s.size().0,
                s.size().1,
                s.dpi()
            );
            for (i, p) in spec.panels.iter().enumerate() {
                let kinds: Vec<&str> = p.layers.iter().map(|l| l.kind()).collect();
                println!(
                    "  panels[{i}]: {} ({})",
                    p.projection.as_deref().unwrap_or("2d"),
                    kinds.join(", ")
                );
            }
        }
        Kind::Recording => {
            let rec = Recording::open(file)?;
            let status = match rec.status() {
                RunStatus::Running => "running",
                RunStatus::Ended => "ended",
                RunStatus::Stopped => "stopped without ending",
            };
            println!(
                "{}: recording, {} frames at {} fps, run {status}",
                file.display(),
                rec.frame_count(),
                rec.fps()
            );
            for p in rec.problems() {
                println!("  damaged record at {p}");
            }
        }
        Kind::Builtin => bail!(
            "{}: inspect reads .npy, .npz and .csv files, .toml/.json scene files and .flipbook recordings",
            file.display()
        ),
    }
    Ok(())
}
