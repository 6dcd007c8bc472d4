//! The `flipbook` binary: listing, exporting, and bad input answered with one line, a non-zero
//! exit and no output file.

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

#[test]
fn unwritable_directory_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let ro = dir.path().join("ro");
    std::fs::create_dir(&ro).unwrap();
    let mut perm = std::fs::metadata(&ro).unwrap().permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut perm, 0o555);
    std::fs::set_permissions(&ro, perm).unwrap();
    // root can write anywhere; the check only means something for other users.
    let probe = ro.join("probe");
    if std::fs::write(&probe, b"").is_ok() {
        std::fs::remove_file(&probe).unwrap();
        return;
    }
    let out = flipbook(
        &["export", "lorenz", "-o", "ro/a.gif", "--frames", "2"],
        dir.path(),
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot write here"));
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
        eprintln!("skipped the MP4 part: ffmpeg is not installed");
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
