//! The viewer in a real window under Xvfb on the software GPU: screenshots at two frames and
//! at a HiDPI scale factor, and the errors for a bad frame and for no display at all; exports
//! from the viewer (background jobs with the user's view).
//!
//! The window tests run the `flipbook` binary (feature `cli`); the export-job tests need only
//! the viewer (feature `window`). Without either the file is empty, so
//! `cargo test --no-default-features` builds and passes.
#![cfg(feature = "window")]

mod common;

#[cfg(feature = "cli")]
use std::path::Path;
#[cfg(feature = "cli")]
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;
#[cfg(feature = "cli")]
use std::time::Instant;

/// An Xvfb server on a free display, stopped on drop. Tests take turns (the guard), so two of
/// them never race for the same display number.
#[cfg(feature = "cli")]
struct Xvfb {
    child: Child,
    display: String,
    /// This test's turn, held while the server runs (an `Option` so a failed start can hand
    /// it to the next attempt).
    turn: Option<std::sync::MutexGuard<'static, ()>>,
}

#[cfg(feature = "cli")]
impl Drop for Xvfb {
    fn drop(&mut self) {
        // SIGTERM lets Xvfb remove its lock file and socket.
        let _ = Command::new("kill")
            .arg(self.child.id().to_string())
            .status();
        let _ = self.child.wait();
    }
}

#[cfg(feature = "cli")]
static TURN: std::sync::Mutex<()> = std::sync::Mutex::new(());

#[cfg(feature = "cli")]
fn xvfb() -> Option<Xvfb> {
    if Command::new("Xvfb")
        .arg("-help")
        .stderr(Stdio::null())
        .stdout(Stdio::null())
        .status()
        .is_err()
    {
        common::skip("Xvfb is not installed (apt-get install xvfb)");
        return None;
    }
    let turn = TURN.lock().unwrap_or_else(|e| e.into_inner());
    // Another process (a second test run) may pick the same free number at the same moment:
    // its Xvfb or ours then exits at once on the lock file, and we move on to the next number.
    let mut turn = Some(turn);
    for n in 140..200 {
        if Path::new(&format!("/tmp/.X11-unix/X{n}")).exists()
            || Path::new(&format!("/tmp/.X{n}-lock")).exists()
        {
            continue;
        }
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
            turn: turn.take(),
        };
        // The socket file appears before the server accepts clients: wait for a completed X11
        // connection set-up, not just the file (a loaded CI machine once failed between the
        // two).
        let socket = format!("/tmp/.X11-unix/X{n}");
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let last = match x11_handshake(Path::new(&socket)) {
                // Ours, not a racing process's server on the same number: still running.
                Ok(()) if matches!(server.child.try_wait(), Ok(None)) => return Some(server),
                Ok(()) => "exited".to_string(),
                Err(e) => e,
            };
            if let Ok(Some(_)) = server.child.try_wait() {
                break; // The number was taken after all: try the next one.
            }
            if Instant::now() > deadline {
                panic!("Xvfb :{n} did not accept an X11 connection within 30 s: {last}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        turn = server.turn.take();
    }
    panic!("no free X display number in 140..200");
}

/// Connects to the X server listening on `socket` and completes the connection set-up: sends
/// the 12-byte set-up request (little-endian, protocol 11.0, no authorisation) and reads the
/// first byte of the reply, 1 for success (0 failed, 2 authenticate).
#[cfg(feature = "cli")]
fn x11_handshake(socket: &Path) -> Result<(), String> {
    use std::io::{Read, Write};
    let mut conn =
        std::os::unix::net::UnixStream::connect(socket).map_err(|e| format!("connect: {e}"))?;
    conn.set_read_timeout(Some(Duration::from_secs(2)))
        .and_then(|()| conn.set_write_timeout(Some(Duration::from_secs(2))))
        .map_err(|e| format!("timeouts: {e}"))?;
    // byte order 'l', unused, major 11, minor 0, auth name and data lengths 0, unused.
    let request: [u8; 12] = [b'l', 0, 11, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    conn.write_all(&request)
        .map_err(|e| format!("send the set-up request: {e}"))?;
    let mut status = [0u8; 1];
    conn.read_exact(&mut status)
        .map_err(|e| format!("read the set-up reply: {e}"))?;
    match status[0] {
        1 => Ok(()),
        0 => Err("the server refused the connection set-up".into()),
        2 => Err("the server asks for authentication".into()),
        b => Err(format!("unexpected set-up reply {b}")),
    }
}

/// The readiness check itself, against fake servers: only a set-up reply of 1 counts.
#[cfg(feature = "cli")]
#[test]
fn x11_handshake_needs_a_successful_reply() {
    use std::io::{Read, Write};
    let dir = tempfile::tempdir().unwrap();
    let socket = dir.path().join("X0");
    assert!(x11_handshake(&socket).unwrap_err().starts_with("connect"));
    for (reply, ok) in [(1u8, true), (0, false), (2, false)] {
        let _ = std::fs::remove_file(&socket);
        let listener = std::os::unix::net::UnixListener::bind(&socket).unwrap();
        let server = std::thread::spawn(move || {
            let (mut conn, _) = listener.accept().unwrap();
            let mut request = [0u8; 12];
            conn.read_exact(&mut request).unwrap();
            conn.write_all(&[reply, 0, 11, 0]).unwrap();
            request
        });
        let result = x11_handshake(&socket);
        let request = server.join().unwrap();
        assert_eq!(request, [b'l', 0, 11, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        assert_eq!(result.is_ok(), ok, "reply {reply}: {result:?}");
    }
    // A server that accepts but never answers: an error after the read timeout, not a hang.
    let _ = std::fs::remove_file(&socket);
    let _silent = std::os::unix::net::UnixListener::bind(&socket).unwrap();
    assert!(x11_handshake(&socket).is_err());
}

#[cfg(feature = "cli")]
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
    // Once in many runs on a loaded 2-core CI machine, Xlib failed to connect to an Xvfb that had
    // just completed a set-up handshake with us. That is the test machine, not the viewer: try
    // again, a few times, and only for that message.
    for attempt in 1.. {
        let out = cmd.output().expect("run flipbook view");
        let refused =
            String::from_utf8_lossy(&out.stderr).contains("Failed to open connection to X server");
        if out.status.success() || !refused || attempt == 3 {
            return out;
        }
        eprintln!("the viewer could not connect to {display:?} (attempt {attempt}); again");
        std::thread::sleep(Duration::from_millis(500));
    }
    unreachable!()
}

#[cfg(feature = "cli")]
fn load(path: &Path) -> image::RgbImage {
    image::open(path).expect("screenshot decodes").to_rgb8()
}

/// Fraction of pixels in rows `y0..y1` that are not near-white.
#[cfg(feature = "cli")]
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

#[cfg(feature = "cli")]
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

#[cfg(feature = "cli")]
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

#[cfg(feature = "cli")]
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

#[cfg(feature = "cli")]
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

/// Waits for a background export and returns its result.
fn finish(job: &mut flipbook::viewer::ExportJob) -> flipbook::Result<flipbook::ExportReport> {
    let deadline = std::time::Instant::now() + Duration::from_secs(120);
    loop {
        if let Some(r) = job.take_result() {
            return r;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "export job still running after 120 s"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// An export from the viewer uses the view the user set: lorenz with panel 0 orbited differs
/// clearly from the unrotated frame, matches the library's `with_view` export of the same view,
/// and an identity view (never touched, or orbited a full turn) gives the plain export's pixels.
#[test]
fn viewer_export_uses_the_rotated_view() {
    use flipbook::GeneratorExt;
    use flipbook::scene::ViewAdjust;
    use flipbook::viewer::ExportJob;
    use std::sync::Arc;
    let ctx = Arc::new(flipbook::GpuContext::new_headless().unwrap());
    let scene: Arc<dyn flipbook::FrameGenerator> =
        flipbook::scenes::build_scene("lorenz", &Default::default())
            .unwrap()
            .into();
    let dir = tempfile::tempdir().unwrap();
    let frame = 120;
    let options = |name: &str| {
        let mut o = flipbook::ExportOptions::new(dir.path().join(format!("{name}_%04d.png")));
        (o.width, o.height) = (320, 240);
        o.range = Some(frame..frame + 1);
        o
    };
    let from_viewer = |name: &str, view: ViewAdjust| -> image::RgbaImage {
        let mut job = ExportJob::start(ctx.clone(), scene.clone(), view, options(name));
        let report = finish(&mut job).expect("viewer export succeeds");
        assert_eq!(report.files.len(), 1);
        image::open(&report.files[0]).unwrap().to_rgba8()
    };

    let plain = {
        let report = flipbook::export(&ctx, &scene, &options("plain")).unwrap();
        image::open(&report.files[0]).unwrap().to_rgba8()
    };
    let mut rotated_view = ViewAdjust::default();
    rotated_view.panel_mut(0).orbit(60.0, 15.0);
    let rotated = from_viewer("rotated", rotated_view.clone());
    let untouched = from_viewer("untouched", ViewAdjust::default());
    let mut full_turn = ViewAdjust::default();
    full_turn.panel_mut(0).orbit(90.0, 0.0);
    full_turn.panel_mut(0).orbit(270.0, 0.0);
    assert!(full_turn.is_identity(), "{full_turn:?}");
    let turned = from_viewer("turned", full_turn);

    let differing = plain
        .pixels()
        .zip(rotated.pixels())
        .filter(|(a, b)| a.0.iter().zip(b.0).any(|(x, y)| x.abs_diff(y) > 24))
        .count();
    let total = (plain.width() * plain.height()) as usize;
    assert!(
        differing * 50 > total,
        "the rotated export differs clearly: {differing} of {total} pixels"
    );
    assert!(
        untouched == plain,
        "an untouched view exports the plain frame"
    );
    assert!(turned == plain, "a full turn exports the plain frame");

    // The same view through the library's adapter gives the viewer export's pixels.
    let library = {
        let seen = scene.clone().with_view(rotated_view);
        let report = flipbook::export(&ctx, &seen, &options("library")).unwrap();
        image::open(&report.files[0]).unwrap().to_rgba8()
    };
    assert!(
        library == rotated,
        "ExportJob applies the view as WithView does"
    );
}

/// Exports frame `frame` of lorenz as a `size` figure at `dpi` and loads it.
fn export_frame(dir: &Path, frame: usize, size: (u32, u32), dpi: f32) -> image::RgbImage {
    let ctx = flipbook::GpuContext::new_headless().unwrap();
    let scene = flipbook::scenes::build_scene("lorenz", &Default::default()).unwrap();
    let mut opts = flipbook::ExportOptions::new(dir.join(format!("export{dpi}_%04d.png")));
    (opts.width, opts.height) = size;
    opts.dpi = dpi;
    opts.range = Some(frame..frame + 1);
    flipbook::export(&ctx, scene.as_ref(), &opts).unwrap();
    load(&dir.join(format!("export{dpi}_{frame:04}.png")))
}

#[test]
fn a_window_twice_the_figure_draws_exactly_the_dpi_200_export() {
    let Some(x) = xvfb() else { return };
    let dir = tempfile::tempdir().unwrap();
    // 640 wide and tall enough: the canvas fills the width, twice the 320x240 figure.
    let out = view(
        Some(&x.display),
        &[
            "lorenz",
            "--frame",
            "37",
            "--size",
            "320x240",
            "--window",
            "640x640",
            "--canvas-to",
            "canvas.png",
        ],
        &[],
        dir.path(),
    );
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && said.contains("640x480") && said.contains("at 200 dpi"),
        "{said}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let canvas = load(&dir.path().join("canvas.png"));
    let exported = export_frame(dir.path(), 37, (320, 240), 200.0);
    assert_eq!(canvas.dimensions(), (640, 480));
    assert!(
        canvas == exported,
        "the window draws what export --dpi 200 writes, pixel for pixel"
    );
}

#[test]
fn a_hidpi_window_shows_the_figure_sharp_not_stretched() {
    let Some(x) = xvfb() else { return };
    let dir = tempfile::tempdir().unwrap();
    // 320 logical pixels wide at scale factor 2: 640 physical, twice the 320x240 figure.
    let out = view(
        Some(&x.display),
        &[
            "lorenz",
            "--frame",
            "37",
            "--size",
            "320x240",
            "--window",
            "320x420",
            "--screenshot-to",
            "hi.png",
        ],
        &[("WINIT_X11_SCALE_FACTOR", "2")],
        dir.path(),
    );
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && said.contains("at 200 dpi"),
        "{said}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let shot = load(&dir.path().join("hi.png"));
    assert_eq!(shot.width(), 640);
    let sharp = export_frame(dir.path(), 37, (320, 240), 200.0);
    // The 100-dpi picture stretched to the same size: what a viewer that scales its canvas shows.
    let low = export_frame(dir.path(), 37, (320, 240), 100.0);
    let stretched = image::imageops::resize(&low, 640, 480, image::imageops::FilterType::Triangle);
    // The canvas sits somewhere in the window's upper part: compare at the best offset.
    let mean_diff = |reference: &image::RgbImage| {
        (0..=shot.height().saturating_sub(480))
            .map(|y0| {
                let mut sum = 0u64;
                for (x, y, p) in reference.enumerate_pixels() {
                    let q = shot.get_pixel(x, y + y0);
                    sum += (0..3).map(|c| p[c].abs_diff(q[c]) as u64).sum::<u64>();
                }
                sum as f64 / (640.0 * 480.0 * 3.0)
            })
            .fold(f64::INFINITY, f64::min)
    };
    let (to_sharp, to_stretched) = (mean_diff(&sharp), mean_diff(&stretched));
    assert!(
        to_sharp < 0.5 && to_stretched > 4.0 * to_sharp.max(0.1),
        "screenshot vs dpi-200 export {to_sharp:.3}/255, vs stretched dpi-100 {to_stretched:.3}/255"
    );
}
