//! `flipbook bench`: where export time goes, measured, with matplotlib measured in the same run.
//!
//! Reports medians: per-frame render, readback and encode times (measured one stage at a time),
//! the pipelined in-process export, the whole `flipbook export` process, optionally matplotlib's
//! `mpl_scenes.py` on the same scene, a million-point render, and the peak memory of a long export.

use anyhow::{Context, Result, bail};
use flipbook::FrameGenerator;
use flipbook::export::{ExportOptions, FrameEncoder, GifEncoder};
use flipbook::gpu::{CANVAS_FORMAT, Canvas, FigureRenderer, GpuContext};
use flipbook::scene::{Figure, GridCell, Panel};
use flipbook::scenes::{Lorenz, point_cloud};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Options of `flipbook bench`.
#[derive(clap::Args, Debug)]
pub struct BenchArgs {
    /// Frames of the lorenz export.
    #[arg(long, default_value_t = 200)]
    pub frames: usize,
    /// Whole-process runs of `flipbook export` (and of the peer); the median is reported.
    #[arg(long, default_value_t = 3)]
    pub runs: usize,
    /// A Python with matplotlib to time `mpl_scenes.py` with in the same run.
    #[arg(long)]
    pub peer: Option<PathBuf>,
    /// The peer script.
    #[arg(long, default_value = "../shared/peer/mpl_scenes.py")]
    pub peer_script: PathBuf,
    /// Points in the point-cloud render test.
    #[arg(long, default_value_t = 1_000_000)]
    pub points: usize,
    /// Frames of an extra export whose peak memory is reported (0 skips it).
    #[arg(long, default_value_t = 0)]
    pub memory_frames: usize,
    /// Also time random access: building and rendering frame k of a 5,000-frame lorenz.
    #[arg(long)]
    pub seek: bool,
    /// Also time chart chrome: a 6×8 annotated heatmap with category labels and a colorbar,
    /// rendered with and without its decorations.
    #[arg(long)]
    pub chrome: bool,
    /// Instead of the stage breakdown, time and size every export format (gif, apng, mp4,
    /// webm, html) as whole `flipbook export` processes at 20 fps, and with --peer
    /// matplotlib's gif, mp4 and html of the same frames, as one table.
    #[arg(long)]
    pub formats: bool,
    /// Instead of the stage breakdown, export every built-in scene to GIF (--frames frames,
    /// whole processes) and, with --peer, matplotlib's version of the scenes it has.
    #[arg(long)]
    pub scenes: bool,
    /// Instead of the stage breakdown, time the lorenz GIF export (whole processes) at
    /// 100, 200 and 300 dpi, runs alternating between the three, and report each one's cost
    /// per frame relative to 100 dpi.
    #[arg(long)]
    pub dpi: bool,
}

fn median(mut v: Vec<Duration>) -> Duration {
    if v.is_empty() {
        return Duration::ZERO;
    }
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Runs `cmd` `runs` times, removing `out` first each time so no run finds a previous file;
/// the wall times and the last run's output, or an error quoting the stderr of a failed run.
fn run_timed(
    cmd: &mut Command,
    runs: usize,
    out: &Path,
    what: &str,
) -> Result<(Vec<Duration>, std::process::Output)> {
    let mut times = Vec::with_capacity(runs);
    let mut last = None;
    for _ in 0..runs.max(1) {
        let _ = std::fs::remove_file(out);
        let t0 = Instant::now();
        let st = cmd.output().with_context(|| format!("running {what}"))?;
        times.push(t0.elapsed());
        if !st.status.success() {
            bail!("{what} failed: {}", String::from_utf8_lossy(&st.stderr));
        }
        last = Some(st);
    }
    let last = last.ok_or_else(|| anyhow::anyhow!("{what} never ran"))?;
    Ok((times, last))
}

/// Peak resident memory of this process in MB (Linux), from `/proc/self/status`.
pub fn peak_rss_mb() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// Runs the benchmark and prints its report.
pub fn run(args: &BenchArgs) -> Result<()> {
    if args.formats {
        return formats_table(args);
    }
    if args.scenes {
        return scenes_table(args);
    }
    if args.dpi {
        return dpi_table(args);
    }
    let (w, h) = (640, 480);
    let n = args.frames.max(2);
    let ctx = GpuContext::new_headless()?;
    let dir = tempfile::tempdir().context("creating a scratch directory")?;
    println!("adapter: {}", ctx.describe());
    println!("scene: lorenz, {n} frames, {w}x{h}, GIF");

    // 1. Stages, one at a time.
    let scene = Lorenz::new(n, 20.0);
    let mut canvas = Canvas::new(&ctx, w, h)?;
    let mut renderer = FigureRenderer::new(&ctx.device, CANVAS_FORMAT);
    let mut gif: Box<dyn FrameEncoder> = Box::new(GifEncoder::create(
        &dir.path().join("stages.gif"),
        w,
        h,
        20.0,
        0,
    )?);
    let samples: Vec<_> = (0..8)
        .map(|k| {
            let i = k * (n - 1) / 7;
            canvas.render(&ctx, &mut renderer, &scene.frame(i), i)
        })
        .collect::<flipbook::Result<_>>()?;
    gif.set_samples(&samples)?;
    let (mut render, mut readback, mut encode) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..n {
        let (frame, t) = canvas.render_timed(&ctx, &mut renderer, &scene.frame(i), i)?;
        let t0 = Instant::now();
        gif.push(&frame)?;
        encode.push(t0.elapsed());
        render.push(t.render);
        readback.push(t.readback);
    }
    gif.finish()?;
    let (r, rb, e) = (median(render), median(readback), median(encode));
    println!(
        "per frame (median, stages run one at a time): render {:.2} ms, readback {:.2} ms, GIF encode {:.2} ms, sum {:.2} ms",
        ms(r),
        ms(rb),
        ms(e),
        ms(r + rb + e)
    );

    // 2. The pipelined export, in process.
    let mut opts = ExportOptions::new(dir.path().join("pipelined.gif"));
    (opts.width, opts.height) = (w, h);
    let report = flipbook::export(&ctx, &scene, &opts)?;
    println!(
        "pipelined export in process: {:.2} ms/frame ({:.2} s, {:.0} KB)",
        ms(report.elapsed) / n as f64,
        report.elapsed.as_secs_f64(),
        report.bytes as f64 / 1024.0
    );

    // 3. The whole `flipbook export` process, and the peer.
    let exe = super::SelfCommand::find()?;
    let out = dir.path().join("process.gif");
    let mut ours_cmd = exe.command();
    ours_cmd
        .args(["export", "lorenz", "--frames", &n.to_string(), "-o"])
        .arg(&out);
    let peer_out = dir.path().join("mpl.gif");
    let mut peer_cmd = args.peer.as_ref().map(|python| {
        let mut c = Command::new(python);
        c.arg(&args.peer_script)
            .args(["lorenz"])
            .arg(&peer_out)
            .args(["--frames", &n.to_string(), "--size", "640x480"]);
        c
    });
    // The two alternate run by run, so the load of a shared machine drifting during the
    // measurement falls on both alike.
    let (mut ours, mut theirs) = (Vec::new(), Vec::new());
    for _ in 0..args.runs.max(1) {
        ours.extend(run_timed(&mut ours_cmd, 1, &out, "flipbook export")?.0);
        if let Some(c) = peer_cmd.as_mut() {
            theirs.extend(run_timed(c, 1, &peer_out, "the peer")?.0);
        }
    }
    let ours = median(ours);
    let our_size = std::fs::metadata(&out).map(|m| m.len()).unwrap_or(0);
    println!(
        "flipbook export (whole process, median of {}): {:.3} s = {:.2} ms/frame, {:.0} KB",
        args.runs.max(1),
        ours.as_secs_f64(),
        ms(ours) / n as f64,
        our_size as f64 / 1024.0
    );
    if !theirs.is_empty() {
        let theirs = median(theirs);
        let size = std::fs::metadata(&peer_out).map(|m| m.len()).unwrap_or(0);
        println!(
            "matplotlib mpl_scenes.py (whole process, median of {}): {:.3} s = {:.2} ms/frame, {:.0} KB",
            args.runs.max(1),
            theirs.as_secs_f64(),
            ms(theirs) / n as f64,
            size as f64 / 1024.0
        );
        println!(
            "speed-up, whole process: {:.1}x",
            theirs.as_secs_f64() / ours.as_secs_f64().max(1e-9)
        );
    }

    // 4. A million points.
    let cloud = point_cloud(args.points);
    let mut times = Vec::new();
    for i in 0..6 {
        let (_, t) = canvas.render_timed(&ctx, &mut renderer, &cloud, i)?;
        if i > 0 {
            times.push(t.render); // The first frame includes the upload.
        }
    }
    println!(
        "{} points, one frame at {w}x{h}: render {:.1} ms (median of 5, data already uploaded)",
        args.points,
        ms(median(times))
    );

    if args.chrome {
        chrome(&ctx, &mut canvas, &mut renderer)?;
    }
    if args.seek {
        seek(&ctx, &mut canvas, &mut renderer)?;
    }

    // 5. Peak memory of a long export.
    if args.memory_frames > 0 {
        let out = dir.path().join("memory.gif");
        let st = exe
            .command()
            .args([
                "export",
                "lorenz",
                "--frames",
                &args.memory_frames.to_string(),
                "-o",
            ])
            .arg(&out)
            .output()
            .context("running flipbook export")?;
        if !st.status.success() {
            bail!(
                "flipbook export failed: {}",
                String::from_utf8_lossy(&st.stderr)
            );
        }
        let text = String::from_utf8_lossy(&st.stdout);
        let peak = text
            .split("peak memory ")
            .nth(1)
            .and_then(|s| s.split_whitespace().next())
            .unwrap_or("?");
        println!("{}-frame export: peak RSS {peak} MB", args.memory_frames);
    }
    Ok(())
}

/// Random access: frame k of a 5,000-frame lorenz costs one frame's work for any k. Building
/// the figure is constant time; drawing it grows with the length of line visible at frame k.
/// What chrome adds per frame: the annotated heatmap of the `weights` tutorial with new values
/// (so new text) every frame, with its decorations and without, and with the same frame
/// repeated (text unchanged, so nothing is laid out or uploaded again).
fn chrome(ctx: &GpuContext, canvas: &mut Canvas, renderer: &mut FigureRenderer) -> Result<()> {
    use flipbook::scene::{
        AxisSpec, Colorbar, Colormap, Decor, ImageData, ImagePlane, Pixels, heatmap_labels,
    };
    let figure = |k: usize, decorated: bool| {
        let (w, h) = (8u32, 6u32);
        let values: Vec<f32> = (0..w * h)
            .map(|i| ((i as usize * 37 + k * 11) % 50) as f32 / 1000.0)
            .collect();
        let data = Arc::new(ImageData {
            width: w,
            height: h,
            pixels: Pixels::Scalar(values),
        });
        let (x, y) = ([-0.5, w as f32 - 0.5], [-0.5, h as f32 - 0.5]);
        let decor = if decorated {
            Decor {
                x: AxisSpec::categories((0..w).map(|j| format!("orig_dim_{j}"))).rotated(-30.0),
                y: AxisSpec::categories((0..h).rev().map(|i| format!("embed_dim_{i}"))),
                colorbar: Some(Colorbar {
                    colormap: Colormap::YlGn,
                    vmin: 0.0,
                    vmax: 0.05,
                    label: None,
                }),
                annotations: heatmap_labels(&data, x, y, Colormap::YlGn, [0.0, 0.05], 3, 6.0),
                ..Default::default()
            }
        } else {
            Decor {
                hidden: true,
                ..Default::default()
            }
        };
        let image = ImagePlane::new_2d(data, x, y).with_colormap(Colormap::YlGn, 0.0, 0.05);
        let mut f = Figure::new(1, 1);
        f.push(
            Panel::new_2d(GridCell::at(0, 0), x, y)
                .with(image)
                .with_decor(decor),
        );
        f
    };
    let mut run = |decorated: bool, changing: bool| -> Result<Duration> {
        let mut times = Vec::new();
        for k in 0..40 {
            let f = figure(if changing { k } else { 0 }, decorated);
            let (_, t) = canvas.render_timed(ctx, renderer, &f, k)?;
            if k >= 5 {
                times.push(t.render);
            }
        }
        Ok(median(times))
    };
    let bare = run(false, true)?;
    let changing = run(true, true)?;
    let still = run(true, false)?;
    println!(
        "chrome, 6x8 annotated heatmap at 640x480: render {:.2} ms bare, {:.2} ms with chrome (new text each frame: +{:.2} ms), {:.2} ms with unchanged chrome (+{:.2} ms) (medians of 35)",
        ms(bare),
        ms(changing),
        ms(changing.saturating_sub(bare)),
        ms(still),
        ms(still.saturating_sub(bare)),
    );
    Ok(())
}

fn seek(ctx: &GpuContext, canvas: &mut Canvas, renderer: &mut FigureRenderer) -> Result<()> {
    let t0 = Instant::now();
    let scene = Lorenz::new(5000, 24.0);
    println!(
        "seek: lorenz with 5000 frames set up in {:.1} ms",
        ms(t0.elapsed())
    );
    for k in [0, 1000, 2500, 4000, 4999] {
        let (mut build, mut draw) = (Vec::new(), Vec::new());
        for _ in 0..5 {
            let t0 = Instant::now();
            let figure = scene.frame(k);
            build.push(t0.elapsed());
            let (_, t) = canvas.render_timed(ctx, renderer, &figure, k)?;
            draw.push(t.render);
        }
        println!(
            "seek to frame {k:>4}: build {:.3} ms, render {:.2} ms (median of 5)",
            ms(median(build)),
            ms(median(draw))
        );
    }
    Ok(())
}

/// One row of [`formats_table`]: a format, its `flipbook export` flags and matplotlib's
/// equivalent (the extension `mpl_scenes.py` is given), if it has one.
struct FormatRow {
    label: &'static str,
    file: &'static str,
    flags: &'static [&'static str],
    peer: Option<&'static str>,
    ffmpeg: bool,
}

const FORMAT_ROWS: &[FormatRow] = &[
    FormatRow {
        label: "gif",
        file: "out.gif",
        flags: &[],
        peer: Some("gif"),
        ffmpeg: false,
    },
    FormatRow {
        label: "gif, ordered dither",
        file: "dither.gif",
        flags: &["--dither", "ordered"],
        peer: Some("gif"),
        ffmpeg: false,
    },
    FormatRow {
        label: "mp4 (H.264)",
        file: "out.mp4",
        flags: &[],
        peer: Some("mp4"),
        ffmpeg: true,
    },
    FormatRow {
        label: "webm (VP9)",
        file: "out.webm",
        flags: &[],
        peer: None,
        ffmpeg: true,
    },
    FormatRow {
        label: "apng",
        file: "out.apng",
        flags: &[],
        peer: None,
        ffmpeg: false,
    },
    FormatRow {
        label: "html (auto: H.264)",
        file: "out.html",
        flags: &[],
        peer: Some("html"),
        ffmpeg: true,
    },
    FormatRow {
        label: "html (lossless WebP)",
        file: "webp.html",
        flags: &["--html-embed", "webp"],
        peer: Some("html"),
        ffmpeg: false,
    },
    FormatRow {
        label: "html (lossless PNG)",
        file: "png.html",
        flags: &["--html-embed", "png"],
        peer: Some("html"),
        ffmpeg: false,
    },
];

fn human_size(b: u64) -> String {
    match b {
        0..1024 => format!("{b} B"),
        1024..1_048_576 => format!("{:.0} KB", b as f64 / 1024.0),
        _ => format!("{:.2} MB", b as f64 / 1_048_576.0),
    }
}

/// Times every export format as whole `flipbook export` processes of lorenz at 640×480 and
/// 20 fps (matplotlib's default rate in `mpl_scenes.py`), and with `--peer` matplotlib's
/// Pillow GIF, ffmpeg MP4 and `to_jshtml` HTML of the same frames, and prints one table of
/// median times and sizes with the ratios.
pub fn formats_table(args: &BenchArgs) -> Result<()> {
    let n = args.frames.max(2);
    let runs = args.runs.max(1);
    let exe = super::SelfCommand::find()?;
    let dir = tempfile::tempdir().context("creating a scratch directory")?;
    let have_ffmpeg = flipbook::export::find_ffmpeg().is_some();
    println!("formats: lorenz, {n} frames, 640x480, 20 fps; whole processes, median of {runs}");

    // matplotlib first, once per extension: (median wall time, time it reports itself, size).
    let mut peer: std::collections::HashMap<&str, (Duration, f64, u64)> =
        std::collections::HashMap::new();
    if let Some(python) = &args.peer {
        for ext in ["gif", "mp4", "html"] {
            if ext == "mp4" && !have_ffmpeg {
                continue;
            }
            let out = dir.path().join(format!("mpl.{ext}"));
            let mut cmd = Command::new(python);
            cmd.arg(&args.peer_script).arg("lorenz").arg(&out).args([
                "--frames",
                &n.to_string(),
                "--size",
                "640x480",
                "--fps",
                "20",
            ]);
            let (mut walls, mut inner) = (Vec::new(), Vec::new());
            for _ in 0..runs {
                // One run at a time: the script reports its own time on stdout each run.
                let (wall, st) = run_timed(&mut cmd, 1, &out, &format!("the peer's .{ext}"))?;
                walls.extend(wall);
                let text = String::from_utf8_lossy(&st.stdout);
                let total = text
                    .split("total_s=")
                    .nth(1)
                    .and_then(|s| s.split_whitespace().next())
                    .and_then(|s| s.parse().ok());
                inner.push(Duration::from_secs_f64(total.unwrap_or(f64::NAN)));
            }
            let size = std::fs::metadata(&out).map(|m| m.len()).unwrap_or(0);
            peer.insert(ext, (median(walls), median(inner).as_secs_f64(), size));
        }
    }

    println!(
        "{:<22} {:>10} {:>10}   {:>10} {:>10} {:>10}   {:>8} {:>8}",
        "format", "flipbook", "size", "matplotlib", "(script)", "size", "faster", "smaller"
    );
    for row in FORMAT_ROWS {
        if row.ffmpeg && !have_ffmpeg {
            println!("{:<22} skipped: ffmpeg is not installed", row.label);
            continue;
        }
        let out = dir.path().join(row.file);
        let (times, _) = run_timed(
            exe.command()
                .args([
                    "export",
                    "lorenz",
                    "--frames",
                    &n.to_string(),
                    "--fps",
                    "20",
                    "--size",
                    "640x480",
                ])
                .args(row.flags)
                .arg("-o")
                .arg(&out),
            runs,
            &out,
            &format!("flipbook export {}", row.label),
        )?;
        let ours = median(times);
        let size = std::fs::metadata(&out).map(|m| m.len()).unwrap_or(0);
        let mut line = format!(
            "{:<22} {:>8.2} s {:>10}",
            row.label,
            ours.as_secs_f64(),
            human_size(size)
        );
        if let Some((wall, inner, their_size)) = row.peer.and_then(|e| peer.get(e)) {
            line += &format!(
                "   {:>8.2} s {:>8.2} s {:>10}   {:>7.1}x {:>7.1}x",
                wall.as_secs_f64(),
                inner,
                human_size(*their_size),
                wall.as_secs_f64() / ours.as_secs_f64().max(1e-9),
                *their_size as f64 / size.max(1) as f64
            );
        }
        println!("{line}");
    }
    if args.peer.is_some() {
        println!(
            "matplotlib: Pillow GIF, ffmpeg MP4 and to_jshtml HTML from mpl_scenes.py; \"(script)\" is the time it reports \
             itself, without starting Python; faster/smaller compare whole processes and file sizes"
        );
    }
    Ok(())
}

/// Per scene: set-up time (training included) in process, then the whole `flipbook export`
/// process to GIF at 640×480, and matplotlib's `mpl_scenes.py` for the scenes it has.
pub fn scenes_table(args: &BenchArgs) -> Result<()> {
    let n = args.frames.max(2);
    let runs = args.runs.max(1);
    let exe = super::SelfCommand::find()?;
    let dir = tempfile::tempdir().context("creating a scratch directory")?;
    const PEER_SCENES: [&str; 5] = ["sine", "regression", "lorenz", "channels", "weights"];
    println!("scenes: {n} frames each, 640x480, GIF; whole processes, median of {runs}");
    println!(
        "{:<11} {:>9} {:>12} {:>9}   {:>12} {:>9}   {:>7}",
        "scene", "set-up", "flipbook", "size", "matplotlib", "size", "faster"
    );
    for info in flipbook::scenes::builtin_scenes() {
        let t0 = Instant::now();
        let opts = flipbook::scenes::SceneOptions {
            frames: Some(n),
            ..Default::default()
        };
        let scene = flipbook::scenes::build_scene(info.name, &opts)?;
        let setup = t0.elapsed();
        let frames = scene.frame_count();
        let time = |cmd: &mut Command, out: &Path| -> Result<Duration> {
            let what = format!("export of {}", info.name);
            Ok(median(run_timed(cmd, runs, out, &what)?.0))
        };
        let out = dir.path().join(format!("{}.gif", info.name));
        let ours = time(
            exe.command()
                .args([
                    "export",
                    info.name,
                    "--frames",
                    &n.to_string(),
                    "--fps",
                    "20",
                    "-o",
                ])
                .arg(&out),
            &out,
        )?;
        let size = std::fs::metadata(&out).map(|m| m.len()).unwrap_or(0);
        let mut line = format!(
            "{:<11} {:>6.0} ms {:>7.2} ms/f {:>9}",
            info.name,
            ms(setup),
            ms(ours) / frames as f64,
            human_size(size)
        );
        if let (Some(python), true) = (&args.peer, PEER_SCENES.contains(&info.name)) {
            let theirs_out = dir.path().join(format!("mpl_{}.gif", info.name));
            let theirs = time(
                Command::new(python)
                    .arg(&args.peer_script)
                    .arg(info.name)
                    .arg(&theirs_out)
                    .args([
                        "--frames",
                        &n.to_string(),
                        "--fps",
                        "20",
                        "--size",
                        "640x480",
                    ]),
                &theirs_out,
            )?;
            let their_size = std::fs::metadata(&theirs_out).map(|m| m.len()).unwrap_or(0);
            line += &format!(
                "   {:>7.2} ms/f {:>9}   {:>6.1}x",
                ms(theirs) / n as f64,
                human_size(their_size),
                theirs.as_secs_f64() / ours.as_secs_f64().max(1e-9)
            );
        }
        println!("{line}");
    }
    Ok(())
}

/// Lorenz to GIF at 100, 200 and 300 dpi: whole `flipbook export` processes, the three dpis
/// taking turns run by run so a drifting machine load falls on all alike.
pub fn dpi_table(args: &BenchArgs) -> Result<()> {
    let n = args.frames.max(2);
    let runs = args.runs.max(1);
    let exe = super::SelfCommand::find()?;
    let dir = tempfile::tempdir().context("creating a scratch directory")?;
    const DPIS: [u32; 3] = [100, 200, 300];
    println!("dpi: lorenz, {n} frames, 640x480 figure, GIF; whole processes, median of {runs}");
    let mut times: Vec<Vec<Duration>> = vec![Vec::new(); DPIS.len()];
    let mut sizes = [0u64; DPIS.len()];
    for _ in 0..runs {
        for (k, dpi) in DPIS.iter().enumerate() {
            let out = dir.path().join(format!("dpi{dpi}.gif"));
            let mut cmd = exe.command();
            cmd.args(["export", "lorenz", "--frames", &n.to_string()])
                .args(["--dpi", &dpi.to_string(), "-o"])
                .arg(&out);
            let (t, _) = run_timed(&mut cmd, 1, &out, &format!("flipbook export --dpi {dpi}"))?;
            times[k].extend(t);
            sizes[k] = std::fs::metadata(&out).map(|m| m.len()).unwrap_or(0);
        }
    }
    println!(
        "{:>5} {:>11} {:>10} {:>12} {:>9} {:>9}",
        "dpi", "pixels", "total", "per frame", "size", "vs 100"
    );
    let base = ms(median(times[0].clone())) / n as f64;
    for (k, dpi) in DPIS.iter().enumerate() {
        let t = median(times[k].clone());
        let per = ms(t) / n as f64;
        println!(
            "{:>5} {:>11} {:>8.2} s {:>7.2} ms/f {:>9} {:>8.2}x",
            dpi,
            format!("{}x{}", 640 * dpi / 100, 480 * dpi / 100),
            t.as_secs_f64(),
            per,
            human_size(sizes[k]),
            per / base
        );
    }
    Ok(())
}
