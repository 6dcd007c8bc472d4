//! The scene files in `examples/data` (`*.toml`, `*.json`): each builds from its data, has the
//! frame count its data implies, renders its first, middle and last frame (not blank, and the
//! first differs from the last: they animate) and looks as committed (a snapshot of the middle
//! frame, `tests/snapshots/scenefile_<name>.png`). Through the real binary: a scene file and a
//! data file's quick look export, and bad scene files get one line naming the file and the
//! field, a non-zero exit and no output.

mod common;

use flipbook::FrameGenerator;
use flipbook::data::DataScene;
use flipbook::gpu::{CANVAS_FORMAT, Canvas, FigureRenderer, FramePixels, RgbaFrame};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Every scene file and the frame count its data implies (and why).
const SCENES: &[(&str, usize)] = &[
    ("boundary.toml", 150),       // grid (150, 64, 96): an image per frame
    ("channels.toml", 24),        // left, right, blurred (24, 50, 50, 3)
    ("channels_filters.toml", 5), // channels (5, 50, 50) and a list of 5 titles
    ("fooling.toml", 40),         // image (40, 12, 12), confidence (40, 5)
    ("lorenz.toml", 1201),        // three growing (1201, 3) paths, t (1201,)
    ("regression.toml", 90),      // fits (90, 50); cost (90,) grows
    ("sine.toml", 100),           // y (100, 629)
    ("stack.json", 40),           // stack.npy (40, 48, 64)
    ("training_log.toml", 880),   // 880 CSV rows, growing
    ("walk.json", 2000),          // walk.npy (2000, 2), growing
    ("weights.toml", 60),         // w (60, 6, 8)
];

fn data_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/data")
}

/// `examples/data/*.toml` and `*.json`, sorted.
fn scene_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(data_dir())
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            matches!(
                p.extension().and_then(|e| e.to_str()),
                Some("toml" | "json")
            )
        })
        .collect();
    files.sort();
    files
}

/// Renders frames of one scene at its layout size with one canvas and renderer (as an export
/// does: later frames upload only what changed).
fn render_frames(scene: &DataScene, frames: &[usize]) -> Vec<RgbaFrame> {
    // Serialised: lavapipe already uses every core.
    static LOCK: Mutex<()> = Mutex::new(());
    let _guard = LOCK.lock().unwrap_or_else(|e| e.into_inner());
    let ctx = common::gpu();
    let (w, h) = scene.size();
    let mut canvas = Canvas::new(ctx, w, h).expect("canvas");
    let mut renderer = FigureRenderer::new(&ctx.device, CANVAS_FORMAT);
    frames
        .iter()
        .map(|&i| {
            canvas
                .render(ctx, &mut renderer, &scene.frame(i), i)
                .expect("render")
                .into_owned()
        })
        .collect()
}

/// `f` halved, each pixel the mean of a 2×2 block (as `tests/scenes.rs` keeps snapshots small).
fn half_size(f: &RgbaFrame) -> RgbaFrame {
    let (w, h) = (f.width / 2, f.height / 2);
    let src = |x: u32, y: u32, c: usize| f.pixels[((y * f.width + x) * 4) as usize + c] as u32;
    let mut pixels = Vec::with_capacity((w * h * 4) as usize);
    for y in 0..h {
        for x in 0..w {
            for c in 0..4 {
                let sum: u32 = [(0, 0), (1, 0), (0, 1), (1, 1)]
                    .iter()
                    .map(|(dx, dy)| src(2 * x + dx, 2 * y + dy, c))
                    .sum();
                pixels.push(((sum + 2) / 4) as u8);
            }
        }
    }
    RgbaFrame {
        index: f.index,
        width: w,
        height: h,
        pixels: FramePixels::from(pixels),
    }
}

/// How many pixels differ by more than `tolerance` (of 255) in a channel between two frames,
/// and their bounding box.
fn differing_pixels(
    a: &RgbaFrame,
    b: &RgbaFrame,
    tolerance: u8,
) -> (usize, Option<(u32, u32, u32, u32)>) {
    let mut n = 0;
    let mut bbox: Option<(u32, u32, u32, u32)> = None;
    for (i, (p, q)) in a
        .pixels
        .as_slice()
        .chunks_exact(4)
        .zip(b.pixels.as_slice().chunks_exact(4))
        .enumerate()
    {
        if p.iter().zip(q).any(|(x, y)| x.abs_diff(*y) > tolerance) {
            n += 1;
            let (x, y) = (i as u32 % a.width, i as u32 / a.width);
            bbox = Some(match bbox {
                None => (x, y, x, y),
                Some((x0, y0, x1, y1)) => (x0.min(x), y0.min(y), x1.max(x), y1.max(y)),
            });
        }
    }
    (n, bbox)
}

#[test]
fn every_scene_file_is_listed_here() {
    let found: Vec<String> = scene_files()
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    let listed: Vec<String> = SCENES.iter().map(|(n, _)| n.to_string()).collect();
    assert_eq!(
        found, listed,
        "examples/data's scene files and SCENES differ: add a new file's frame count to SCENES"
    );
}

#[test]
fn every_scene_file_builds_renders_and_animates() {
    for (name, frames) in SCENES {
        let path = data_dir().join(name);
        let scene = DataScene::from_file(&path).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(scene.frame_count(), *frames, "{name}: frame count");
        let mid = frames / 2;
        let picks = [0, mid, frames - 1];
        let renders = render_frames(&scene, &picks);
        let (w, h) = scene.size();
        for (k, f) in picks.iter().zip(&renders) {
            assert_eq!((f.width, f.height), (w, h), "{name}: frame {k} size");
            let ink = common::coverage(f, [255, 255, 255]);
            assert!(ink > 0.02, "{name}: frame {k} is blank ({ink:.4} inked)");
        }
        assert!(
            renders[0].pixels != renders[2].pixels,
            "{name}: the first and last frames are identical, but the scene animates"
        );
        // The same frame gives the same pixels whether the renderer drew other frames first
        // or not (no stale data). Within 1/255: rotated tick labels (weights.toml) come out
        // 1/255 darker in a few anti-aliased pixels after other frames, a known engine quirk.
        let again = render_frames(&scene, &[mid]);
        let (n, bbox) = differing_pixels(&again[0], &renders[1], 1);
        if n > 0 {
            let dir = std::env::temp_dir();
            for (tag, f) in [("after_frame_0", &renders[1]), ("alone", &again[0])] {
                image::RgbaImage::from_raw(f.width, f.height, f.pixels.as_slice().to_vec())
                    .unwrap()
                    .save(dir.join(format!("{name}_{mid}_{tag}.png")))
                    .unwrap();
            }
        }
        assert_eq!(
            n,
            0,
            "{name}: frame {mid} rendered after frame 0 differs from frame {mid} rendered alone \
             in {n} pixels within {bbox:?} (x0, y0, x1, y1); both written to {}",
            std::env::temp_dir().display()
        );
        let stem = Path::new(name).file_stem().unwrap().to_string_lossy();
        common::assert_snapshot(&format!("scenefile_{stem}"), &half_size(&renders[1]));
    }
}

/// Literal numbers instead of files: static ones need `figure.frames` for a length, per-frame
/// ones set it (and must agree with it).
#[test]
fn literal_numbers_and_figure_frames() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("literal.toml");
    let scene = |frames: usize| {
        format!(
            r#"
figure = {{ frames = {frames}, suptitle = "frame {{frame}} of {{frames}}" }}
[[panels]]
[[panels.layers]]
kind = "line"
y = [1, 3, 2, 4]
[[panels.layers]]
kind = "bar"
height = [[1, 2], [2, 1], [3, 3], [1, 1], [0, 2], [2, 2], [1, 3]]
"#
        )
    };
    std::fs::write(&path, scene(5)).unwrap();
    let e = match DataScene::from_file(&path) {
        Ok(_) => panic!("figure.frames = 5 against 7 per-frame bars should fail"),
        Err(e) => e.to_string(),
    };
    assert!(
        e.contains("literal.toml") && e.contains("figure.frames") && e.contains("7 frames"),
        "{e}"
    );
    std::fs::write(&path, scene(7)).unwrap();
    let s = DataScene::from_file(&path).unwrap();
    assert_eq!(s.frame_count(), 7);
    assert_eq!(s.frame(3).title.as_deref(), Some("frame 3 of 7"));
}

// -------------------------------------------------------------------------------------------
// Through the binary

#[cfg(feature = "cli")]
mod cli {
    use super::data_dir;
    use std::path::Path;
    use std::process::{Command, Output};

    fn flipbook(args: &[&str], cwd: &Path) -> Output {
        Command::new(env!("CARGO_BIN_EXE_flipbook"))
            .args(args)
            .current_dir(cwd)
            .output()
            .expect("run flipbook")
    }

    /// Runs flipbook, which must succeed; returns what it printed on stdout.
    fn flipbook_ok(args: &[&str], cwd: &Path) -> String {
        let out = flipbook(args, cwd);
        assert!(
            out.status.success(),
            "flipbook {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn gif_frames(path: &Path) -> (u16, u16, usize) {
        let mut dec = gif::DecodeOptions::new()
            .read_info(std::fs::File::open(path).unwrap())
            .unwrap();
        let size = (dec.width(), dec.height());
        let mut n = 0;
        while dec.read_next_frame().unwrap().is_some() {
            n += 1;
        }
        (size.0, size.1, n)
    }

    #[test]
    fn a_scene_file_exports_to_gif() {
        let dir = tempfile::tempdir().unwrap();
        let scene = data_dir().join("lorenz.toml");
        flipbook_ok(
            &[
                "export",
                scene.to_str().unwrap(),
                "-o",
                "tmp.gif",
                "--start",
                "600",
                "--end",
                "604",
                "--size",
                "320x240",
            ],
            dir.path(),
        );
        assert_eq!(gif_frames(&dir.path().join("tmp.gif")), (320, 240, 4));
    }

    #[test]
    fn a_data_file_exports_as_a_quick_look() {
        let dir = tempfile::tempdir().unwrap();
        let stack = data_dir().join("stack.npy");
        flipbook_ok(
            &[
                "export",
                stack.to_str().unwrap(),
                "-o",
                "tmp.gif",
                "--size",
                "320x240",
            ],
            dir.path(),
        );
        // stack.npy is (40, 48, 64): an image per frame, 40 frames.
        assert_eq!(gif_frames(&dir.path().join("tmp.gif")), (320, 240, 40));
    }

    #[test]
    fn inspect_describes_a_scene_file() {
        let dir = tempfile::tempdir().unwrap();
        let scene = data_dir().join("regression.toml");
        let text = flipbook_ok(&["inspect", scene.to_str().unwrap()], dir.path());
        assert!(text.contains("90 frames"), "{text}");
        assert!(text.contains("scatter, line"), "{text}");
    }

    /// A TOML literal string of an absolute path into examples/data (single quotes: no escapes,
    /// so Windows paths work too).
    fn data(file_and_key: &str) -> String {
        format!("'{}'", data_dir().join(file_and_key).display())
    }

    #[test]
    fn bad_scene_files_get_one_line_naming_file_and_field() {
        let dir = tempfile::tempdir().unwrap();
        let line = |extra: &str| format!("[[panels]]\n[[panels.layers]]\nkind = \"line\"\n{extra}");
        let cases: Vec<(&str, String, Vec<String>)> = vec![
            (
                "unknown_field.toml",
                line("y = [1, 2, 3]\ncolr = \"r\"\n"),
                vec![
                    "unknown_field.toml".into(),
                    "panels[0].layers[0]".into(),
                    "'colr'".into(),
                    "did you mean 'color'".into(),
                ],
            ),
            (
                "missing_key.toml",
                line(&format!("y = {}\n", data("regression.npz:nosuch"))),
                vec![
                    "missing_key.toml".into(),
                    "panels[0].layers[0].y".into(),
                    "regression.npz".into(),
                    "'nosuch'".into(),
                    "fits".into(),
                ],
            ),
            (
                "frames_disagree.toml",
                format!(
                    "[vars]\nt = {}\n{}",
                    data("lorenz.npz:t"),
                    line(&format!(
                        "x = {}\ny = {}\n",
                        data("sine.npz:x"),
                        data("sine.npz:y")
                    ))
                ),
                vec![
                    "frames_disagree.toml".into(),
                    "panels[0].layers[0].y".into(),
                    "vars.t".into(),
                    "(100, 629)".into(),
                    "(1201,)".into(),
                ],
            ),
            (
                "line_3d_array.toml",
                line(&format!("y = {}\n", data("stack.npy"))),
                vec![
                    "line_3d_array.toml".into(),
                    "panels[0].layers[0].y".into(),
                    "(40, 48, 64)".into(),
                ],
            ),
        ];
        for (name, text, wants) in cases {
            let scene = dir.path().join(name);
            std::fs::write(&scene, text).unwrap();
            let out = flipbook(
                &["export", scene.to_str().unwrap(), "-o", "out.gif"],
                dir.path(),
            );
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(
                matches!(out.status.code(), Some(c) if c != 0),
                "{name}: a non-zero exit, not a crash: {:?} {stderr}",
                out.status
            );
            assert_eq!(
                stderr.trim_end().lines().count(),
                1,
                "{name}: one line, got {stderr:?}"
            );
            assert!(!stderr.contains("panicked"), "{name}: {stderr}");
            for want in &wants {
                assert!(
                    stderr.contains(want.as_str()),
                    "{name}: {stderr:?} should mention {want:?}"
                );
            }
            assert!(
                !dir.path().join("out.gif").exists(),
                "{name}: no output file"
            );
            let strays: Vec<_> = std::fs::read_dir(dir.path())
                .unwrap()
                .flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| !n.ends_with(".toml"))
                .collect();
            assert!(strays.is_empty(), "{name}: left {strays:?}");
        }
    }
}
