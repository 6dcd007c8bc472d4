//! The `flipbook` command line: list scenes, export them (built-in scenes, data files, scene
//! files), view them, inspect data files, benchmark. The binary and the Python package's
//! `flipbook` command both run [`main`].

pub mod bench;
pub mod env;
pub mod source;

use anyhow::Result;
use clap::{Parser, Subcommand};
use flipbook::export::{ExportOptions, Format};
use flipbook::scenes::builtin_scenes;
use flipbook::{GpuContext, Setting};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};

#[derive(Parser)]
#[command(
    name = "flipbook",
    version,
    about = "Turn sequences of data into animations"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// A font for text the bundled DejaVu Sans cannot show (Chinese, say): a .ttf/.otf/.ttc
    /// file or the name of an installed font, e.g. "Noto Sans CJK SC".
    #[arg(long, global = true, value_name = "FILE_OR_NAME")]
    font: Option<String>,
    /// A scene setting, e.g. `--param trail=400` (lorenz: fading trails); may be repeated.
    #[arg(long = "param", global = true, value_name = "KEY=VALUE")]
    params: Vec<String>,
}

#[derive(Subcommand)]
enum Command {
    /// List the built-in scenes, one line each.
    List,
    /// Render a scene headlessly to a file: .gif, .apng, .mp4, .webm (through ffmpeg), a
    /// self-contained .html player, or numbered .png frames (frame_%04d.png).
    Export {
        /// What to draw: a built-in scene's name (see `flipbook list`), a data file (.npy,
        /// .npz, .csv: drawn by its arrays' shapes) or a scene file (.toml, .json).
        scene: String,
        /// Output path; the format comes from its extension.
        #[arg(short, long)]
        output: PathBuf,
        /// Number of frames (default: the scene's own).
        #[arg(long, value_parser = parse_positive_usize, allow_hyphen_values = true)]
        frames: Option<usize>,
        /// Frames per second (default: the scene's own).
        #[arg(long, value_parser = parse_positive_f64, allow_hyphen_values = true)]
        fps: Option<f64>,
        /// The figure's size in pixels at 100 dpi, WIDTHxHEIGHT (its layout: 640x480, the
        /// default, is matplotlib's 6.4x4.8 inches; a scene file's figsize otherwise).
        #[arg(long, value_parser = parse_size, allow_hyphen_values = true)]
        size: Option<(u32, u32)>,
        /// Dots per inch (default 100, or a scene file's): --size 640x480 --dpi 200 writes
        /// 1280x960 pixels with the 640x480 layout, text and lines twice as sharp.
        #[arg(long, value_parser = parse_positive_f32, allow_hyphen_values = true)]
        dpi: Option<f32>,
        /// How many times a GIF or APNG plays; 0 = forever (1 also starts the HTML player in Once mode).
        #[arg(long = "loop", default_value_t = 0)]
        loops: u16,
        /// Output format instead of the one the extension implies (gif, png, apng, mp4, webm, html).
        #[arg(long)]
        format: Option<String>,
        /// First frame to export (0-based, inclusive).
        #[arg(long, value_name = "FRAME", value_parser = parse_frame_index, allow_hyphen_values = true)]
        start: Option<usize>,
        /// Frame to stop before (exclusive, like Python's range): --start 10 --end 20 exports
        /// frames 10..19. Default: the scene's frame count.
        #[arg(long, value_name = "FRAME", value_parser = parse_frame_index, allow_hyphen_values = true)]
        end: Option<usize>,
        /// MP4/WebM/HTML-video constant quality, lower is better: H.264 0-51 (default 20),
        /// VP9 0-63 (default 32).
        #[arg(long, conflicts_with = "bitrate", value_parser = parse_crf, allow_hyphen_values = true)]
        crf: Option<u32>,
        /// MP4/WebM/HTML-video target bit rate instead of constant quality, e.g. 800k or 2M.
        #[arg(long, value_parser = parse_bitrate)]
        bitrate: Option<u64>,
        /// Title in the video's metadata, APNG text and HTML page (default: the scene name).
        #[arg(long)]
        title: Option<String>,
        /// GIF dithering: none (default, flat charts stay flat), ordered (stable between
        /// frames) or floyd-steinberg (finest gradients).
        #[arg(long, default_value = "none", value_parser = parse_dither)]
        dither: flipbook::export::Dither,
        /// What the .html player holds: auto (default: video if ffmpeg is installed, else
        /// webp), webp (lossless frames), png (lossless, larger, for browsers without WebP) or
        /// video (H.264 through ffmpeg: 10-50x smaller, lossy).
        #[arg(long, default_value = "auto", value_parser = parse_html_embed)]
        html_embed: flipbook::export::HtmlEmbed,
        #[command(flatten)]
        data: source::DataArgs,
    },
    /// Export every built-in scene (GIF, poster PNG, MP4 when ffmpeg is installed) into DIR,
    /// with an index.html that shows them.
    Gallery {
        /// Output directory (created if missing).
        dir: PathBuf,
        /// Size in pixels, WIDTHxHEIGHT.
        #[arg(long, default_value = "640x480", value_parser = parse_size, allow_hyphen_values = true)]
        size: (u32, u32),
    },
    /// Open a window to play, scrub and turn a scene; export from it with the view you set.
    ///
    /// Keys: Space play/pause, ←/→ step, Home/End first/last, [ ] slower/faster, L loop mode,
    /// R reset view, S save frame, E export. Mouse: drag orbits (3D) or pans (2D), wheel zooms.
    View {
        /// What to draw: a built-in scene's name (see `flipbook list`), a data file (.npy,
        /// .npz, .csv), a scene file (.toml, .json) or a recording (.flipbook, followed while
        /// its run writes it).
        #[arg(required_unless_present = "listen")]
        scene: Option<String>,
        /// Wait for a run to stream its recording to this address (`fig.record("tcp://ADDR")`)
        /// and follow it; the stream is kept in a .flipbook file in the temporary directory.
        #[arg(long, value_name = "ADDR", conflicts_with = "scene")]
        listen: Option<String>,
        /// Frame to open at (0-based).
        #[arg(long, default_value_t = 0)]
        frame: usize,
        /// Number of frames (default: the scene's own).
        #[arg(long, value_parser = parse_positive_usize, allow_hyphen_values = true)]
        frames: Option<usize>,
        /// Frames per second (default: the scene's own).
        #[arg(long, value_parser = parse_positive_f64, allow_hyphen_values = true)]
        fps: Option<f64>,
        /// The figure's size in pixels at 100 dpi, WIDTHxHEIGHT (default 640x480, or a scene
        /// file's figsize): its layout, and what exports and saved frames use. The window draws
        /// it at its own resolution.
        #[arg(long, value_parser = parse_size, allow_hyphen_values = true)]
        size: Option<(u32, u32)>,
        /// Dots per inch of exports and saved frames (S) made from the viewer (default 100, or
        /// a scene file's).
        #[arg(long, value_parser = parse_positive_f32, allow_hyphen_values = true)]
        dpi: Option<f32>,
        /// Window size in logical pixels, WIDTHxHEIGHT (default: fits the canvas and controls).
        #[arg(long, value_parser = parse_size, allow_hyphen_values = true)]
        window: Option<(u32, u32)>,
        /// Save a PNG screenshot of the whole window (controls included) and exit.
        #[arg(long, value_name = "PNG")]
        screenshot_to: Option<PathBuf>,
        /// Save the canvas at export size (what S saves) to this PNG and exit.
        #[arg(long, value_name = "PNG")]
        save_frame_to: Option<PathBuf>,
        /// Save the canvas as the window draws it (the window's resolution) to this PNG and
        /// exit.
        #[arg(long, value_name = "PNG")]
        canvas_to: Option<PathBuf>,
        /// Start playing at once.
        #[arg(long)]
        play: bool,
        /// Close after this many seconds and print the display rate (for benchmarks).
        #[arg(long, value_name = "SECONDS", value_parser = parse_positive_f64)]
        exit_after: Option<f64>,
        /// Log every frame the window shows to this file, one line each, once on screen:
        /// FRAME FRAME_COUNT UNIX_SECONDS STATUS (for tests and the live-latency benchmark).
        #[arg(long, value_name = "FILE")]
        trace_frames: Option<PathBuf>,
        #[command(flatten)]
        data: source::DataArgs,
    },
    /// Print what a data file holds (each array's name, shape, dtype, value range and how it
    /// would be drawn) or a scene file's timeline and panels.
    Inspect {
        /// A .npy, .npz or .csv file, or a .toml/.json scene file.
        file: PathBuf,
    },
    /// Measure export speed (render / readback / encode per frame), a million-point render and,
    /// with --peer, matplotlib on the same scene in the same run.
    Bench(bench::BenchArgs),
}

fn parse_positive_usize(s: &str) -> Result<usize, String> {
    match s.trim().parse::<i64>() {
        Ok(v) if v >= 1 => Ok(v as usize),
        Ok(_) => Err("must be at least 1".into()),
        Err(_) => Err("must be a whole number".into()),
    }
}

fn parse_frame_index(s: &str) -> Result<usize, String> {
    match s.trim().parse::<i64>() {
        Ok(v) if v >= 0 => Ok(v as usize),
        Ok(_) => Err("must be a frame number, 0 or more".into()),
        Err(_) => Err("must be a whole number".into()),
    }
}

fn parse_crf(s: &str) -> Result<u32, String> {
    match s.trim().parse::<i64>() {
        Ok(v) if (0..=63).contains(&v) => Ok(v as u32),
        _ => Err("must be a whole number from 0 (best) to 51 for H.264 or 63 for VP9".into()),
    }
}

fn parse_positive_f32(s: &str) -> Result<f32, String> {
    match s.trim().parse::<f32>() {
        Ok(v) if v.is_finite() && v > 0.0 => Ok(v),
        Ok(_) => Err("must be a positive number".into()),
        Err(_) => Err("must be a number".into()),
    }
}

fn parse_positive_f64(s: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(v) if v.is_finite() && v > 0.0 => Ok(v),
        Ok(_) => Err("must be a positive number".into()),
        Err(_) => Err("must be a number".into()),
    }
}

fn parse_bitrate(s: &str) -> Result<u64, String> {
    let bad = || "expected bits per second like 800k, 2M or 1500000".to_string();
    let t = s.trim();
    let (num, mult) = match t.char_indices().last() {
        Some((i, 'k' | 'K')) => (&t[..i], 1e3),
        Some((i, 'm' | 'M')) => (&t[..i], 1e6),
        _ => (t, 1.0),
    };
    let v: f64 = num.trim().parse().map_err(|_| bad())?;
    let bits = v * mult;
    if !(bits.is_finite() && (1e3..=1e10).contains(&bits)) {
        return Err("must be between 1k and 10000M bits per second".into());
    }
    Ok(bits.round() as u64)
}

fn parse_dither(s: &str) -> Result<flipbook::export::Dither, String> {
    flipbook::export::Dither::from_name(s)
        .ok_or_else(|| "expected none, ordered or floyd-steinberg".into())
}

fn parse_html_embed(s: &str) -> Result<flipbook::export::HtmlEmbed, String> {
    flipbook::export::HtmlEmbed::from_name(s)
        .ok_or_else(|| "expected auto, webp, png or video".into())
}

fn parse_size(s: &str) -> Result<(u32, u32), String> {
    let bad = || "expected WIDTHxHEIGHT with positive whole numbers, like 640x480".to_string();
    let (w, h) = s.split_once(['x', 'X', '×']).ok_or_else(bad)?;
    let w: i64 = w.trim().parse().map_err(|_| bad())?;
    let h: i64 = h.trim().parse().map_err(|_| bad())?;
    if w < 1 || h < 1 || w > u32::MAX as i64 || h > u32::MAX as i64 {
        return Err(bad());
    }
    Ok((w as u32, h as u32))
}

/// How to start this program again, for benchmarks that time whole `flipbook` processes: the
/// running executable, unless a host program said otherwise ([`set_self_command`]).
pub(crate) struct SelfCommand(Vec<std::ffi::OsString>);

static SELF_COMMAND: std::sync::OnceLock<Vec<std::ffi::OsString>> = std::sync::OnceLock::new();

/// Tells the command line how to run itself as a new process when it is not the running
/// executable: the Python package runs it inside Python, so it sets `python -m flipbook`.
/// The first call wins.
pub fn set_self_command(argv: Vec<std::ffi::OsString>) {
    if !argv.is_empty() {
        let _ = SELF_COMMAND.set(argv);
    }
}

impl SelfCommand {
    pub(crate) fn find() -> Result<SelfCommand> {
        match SELF_COMMAND.get() {
            Some(argv) => Ok(SelfCommand(argv.clone())),
            None => {
                let exe = anyhow::Context::context(
                    std::env::current_exe(),
                    "locating the flipbook executable",
                )?;
                Ok(SelfCommand(vec![exe.into_os_string()]))
            }
        }
    }

    /// A command starting the program, ready for its arguments.
    pub(crate) fn command(&self) -> std::process::Command {
        let mut c = std::process::Command::new(&self.0[0]);
        c.args(&self.0[1..]);
        c
    }
}

/// Runs the command line on `args` (the program name first) and returns the exit status:
/// 0 on success, 1 on an error (printed as one line), 2 on bad usage, 130 when interrupted.
pub fn main(args: impl IntoIterator<Item = std::ffi::OsString>) -> u8 {
    env::quiet_device_select();
    env::load_only_software_vulkan_without_gpu_devices();
    // A second run in one process (the Python package calls this) keeps the first logger.
    let _ = env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("warn"))
        .try_init();
    let cli = match Cli::try_parse_from(args) {
        Ok(c) => c,
        Err(e) if !e.use_stderr() => {
            let _ = e.print();
            return 0;
        }
        Err(e) => {
            // clap's first paragraph names the argument and the problem; the rest is usage text.
            let text = e.render().to_string();
            let first: Vec<&str> = text
                .lines()
                .take_while(|l| !l.trim().is_empty())
                .map(str::trim)
                .collect();
            eprintln!("{}", first.join(" "));
            return 2;
        }
    };
    match run(cli) {
        Ok(()) => 0,
        Err(_) if INTERRUPTED.load(Ordering::SeqCst) => {
            eprintln!("interrupted: nothing was written (the partial output was removed)");
            // 128 + SIGINT, as shells report an interrupted program.
            130
        }
        Err(e) => {
            eprintln!("error: {}", describe(&e));
            1
        }
    }
}

/// Set by Ctrl-C or SIGTERM during an export: the export stops at the next frame, removes
/// its temporary output and the program exits non-zero.
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// Routes Ctrl-C and SIGTERM to [`INTERRUPTED`] (for the commands that write files; the
/// viewer keeps the default, closing at once) and returns the flag to pass as `cancel`.
fn cancel_on_signal() -> &'static AtomicBool {
    let installed = ctrlc::set_handler(|| INTERRUPTED.store(true, Ordering::SeqCst));
    if let Err(e) = installed {
        log::warn!("Ctrl-C will not clean up: {e}");
    }
    &INTERRUPTED
}

/// The command line's flag for a library setting.
fn flag(setting: Setting) -> &'static str {
    match setting {
        Setting::FrameCount => "--frames",
        Setting::Fps => "--fps",
        Setting::FrameRange => "frame range --start..--end",
        Setting::Crf => "--crf",
        Setting::Bitrate => "--bitrate",
        Setting::Dither => "--dither",
        Setting::Format => "--format",
        Setting::SceneParam => "--param",
        Setting::StartFrame => "--frame",
        Setting::Font => "--font",
        Setting::Dpi => "--dpi",
    }
}

/// An error as one line, with library settings named by the flag that sets them.
fn describe(e: &anyhow::Error) -> String {
    let invalid = |err: &flipbook::Error| match err {
        flipbook::Error::Invalid {
            setting,
            value,
            reason,
        } => {
            // The range's reasons speak of its start and end: name their flags.
            let reason = match setting {
                Setting::FrameRange => reason
                    .replace("the start", "--start")
                    .replace("the end", "--end"),
                _ => reason.clone(),
            };
            Some(format!("invalid {} '{value}': {reason}", flag(*setting)))
        }
        _ => None,
    };
    let own = e
        .downcast_ref::<flipbook::Error>()
        .and_then(|err| match err {
            flipbook::Error::Frame { frame, error } => {
                invalid(error).map(|m| format!("frame {frame}: {m}"))
            }
            other => invalid(other),
        });
    // The chain of causes, leaving out a cause whose text an outer message already quotes
    // (library errors print their I/O error themselves).
    own.unwrap_or_else(|| {
        let mut text = String::new();
        for cause in e.chain() {
            let c = cause.to_string();
            if !text.contains(&c) {
                if !text.is_empty() {
                    text.push_str(": ");
                }
                text.push_str(&c);
            }
        }
        text
    })
}

fn run(cli: Cli) -> Result<()> {
    if let Some(font) = &cli.font {
        flipbook::chrome::use_font(font)?;
    }
    let params = flipbook::scenes::SceneParams::parse(&cli.params)?;
    match cli.command {
        Command::List => {
            let width = builtin_scenes()
                .iter()
                .map(|s| s.name.len())
                .max()
                .unwrap_or(0);
            for s in builtin_scenes() {
                println!(
                    "{:width$}  {} ({} frames at {} fps)",
                    s.name, s.summary, s.frames, s.fps
                );
            }
            Ok(())
        }
        Command::Export {
            scene,
            output,
            frames,
            fps,
            size,
            dpi,
            loops,
            format,
            start,
            end,
            crf,
            bitrate,
            title,
            dither,
            html_embed,
            data,
        } => {
            // Check everything the user typed before starting the GPU.
            let format = match &format {
                Some(f) => Format::from_name(f)?,
                None => Format::from_path(&output)?,
            };
            let source = source::open(&scene, frames, fps, &params, &data)?;
            let size = size.or(source.size).unwrap_or((640, 480));
            let dpi = dpi.or(source.dpi).unwrap_or(100.0);
            let generator = source.generator;
            let count = generator.frame_count();
            let range = start.unwrap_or(0)..end.unwrap_or(count);
            flipbook::export::check_range(&range, count)?;
            let mut options = ExportOptions::new(&output);
            options.format = Some(format);
            (options.width, options.height) = size;
            options.dpi = dpi;
            options.loops = loops;
            options.range = Some(range.clone());
            (
                options.crf,
                options.bitrate,
                options.dither,
                options.html_embed,
            ) = (crf, bitrate, dither, html_embed);
            let name = scene_title(&scene);
            options.title = Some(title.unwrap_or_else(|| name.clone()));
            flipbook::export::check_requirements(format, &options)?;
            env::rasterize_inline_for_export(generator.as_ref());
            let ctx = GpuContext::new_headless()?;
            let total = range.len();
            let bar = indicatif::ProgressBar::new(total as u64);
            bar.set_style(
                indicatif::ProgressStyle::with_template(
                    "{msg} [{bar:30}] {pos}/{len} frames, {per_sec}, eta {eta}",
                )
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
                .progress_chars("=> "),
            );
            bar.set_message(format!("exporting {name}"));
            let report = flipbook::export::export_with(
                &ctx,
                generator.as_ref(),
                &options,
                &mut |done, _| bar.set_position(done as u64),
                Some(cancel_on_signal()),
            );
            bar.finish_and_clear();
            let report = report?;
            for note in &report.notes {
                eprintln!("{note}");
            }
            let secs = report.elapsed.as_secs_f64();
            let shown = match report.files.as_slice() {
                [one] => one.display().to_string(),
                [first, .., last] => format!(
                    "{} … {} ({} files)",
                    first.display(),
                    last.display(),
                    report.files.len()
                ),
                [] => "nothing".into(),
            };
            let (pw, ph) = options.pixel_size()?;
            let at_dpi = if dpi == 100.0 {
                String::new()
            } else {
                format!(" ({}x{} at {dpi} dpi)", size.0, size.1)
            };
            println!(
                "wrote {shown}: {} frames, {pw}x{ph}{at_dpi}, {} in {:.2} s ({:.1} ms/frame){}",
                report.frames,
                human_bytes(report.bytes),
                secs,
                1000.0 * secs / report.frames.max(1) as f64,
                bench::peak_rss_mb()
                    .map(|m| format!(", peak memory {m:.0} MB"))
                    .unwrap_or_default(),
            );
            Ok(())
        }
        Command::View {
            scene,
            listen,
            frame,
            frames,
            fps,
            size,
            dpi,
            window,
            screenshot_to,
            save_frame_to,
            canvas_to,
            play,
            exit_after,
            trace_frames,
            data,
        } => {
            let scene = match (scene, listen) {
                (Some(s), _) => s,
                (None, Some(addr)) => source::wait_for_stream(&addr)?,
                (None, None) => anyhow::bail!("view needs a SCENE or --listen ADDR"),
            };
            let source = source::open(&scene, frames, fps, &params, &data)?;
            let size = size.or(source.size).unwrap_or((640, 480));
            let dpi = dpi.or(source.dpi).unwrap_or(100.0);
            let live = source.live;
            let generator = source.generator;
            let options = flipbook::viewer::ViewerOptions {
                live,
                scene_name: scene_title(&scene),
                export_size: size,
                dpi,
                window_size: window,
                frame,
                screenshot_to,
                save_frame_to,
                canvas_to,
                play,
                exit_after,
                trace_frames,
            };
            let report = flipbook::viewer::run(generator, options)?;
            if exit_after.is_some() {
                println!(
                    "display {:.1} fps, {} frames skipped to keep time",
                    report.display_fps, report.skipped
                );
            }
            Ok(())
        }
        Command::Gallery { dir, size } => {
            let ctx = GpuContext::new_headless()?;
            let t0 = std::time::Instant::now();
            let tty = std::io::IsTerminal::is_terminal(&std::io::stderr());
            let cancel = cancel_on_signal();
            let items = flipbook::gallery::gallery(
                &ctx,
                &dir,
                size,
                &mut |name| {
                    if tty {
                        eprintln!("exporting {name}…");
                    }
                },
                Some(cancel),
            )?;
            for item in &items {
                println!(
                    "{:10} set-up {:6.1} ms, export {:6.2} s: {}",
                    item.name,
                    item.setup.as_secs_f64() * 1000.0,
                    item.export.as_secs_f64(),
                    item.files
                        .iter()
                        .map(|f| f.display().to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                );
            }
            println!(
                "wrote {} in {:.1} s",
                dir.join("index.html").display(),
                t0.elapsed().as_secs_f64()
            );
            Ok(())
        }
        Command::Inspect { file } => source::inspect(&file),
        Command::Bench(args) => bench::run(&args),
    }
}

/// A short name for titles and progress: a built-in scene's name or a file's name.
fn scene_title(scene: &str) -> String {
    std::path::Path::new(scene)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| scene.to_string())
}

fn human_bytes(b: u64) -> String {
    match b {
        0..1024 => format!("{b} B"),
        1024..1_048_576 => format!("{:.1} KB", b as f64 / 1024.0),
        _ => format!("{:.2} MB", b as f64 / 1_048_576.0),
    }
}
