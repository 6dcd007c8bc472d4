//! The `flipbook` binary: listing, exporting, and bad input answered with one line, a non-zero
//! exit and no output file; an interrupted export (SIGINT, SIGTERM) removes its temporary.
//! Needs the binary (feature `cli`).
#![cfg(feature = "cli")]

mod common;

use std::path::Path;
use std::process::{Command, Output};

fn flipbook(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_flipbook"))
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("run flipbook")
}

#[test]
fn list_names_every_scene_on_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let out = flipbook(&["list"], dir.path());
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let names: Vec<&str> = flipbook::scenes::builtin_scenes()
        .iter()
        .map(|s| s.name)
        .collect();
    assert_eq!(text.lines().count(), names.len());
    for (line, name) in text.lines().zip(names) {
        assert!(
            line.starts_with(name) && line.len() > name.len() + 10,
            "{line}"
        );
    }
}

#[test]
fn export_writes_gif_and_reports() {
    let dir = tempfile::tempdir().unwrap();
    let out = flipbook(
        &[
            "export", "lorenz", "-o", "l.gif", "--frames", "6", "--size", "160x120", "--fps", "12",
        ],
        dir.path(),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("wrote l.gif") && stdout.contains("6 frames") && stdout.contains(" s "),
        "{stdout}"
    );
    assert!(
        out.stderr.is_empty(),
        "no progress bar or noise when not a terminal: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let dec = gif::DecodeOptions::new()
        .read_info(std::fs::File::open(dir.path().join("l.gif")).unwrap())
        .unwrap();
    assert_eq!((dec.width(), dec.height()), (160, 120));
}

#[test]
fn bad_input_gets_one_line_and_no_output() {
    let dir = tempfile::tempdir().unwrap();
    let cases: &[(&[&str], &str)] = &[
        (
            &["export", "nosuch", "-o", "a.gif"],
            "unknown scene 'nosuch'",
        ),
        (
            &["export", "lorenz", "-o", "a.xyz"],
            "unknown extension '.xyz'",
        ),
        (&["export", "lorenz", "-o", "a"], "no file extension"),
        (
            &["export", "lorenz", "-o", "missing/a.gif"],
            "does not exist",
        ),
        (
            &["export", "lorenz", "-o", "a.gif", "--frames", "0"],
            "--frames",
        ),
        (
            &["export", "lorenz", "-o", "a.gif", "--frames", "-3"],
            "--frames",
        ),
        (&["export", "lorenz", "-o", "a.gif", "--fps", "0"], "--fps"),
        (&["export", "lorenz", "-o", "a.gif", "--fps", "-1"], "--fps"),
        (
            &["export", "lorenz", "-o", "a.gif", "--size", "0x480"],
            "--size",
        ),
        (
            &["export", "lorenz", "-o", "a.gif", "--size", "-640x480"],
            "--size",
        ),
        (
            &["export", "lorenz", "-o", "a.gif", "--size", "640by480"],
            "--size",
        ),
        (
            &["export", "lorenz", "-o", "a.gif", "--size", "100000x100"],
            "largest texture side",
        ),
        (
            &["export", "lorenz", "-o", "a.gif", "--format", "bmp"],
            "bmp",
        ),
        (&["export", "lorenz"], "--output"),
        (
            &["export", "lorenz", "-o", "a.gif", "--start", "300"],
            "--start must be below 240",
        ),
        (
            &["export", "lorenz", "-o", "a.gif", "--end", "500"],
            "frames 0..240 (--end is exclusive",
        ),
        (
            &[
                "export", "lorenz", "-o", "a.gif", "--start", "5", "--end", "5",
            ],
            "--end is exclusive",
        ),
        (
            &["export", "lorenz", "-o", "a.gif", "--start", "-1"],
            "--start",
        ),
        (&["export", "lorenz", "-o", "a.apng", "--end", "x"], "--end"),
        (
            &["export", "lorenz", "-o", "a.mp4", "--crf", "52"],
            "--crf '52': must be 0 (best) to 51",
        ),
        (&["export", "lorenz", "-o", "a.mp4", "--crf", "-2"], "--crf"),
        (
            &["export", "lorenz", "-o", "a.webm", "--crf", "64"],
            "--crf",
        ),
        (&["export", "lorenz", "-o", "a.gif", "--crf", "20"], "--crf"),
        (
            &[
                "export",
                "lorenz",
                "-o",
                "a.html",
                "--html-embed",
                "webp",
                "--bitrate",
                "1M",
            ],
            "an .html player embedding video",
        ),
        (
            &["export", "lorenz", "-o", "a.mp4", "--bitrate", "fast"],
            "--bitrate",
        ),
        (
            &["export", "lorenz", "-o", "a.mp4", "--bitrate", "10"],
            "--bitrate",
        ),
        (
            &[
                "export",
                "lorenz",
                "-o",
                "a.mp4",
                "--crf",
                "20",
                "--bitrate",
                "1M",
            ],
            "--bitrate",
        ),
        (
            &["export", "lorenz", "-o", "a.gif", "--dither", "lots"],
            "--dither",
        ),
        (
            &["export", "lorenz", "-o", "a.apng", "--dither", "ordered"],
            "--dither",
        ),
        (
            &["export", "lorenz", "-o", "a.html", "--html-embed", "gif"],
            "--html-embed",
        ),
        (
            &["export", "lorenz", "-o", "a.html", "--format", "mov"],
            "'mov'",
        ),
        (
            &["export", "lorenz", "-o", "missing/a.mp4"],
            "does not exist",
        ),
        (
            &["export", "lorenz", "-o", "missing/a.html"],
            "does not exist",
        ),
        (
            &["export", "lorenz", "-o", "missing/a.apng"],
            "does not exist",
        ),
    ];
    for (args, want) in cases {
        let out = flipbook(args, dir.path());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{args:?} should fail");
        assert_eq!(
            stderr.trim_end().lines().count(),
            1,
            "{args:?}: one line, got {stderr:?}"
        );
        assert!(
            stderr.contains(want),
            "{args:?}: {stderr:?} should mention {want:?}"
        );
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            0,
            "{args:?} left files behind"
        );
    }
}

/// Asserts that `out` is a clean failure: a non-zero exit code (not a crash by signal), one
/// line on stderr mentioning every string in `wants`, no panic.
fn assert_one_line_error(out: &Output, wants: &[&str], what: &str) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        matches!(out.status.code(), Some(c) if c != 0),
        "{what}: a non-zero exit, not a crash: {:?} {stderr}",
        out.status
    );
    assert_eq!(
        stderr.trim_end().lines().count(),
        1,
        "{what}: one line, got {stderr:?}"
    );
    assert!(!stderr.contains("panicked"), "{what}: {stderr}");
    for want in wants {
        assert!(
            stderr.contains(want),
            "{what}: {stderr:?} should mention {want:?}"
        );
    }
}

#[test]
fn unwritable_directory_is_reported() {
    // /sys refuses new files even to root (EACCES), so this runs as root in CI, where
    // permission bits alone would not stop anyone.
    let sys = Path::new("/sys");
    if sys.is_dir() {
        let dir = tempfile::tempdir().unwrap();
        let dest = sys.join("flipbook-test.gif");
        assert!(
            std::fs::write(&dest, b"").is_err(),
            "/sys should refuse new files"
        );
        for args in [
            &[
                "export",
                "lorenz",
                "-o",
                "/sys/flipbook-test.gif",
                "--frames",
                "2",
            ][..],
            &[
                "export",
                "sine",
                "-o",
                "/sys/flipbook-test_%03d.png",
                "--frames",
                "2",
            ],
            &[
                "export",
                "lorenz",
                "-o",
                "/sys/flipbook-test.apng",
                "--frames",
                "2",
            ],
        ] {
            let out = flipbook(args, dir.path());
            assert_one_line_error(
                &out,
                &["cannot write to directory '/sys'", "/sys/flipbook-test"],
                &args.join(" "),
            );
            assert!(!dest.exists());
        }
        let strays: Vec<_> = std::fs::read_dir(sys)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with("flipbook-test") || n.starts_with(".flipbook-"))
            .collect();
        assert!(strays.is_empty(), "{strays:?}");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    } else {
        eprintln!("skipped the /sys case: this system has no /sys directory");
    }

    // A read-only directory: refused by permissions for anyone but root, who may write there
    // (the /sys case above covers root).
    let dir = tempfile::tempdir().unwrap();
    let ro = dir.path().join("ro");
    std::fs::create_dir(&ro).unwrap();
    let mut perm = std::fs::metadata(&ro).unwrap().permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut perm, 0o555);
    std::fs::set_permissions(&ro, perm).unwrap();
    let probe = ro.join("probe");
    if std::fs::write(&probe, b"").is_ok() {
        std::fs::remove_file(&probe).unwrap();
        eprintln!("skipped the read-only directory case: running as root, who may write there");
        return;
    }
    let out = flipbook(
        &["export", "lorenz", "-o", "ro/a.gif", "--frames", "2"],
        dir.path(),
    );
    assert_one_line_error(&out, &["cannot write to directory", "ro/a.gif"], "ro/a.gif");
    assert_eq!(std::fs::read_dir(&ro).unwrap().count(), 0);
}

#[test]
fn frame_counts_and_sizes_beyond_the_machine_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    // 1e14 lorenz frames would precompute ~100 PB: refused before any work, naming the count.
    let out = flipbook(
        &[
            "export",
            "lorenz",
            "-o",
            "x.gif",
            "--frames",
            "100000000000000",
        ],
        dir.path(),
    );
    assert_one_line_error(
        &out,
        &["100000000000000 frames", "memory", "available"],
        "--frames 1e14",
    );
    // A canvas above the GPU's largest texture side (lavapipe: 16384) or, on a GPU that allows
    // it, more memory than the machine has (3.6 GB a frame, several frames in flight).
    let out = flipbook(
        &["export", "lorenz", "-o", "x.gif", "--size", "30000x30000"],
        dir.path(),
    );
    assert_one_line_error(&out, &["30000x30000"], "--size 30000x30000");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("largest texture side") || stderr.contains("memory"),
        "{stderr}"
    );
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

/// Starts a long `flipbook export` to `dir/name`, waits until its temporary output exists (so
/// the export, and its signal handler, are running), sends `signal` and returns the result.
fn interrupt_export(dir: &Path, name: &str, signal: &str) -> Output {
    let child = Command::new(env!("CARGO_BIN_EXE_flipbook"))
        .args([
            "export", "lorenz", "-o", name, "--frames", "100000", "--size", "160x120",
        ])
        .current_dir(dir)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run flipbook");
    let temporary = || {
        std::fs::read_dir(dir)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .find(|n| n.starts_with(".flipbook-") && n.ends_with(".part"))
    };
    // The writability probe makes a short-lived temporary too, before the handler is set:
    // wait for one that stays.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    loop {
        assert!(
            std::time::Instant::now() < deadline,
            "no temporary output within 60 s"
        );
        if let Some(name) = temporary() {
            std::thread::sleep(std::time::Duration::from_millis(300));
            if dir.join(&name).exists() {
                break;
            }
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let sent = Command::new("kill")
        .args(["-s", signal, &child.id().to_string()])
        .status()
        .expect("run kill");
    assert!(sent.success(), "kill -s {signal}");
    child.wait_with_output().expect("wait for flipbook")
}

#[test]
fn interrupted_export_removes_its_temporary_and_keeps_the_old_file() {
    for signal in ["TERM", "INT"] {
        let dir = tempfile::tempdir().unwrap();
        // Nothing there before: nothing there after.
        let out = interrupt_export(dir.path(), "new.gif", signal);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(130), "SIG{signal}: {stderr}");
        assert!(stderr.contains("interrupted"), "SIG{signal}: {stderr}");
        assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().flatten().collect();
        assert!(left.is_empty(), "SIG{signal} left {left:?}");

        // A file already at the destination is kept as it was.
        std::fs::write(dir.path().join("old.gif"), b"precious").unwrap();
        let out = interrupt_export(dir.path(), "old.gif", signal);
        assert_eq!(
            out.status.code(),
            Some(130),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(
            std::fs::read(dir.path().join("old.gif")).unwrap(),
            b"precious"
        );
        common::no_temporaries(dir.path());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}

/// A directory holding only an `ffmpeg` that runs `script` (or no ffmpeg at all), to put
/// alone on PATH.
fn fake_path(script: Option<&str>) -> tempfile::TempDir {
    let bin = tempfile::tempdir().unwrap();
    if let Some(body) = script {
        let path = bin.path().join("ffmpeg");
        std::fs::write(&path, format!("#!/bin/sh\n{body}")).unwrap();
        let mut perm = std::fs::metadata(&path).unwrap().permissions();
        std::os::unix::fs::PermissionsExt::set_mode(&mut perm, 0o755);
        std::fs::set_permissions(&path, perm).unwrap();
    }
    bin
}

fn flipbook_with_path(args: &[&str], cwd: &Path, path: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_flipbook"))
        .args(args)
        .current_dir(cwd)
        .env("PATH", path)
        .output()
        .expect("run flipbook")
}

#[test]
fn missing_ffmpeg_names_the_package_and_the_alternatives() {
    let dir = tempfile::tempdir().unwrap();
    let bin = fake_path(None);
    for args in [
        &["-o", "a.mp4"][..],
        &["-o", "a.webm"],
        &["-o", "a.html", "--html-embed", "video"],
        &["-o", "a.gif", "--format", "mp4"],
    ] {
        let out = flipbook_with_path(
            &[&["export", "lorenz", "--frames", "3"], args].concat(),
            dir.path(),
            bin.path(),
        );
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{args:?}");
        assert_eq!(stderr.trim_end().lines().count(), 1, "{args:?}: {stderr}");
        for want in [
            "ffmpeg is needed to write",
            "apt-get install ffmpeg",
            ".gif, .apng or .html, which need nothing else",
        ] {
            assert!(
                stderr.contains(want),
                "{args:?}: {stderr:?} should mention {want:?}"
            );
        }
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            0,
            "{args:?} left files behind"
        );
    }
    // The formats that need nothing work without it.
    for name in ["a.html", "a.apng", "a.gif"] {
        let out = flipbook_with_path(
            &[
                "export", "lorenz", "--frames", "3", "--size", "64x48", "-o", name,
            ],
            dir.path(),
            bin.path(),
        );
        assert!(
            out.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(dir.path().join(name).exists());
        if name == "a.html" {
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(
                stderr.contains("ffmpeg was not found, so a.html holds lossless WebP frames"),
                "{stderr}"
            );
        }
    }
}

#[test]
fn ffmpeg_failing_shows_its_message_and_keeps_the_old_file() {
    let dir = tempfile::tempdir().unwrap();
    // ffmpeg writes a partial file, then fails mid-way (after five 64x48 frames) or at the end.
    let midway = "for last; do :; done\nprintf partial > \"$last\"\n/usr/bin/head -c 61440 > /dev/null\n\
                  echo '[mp4 @ 0x55d0c0ffee00] simulated: No space left on device' >&2\necho 'Conversion failed!' >&2\nexit 1\n";
    let at_end = "for last; do :; done\nprintf partial > \"$last\"\n/usr/bin/cat > /dev/null\n\
                  echo 'simulated: could not write the index' >&2\nexit 1\n";
    for (script, want) in [
        (midway, "simulated: No space left on device"),
        (at_end, "simulated: could not write the index"),
    ] {
        let bin = fake_path(Some(script));
        for name in ["out.mp4", "out.webm"] {
            std::fs::write(dir.path().join(name), b"precious").unwrap();
            let out = flipbook_with_path(
                &[
                    "export", "lorenz", "--frames", "40", "--size", "64x48", "-o", name,
                ],
                dir.path(),
                bin.path(),
            );
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(!out.status.success(), "{name} should fail");
            assert_eq!(
                stderr.trim_end().lines().count(),
                1,
                "{name}: one line, got {stderr:?}"
            );
            assert!(
                stderr.contains(want) && stderr.contains(name) && stderr.contains("ffmpeg failed"),
                "{name}: {stderr}"
            );
            assert!(
                !stderr.contains("Conversion failed"),
                "the generic line is dropped: {stderr}"
            );
            assert_eq!(
                std::fs::read(dir.path().join(name)).unwrap(),
                b"precious",
                "{name}: the old file is kept"
            );
            let left: Vec<_> = std::fs::read_dir(dir.path())
                .unwrap()
                .flatten()
                .map(|e| e.file_name())
                .collect();
            assert_eq!(
                left.len(),
                1,
                "{name}: partial output removed, got {left:?}"
            );
            std::fs::remove_file(dir.path().join(name)).unwrap();
        }
    }
}

#[test]
fn export_range_and_video_formats_report() {
    let dir = tempfile::tempdir().unwrap();
    let out = flipbook(
        &[
            "export", "lorenz", "-o", "r.apng", "--start", "10", "--end", "14", "--size", "65x49",
        ],
        dir.path(),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("4 frames"));
    if Command::new("ffmpeg").arg("-version").output().is_err() {
        common::skip("the MP4 part: ffmpeg is not installed");
        return;
    }
    let out = flipbook(
        &[
            "export", "lorenz", "-o", "r.mp4", "--end", "5", "--size", "65x49",
        ],
        dir.path(),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("65x49 was padded to 66x50"),
        "the padding is reported: {stderr}"
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("wrote r.mp4: 5 frames"));
}
