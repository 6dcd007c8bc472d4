//! Every built-in scene exports a few frames headlessly, renders the same frame to the same
//! pixels twice (scenes are deterministic: fixed seeds, no clocks), and looks as committed: a
//! small snapshot of each at one telling frame, compared with `tests/snapshots/scene_*.png`.

mod common;

use flipbook::export::{ExportOptions, export};
use flipbook::gpu::{FramePixels, RgbaFrame};
use flipbook::scenes::{SceneOptions, build_scene, builtin_scenes};

#[test]
fn every_scene_exports_and_is_deterministic() {
    let dir = tempfile::tempdir().unwrap();
    for info in builtin_scenes() {
        let scene = build_scene(info.name, &SceneOptions::default()).unwrap();
        assert_eq!(scene.frame_count(), info.frames, "{}", info.name);
        let n = scene.frame_count();
        let out = dir.path().join(format!("{}.gif", info.name));
        let mut opts = ExportOptions::new(&out);
        (opts.width, opts.height) = (320, 240);
        opts.range = Some(n / 2..n / 2 + 3);
        let report = export(common::gpu(), scene.as_ref(), &opts).unwrap();
        assert_eq!(report.frames, 3, "{}", info.name);
        assert!(
            std::fs::metadata(&out).unwrap().len() > 1000,
            "{} wrote a real GIF",
            info.name
        );

        let k = n * 2 / 3;
        let a = common::render(&scene.frame(k), 320, 240);
        let again = build_scene(info.name, &SceneOptions::default()).unwrap();
        let b = common::render(&again.frame(k), 320, 240);
        assert!(
            a.pixels == b.pixels,
            "{}: frame {k} differs between two builds",
            info.name
        );
        assert!(
            common::coverage(&a, [255, 255, 255]) > 0.01,
            "{}: frame {k} is not blank",
            info.name
        );
    }
}

/// The frame each scene's snapshot shows: late enough that the story has happened (the
/// trajectories diverged, the line fitted, the boundary formed), not the last frame.
fn telling_frame(name: &str) -> usize {
    match name {
        "sine" => 30,
        "regression" => 60,
        "lorenz" => 236,
        "channels" => 12,
        "fooling" => 30,
        "boundary" => 100,
        "weights" => 40,
        other => panic!(
            "scene {other} has no snapshot frame: add it here and run with UPDATE_SNAPSHOTS=1"
        ),
    }
}

/// `img` scaled to half its size, each pixel the mean of a 2×2 block.
fn half_size(img: &image::RgbaImage) -> RgbaFrame {
    let (w, h) = (img.width() / 2, img.height() / 2);
    let mut pixels = Vec::with_capacity((w * h * 4) as usize);
    for y in 0..h {
        for x in 0..w {
            for c in 0..4 {
                let sum: u32 = [(0, 0), (1, 0), (0, 1), (1, 1)]
                    .iter()
                    .map(|(dx, dy)| img.get_pixel(2 * x + dx, 2 * y + dy)[c] as u32)
                    .sum();
                pixels.push(((sum + 2) / 4) as u8);
            }
        }
    }
    RgbaFrame {
        index: 0,
        width: w,
        height: h,
        pixels: FramePixels::from(pixels),
    }
}

/// Each scene at its telling frame as `flipbook export` writes it at the default 640×480 (the
/// size its layout is made for: text keeps its point size, so a smaller canvas crowds it),
/// halved to 320×240 to keep the committed PNGs small; compared with
/// `tests/snapshots/scene_<name>.png`.
#[test]
fn every_scene_matches_its_snapshot() {
    let dir = tempfile::tempdir().unwrap();
    for info in builtin_scenes() {
        let scene = build_scene(info.name, &SceneOptions::default()).unwrap();
        let k = telling_frame(info.name);
        assert!(k < scene.frame_count(), "{}", info.name);
        // Through the exporter, as a user gets it: a one-frame PNG export.
        let opts = ExportOptions {
            range: Some(k..k + 1),
            ..ExportOptions::new(dir.path().join(format!("{}_%04d.png", info.name)))
        };
        assert_eq!((opts.width, opts.height), (640, 480), "the default size");
        let report = export(common::gpu(), scene.as_ref(), &opts).unwrap();
        assert_eq!(report.files.len(), 1, "{}", info.name);
        let img = image::open(&report.files[0]).unwrap().to_rgba8();
        common::assert_snapshot(&format!("scene_{}", info.name), &half_size(&img));
    }
}

/// The snapshot helper itself: in CI a missing reference fails (and writes nothing); locally it
/// is written; a matching render passes; a different one fails and leaves `.new` and `.diff`.
#[test]
fn snapshot_helper_fails_on_a_missing_reference_in_ci() {
    use common::{assert_snapshot_in, ci_value};
    use std::ffi::OsStr;
    for (value, ci) in [
        (None, false),
        (Some(""), false),
        (Some("0"), false),
        (Some("false"), false),
        (Some("FALSE"), false),
        (Some("true"), true),
        (Some("1"), true),
        (Some("yes"), true),
    ] {
        assert_eq!(ci_value(value.map(OsStr::new)), ci, "CI={value:?}");
    }

    let dir = tempfile::tempdir().unwrap();
    let solid = |rgba: [u8; 4]| RgbaFrame {
        index: 0,
        width: 20,
        height: 10,
        pixels: FramePixels::from(rgba.repeat(200)),
    };
    let white = solid([255, 255, 255, 255]);
    let missing = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        assert_snapshot_in(dir.path(), "probe", &white, true, false);
    }));
    let message = missing.expect_err("a missing snapshot fails in CI");
    let message = message
        .downcast_ref::<String>()
        .cloned()
        .unwrap_or_default();
    assert!(
        message.contains("probe.png is missing") && message.contains("UPDATE_SNAPSHOTS=1"),
        "{message}"
    );
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);

    assert_snapshot_in(dir.path(), "probe", &white, false, false);
    assert!(dir.path().join("probe.png").exists(), "written locally");
    assert_snapshot_in(dir.path(), "probe", &white, true, false);
    let differs = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        assert_snapshot_in(dir.path(), "probe", &solid([0, 0, 0, 255]), true, false);
    }));
    assert!(differs.is_err(), "a different render fails");
    assert!(dir.path().join("probe.new.png").exists());
    assert!(dir.path().join("probe.diff.png").exists());
}
