//! The viewer in a real window under Xvfb on the software GPU: screenshots at two frames and
//! at a HiDPI scale factor, and the errors for a bad frame and for no display at all.

use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

/// An Xvfb server on a free display, stopped on drop. Tests take turns (the guard), so two of
/// them never race for the same display number.
struct Xvfb {
    child: Child,
    display: String,
    _turn: std::sync::MutexGuard<'static, ()>,
}

impl Drop for Xvfb {
    fn drop(&mut self) {
        // SIGTERM lets Xvfb remove its lock file and socket.
        let _ = Command::new("kill")
            .arg(self.child.id().to_string())
            .status();
        let _ = self.child.wait();
    }
}

static TURN: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn xvfb() -> Option<Xvfb> {
    if Command::new("Xvfb")
        .arg("-help")
        .stderr(Stdio::null())
        .stdout(Stdio::null())
        .status()
        .is_err()
    {
        assert!(
            std::env::var_os("CI").is_none(),
            "Xvfb is missing in CI: .ci/setup should install xvfb"
        );
        eprintln!("skipping viewer tests: Xvfb is not installed (apt-get install xvfb)");
        return None;
    }
    let turn = TURN.lock().unwrap_or_else(|e| e.into_inner());
    let n = (140..200)
        .find(|n| {
            !Path::new(&format!("/tmp/.X11-unix/X{n}")).exists()
                && !Path::new(&format!("/tmp/.X{n}-lock")).exists()
        })
        .expect("a free X display number");
    let child = Command::new("Xvfb")
        .args([
            format!(":{n}"),
            "-screen".into(),
            "0".into(),
            "1600x1200x24".into(),
            "-nolisten".into(),
            "tcp".into(),
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start Xvfb");
    let mut server = Xvfb {
        child,
        display: format!(":{n}"),
        _turn: turn,
    };
    let t0 = Instant::now();
    while t0.elapsed() < Duration::from_secs(10) {
        if Path::new(&format!("/tmp/.X11-unix/X{n}")).exists() {
            return Some(server);
        }
        if let Ok(Some(status)) = server.child.try_wait() {
            panic!("Xvfb :{n} exited at start: {status}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("Xvfb :{n} did not start within 10 s");
}

fn view(display: Option<&str>, args: &[&str], envs: &[(&str, &str)], cwd: &Path) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_flipbook"));
    cmd.arg("view")
        .args(args)
        .current_dir(cwd)
        .env_remove("WAYLAND_DISPLAY");
    match display {
        Some(d) => cmd.env("DISPLAY", d),
        None => cmd.env_remove("DISPLAY"),
    };
    for (k, v) in envs {
        cmd.env(k, v);
    }
    cmd.output().expect("run flipbook view")
}

fn load(path: &Path) -> image::RgbImage {
    image::open(path).expect("screenshot decodes").to_rgb8()
}

/// Fraction of pixels in rows `y0..y1` that are not near-white.
fn ink(img: &image::RgbImage, y0: u32, y1: u32) -> f64 {
    let mut n = 0;
    for y in y0..y1 {
        for x in 0..img.width() {
            let p = img.get_pixel(x, y);
            if p.0.iter().any(|&c| c < 200) {
                n += 1;
            }
        }
    }
    n as f64 / ((y1 - y0) * img.width()) as f64
}

#[test]
fn screenshots_show_the_frame_and_the_timeline() {
    let Some(x) = xvfb() else { return };
    let dir = tempfile::tempdir().unwrap();
    let mut shots = Vec::new();
    for frame in ["10", "200"] {
        let name = format!("f{frame}.png");
        let out = view(
            Some(&x.display),
            &[
                "lorenz",
                "--frame",
                frame,
                "--window",
                "800x600",
                "--screenshot-to",
                &name,
            ],
            &[],
            dir.path(),
        );
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let img = load(&dir.path().join(&name));
        assert_eq!(img.dimensions(), (800, 600));
        shots.push(img);
    }
    for img in &shots {
        // The canvas (upper part) shows the trajectories; the timeline bar (bottom ~70 px) has
        // egui's light panel with dark glyphs (buttons, "frame i / N").
        assert!(ink(img, 20, 480) > 0.002, "the canvas is not blank");
        let bar = ink(img, 540, 600);
        assert!(bar > 0.01, "timeline bar present ({bar:.4} ink)");
        let panel_px = img.get_pixel(400, 598).0;
        assert!(
            panel_px.iter().all(|&c| c > 200 && c < 255),
            "egui panel background at the bottom: {panel_px:?}"
        );
    }
    let differing = shots[0]
        .pixels()
        .zip(shots[1].pixels())
        .filter(|(a, b)| a != b)
        .count();
    assert!(
        differing > 2000,
        "frames 10 and 200 differ ({differing} pixels)"
    );
}

#[test]
fn hidpi_scale_doubles_the_pixels() {
    let Some(x) = xvfb() else { return };
    let dir = tempfile::tempdir().unwrap();
    let out = view(
        Some(&x.display),
        &[
            "lorenz",
            "--frame",
            "50",
            "--window",
            "500x400",
            "--screenshot-to",
            "hi.png",
        ],
        &[("WINIT_X11_SCALE_FACTOR", "2")],
        dir.path(),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let img = load(&dir.path().join("hi.png"));
    assert_eq!(img.dimensions(), (1000, 800), "logical 500x400 at scale 2");
    assert!(ink(&img, 0, 700) > 0.001);
}

#[test]
fn bad_frame_and_missing_display_are_one_line_errors() {
    let dir = tempfile::tempdir().unwrap();
    let out = view(Some(":1"), &["lorenz", "--frame", "5000"], &[], dir.path());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() && err.trim_end().lines().count() == 1 && err.contains("--frame"),
        "{err}"
    );
    let out = view(None, &["lorenz"], &[], dir.path());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "no display must fail");
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(
        err.contains("no display") && err.contains("export") && err.contains("Xvfb"),
        "{err}"
    );
    let out = view(
        Some(":1"),
        &["lorenz", "--screenshot-to", "missing/x.png"],
        &[],
        dir.path(),
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() && err.contains("does not exist"),
        "{err}"
    );
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn viewer_canvas_has_exactly_the_exported_pixels() {
    let Some(x) = xvfb() else { return };
    let dir = tempfile::tempdir().unwrap();
    let out = view(
        Some(&x.display),
        &[
            "lorenz",
            "--frame",
            "37",
            "--size",
            "320x240",
            "--save-frame-to",
            "viewer.png",
        ],
        &[],
        dir.path(),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let viewer = load(&dir.path().join("viewer.png"));

    let ctx = flipbook::GpuContext::new_headless().unwrap();
    let scene = flipbook::scenes::build_scene("lorenz", &Default::default()).unwrap();
    let mut opts = flipbook::ExportOptions::new(dir.path().join("export_%04d.png"));
    (opts.width, opts.height) = (320, 240);
    opts.range = Some(37..38);
    flipbook::export::export(&ctx, scene.as_ref(), &opts).unwrap();
    let exported = load(&dir.path().join("export_0037.png"));
    assert_eq!(viewer.dimensions(), (320, 240));
    assert!(
        viewer == exported,
        "the viewer shows what export writes, pixel for pixel"
    );
}

#[test]
fn background_export_finishes_or_cancels_cleanly() {
    use flipbook::viewer::ExportJob;
    use std::sync::Arc;
    let ctx = Arc::new(flipbook::GpuContext::new_headless().unwrap());
    let scene: Arc<dyn flipbook::FrameGenerator> =
        flipbook::scenes::build_scene("lorenz", &Default::default())
            .unwrap()
            .into();
    let dir = tempfile::tempdir().unwrap();
    let wait = |job: &mut ExportJob| loop {
        if let Some(r) = job.take_result() {
            return r;
        }
        std::thread::sleep(Duration::from_millis(10));
    };

    // A range of frames with a rotated view, as the viewer's dialog would start it.
    let mut view = flipbook::scene::ViewAdjust::default();
    view.panel_mut(0).orbit(45.0, 0.0);
    let mut opts = flipbook::ExportOptions::new(dir.path().join("range.gif"));
    (opts.width, opts.height) = (160, 120);
    opts.range = Some(10..20);
    let mut job = ExportJob::start(ctx.clone(), scene.clone(), view, opts);
    let report = wait(&mut job).expect("export succeeds");
    assert_eq!(report.frames, 10);
    assert_eq!(job.counts(), (10, 10));
    assert!(dir.path().join("range.gif").exists());

    // Cancelled at once: an error, and nothing left behind.
    let mut opts = flipbook::ExportOptions::new(dir.path().join("cancelled.gif"));
    (opts.width, opts.height) = (160, 120);
    let mut job = ExportJob::start(ctx, scene, Default::default(), opts);
    job.cancel();
    assert!(matches!(wait(&mut job), Err(flipbook::Error::Cancelled)));
    assert!(!dir.path().join("cancelled.gif").exists());
}
