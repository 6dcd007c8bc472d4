//! A longer fuzzing run of the data readers (`.npy`, `.npz`, `.csv`): for a given time, mutate
//! valid seed files and read them, counting inputs and catching any panic.
//!
//! ```sh
//! cargo run --example fuzz_data -- --seconds 600            # debug profile: overflow checks on
//! cargo run --release --example fuzz_data -- --seconds 600  # faster, overflow checks off
//! ```
//!
//! Options: `--seconds N` (default 60), `--seed N` (default: from the clock), `--out DIR` where
//! crashing inputs (and the slowest input) are saved (default `target/fuzz_data`), `--map-every N` (every Nth input is
//! also written to a file and read memory-mapped; default 50). `--replay FILE` reads one saved
//! input and prints the result and its time.
//!
//! Each input is a seed (every dtype in both byte orders and both orders, 0-d and empty arrays,
//! stored and deflated `.npz`, CSVs) with 1–8 random edits: truncations, bit flips, edge-value
//! bytes and words, insertions, deletions, splices, and `.npy` header edits that keep the header
//! well-formed but change its shape (to 0, 2^31, 2^32, 2^60, 2^64−1, …), dtype (complex, object,
//! strings, bad type strings) or order; one input in eight is random bytes after a seed's
//! prefix. Every array read is then exercised (frames, u8 frames, views, value range). A panic
//! is caught, its input saved as `crash-N.EXT` with the message in `crash-N.txt`, and the run
//! ends with a non-zero status if there was any.
//!
//! `--scenes` fuzzes the scene-file parser and the scene built from it instead: the scene files
//! of `examples/data/` (TOML and JSON, every layer kind) with 1–4 line edits (values swapped
//! for hostile ones, lines dropped or repeated, truncation) and, one input in four, byte edits;
//! each is parsed, built against the real data files and its frames made and validated.

#[path = "../src/data/tests/scene_seeds.rs"]
mod scene_seeds;
#[path = "../src/data/tests/seeds.rs"]
mod seeds;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use flipbook::data::{Array, FileKind, ReadOptions, open_with, read_bytes};
use rand::{RngExt, SeedableRng};

static LAST_PANIC: Mutex<Option<String>> = Mutex::new(None);

fn kind_of(ext: &str) -> FileKind {
    match ext {
        "npy" => FileKind::Npy,
        "npz" => FileKind::Npz,
        _ => FileKind::Csv,
    }
}

fn arg<T: std::str::FromStr>(args: &[String], name: &str) -> Option<T> {
    let i = args.iter().position(|a| a == name)?;
    match args.get(i + 1).map(|v| v.parse()) {
        Some(Ok(v)) => Some(v),
        _ => {
            eprintln!("{name} needs a value");
            std::process::exit(2);
        }
    }
}

/// Reads one saved input (a crash or the slowest input), from memory and memory-mapped, and
/// prints what happened and how long it took.
fn replay(path: &std::path::Path) {
    let name = path
        .file_name()
        .map_or(String::new(), |n| n.to_string_lossy().into_owned());
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    let bytes = std::fs::read(path).expect("the input to replay");
    for via_file in [false, true] {
        let t = Instant::now();
        let r = if via_file {
            open_with(path, &ReadOptions::always_map())
        } else {
            read_bytes(kind_of(ext), &name, &bytes)
        };
        match &r {
            Ok(arrays) => {
                seeds::exercise(arrays);
                let shapes: Vec<String> = arrays.iter().map(|a| a.describe()).collect();
                println!("ok: {}", shapes.join("; "));
            }
            Err(e) => println!("error: {e}"),
        }
        println!(
            "  ({}, {:.2} ms)",
            if via_file { "mapped file" } else { "memory" },
            t.elapsed().as_secs_f64() * 1e3
        );
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Some(path) = arg::<PathBuf>(&args, "--replay") {
        replay(&path);
        return;
    }
    let seconds: f64 = arg(&args, "--seconds").unwrap_or(60.0);
    let seed: u64 = arg(&args, "--seed").unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(1, |d| d.as_nanos() as u64)
    });
    let out: PathBuf = arg(&args, "--out").unwrap_or_else(|| PathBuf::from("target/fuzz_data"));
    let map_every: u64 = arg(&args, "--map-every").unwrap_or(50).max(1);
    std::panic::set_hook(Box::new(|info| {
        let msg = info.to_string();
        if let Ok(mut last) = LAST_PANIC.lock() {
            *last = Some(msg);
        }
    }));

    if args.iter().any(|a| a == "--scenes") {
        fuzz_scenes(seconds, seed, &out);
        return;
    }
    let seeds = seeds::all();
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let scratch = tempfile::tempdir().expect("a temporary directory");
    let start = Instant::now();
    let deadline = start + Duration::from_secs_f64(seconds);
    let mut next_report = start + Duration::from_secs(30);
    let (mut inputs, mut ok, mut err, mut mapped, mut crashes) = (0u64, 0u64, 0u64, 0u64, 0u64);
    let mut slowest = (Duration::ZERO, String::new(), Vec::new());
    let mut per_kind = [0u64; 3];
    println!(
        "fuzz_data: {} seeds, seed {seed}, {seconds} s, crashes saved to {}",
        seeds.len(),
        out.display()
    );
    while Instant::now() < deadline {
        // A format first, then one of its seeds, so .npz and .csv get a fair share.
        let ext = ["npy", "npz", "csv"][rng.random_range(0..3)];
        let of_kind: Vec<_> = seeds.iter().filter(|s| s.0 == ext).collect();
        let (ext, name, base) = of_kind[rng.random_range(0..of_kind.len())];
        let mut bytes = base.clone();
        if rng.random_range(0..8) == 0 {
            let cut = rng.random_range(0..=bytes.len());
            bytes.truncate(cut);
            let n = rng.random_range(0..512);
            bytes.extend((0..n).map(|_| rng.random_range(0..=255u8)));
        } else {
            for _ in 0..rng.random_range(1..=8) {
                seeds::mutate(&mut bytes, &mut |n| rng.random_range(0..n.max(1)));
            }
        }
        let kind = kind_of(ext);
        per_kind[kind as usize] += 1;
        let via_file = inputs % map_every == 0;
        let t = Instant::now();
        let result = catch_unwind(AssertUnwindSafe(|| {
            let r = if via_file {
                let path = scratch.path().join(name);
                std::fs::write(&path, &bytes).expect("write a scratch file");
                open_with(&path, &ReadOptions::always_map())
            } else {
                read_bytes(kind, name, &bytes)
            };
            if let Ok(arrays) = &r {
                seeds::exercise(arrays);
            }
            r.map(|a: Vec<Array>| a.len())
        }));
        let took = t.elapsed();
        if took > slowest.0 {
            slowest = (took, name.clone(), bytes.clone());
        }
        inputs += 1;
        mapped += via_file as u64;
        match result {
            Ok(Ok(_)) => ok += 1,
            Ok(Err(_)) => err += 1,
            Err(_) => {
                crashes += 1;
                let msg = LAST_PANIC
                    .lock()
                    .ok()
                    .and_then(|mut m| m.take())
                    .unwrap_or_default();
                let _ = std::fs::create_dir_all(&out);
                let file = out.join(format!("crash-{crashes}.{ext}"));
                let _ = std::fs::write(&file, &bytes);
                let _ = std::fs::write(out.join(format!("crash-{crashes}.txt")), &msg);
                println!("CRASH {} ({name}): {msg}", file.display());
            }
        }
        if Instant::now() >= next_report {
            next_report += Duration::from_secs(30);
            println!(
                "{:>5.0} s: {inputs} inputs ({ok} ok, {err} errors), {crashes} crashes",
                start.elapsed().as_secs_f64()
            );
        }
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "done: {inputs} inputs in {secs:.0} s ({:.0}/s): {ok} read, {err} refused with an error, \
         {crashes} crashes; {} .npy, {} .npz, {} .csv; {mapped} through memory-mapped files; \
         slowest input {:.1} ms ({})",
        inputs as f64 / secs,
        per_kind[FileKind::Npy as usize],
        per_kind[FileKind::Npz as usize],
        per_kind[FileKind::Csv as usize],
        slowest.0.as_secs_f64() * 1000.0,
        slowest.1
    );
    let _ = std::fs::create_dir_all(&out);
    let _ = std::fs::write(out.join(format!("slowest-{}", slowest.1)), &slowest.2);
    if crashes > 0 {
        std::process::exit(1);
    }
}

/// The `--scenes` run: mutated scene files parsed, built and their frames made.
fn fuzz_scenes(seconds: f64, seed: u64, out: &std::path::Path) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/data");
    let mut seeds: Vec<(String, String)> = std::fs::read_dir(&dir)
        .expect("examples/data")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            matches!(
                p.extension().and_then(|e| e.to_str()),
                Some("toml" | "json")
            )
        })
        .filter_map(|p| {
            let name = p.file_name()?.to_string_lossy().into_owned();
            Some((name, std::fs::read_to_string(&p).ok()?))
        })
        .collect();
    seeds.sort();
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let start = Instant::now();
    let deadline = start + Duration::from_secs_f64(seconds);
    let (mut inputs, mut built, mut crashes) = (0u64, 0u64, 0u64);
    println!(
        "fuzz_data --scenes: {} scene files, seed {seed}, {seconds} s, crashes saved to {}",
        seeds.len(),
        out.display()
    );
    while Instant::now() < deadline {
        let (name, text) = &seeds[rng.random_range(0..seeds.len())];
        let mut t = text.clone();
        for _ in 0..rng.random_range(1..=4) {
            t = scene_seeds::mutate(
                &t,
                rng.random_range(0..4),
                rng.random_range(0..usize::MAX),
                rng.random_range(0..usize::MAX),
            );
        }
        if rng.random_range(0..4) == 0 && !t.is_empty() {
            let mut b = t.into_bytes();
            for _ in 0..rng.random_range(1..=4) {
                let at = rng.random_range(0..b.len());
                b[at] = rng.random_range(0..=255u8);
            }
            t = String::from_utf8_lossy(&b).into_owned();
        }
        let result = catch_unwind(AssertUnwindSafe(|| scene_seeds::exercise(name, &t, &dir)));
        inputs += 1;
        match result {
            Ok(b) => built += b as u64,
            Err(_) => {
                crashes += 1;
                let msg = LAST_PANIC
                    .lock()
                    .ok()
                    .and_then(|mut m| m.take())
                    .unwrap_or_default();
                let _ = std::fs::create_dir_all(out);
                let file = out.join(format!("crash-{crashes}-{name}"));
                let _ = std::fs::write(&file, &t);
                println!("CRASH {}: {msg}", file.display());
            }
        }
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "done: {inputs} scene files in {secs:.0} s ({:.0}/s): {built} built, {} refused with an \
         error, {crashes} crashes",
        inputs as f64 / secs,
        inputs - built - crashes
    );
    if crashes > 0 {
        std::process::exit(1);
    }
}
