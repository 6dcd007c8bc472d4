//! The `flipbook` binary: listing, exporting, and bad input answered with one line, a non-zero
//! exit and no output file.

use std::path::Path;
use std::process::{Command, Output};

fn flipbook(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_flipbook")).args(args).current_dir(cwd).output().expect("run flipbook")
}

#[test]
fn list_names_every_scene_on_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let out = flipbook(&["list"], dir.path());
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let names: Vec<&str> = flipbook::generators::builtin_scenes().iter().map(|s| s.name).collect();
    assert_eq!(text.lines().count(), names.len());
    for (line, name) in text.lines().zip(names) {
        assert!(line.starts_with(name) && line.len() > name.len() + 10, "{line}");
    }
}

#[test]
fn export_writes_gif_and_reports() {
    let dir = tempfile::tempdir().unwrap();
    let out = flipbook(&["export", "lorenz", "-o", "l.gif", "--frames", "6", "--size", "160x120", "--fps", "12"], dir.path());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("wrote l.gif") && stdout.contains("6 frames") && stdout.contains(" s "), "{stdout}");
    assert!(out.stderr.is_empty(), "no progress bar or noise when not a terminal: {}", String::from_utf8_lossy(&out.stderr));
    let dec = gif::DecodeOptions::new().read_info(std::fs::File::open(dir.path().join("l.gif")).unwrap()).unwrap();
    assert_eq!((dec.width(), dec.height()), (160, 120));
}

#[test]
fn bad_input_gets_one_line_and_no_output() {
    let dir = tempfile::tempdir().unwrap();
    let cases: &[(&[&str], &str)] = &[
        (&["export", "nosuch", "-o", "a.gif"], "unknown scene 'nosuch'"),
        (&["export", "lorenz", "-o", "a.xyz"], "unknown extension '.xyz'"),
        (&["export", "lorenz", "-o", "a"], "no file extension"),
        (&["export", "lorenz", "-o", "missing/a.gif"], "does not exist"),
        (&["export", "lorenz", "-o", "a.gif", "--frames", "0"], "--frames"),
        (&["export", "lorenz", "-o", "a.gif", "--frames", "-3"], "--frames"),
        (&["export", "lorenz", "-o", "a.gif", "--fps", "0"], "--fps"),
        (&["export", "lorenz", "-o", "a.gif", "--fps", "-1"], "--fps"),
        (&["export", "lorenz", "-o", "a.gif", "--size", "0x480"], "--size"),
        (&["export", "lorenz", "-o", "a.gif", "--size", "-640x480"], "--size"),
        (&["export", "lorenz", "-o", "a.gif", "--size", "640by480"], "--size"),
        (&["export", "lorenz", "-o", "a.gif", "--size", "100000x100"], "largest texture side"),
        (&["export", "lorenz", "-o", "a.gif", "--format", "bmp"], "bmp"),
        (&["export", "lorenz"], "--output"),
    ];
    for (args, want) in cases {
        let out = flipbook(args, dir.path());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{args:?} should fail");
        assert_eq!(stderr.trim_end().lines().count(), 1, "{args:?}: one line, got {stderr:?}");
        assert!(stderr.contains(want), "{args:?}: {stderr:?} should mention {want:?}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0, "{args:?} left files behind");
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
    let out = flipbook(&["export", "lorenz", "-o", "ro/a.gif", "--frames", "2"], dir.path());
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot write here"));
}
