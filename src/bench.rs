//! `flipbook bench`: where export time goes, measured, with matplotlib measured in the same run.
//!
//! Reports medians: per-frame render, readback and encode times (measured one stage at a time),
//! the pipelined in-process export, the whole `flipbook export` process, optionally matplotlib's
//! `mpl_scenes.py` on the same scene, a million-point render, and the peak memory of a long export.

use crate::export::{ExportOptions, FrameEncoder, GifEncoder};
use crate::generators::{FrameGenerator, Lorenz};
use crate::gpu::{Canvas, CANVAS_FORMAT, FigureRenderer, GpuContext};
use crate::scene::{Figure, GridCell, Panel, PointData, Points};
use anyhow::{Context, Result, bail};
use std::path::PathBuf;
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

/// Peak resident memory of this process in MB (Linux), from `/proc/self/status`.
pub fn peak_rss_mb() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// Runs the benchmark and prints its report.
pub fn run(args: &BenchArgs) -> Result<()> {
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
    let mut gif: Box<dyn FrameEncoder> = Box::new(GifEncoder::create(&dir.path().join("stages.gif"), w, h, 20.0, 0)?);
    let samples: Vec<_> = (0..8)
        .map(|k| {
            let i = k * (n - 1) / 7;
            canvas.render(&ctx, &mut renderer, &scene.frame(i), i)
        })
        .collect::<crate::Result<_>>()?;
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
    let report = crate::export::export(&ctx, &scene, &opts, &mut |_, _| {}, None)?;
    println!(
        "pipelined export in process: {:.2} ms/frame ({:.2} s, {:.0} KB)",
        ms(report.elapsed) / n as f64,
        report.elapsed.as_secs_f64(),
        report.bytes as f64 / 1024.0
    );

    // 3. The whole `flipbook export` process, and the peer.
    let exe = std::env::current_exe().context("locating the flipbook executable")?;
    let out = dir.path().join("process.gif");
    let mut ours = Vec::new();
    for _ in 0..args.runs.max(1) {
        let _ = std::fs::remove_file(&out);
        let t0 = Instant::now();
        let st = Command::new(&exe)
            .args(["export", "lorenz", "--frames", &n.to_string(), "-o"])
            .arg(&out)
            .output()
            .context("running flipbook export")?;
        if !st.status.success() {
            bail!("flipbook export failed: {}", String::from_utf8_lossy(&st.stderr));
        }
        ours.push(t0.elapsed());
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
    if let Some(python) = &args.peer {
        let out = dir.path().join("mpl.gif");
        let mut theirs = Vec::new();
        for _ in 0..args.runs.max(1) {
            let t0 = Instant::now();
            let st = Command::new(python)
                .arg(&args.peer_script)
                .args(["lorenz"])
                .arg(&out)
                .args(["--frames", &n.to_string(), "--size", "640x480"])
                .output()
                .with_context(|| format!("running {}", python.display()))?;
            if !st.status.success() {
                bail!("peer failed: {}", String::from_utf8_lossy(&st.stderr));
            }
            theirs.push(t0.elapsed());
        }
        let theirs = median(theirs);
        let size = std::fs::metadata(&out).map(|m| m.len()).unwrap_or(0);
        println!(
            "matplotlib mpl_scenes.py (whole process, median of {}): {:.3} s = {:.2} ms/frame, {:.0} KB",
            args.runs.max(1),
            theirs.as_secs_f64(),
            ms(theirs) / n as f64,
            size as f64 / 1024.0
        );
        println!("speed-up, whole process: {:.1}x", theirs.as_secs_f64() / ours.as_secs_f64().max(1e-9));
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
    println!("{} points, one frame at {w}x{h}: render {:.1} ms (median of 5, data already uploaded)", args.points, ms(median(times)));

    if args.seek {
        seek(&ctx, &mut canvas, &mut renderer)?;
    }

    // 5. Peak memory of a long export.
    if args.memory_frames > 0 {
        let out = dir.path().join("memory.gif");
        let st = Command::new(&exe)
            .args(["export", "lorenz", "--frames", &args.memory_frames.to_string(), "-o"])
            .arg(&out)
            .output()
            .context("running flipbook export")?;
        if !st.status.success() {
            bail!("flipbook export failed: {}", String::from_utf8_lossy(&st.stderr));
        }
        let text = String::from_utf8_lossy(&st.stdout);
        let peak = text.split("peak memory ").nth(1).and_then(|s| s.split_whitespace().next()).unwrap_or("?");
        println!("{}-frame export: peak RSS {peak} MB", args.memory_frames);
    }
    Ok(())
}

/// Random access: frame k of a 5,000-frame lorenz costs one frame's work for any k. Building
/// the figure is constant time; drawing it grows with the length of line visible at frame k.
fn seek(ctx: &GpuContext, canvas: &mut Canvas, renderer: &mut FigureRenderer) -> Result<()> {
    let t0 = Instant::now();
    let scene = Lorenz::new(5000, 24.0);
    println!("seek: lorenz with 5000 frames set up in {:.1} ms", ms(t0.elapsed()));
    for k in [0, 1000, 2500, 4000, 4999] {
        let (mut build, mut draw) = (Vec::new(), Vec::new());
        for _ in 0..5 {
            let t0 = Instant::now();
            let figure = scene.frame(k);
            build.push(t0.elapsed());
            let (_, t) = canvas.render_timed(ctx, renderer, &figure, k)?;
            draw.push(t.render);
        }
        println!("seek to frame {k:>4}: build {:.3} ms, render {:.2} ms (median of 5)", ms(median(build)), ms(median(draw)));
    }
    Ok(())
}

/// A 2D scatter of `n` points on a low-discrepancy (R2) sequence, coloured by position.
pub fn point_cloud(n: usize) -> Figure {
    let (a1, a2) = (0.754_877_7_f64, 0.569_840_3_f64);
    let mut positions = Vec::with_capacity(n);
    let mut colors = Vec::with_capacity(n);
    for i in 0..n {
        let x = (0.5 + a1 * i as f64).fract() as f32;
        let y = (0.5 + a2 * i as f64).fract() as f32;
        positions.push(glam::Vec3::new(x, y, 0.0));
        colors.push(crate::scene::Colormap::Viridis.map(x * y, 0.0, 1.0).with_alpha(0.8));
    }
    let mut fig = Figure::new(1, 1);
    let points = Points { data: Arc::new(PointData { positions, colors, sizes_px: vec![2.0] }), marker: Default::default(), visible: None };
    fig.push(Panel::new_2d(GridCell::at(0, 0), [0.0, 1.0], [0.0, 1.0]).with(points));
    fig
}
