//! A 1.6 GB float32 stack (1500 × 512 × 512) read memory-mapped: opening it is immediate,
//! reading frame i costs the same wherever i is, and peak RSS stays far below the file's size.
//! Ignored by default (it writes a 1.6 GB sparse file under the target directory):
//!
//! ```sh
//! cargo test --test data_large -- --ignored --nocapture
//! ```

use std::io::{Seek, SeekFrom, Write};
use std::time::{Duration, Instant};

use flipbook::data::{ReadOptions, open_with};
use npyz::WriterBuilder;

const T: usize = 1500;
const H: usize = 512;
const W: usize = 512;

/// A field of /proc/self/status in bytes (VmRSS: now, VmHWM: peak).
fn status_bytes(field: &str) -> u64 {
    let s = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    s.lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
        .map_or(0, |kb| kb * 1024)
}

fn mb(b: u64) -> f64 {
    b as f64 / 1048576.0
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

#[test]
#[ignore = "writes a 1.6 GB sparse file; run with --ignored"]
fn large_stack_is_mapped_and_seeks_in_constant_time() {
    if !cfg!(target_os = "linux") {
        println!("skipping: RSS is read from /proc (Linux only)");
        return;
    }
    let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
    let path = dir.path().join("stack.npy");
    // The header through npyz's writer, then the data as a sparse (unwritten) region with one
    // marker value at the start and end of a few frames: nothing 1.6 GB is ever in memory.
    let mut out = std::fs::File::create(&path).unwrap();
    let file = npyz::WriteOptions::new_header_only()
        .dtype(npyz::DType::Plain("<f4".parse().unwrap()))
        .shape(&[T as u64, H as u64, W as u64])
        .writer(&mut out)
        .write_header_only()
        .unwrap();
    let data_start = file.stream_position().unwrap();
    let frame_bytes = (H * W * 4) as u64;
    file.set_len(data_start + frame_bytes * T as u64).unwrap();
    for i in (0..T).step_by(97).chain([T - 1]) {
        file.seek(SeekFrom::Start(data_start + frame_bytes * i as u64))
            .unwrap();
        file.write_all(&(i as f32 + 1.0).to_le_bytes()).unwrap();
        file.seek(SeekFrom::Start(
            data_start + frame_bytes * (i as u64 + 1) - 4,
        ))
        .unwrap();
        file.write_all(&(-(i as f32) - 1.0).to_le_bytes()).unwrap();
    }
    drop(out);
    let size = std::fs::metadata(&path).unwrap().len();

    let rss_before = status_bytes("VmRSS:");
    let t = Instant::now();
    let stack = open_with(&path, &ReadOptions::default()).unwrap().remove(0);
    let open_time = t.elapsed();
    assert!(stack.is_mapped());
    assert_eq!(stack.shape(), &[T, H, W]);

    // Frames in a scattered order: the first, the last, the middle, then a stride through all.
    let order: Vec<usize> = [0, T - 1, T / 2, 1, T - 2]
        .into_iter()
        .chain((0..T).map(|k| (k * 7919) % T))
        .collect();
    let mut times = vec![Duration::ZERO; T];
    let mut checksum = 0.0f64;
    for &i in &order {
        let t = Instant::now();
        let frame = stack.frame(i).unwrap();
        // Touch every value, as an upload would.
        let s: f64 = frame.iter().map(|&v| v as f64).sum();
        times[i] = t.elapsed();
        checksum += s;
        if i % 97 == 0 || i == T - 1 {
            assert_eq!(frame[0], i as f32 + 1.0, "frame {i}");
            assert_eq!(frame[H * W - 1], -(i as f32) - 1.0, "frame {i}");
        }
        assert!(matches!(frame, std::borrow::Cow::Borrowed(_)));
        stack.release_pages();
    }
    let rss_after_all_frames = status_bytes("VmRSS:");
    let peak_release = status_bytes("VmHWM:");

    // 100 frames spread over the stack without releasing pages: what an export keeps mapped.
    let t = Instant::now();
    for k in 0..100 {
        let f = stack.frame(k * (T / 100)).unwrap();
        checksum += f.iter().map(|&v| v as f64).sum::<f64>();
    }
    let hundred = t.elapsed();
    assert_eq!(checksum, 0.0);
    let peak_hundred = status_bytes("VmHWM:");
    stack.release_pages();

    let t = Instant::now();
    let range = stack.value_range();
    let scan = t.elapsed();
    let peak_scan = status_bytes("VmHWM:");
    assert_eq!(range, Some((-(T as f32), T as f32)));

    let first: Vec<Duration> = times[..100].to_vec();
    let last: Vec<Duration> = times[T - 100..].to_vec();
    let all = times.clone();
    println!(
        "file {:.0} MB; open {:.2} ms; RSS before open {:.1} MB, after reading all {T} frames \
         (releasing each) {:.1} MB; peak {:.1} MB after all frames, {:.1} MB after 100 frames \
         kept mapped ({:.1} ms), {:.1} MB after the full value_range scan ({:.2} s)",
        mb(size),
        open_time.as_secs_f64() * 1e3,
        mb(rss_before),
        mb(rss_after_all_frames),
        mb(peak_release),
        mb(peak_hundred),
        hundred.as_secs_f64() * 1e3,
        mb(peak_scan),
        scan.as_secs_f64()
    );
    println!(
        "frame read (1 MiB, all values touched): median {:.3} ms; frames 0..100 median {:.3} ms, \
         frames 1400..1500 median {:.3} ms; max {:.3} ms",
        median(all.clone()).as_secs_f64() * 1e3,
        median(first.clone()).as_secs_f64() * 1e3,
        median(last.clone()).as_secs_f64() * 1e3,
        all.iter().max().unwrap().as_secs_f64() * 1e3
    );
    assert!(
        open_time < Duration::from_millis(200),
        "open took {open_time:?}"
    );
    assert!(peak_scan < 300 << 20, "peak RSS {:.0} MB", mb(peak_scan));
    assert!(
        peak_hundred - rss_before < 200 << 20,
        "100 frames raised RSS by {:.0} MB",
        mb(peak_hundred - rss_before)
    );
    let (a, b) = (median(first), median(last));
    assert!(
        a < b * 4 && b < a * 4,
        "frame time depends on position: {a:?} vs {b:?}"
    );
}
