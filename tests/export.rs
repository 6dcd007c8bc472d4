//! Exports decoded by real decoders: the gif crate for GIFs, the image crate for PNG frames.
//! Also: a failed or cancelled export leaves nothing behind and keeps existing files.

mod common;

use common::no_temporaries;

use common::{gpu, render};
use flipbook::export::{ExportOptions, export, export_with};
use flipbook::scene::{Figure, GridCell, ImageData, ImagePlane, Panel, Pixels};
use flipbook::scenes::Lorenz;
use flipbook::{Error, FrameGenerator};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

/// Decodes a GIF into full composited RGBA frames plus their delays and the loop setting.
fn decode_gif(path: &Path) -> (u32, u32, Vec<Vec<u8>>, Vec<u16>, gif::Repeat) {
    let mut opts = gif::DecodeOptions::new();
    opts.set_color_output(gif::ColorOutput::RGBA);
    let mut dec = opts.read_info(std::fs::File::open(path).unwrap()).unwrap();
    let (w, h) = (dec.width() as u32, dec.height() as u32);
    let mut canvas = vec![0u8; (w * h * 4) as usize];
    let (mut frames, mut delays) = (Vec::new(), Vec::new());
    while let Some(f) = dec.read_next_frame().unwrap() {
        for y in 0..f.height as u32 {
            for x in 0..f.width as u32 {
                let s = ((y * f.width as u32 + x) * 4) as usize;
                if f.buffer[s + 3] == 0 {
                    continue; // transparent: keep what was there
                }
                let d = (((y + f.top as u32) * w + x + f.left as u32) * 4) as usize;
                canvas[d..d + 4].copy_from_slice(&f.buffer[s..s + 4]);
            }
        }
        frames.push(canvas.clone());
        delays.push(f.delay);
    }
    let repeat = dec.repeat();
    (w, h, frames, delays, repeat)
}

#[test]
fn gif_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("lorenz.gif");
    let scene = Lorenz::new(12, 30.0);
    let mut opts = ExportOptions::new(&out);
    (opts.width, opts.height) = (200, 150);
    let mut calls = 0;
    let report = export_with(
        gpu(),
        &scene,
        &opts,
        &mut |done, total| {
            calls += 1;
            assert!(done <= total && total == 12);
        },
        None,
    )
    .unwrap();
    assert_eq!(report.frames, 12);
    assert_eq!(calls, 12);
    assert_eq!(report.files, vec![out.clone()]);
    no_temporaries(dir.path());
    let mode =
        std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(&out).unwrap().permissions());
    assert_eq!(mode & 0o600, 0o600, "owner can read and write");
    assert_eq!(
        mode & 0o044,
        0o044,
        "readable by others like any new file under umask 022, got {mode:o}"
    );

    let (w, h, frames, delays, repeat) = decode_gif(&out);
    assert_eq!((w, h), (200, 150));
    assert_eq!(frames.len(), 12);
    assert_eq!(repeat, gif::Repeat::Infinite, "loops forever by default");
    // 30 fps: 3.33 cs per frame, rounded without drift.
    assert_eq!(delays.iter().map(|&d| d as u32).sum::<u32>(), 40);
    assert!(delays.iter().all(|&d| d == 3 || d == 4), "{delays:?}");
    for pair in frames.windows(2) {
        assert_ne!(pair[0], pair[1], "consecutive frames differ");
    }
    // Colours are faithful: every decoded frame matches its render closely.
    for (i, decoded) in frames.iter().enumerate() {
        let rendered = render(&scene.frame(i), 200, 150);
        let mut total = 0u64;
        let mut far = 0;
        for (a, b) in decoded.chunks_exact(4).zip(rendered.pixels.chunks_exact(4)) {
            let d: u32 = (0..3).map(|c| a[c].abs_diff(b[c]) as u32).sum();
            total += d as u64;
            far += (d > 60) as usize;
        }
        let mean = total as f64 / (200.0 * 150.0 * 3.0);
        assert!(
            mean < 1.5 && far < 30,
            "frame {i}: mean channel error {mean:.2}, {far} pixels far off"
        );
        let non_white = decoded
            .chunks_exact(4)
            .filter(|p| p[..3] != [255, 255, 255])
            .count();
        assert!(non_white > 50, "frame {i} is not blank");
    }
}

#[test]
fn gif_loop_count() {
    let dir = tempfile::tempdir().unwrap();
    let scene = Lorenz::new(3, 10.0);
    for (loops, want) in [(1u16, None), (3, Some(gif::Repeat::Finite(2)))] {
        let out = dir.path().join(format!("l{loops}.gif"));
        let mut opts = ExportOptions::new(&out);
        (opts.width, opts.height, opts.loops) = (64, 48, loops);
        export(gpu(), &scene, &opts).unwrap();
        let (_, _, frames, delays, repeat) = decode_gif(&out);
        assert_eq!((frames.len(), delays), (3, vec![10, 10, 10]));
        match want {
            // Playing once means no NETSCAPE loop block, which decoders report as Finite(0).
            None => assert_eq!(repeat, gif::Repeat::Finite(0)),
            Some(r) => assert_eq!(repeat, r),
        }
    }
}

#[test]
fn png_frames_round_trip_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let scene = Lorenz::new(30, 20.0);
    let mut opts = ExportOptions::new(dir.path().join("frame_%04d.png"));
    (opts.width, opts.height) = (161, 97);
    opts.range = Some(10..15);
    let report = export(gpu(), &scene, &opts).unwrap();
    assert_eq!(report.frames, 5);
    no_temporaries(dir.path());
    for i in 10..15 {
        let path = dir.path().join(format!("frame_{i:04}.png"));
        let img = image::open(&path).unwrap().to_rgb8();
        assert_eq!(img.dimensions(), (161, 97));
        let want = render(&scene.frame(i), 161, 97);
        let want_rgb: Vec<u8> = want
            .pixels
            .chunks_exact(4)
            .flat_map(|p| [p[0], p[1], p[2]])
            .collect();
        assert!(img.as_raw() == &want_rgb, "frame {i} is lossless");
    }
    assert!(
        !dir.path().join("frame_0009.png").exists() && !dir.path().join("frame_0015.png").exists()
    );
}

/// Frames 0..3 are fine, frame 3 holds inconsistent image data.
struct BreaksAtThree;

impl FrameGenerator for BreaksAtThree {
    fn frame_count(&self) -> usize {
        6
    }
    fn fps(&self) -> f64 {
        10.0
    }
    fn frame(&self, i: usize) -> Figure {
        let n = if i == 3 { 5 } else { 4 * 4 * 3 };
        let img = ImageData {
            width: 4,
            height: 4,
            pixels: Pixels::Rgb8(vec![(i * 40) as u8; n]),
        };
        let mut f = Figure::new(1, 1);
        f.push(
            Panel::new_2d(GridCell::at(0, 0), [0.0, 1.0], [0.0, 1.0]).with(ImagePlane::new_2d(
                Arc::new(img),
                [0.0, 1.0],
                [0.0, 1.0],
            )),
        );
        f
    }
}

#[test]
fn failed_export_keeps_the_existing_file_and_leaves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["keep.gif", "keep_%02d.png"] {
        let out = dir.path().join(name);
        let existing = dir.path().join(name.replace("%02d", "00"));
        std::fs::write(&existing, b"precious").unwrap();
        let mut opts = ExportOptions::new(&out);
        (opts.width, opts.height) = (32, 32);
        opts.range = Some(0..6);
        let err = export(gpu(), &BreaksAtThree, &opts).unwrap_err();
        assert!(
            matches!(&err, Error::Frame { frame: 3, source } if matches!(**source, Error::Scene(_))),
            "{err}"
        );
        assert_eq!(std::fs::read(&existing).unwrap(), b"precious");
        no_temporaries(dir.path());
    }
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
}

#[test]
fn cancelled_export_leaves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("c.gif");
    let mut opts = ExportOptions::new(&out);
    (opts.width, opts.height) = (64, 48);
    let cancel = AtomicBool::new(false);
    let scene = Lorenz::new(40, 20.0);
    let err = export_with(
        gpu(),
        &scene,
        &opts,
        &mut |done, _| {
            if done == 5 {
                cancel.store(true, std::sync::atomic::Ordering::Relaxed);
            }
        },
        Some(&cancel),
    )
    .unwrap_err();
    assert!(matches!(err, Error::Cancelled));
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn bad_destinations_are_clear_errors() {
    let scene = Lorenz::new(2, 10.0);
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (dir.path().join("missing/x.gif"), "does not exist"),
        (dir.path().join("x.mov"), "unknown extension '.mov'"),
        (dir.path().join("noext"), "has no file extension"),
        (
            dir.path().to_path_buf().join(".").join(""),
            "has no file extension",
        ),
    ];
    for (path, want) in cases {
        let err = export(gpu(), &scene, &ExportOptions::new(&path))
            .unwrap_err()
            .to_string();
        assert!(err.contains(want), "{}: {err}", path.display());
    }
    let mut opts = ExportOptions::new(dir.path().join("big.gif"));
    (opts.width, opts.height) = (gpu().max_texture_side() + 1, 10);
    let err = export(gpu(), &scene, &opts).unwrap_err().to_string();
    assert!(err.contains("largest texture side"), "{err}");
    opts.range = Some(0..3);
    assert!(
        export(gpu(), &scene, &opts)
            .unwrap_err()
            .to_string()
            .contains("frames 0..2")
    );
}

/// Frame `bad` of six holds a layer whose data does not add up (`fault` builds it); the others
/// hold a line growing by a point a frame. Records the highest frame it was asked for.
struct BadLayerAt<F> {
    bad: usize,
    autoscale: bool,
    fault: F,
    highest: std::sync::atomic::AtomicUsize,
}

impl<F: Fn() -> flipbook::scene::Layer + Send + Sync> FrameGenerator for BadLayerAt<F> {
    fn frame_count(&self) -> usize {
        6
    }
    fn fps(&self) -> f64 {
        10.0
    }
    fn frame(&self, i: usize) -> Figure {
        use flipbook::glam::Vec3;
        use flipbook::scene::{Color, Decor, LineStyle, Lines};
        self.highest
            .fetch_max(i, std::sync::atomic::Ordering::Relaxed);
        let line: Vec<Vec3> = (0..=i)
            .map(|k| Vec3::new(k as f32, k as f32, 0.0))
            .collect();
        let mut panel = Panel::new_2d(GridCell::at(0, 0), [0.0, 6.0], [0.0, 6.0])
            .with(Lines::new(
                Arc::new(vec![line]),
                vec![LineStyle::new(Color::BLACK, 1.0)],
            ))
            .with_decor(Decor {
                autoscale: self.autoscale,
                ..Default::default()
            });
        if i == self.bad {
            panel.layers.push((self.fault)());
        }
        let mut f = Figure::new(1, 1);
        f.push(panel);
        f
    }
}

/// Layer data that does not add up (a visible range past the data, lengths that disagree) is
/// an error naming the frame and the numbers, returned through `export` before automatic limits
/// are computed from it (the limit scan validates each frame; nothing is rendered past the bad
/// one), and nothing is written: no output, no temporary, an existing file untouched.
#[test]
fn inconsistent_layer_data_is_an_error_and_writes_nothing() {
    use flipbook::glam::Vec3;
    use flipbook::scene::{Color, Layer, LineStyle, Lines, PointData, Points};
    let lines_past_end = || -> Layer {
        Lines::new(
            Arc::new(vec![vec![Vec3::ZERO; 4]]),
            vec![LineStyle::new(Color::BLACK, 1.0)],
        )
        .with_visible(std::iter::once(0..6).collect())
        .into()
    };
    let styles_mismatch = || -> Layer {
        Lines::new(
            Arc::new(vec![vec![Vec3::ZERO; 3], vec![Vec3::ONE; 3]]),
            vec![LineStyle::new(Color::BLACK, 1.0)],
        )
        .into()
    };
    let points = |n: usize, colors: usize, visible: Option<std::ops::Range<usize>>| Points {
        data: Arc::new(PointData {
            positions: vec![Vec3::new(1.0, 2.0, 0.0); n],
            colors: vec![Color::BLACK; colors],
            sizes_px: vec![3.0],
        }),
        marker: Default::default(),
        visible,
        label: None,
    };
    type Fault = Box<dyn Fn() -> Layer + Send + Sync>;
    let cases: Vec<(Fault, &[&str])> = vec![
        (
            Box::new(lines_past_end),
            &["line strip 0 shows points 0..6 but has 4"],
        ),
        (Box::new(styles_mismatch), &["2 line strips but 1 styles"]),
        (
            Box::new(move || points(5, 3, None).into()),
            &["5 points but 3 colours"],
        ),
        (
            Box::new(move || points(5, 1, Some(2..9)).into()),
            &["points 2..9", "has 5"],
        ),
    ];
    let dir = tempfile::tempdir().unwrap();
    let existing = dir.path().join("keep.gif");
    for (n, (fault, wants)) in cases.into_iter().enumerate() {
        for autoscale in [true, false] {
            let scene = BadLayerAt {
                bad: 2,
                autoscale,
                fault: &fault,
                highest: Default::default(),
            };
            for name in ["new.gif", "keep.gif"] {
                std::fs::write(&existing, b"precious").unwrap();
                let out = dir.path().join(name);
                let mut opts = ExportOptions::new(&out);
                (opts.width, opts.height) = (48, 32);
                let err = flipbook::export(gpu(), &scene, &opts).unwrap_err();
                let msg = err.to_string();
                assert!(
                    matches!(&err, Error::Frame { frame: 2, source } if matches!(**source, Error::Scene(_))),
                    "case {n}, autoscale {autoscale}: {err:?}"
                );
                assert!(msg.starts_with("frame 2: "), "{msg}");
                for want in wants {
                    assert!(msg.contains(want), "case {n}: {msg} should say {want:?}");
                }
                assert_eq!(msg.lines().count(), 1, "{msg}");
                assert_eq!(std::fs::read(&existing).unwrap(), b"precious", "case {n}");
                let left: Vec<_> = std::fs::read_dir(dir.path())
                    .unwrap()
                    .flatten()
                    .map(|e| e.file_name())
                    .collect();
                assert_eq!(left, ["keep.gif"], "case {n}, autoscale {autoscale}");
            }
            if autoscale {
                // The scan stopped at the bad frame: no limits were computed from it and no
                // frame (the GIF's palette samples span the timeline) was rendered.
                assert_eq!(
                    scene.highest.load(std::sync::atomic::Ordering::Relaxed),
                    2,
                    "case {n}"
                );
            }
        }
        // The check the scan relies on, for a figure on its own.
        let figure = BadLayerAt {
            bad: 0,
            autoscale: false,
            fault: &fault,
            highest: Default::default(),
        }
        .frame(0);
        assert!(figure.validate().is_err(), "case {n}");
        let err = flipbook::render_figure(gpu(), &figure, 48, 32).unwrap_err();
        assert!(matches!(err, Error::Scene(_)), "case {n}: {err}");
    }
}
