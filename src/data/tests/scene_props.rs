//! Property tests of the scene-file parser and the scene built from it: the shipped scene files
//! (every layer kind, TOML and JSON) mutated line by line — lines dropped or repeated, values
//! swapped for hostile ones (huge, negative, NaN, wrong types, ragged lists, broken templates,
//! missing keys) — and byte by byte (bad UTF-8, truncation). The only property: no panic —
//! each input parses and builds or gives an error, and every frame a built scene has can be
//! made and validated.

use proptest::prelude::*;
use std::path::{Path, PathBuf};

use super::super::spec::Syntax;
use super::super::*;
use super::scene_seeds;
use crate::FrameGenerator;

const SEEDS: [(&str, &str); 11] = [
    (
        "boundary.toml",
        include_str!("../../../examples/data/boundary.toml"),
    ),
    (
        "channels.toml",
        include_str!("../../../examples/data/channels.toml"),
    ),
    (
        "channels_filters.toml",
        include_str!("../../../examples/data/channels_filters.toml"),
    ),
    (
        "fooling.toml",
        include_str!("../../../examples/data/fooling.toml"),
    ),
    (
        "lorenz.toml",
        include_str!("../../../examples/data/lorenz.toml"),
    ),
    (
        "regression.toml",
        include_str!("../../../examples/data/regression.toml"),
    ),
    (
        "sine.toml",
        include_str!("../../../examples/data/sine.toml"),
    ),
    (
        "stack.json",
        include_str!("../../../examples/data/stack.json"),
    ),
    (
        "training_log.toml",
        include_str!("../../../examples/data/training_log.toml"),
    ),
    (
        "walk.json",
        include_str!("../../../examples/data/walk.json"),
    ),
    (
        "weights.toml",
        include_str!("../../../examples/data/weights.toml"),
    ),
];

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/data")
}

fn exercise(name: &str, text: &str) {
    scene_seeds::exercise(name, text, &data_dir());
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 160, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn mutated_scene_files_never_panic(
        seed in 0usize..SEEDS.len(),
        ops in proptest::collection::vec((0usize..4, any::<usize>(), any::<usize>()), 1..5),
    ) {
        let (name, text) = SEEDS[seed];
        let mut t = text.to_string();
        for (op, at, v) in ops {
            t = scene_seeds::mutate(&t, op, at, v);
        }
        exercise(name, &t);
    }

    #[test]
    fn random_bytes_in_scene_files_never_panic(
        seed in 0usize..SEEDS.len(),
        flips in proptest::collection::vec((any::<usize>(), any::<u8>()), 1..8),
    ) {
        let (name, text) = SEEDS[seed];
        let mut b = text.as_bytes().to_vec();
        for (at, byte) in flips {
            let n = b.len();
            b[at % n] = byte;
        }
        // Bad UTF-8 goes through the file reader, which must refuse it with a message.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(name);
        std::fs::write(&path, &b).unwrap();
        let _ = SceneSpec::from_file(&path);
        if let Ok(text) = std::str::from_utf8(&b) {
            exercise(name, text);
        }
    }
}

/// The seeds themselves build, so the mutations above start from scenes that reach the
/// builder and the frames (not just the parser).
#[test]
fn every_seed_builds() {
    for (name, text) in SEEDS {
        let syntax = if name.ends_with(".json") {
            Syntax::Json
        } else {
            Syntax::Toml
        };
        let spec = SceneSpec::parse(text, syntax, Path::new(name)).unwrap();
        let scene = DataScene::build(&spec, &data_dir(), &ArrayTable::default(), Path::new(name))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(scene.frame_count() > 1, "{name}");
        assert!(scene_seeds::exercise(name, text, &data_dir()), "{name}");
    }
}
