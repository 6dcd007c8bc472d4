//! Shared test helpers: one GPU context per test binary (lavapipe when there is no GPU) and
//! snapshot comparison against committed PNGs.
#![allow(dead_code)]

use flipbook::gpu::{CANVAS_FORMAT, Canvas, FigureRenderer, RgbaFrame};
use flipbook::{Figure, GpuContext};
use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};

/// The process-wide GPU context.
pub fn gpu() -> &'static GpuContext {
    static CTX: OnceLock<GpuContext> = OnceLock::new();
    CTX.get_or_init(|| {
        GpuContext::new_headless().expect("a GPU adapter (install mesa-vulkan-drivers)")
    })
}

/// Renders one figure offscreen.
pub fn render(figure: &Figure, width: u32, height: u32) -> RgbaFrame {
    render_with_rects(figure, width, height).0
}

/// Renders one figure offscreen and returns each panel's axes rectangle too.
pub fn render_with_rects(
    figure: &Figure,
    width: u32,
    height: u32,
) -> (RgbaFrame, Vec<flipbook::scene::RectPx>) {
    // Rendering is serialised: lavapipe already uses every core, and tests stay deterministic.
    static LOCK: Mutex<()> = Mutex::new(());
    let _guard = LOCK.lock().unwrap_or_else(|e| e.into_inner());
    let ctx = gpu();
    let mut canvas = Canvas::new(ctx, width, height).expect("canvas");
    let mut renderer = FigureRenderer::new(&ctx.device, CANVAS_FORMAT);
    let frame = canvas
        .render(ctx, &mut renderer, figure, 0)
        .expect("render");
    (frame, renderer.panel_rects().to_vec())
}

/// The canvas pixel at fractions `(u, v)` of `rect` (v = 0 at the top).
pub fn at(frame: &RgbaFrame, rect: &flipbook::scene::RectPx, u: f32, v: f32) -> [u8; 4] {
    pixel(
        frame,
        (rect.x + u * rect.w) as u32,
        (rect.y + v * rect.h) as u32,
    )
}

fn snapshot_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots")
}

fn save(path: &std::path::Path, f: &RgbaFrame) {
    image::RgbaImage::from_raw(f.width, f.height, f.pixels.to_vec())
        .expect("size")
        .save(path)
        .expect("save png");
}

/// Whether the tests run in CI: the `CI` environment variable is set, non-empty and not
/// `false` or `0` (CI services set `CI=true`; `.ci/run` exports it). In CI a missing tool or
/// snapshot is a failure, never a silent skip.
pub fn in_ci() -> bool {
    ci_value(std::env::var_os("CI").as_deref())
}

/// [`in_ci`] for a given value of `CI`.
pub fn ci_value(value: Option<&std::ffi::OsStr>) -> bool {
    value.is_some_and(|v| {
        let v = v.to_string_lossy();
        let v = v.trim();
        !v.is_empty() && v != "0" && !v.eq_ignore_ascii_case("false")
    })
}

/// A test that needs something this machine lacks: panics in CI (`.ci/setup` installs
/// everything), otherwise prints why it is skipped. Call it and return.
pub fn skip(why: &str) {
    assert!(!in_ci(), "{why}: required in CI (.ci/setup installs it)");
    eprintln!("skipped: {why}");
}

/// Compares `frame` with `tests/snapshots/<name>.png`.
///
/// A pixel differs when any channel is off by more than 24/255 (anti-aliasing varies a little
/// between GPUs); the test fails when more than 0.5% of pixels differ. On failure it writes
/// `<name>.new.png` and `<name>.diff.png` (differing pixels in red) next to the reference.
/// `UPDATE_SNAPSHOTS=1` accepts the new render as the reference. A missing reference is written
/// (and the test says so) locally, but fails in CI ([`in_ci`]): a snapshot that was never
/// committed would otherwise make the test pass without comparing anything.
pub fn assert_snapshot(name: &str, frame: &RgbaFrame) {
    let update = std::env::var_os("UPDATE_SNAPSHOTS").is_some_and(|v| !v.is_empty() && v != "0");
    assert_snapshot_in(&snapshot_dir(), name, frame, in_ci(), update);
}

/// [`assert_snapshot`] with the directory, the CI flag and the update flag given.
pub fn assert_snapshot_in(
    dir: &std::path::Path,
    name: &str,
    frame: &RgbaFrame,
    ci: bool,
    update: bool,
) {
    let reference = dir.join(format!("{name}.png"));
    if update {
        save(&reference, frame);
        eprintln!("updated snapshot {}", reference.display());
        return;
    }
    if !reference.exists() {
        assert!(
            !ci,
            "snapshot {} is missing; run the tests with UPDATE_SNAPSHOTS=1, look at it and commit it",
            reference.display()
        );
        save(&reference, frame);
        eprintln!(
            "wrote the missing snapshot {}: look at it and commit it",
            reference.display()
        );
        return;
    }
    let want = image::open(&reference)
        .expect("reference snapshot")
        .to_rgba8();
    assert_eq!(
        (want.width(), want.height()),
        (frame.width, frame.height),
        "snapshot {name}: size changed"
    );
    let mut diff = image::RgbaImage::new(frame.width, frame.height);
    let mut bad = 0usize;
    for (i, (a, b)) in frame
        .pixels
        .chunks_exact(4)
        .zip(want.as_raw().chunks_exact(4))
        .enumerate()
    {
        let off = a.iter().zip(b).any(|(x, y)| x.abs_diff(*y) > 24);
        let (x, y) = (i as u32 % frame.width, i as u32 / frame.width);
        if off {
            bad += 1;
            diff.put_pixel(x, y, image::Rgba([255, 0, 0, 255]));
        } else {
            let g = (a[0] as u32 + a[1] as u32 + a[2] as u32) / 3;
            diff.put_pixel(x, y, image::Rgba([g as u8, g as u8, g as u8, 255]));
        }
    }
    let total = (frame.width * frame.height) as usize;
    if bad * 200 > total {
        save(&dir.join(format!("{name}.new.png")), frame);
        diff.save(dir.join(format!("{name}.diff.png")))
            .expect("save diff");
        panic!(
            "snapshot {name}: {bad} of {total} pixels differ; see {name}.new.png and {name}.diff.png"
        );
    }
}

/// Fraction of pixels that are not the background colour `bg`.
pub fn coverage(frame: &RgbaFrame, bg: [u8; 3]) -> f64 {
    let n = frame
        .pixels
        .chunks_exact(4)
        .filter(|p| p[..3] != bg)
        .count();
    n as f64 / (frame.width * frame.height) as f64
}

/// The RGBA value at `(x, y)`.
pub fn pixel(frame: &RgbaFrame, x: u32, y: u32) -> [u8; 4] {
    let i = ((y * frame.width + x) * 4) as usize;
    [
        frame.pixels[i],
        frame.pixels[i + 1],
        frame.pixels[i + 2],
        frame.pixels[i + 3],
    ]
}

/// Asserts that no export temporary (`.flipbook-*.part`) is left in `dir`.
pub fn no_temporaries(dir: &std::path::Path) {
    let left: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert!(
        left.iter()
            .all(|n| !n.to_string_lossy().starts_with(".flipbook-")),
        "temporaries left: {left:?}"
    );
}
