//! The `flipbook` command line: list scenes, export them, benchmark.

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use flipbook::export::{ExportOptions, Format};
use flipbook::generators::{SceneOptions, build_scene, builtin_scenes};
use flipbook::{GpuContext, bench};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "flipbook", version, about = "Turn sequences of data into animations")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// List the built-in scenes, one line each.
    List,
    /// Render a scene headlessly to a file: .gif, or numbered .png frames (frame_%04d.png).
    Export {
        /// Scene name (see `flipbook list`).
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
        /// Size in pixels, WIDTHxHEIGHT.
        #[arg(long, default_value = "640x480", value_parser = parse_size, allow_hyphen_values = true)]
        size: (u32, u32),
        /// How many times a GIF plays; 0 = forever.
        #[arg(long = "loop", default_value_t = 0)]
        loops: u16,
        /// Output format instead of the one the extension implies (gif, png).
        #[arg(long)]
        format: Option<String>,
    },
    /// Open a window to play, scrub and turn a scene; export from it with the view you set.
    ///
    /// Keys: Space play/pause, ←/→ step, Home/End first/last, [ ] slower/faster, L loop mode,
    /// R reset view, S save frame, E export. Mouse: drag orbits (3D) or pans (2D), wheel zooms.
    View {
        /// Scene name (see `flipbook list`).
        scene: String,
        /// Frame to open at (0-based).
        #[arg(long, default_value_t = 0)]
        frame: usize,
        /// Number of frames (default: the scene's own).
        #[arg(long, value_parser = parse_positive_usize, allow_hyphen_values = true)]
        frames: Option<usize>,
        /// Frames per second (default: the scene's own).
        #[arg(long, value_parser = parse_positive_f64, allow_hyphen_values = true)]
        fps: Option<f64>,
        /// Canvas size in pixels (what exports and saved frames use), WIDTHxHEIGHT.
        #[arg(long, default_value = "640x480", value_parser = parse_size, allow_hyphen_values = true)]
        size: (u32, u32),
        /// Window size in logical pixels, WIDTHxHEIGHT (default: fits the canvas and controls).
        #[arg(long, value_parser = parse_size, allow_hyphen_values = true)]
        window: Option<(u32, u32)>,
        /// Save a PNG screenshot of the whole window (controls included) and exit.
        #[arg(long, value_name = "PNG")]
        screenshot_to: Option<PathBuf>,
        /// Start playing at once.
        #[arg(long)]
        play: bool,
        /// Close after this many seconds and print the display rate (for benchmarks).
        #[arg(long, value_name = "SECONDS", value_parser = parse_positive_f64)]
        exit_after: Option<f64>,
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

fn parse_positive_f64(s: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(v) if v.is_finite() && v > 0.0 => Ok(v),
        Ok(_) => Err("must be a positive number".into()),
        Err(_) => Err("must be a number".into()),
    }
}

fn parse_size(s: &str) -> Result<(u32, u32), String> {
    let bad = || format!("expected WIDTHxHEIGHT with positive whole numbers, like 640x480");
    let (w, h) = s.split_once(['x', 'X', '×']).ok_or_else(bad)?;
    let w: i64 = w.trim().parse().map_err(|_| bad())?;
    let h: i64 = h.trim().parse().map_err(|_| bad())?;
    if w < 1 || h < 1 || w > u32::MAX as i64 || h > u32::MAX as i64 {
        return Err(bad());
    }
    Ok((w as u32, h as u32))
}

fn main() -> ExitCode {
    if std::env::var_os("XDG_RUNTIME_DIR").is_none() && std::env::var_os("NODEVICE_SELECT").is_none() {
        // Mesa's device-select Vulkan layer tries to reach a Wayland compositor and prints an
        // error on headless machines; wgpu orders adapters itself, so the layer is not needed.
        // SAFETY: nothing else runs yet; no other thread can read the environment.
        unsafe { std::env::set_var("NODEVICE_SELECT", "1") };
    }
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("warn")).init();
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) if !e.use_stderr() => {
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            // clap's first paragraph names the argument and the problem; the rest is usage text.
            let text = e.render().to_string();
            let first: Vec<&str> = text.lines().take_while(|l| !l.trim().is_empty()).map(str::trim).collect();
            eprintln!("{}", first.join(" "));
            return ExitCode::from(2);
        }
    };
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::List => {
            let width = builtin_scenes().iter().map(|s| s.name.len()).max().unwrap_or(0);
            for s in builtin_scenes() {
                println!("{:width$}  {} ({} frames at {} fps)", s.name, s.summary, s.frames, s.fps);
            }
            Ok(())
        }
        Command::Export { scene, output, frames, fps, size, loops, format } => {
            // Check everything the user typed before starting the GPU.
            let format = match &format {
                Some(f) => Format::from_name(f).context("--format")?,
                None => Format::from_path(&output)?,
            };
            let generator = build_scene(&scene, &SceneOptions { frames, fps })?;
            if format == Format::Gif {
                flipbook::export::check_destination(&output)?;
            }
            let ctx = GpuContext::new_headless()?;
            let mut options = ExportOptions::new(&output);
            options.format = Some(format);
            (options.width, options.height) = size;
            options.loops = loops;
            let total = generator.frame_count();
            let bar = indicatif::ProgressBar::new(total as u64);
            bar.set_style(
                indicatif::ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} frames, {per_sec}, eta {eta}")
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
                    .progress_chars("=> "),
            );
            bar.set_message(format!("exporting {scene}"));
            let report = flipbook::export::export(&ctx, generator.as_ref(), &options, &mut |done, _| bar.set_position(done as u64), None);
            bar.finish_and_clear();
            let report = report?;
            let secs = report.elapsed.as_secs_f64();
            let shown = match report.files.as_slice() {
                [one] => one.display().to_string(),
                [first, .., last] => format!("{} … {} ({} files)", first.display(), last.display(), report.files.len()),
                [] => "nothing".into(),
            };
            println!(
                "wrote {shown}: {} frames, {}x{}, {} in {:.2} s ({:.1} ms/frame){}",
                report.frames,
                size.0,
                size.1,
                human_bytes(report.bytes),
                secs,
                1000.0 * secs / report.frames.max(1) as f64,
                bench::peak_rss_mb().map(|m| format!(", peak memory {m:.0} MB")).unwrap_or_default(),
            );
            Ok(())
        }
        Command::View { scene, frame, frames, fps, size, window, screenshot_to, play, exit_after } => {
            let generator = build_scene(&scene, &SceneOptions { frames, fps })?;
            let options = flipbook::viewer::ViewerOptions {
                scene_name: scene,
                export_size: size,
                window_size: window,
                frame,
                screenshot_to,
                play,
                exit_after,
            };
            let report = flipbook::viewer::run(generator.into(), options)?;
            if exit_after.is_some() {
                println!("display {:.1} fps, {} frames skipped to keep time", report.display_fps, report.skipped);
            }
            Ok(())
        }
        Command::Bench(args) => bench::run(&args),
    }
}

fn human_bytes(b: u64) -> String {
    match b {
        0..1024 => format!("{b} B"),
        1024..1_048_576 => format!("{:.1} KB", b as f64 / 1024.0),
        _ => format!("{:.2} MB", b as f64 / 1_048_576.0),
    }
}
