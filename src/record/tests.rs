//! Recording round trips, a growing file's tail, damage in the middle, the writer lock and
//! version checks.

use super::format::{self, HEAD_LEN};
use super::*;
use crate::FrameGenerator;
use crate::data::{Array, ArrayTable, DType, DataScene, SceneSpec, spec::Syntax};
use std::path::Path;

const SPEC: &str = r#"{
  "figure": {"fps": 10, "suptitle": "epoch {step}"},
  "panels": [
    {"title": "loss {loss:.3f}", "layers": [
        {"kind": "line", "x": "@x", "y": "@y"},
        {"kind": "scatter", "points": "@p"}]},
    {"layers": [{"kind": "image", "data": "@img"}]}
  ],
  "vars": {"loss": "@loss"}
}"#;

const T: usize = 12;

fn y(t: usize) -> Vec<f32> {
    (0..50)
        .map(|k| ((k + t) as f32 / 7.0).sin() * (1.0 + t as f32))
        .collect()
}
fn p(t: usize) -> Vec<f32> {
    (0..40)
        .flat_map(|k| [k as f32 * 0.1 + t as f32, (k as f32).cos() - t as f32])
        .collect()
}
/// The image changes every third frame only.
fn img(t: usize) -> Vec<u8> {
    (0..28 * 28)
        .map(|k| ((k + 10 * (t / 3)) % 256) as u8)
        .collect()
}
fn loss(t: usize) -> f32 {
    1.0 / (1.0 + t as f32)
}

/// Writes T frames; returns the writer unfinished when `finish` is false.
fn write(path: &Path, frames: usize, finish: bool) -> Option<RecordingWriter> {
    let mut w = RecordingWriter::create(path, SPEC).unwrap();
    let x = w.add_array("@x", DType::F32, &[50], false).unwrap();
    let yid = w.add_array("@y", DType::F32, &[50], true).unwrap();
    let pid = w.add_array("@p", DType::F32, &[40, 2], true).unwrap();
    let iid = w.add_array("@img", DType::U8, &[28, 28], true).unwrap();
    let lid = w.add_array("@loss", DType::F32, &[], true).unwrap();
    let xs: Vec<u8> = (0..50)
        .flat_map(|k| (k as f32 * 0.2).to_le_bytes())
        .collect();
    w.write_static(x, &xs).unwrap();
    for t in 0..frames {
        let yb: Vec<u8> = y(t).iter().flat_map(|v| v.to_le_bytes()).collect();
        let pb: Vec<u8> = p(t).iter().flat_map(|v| v.to_le_bytes()).collect();
        let lb = loss(t).to_le_bytes();
        let ib = img(t);
        let mut changed: Vec<(u32, &[u8])> = vec![(yid, &yb), (pid, &pb), (lid, &lb)];
        if t % 3 == 0 {
            changed.push((iid, &ib));
        }
        assert_eq!(w.frame(&changed).unwrap(), t as u64);
    }
    if finish {
        w.finish().unwrap();
        None
    } else {
        Some(w)
    }
}

/// The same scene from whole (T, ...) arrays, as a scene file with .npz would give.
fn whole(frames: usize) -> DataScene {
    let spec = SceneSpec::parse(SPEC, Syntax::Json, Path::new("")).unwrap();
    let mut t = ArrayTable::default();
    let xs: Vec<f32> = (0..50).map(|k| k as f32 * 0.2).collect();
    t.named
        .insert("@x".into(), Array::new("x", vec![50], xs).unwrap());
    let ys: Vec<f32> = (0..frames).flat_map(y).collect();
    t.named
        .insert("@y".into(), Array::new("y", vec![frames, 50], ys).unwrap());
    let ps: Vec<f32> = (0..frames).flat_map(p).collect();
    t.named.insert(
        "@p".into(),
        Array::new("p", vec![frames, 40, 2], ps).unwrap(),
    );
    let is: Vec<u8> = (0..frames).flat_map(img).collect();
    t.named.insert(
        "@img".into(),
        Array::new("img", vec![frames, 28, 28], is).unwrap(),
    );
    let ls: Vec<f32> = (0..frames).map(loss).collect();
    t.named.insert(
        "@loss".into(),
        Array::new("loss", vec![frames], ls).unwrap(),
    );
    DataScene::build(&spec, Path::new("."), &t, Path::new("")).unwrap()
}

#[test]
fn a_recording_draws_exactly_like_the_same_data_from_files() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("run.flipbook");
    write(&path, T, true);
    let rec = Recording::open(&path).unwrap();
    assert_eq!(rec.frame_count(), T);
    assert_eq!(rec.fps(), 10.0);
    assert_eq!(rec.status(), RunStatus::Ended);
    assert!(rec.problems().is_empty());
    let files = whole(T);
    for i in [0, 1, 2, 3, 7, T - 1] {
        assert_eq!(
            format!("{:?}", rec.frame(i)),
            format!("{:?}", files.frame(i)),
            "frame {i}"
        );
    }
    assert!(rec.frame_time(0).unwrap() > 1.6e9);
}

#[test]
fn a_growing_file_is_followed_and_limits_cover_frames_so_far() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("run.flipbook");
    let mut w = write(&path, 4, false).unwrap();
    let rec = Recording::open(&path).unwrap();
    assert_eq!(rec.frame_count(), 4);
    assert_eq!(rec.status(), RunStatus::Running);
    assert_eq!(
        format!("{:?}", rec.frame(3)),
        format!("{:?}", whole(4).frame(3))
    );
    for t in 4..T {
        let yb: Vec<u8> = y(t).iter().flat_map(|v| v.to_le_bytes()).collect();
        let pb: Vec<u8> = p(t).iter().flat_map(|v| v.to_le_bytes()).collect();
        let lb = loss(t).to_le_bytes();
        let ib = img(t);
        let mut changed: Vec<(u32, &[u8])> = vec![(1, &yb), (2, &pb), (4, &lb)];
        if t % 3 == 0 {
            changed.push((3, &ib));
        }
        w.frame(&changed).unwrap();
    }
    assert_eq!(rec.refresh().unwrap(), T - 4);
    assert_eq!(rec.frame_count(), T);
    assert_eq!(
        format!("{:?}", rec.frame(T - 1)),
        format!("{:?}", whole(T).frame(T - 1))
    );
    drop(w); // dropping a writer ends the run
    rec.refresh().unwrap();
    assert_eq!(rec.status(), RunStatus::Ended);
}

#[test]
fn a_killed_writer_leaves_a_stopped_run() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("run.flipbook");
    let w = write(&path, 5, false).unwrap();
    std::mem::forget(w); // no end record, but the lock is still held by the leaked handle
    // Simulate the process dying: copy the bytes (no lock on the copy).
    let copy = dir.path().join("copy.flipbook");
    std::fs::copy(&path, &copy).unwrap();
    let rec = Recording::open(&copy).unwrap();
    assert_eq!(rec.frame_count(), 5);
    assert_eq!(rec.status(), RunStatus::Stopped);
}

#[test]
fn every_truncation_of_the_last_record_is_not_yet() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("run.flipbook");
    std::mem::forget(write(&path, 3, false));
    let full = std::fs::read(&path).unwrap();
    // Where the last frame record starts.
    let start = *record_offsets(&full).last().unwrap();
    let cut = dir.path().join("cut.flipbook");
    for end in start..full.len() {
        std::fs::write(&cut, &full[..end]).unwrap();
        let rec = Recording::open(&cut).unwrap();
        assert_eq!(rec.frame_count(), 2, "cut at {end}");
        assert!(
            rec.problems().is_empty(),
            "cut at {end}: {:?}",
            rec.problems()
        );
    }
    // Every cut of the file header and header record: not a recording yet, no error.
    for end in 0..40 {
        std::fs::write(&cut, &full[..end]).unwrap();
        let rec = Recording::open(&cut).unwrap();
        assert_eq!(rec.frame_count(), 0);
    }
    // And the rest arriving later is picked up.
    std::fs::write(&cut, &full[..start + 10]).unwrap();
    let rec = Recording::open(&cut).unwrap();
    std::fs::write(&cut, &full).unwrap();
    assert_eq!(rec.refresh().unwrap(), 1);
}

/// Offsets of every record in a file (walking the length prefixes).
fn record_offsets(bytes: &[u8]) -> Vec<usize> {
    let mut out = Vec::new();
    let mut pos = format::FILE_HEADER_LEN;
    while pos + HEAD_LEN <= bytes.len() {
        out.push(pos);
        let len = u32::from_le_bytes(bytes[pos + 8..pos + 12].try_into().unwrap()) as usize;
        pos += HEAD_LEN + len + format::TAIL_LEN;
    }
    out
}

#[test]
fn damage_in_the_middle_is_reported_with_its_offset_and_later_frames_load() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("run.flipbook");
    write(&path, T, true);
    let good = std::fs::read(&path).unwrap();
    let offsets = record_offsets(&good);
    // Records: header, 5 arrays, 1 static, T frames, end. Frame 5 is record 7 + 5.
    let frame5 = offsets[7 + 5];
    for (what, at) in [("payload", frame5 + HEAD_LEN + 30), ("head", frame5 + 9)] {
        let mut bad = good.clone();
        bad[at] ^= 0x40;
        let damaged = dir.path().join(format!("bad-{what}.flipbook"));
        std::fs::write(&damaged, &bad).unwrap();
        let rec = Recording::open(&damaged).unwrap();
        let problems = rec.problems();
        assert_eq!(problems.len(), 1, "{what}: {problems:?}");
        assert_eq!(problems[0].offset, frame5 as u64, "{what}: {problems:?}");
        assert_eq!(rec.frame_count(), T - 1, "{what}");
        assert_eq!(rec.status(), RunStatus::Ended);
        // Frames after the damage still load: the recording's frame 5 is the writer's frame 6.
        assert_eq!(
            format!("{:?}", rec.frame(5).panels[1]),
            format!("{:?}", whole(T).frame(6).panels[1])
        );
    }
    // Garbage inserted between records: skipped by scanning for the next marker.
    let mut bad = good[..frame5].to_vec();
    bad.extend_from_slice(&[0x55; 1000]);
    bad.extend_from_slice(&good[frame5..]);
    std::fs::write(&path, &bad).unwrap();
    let rec = Recording::open(&path).unwrap();
    assert_eq!(rec.frame_count(), T);
    assert_eq!(rec.problems().len(), 1);
    assert_eq!(rec.problems()[0].offset, frame5 as u64);
}

#[test]
fn a_damaged_header_is_named_as_such_not_as_a_run_just_starting() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("run.flipbook");
    write(&path, T, true);
    let good = std::fs::read(&path).unwrap();
    let header = record_offsets(&good)[0];
    for at in [header + HEAD_LEN + 20, header + 5] {
        let mut bad = good.clone();
        bad[at] ^= 0x40;
        std::fs::write(&path, &bad).unwrap();
        let e = Recording::open(&path)
            .err()
            .expect("a damaged header is an error");
        assert!(
            matches!(e, RecordError::DamagedHeader { offset, .. } if offset == header as u64),
            "{e}"
        );
        let text = e.to_string();
        assert!(
            text.contains("scene header is damaged") && text.contains(&format!("byte {header}")),
            "{text}"
        );
    }
    // A header not yet complete (the writer just started) is no error.
    std::fs::write(&path, &good[..header + HEAD_LEN + 20]).unwrap();
    let rec = Recording::open(&path).unwrap();
    assert!(!rec.has_header());
    assert_eq!(rec.frame_count(), 0);
}

#[test]
fn a_second_writer_is_refused_and_the_first_keeps_its_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("run.flipbook");
    let w = write(&path, 3, false).unwrap();
    let e = RecordingWriter::create(&path, SPEC).err().unwrap();
    assert!(matches!(e, RecordError::Locked { .. }), "{e}");
    assert!(e.to_string().contains("another writer"), "{e}");
    drop(w);
    assert_eq!(Recording::open(&path).unwrap().frame_count(), 3);
    // Once the first has finished, a new run may replace the file.
    let w2 = write(&path, 1, true);
    assert!(w2.is_none());
    assert_eq!(Recording::open(&path).unwrap().frame_count(), 1);
}

#[test]
fn other_formats_and_newer_versions_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("run.flipbook");
    std::fs::write(&path, b"PK\x03\x04 not a recording at all").unwrap();
    let e = Recording::open(&path).err().unwrap();
    assert!(matches!(e, RecordError::NotARecording { .. }), "{e}");
    let mut newer = format::file_header().to_vec();
    newer[8..12].copy_from_slice(&7u32.to_le_bytes());
    std::fs::write(&path, &newer).unwrap();
    let e = Recording::open(&path).err().unwrap().to_string();
    assert!(e.contains("version 7") && e.contains("version 1"), "{e}");
}

#[test]
fn writers_check_what_they_are_given() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("run.flipbook");
    assert!(matches!(
        RecordingWriter::create(&path, "{not json").err().unwrap(),
        RecordError::Spec { .. }
    ));
    let mut w = RecordingWriter::create(&path, SPEC).unwrap();
    let y = w.add_array("@y", DType::F32, &[50], true).unwrap();
    let _p = w.add_array("@p", DType::F32, &[40, 2], true).unwrap();
    let e = w.frame(&[(y, &[0u8; 200])]).err().unwrap().to_string();
    assert!(e.contains("missing @p"), "{e}");
    let e = w.frame(&[(y, &[0u8; 12])]).err().unwrap().to_string();
    assert!(e.contains("takes 200 bytes, got 12"), "{e}");
    assert!(w.add_array("@y", DType::F32, &[1], true).is_err());
}

#[test]
fn a_spec_that_does_not_fit_its_arrays_is_an_error_naming_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("run.flipbook");
    let mut w = RecordingWriter::create(
        &path,
        r#"{"panels": [{"layers": [{"kind": "scatter", "points": "@p"}]}]}"#,
    )
    .unwrap();
    let p = w.add_array("@p", DType::F32, &[5], true).unwrap();
    w.frame(&[(p, &[0u8; 20])]).unwrap();
    let e = Recording::open(&path).err().unwrap().to_string();
    assert!(e.contains("panels[0].layers[0].points"), "{e}");
}

#[test]
fn a_recording_streams_over_tcp_to_a_listener_that_follows_it() {
    let dir = tempfile::tempdir().unwrap();
    let spool = dir.path().join("live.flipbook");
    let listener = Listener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr();
    // A second listener on the same port is refused, naming the address.
    let e = Listener::bind(&addr).err().unwrap().to_string();
    assert!(e.contains(&addr), "{e}");
    let spooler = listener.spool_into(&spool).unwrap();
    let mut w = RecordingWriter::connect(&addr, SPEC, None).unwrap();
    let x = w.add_array("@x", DType::F32, &[50], false).unwrap();
    let ids: Vec<u32> = ["@y", "@p", "@img", "@loss"]
        .iter()
        .zip([vec![50], vec![40, 2], vec![28, 28], vec![]])
        .map(|(n, s)| {
            let d = if *n == "@img" { DType::U8 } else { DType::F32 };
            w.add_array(n, d, &s, true).unwrap()
        })
        .collect();
    let xs: Vec<u8> = (0..50)
        .flat_map(|k| (k as f32 * 0.2).to_le_bytes())
        .collect();
    w.write_static(x, &xs).unwrap();
    for t in 0..3 {
        let yb: Vec<u8> = y(t).iter().flat_map(|v| v.to_le_bytes()).collect();
        let pb: Vec<u8> = p(t).iter().flat_map(|v| v.to_le_bytes()).collect();
        let lb = loss(t).to_le_bytes();
        let ib = img(t);
        w.frame(&[(ids[0], &yb), (ids[1], &pb), (ids[2], &ib), (ids[3], &lb)])
            .unwrap();
    }
    // The listener holds the spool's lock while the writer is connected: running.
    let rec = loop {
        let r = Recording::open(&spool).unwrap();
        if r.frame_count() == 3 {
            break r;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    };
    assert_eq!(rec.status(), RunStatus::Running);
    // The writer ends: the spooler sees the stream close and lets go of the file.
    drop(w);
    let bytes = spooler.join().unwrap().unwrap();
    assert_eq!(bytes, std::fs::metadata(&spool).unwrap().len());
    rec.refresh().unwrap();
    assert_eq!(rec.status(), RunStatus::Ended);
    assert_eq!(
        format!("{:?}", rec.frame(2)),
        format!("{:?}", whole(3).frame(2))
    );
}

#[test]
fn connecting_to_no_viewer_says_how_to_start_one() {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = l.local_addr().unwrap().to_string();
    drop(l);
    let e = RecordingWriter::connect(&addr, SPEC, None)
        .err()
        .unwrap()
        .to_string();
    assert!(e.contains("flipbook view --listen"), "{e}");
}

#[test]
fn a_stream_kept_locally_goes_on_into_the_file_when_the_viewer_goes_away() {
    let dir = tempfile::tempdir().unwrap();
    let kept = dir.path().join("kept.flipbook");
    let viewer = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = viewer.local_addr().unwrap().to_string();
    let mut w = RecordingWriter::connect(&addr, SPEC, Some(&kept)).unwrap();
    // A second writer on the local copy is refused, as for any recording.
    let e = RecordingWriter::create(&kept, SPEC).err().unwrap();
    assert!(matches!(e, RecordError::Locked { .. }), "{e}");
    let (conn, _) = viewer.accept().unwrap();
    let ids = [
        w.add_array("@y", DType::F32, &[50], true).unwrap(),
        w.add_array("@p", DType::F32, &[40, 2], true).unwrap(),
        w.add_array("@img", DType::U8, &[28, 28], true).unwrap(),
        w.add_array("@loss", DType::F32, &[], true).unwrap(),
    ];
    let x = w.add_array("@x", DType::F32, &[50], false).unwrap();
    w.write_static(x, &[0u8; 200]).unwrap();
    let frame = |w: &mut RecordingWriter, t: usize| {
        let yb: Vec<u8> = y(t).iter().flat_map(|v| v.to_le_bytes()).collect();
        let pb: Vec<u8> = p(t).iter().flat_map(|v| v.to_le_bytes()).collect();
        let (ib, lb) = (img(t), loss(t).to_le_bytes());
        let changed: Vec<(u32, &[u8])> =
            vec![(ids[0], &yb), (ids[1], &pb), (ids[2], &ib), (ids[3], &lb)];
        w.frame(&changed).unwrap()
    };
    frame(&mut w, 0);
    assert_eq!(w.viewer_gone(), None);
    // The viewer closes; writes fail once the peer's reset arrives, and the run goes on.
    drop(conn);
    drop(viewer);
    let mut t = 1;
    while w.viewer_gone().is_none() {
        assert!(t < 10_000, "the writer never noticed the viewer had gone");
        frame(&mut w, t);
        t += 1;
    }
    frame(&mut w, t);
    w.finish().unwrap();
    let rec = Recording::open(&kept).unwrap();
    assert_eq!(rec.frame_count(), t + 1);
    assert_eq!(rec.status(), RunStatus::Ended);
    assert!(rec.problems().is_empty(), "{:?}", rec.problems());
}
