//! A long recording: writes N frames (default 100,000) of a 50-point line, a 28×28 image and
//! 1,000 points, then measures what a viewer pays: opening (indexing) the file, memory, and
//! seeking (building a random frame's figure).
//!
//!     cargo run --release --example record_big -- [FRAMES] [PATH]
//!
//! Issue targets: the writer's frame() well under 100 µs, viewer memory < 300 MB, seek < 50 ms.

use flipbook::FrameGenerator;
use flipbook::data::DType;
use flipbook::record::{Recording, RecordingWriter};
use std::time::Instant;

const SPEC: &str = r#"{"figure": {"fps": 30, "suptitle": "epoch {step}"}, "panels": [
  {"layers": [{"kind": "line", "y": "@y"}]},
  {"layers": [{"kind": "image", "data": "@img"}]},
  {"layers": [{"kind": "scatter", "points": "@p"}]}],
  "vars": {}}"#;

fn rss_mb() -> f64 {
    let s = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kb: f64 = s
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.0);
    kb / 1024.0
}

fn main() {
    let mut args = std::env::args().skip(1);
    let frames: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let path = args.next().unwrap_or_else(|| {
        std::env::temp_dir()
            .join("record_big.flipbook")
            .display()
            .to_string()
    });
    let spec = SPEC.replace(
        r#""suptitle": "epoch {step}""#,
        r#""suptitle": "frame {frame}""#,
    );
    let mut w = RecordingWriter::create(&path, &spec).expect("create");
    let y = w.add_array("@y", DType::F32, &[50], true).unwrap();
    let img = w.add_array("@img", DType::F32, &[28, 28], true).unwrap();
    let p = w.add_array("@p", DType::F32, &[1000, 2], true).unwrap();
    let mut times = Vec::with_capacity(frames);
    let mut state = 1u32;
    let mut rand = move || {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        state as f32 / u32::MAX as f32
    };
    for i in 0..frames {
        let yv: Vec<f32> = (0..50).map(|k| ((k + i) as f32 / 7.0).sin()).collect();
        let iv: Vec<f32> = (0..784).map(|_| rand()).collect();
        let pv: Vec<f32> = (0..2000).map(|_| rand()).collect();
        let t0 = Instant::now();
        w.frame_f32(&[(y, &yv), (img, &iv), (p, &pv)]).unwrap();
        times.push(t0.elapsed().as_secs_f64());
    }
    w.finish().unwrap();
    times.sort_by(f64::total_cmp);
    let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    println!(
        "wrote {frames} frames, {:.0} MB: writer frame() median {:.1} µs, p95 {:.1} µs",
        size as f64 / 1e6,
        times[frames / 2] * 1e6,
        times[frames * 95 / 100] * 1e6
    );

    let before = rss_mb();
    let t0 = Instant::now();
    let rec = Recording::open(&path).expect("open");
    let open_s = t0.elapsed().as_secs_f64();
    println!(
        "open (index {} frames): {:.2} s, memory {:.0} MB (+{:.0} MB for the index)",
        rec.frame_count(),
        open_s,
        rss_mb(),
        rss_mb() - before
    );
    let mut seeks = Vec::new();
    for k in 0..200 {
        let i = (k * 7919 * 13) % frames;
        let t0 = Instant::now();
        let fig = rec.frame(i);
        seeks.push(t0.elapsed().as_secs_f64());
        assert_eq!(fig.panels.len(), 3);
    }
    seeks.sort_by(f64::total_cmp);
    println!(
        "seek (build a random frame's figure): median {:.2} ms, max {:.2} ms; memory {:.0} MB",
        seeks[seeks.len() / 2] * 1e3,
        seeks[seeks.len() - 1] * 1e3,
        rss_mb()
    );
    let t0 = Instant::now();
    let new = rec.refresh().unwrap();
    println!(
        "refresh with nothing new: {:.2} ms ({new} new)",
        t0.elapsed().as_secs_f64() * 1e3
    );
    if std::env::args().len() < 3 {
        let _ = std::fs::remove_file(&path);
    }
}
