//! Every built-in scene exports a few frames headlessly, and renders the same frame to the
//! same pixels twice (scenes are deterministic: fixed seeds, no clocks).

mod common;

use flipbook::export::{ExportOptions, export};
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
