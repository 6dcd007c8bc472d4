//! Property tests: random bytes and mutated valid files (truncated, bit-flipped, header edited)
//! fed to every reader, from memory and through memory-mapped files. The only property: no
//! panic — each input gives `Ok` or `Err`, and every array an `Ok` gives can be read.

use proptest::prelude::*;

use super::super::*;
use super::seeds::{self, exercise};

fn kind(k: usize) -> (FileKind, &'static str) {
    [
        (FileKind::Npy, "f.npy"),
        (FileKind::Npz, "f.npz"),
        (FileKind::Csv, "f.csv"),
    ][k % 3]
}

fn read(k: FileKind, name: &str, bytes: &[u8]) {
    if let Ok(arrays) = read_bytes(k, name, bytes) {
        exercise(&arrays);
    }
}

fn seed_kind(ext: &str) -> FileKind {
    match ext {
        "npy" => FileKind::Npy,
        "npz" => FileKind::Npz,
        _ => FileKind::Csv,
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic(k in 0usize..3, bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        let (k, name) = kind(k);
        read(k, name, &bytes);
    }

    #[test]
    fn random_bytes_after_a_valid_start_never_panic(
        seed in 0usize..64,
        cut in 0usize..200,
        tail in proptest::collection::vec(any::<u8>(), 0..300),
    ) {
        let seeds = seeds::all();
        let (ext, name, bytes) = &seeds[seed % seeds.len()];
        let mut b = bytes[..cut.min(bytes.len())].to_vec();
        b.extend_from_slice(&tail);
        read(seed_kind(ext), name, &b);
    }

    #[test]
    fn mutated_files_never_panic(
        seed in 0usize..64,
        choices in proptest::collection::vec(any::<usize>(), 4..64),
        edits in 1usize..6,
    ) {
        let seeds = seeds::all();
        let (ext, name, bytes) = &seeds[seed % seeds.len()];
        let mut b = bytes.clone();
        let mut it = choices.iter().cycle();
        let mut pick = |n: usize| it.next().map_or(0, |c| c % n.max(1));
        for _ in 0..edits {
            seeds::mutate(&mut b, &mut pick);
        }
        read(seed_kind(ext), name, &b);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, ..ProptestConfig::default() })]

    /// The same through real files, memory-mapped, so the map and view paths see bad input too.
    #[test]
    fn mutated_files_on_disk_never_panic(
        seed in 0usize..64,
        choices in proptest::collection::vec(any::<usize>(), 4..64),
        edits in 1usize..4,
    ) {
        let seeds = seeds::all();
        let (_, name, bytes) = &seeds[seed % seeds.len()];
        let mut b = bytes.clone();
        let mut it = choices.iter().cycle();
        let mut pick = |n: usize| it.next().map_or(0, |c| c % n.max(1));
        for _ in 0..edits {
            seeds::mutate(&mut b, &mut pick);
        }
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(name);
        std::fs::write(&path, &b).unwrap();
        for options in [ReadOptions::always_map(), ReadOptions::in_memory()] {
            if let Ok(arrays) = open_with(&path, &options) {
                exercise(&arrays);
            }
        }
    }
}

#[test]
fn every_seed_is_valid() {
    for (ext, name, bytes) in seeds::all() {
        let arrays =
            read_bytes(seed_kind(ext), &name, &bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(!arrays.is_empty(), "{name}");
        exercise(&arrays);
    }
}
