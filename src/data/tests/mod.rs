//! The readers against files written by the tests themselves: every dtype in both byte orders,
//! C and Fortran order, read from memory, from files and from memory maps; `.npz` archives
//! stored and deflated; CSV; references; and the errors corrupt or unsupported files give.
//! `props` feeds random and mutated bytes to every reader.

mod props;
mod scene_props;
pub(crate) mod scene_seeds;
pub(crate) mod seeds;

use std::borrow::Cow;
use std::path::Path;

use super::*;

fn expected(kind: char, shape: &[usize]) -> Vec<f32> {
    let n: usize = shape.iter().product();
    (0..n).map(|k| seeds::value(kind, k) as f32).collect()
}

fn dtype_of(kind: char, size: usize) -> DType {
    match (kind, size) {
        ('b', 1) => DType::Bool,
        ('i', 1) => DType::I8,
        ('i', 2) => DType::I16,
        ('i', 4) => DType::I32,
        ('i', 8) => DType::I64,
        ('u', 1) => DType::U8,
        ('u', 2) => DType::U16,
        ('u', 4) => DType::U32,
        ('u', 8) => DType::U64,
        ('f', 2) => DType::F16,
        ('f', 4) => DType::F32,
        ('f', 8) => DType::F64,
        _ => unreachable!(),
    }
}

fn check_values(a: &Array, want: &[f32], shape: &[usize], what: &str) {
    assert_eq!(a.shape(), shape, "{what}");
    assert_eq!(a.to_f32_vec().unwrap(), want, "{what}");
    let per = a.frame_len();
    for i in 0..a.len() {
        assert_eq!(
            &*a.frame(i).unwrap(),
            &want[i * per..(i + 1) * per],
            "{what} frame {i}"
        );
        let mut buf = vec![99.0];
        a.frame_into(i, &mut buf).unwrap();
        assert_eq!(buf, &want[i * per..(i + 1) * per], "{what} frame_into {i}");
    }
    let finite = want.iter().copied().filter(|v| v.is_finite());
    let lo = finite.clone().fold(f32::INFINITY, f32::min);
    let hi = finite.fold(f32::NEG_INFINITY, f32::max);
    assert_eq!(a.value_range(), (lo <= hi).then_some((lo, hi)), "{what}");
}

#[test]
fn every_dtype_order_and_byte_order_from_memory_files_and_maps() {
    let dir = tempfile::tempdir().unwrap();
    let shape = [3, 2, 4];
    for &(kind, size) in &seeds::DTYPES {
        for big in [false, true] {
            if size == 1 && big {
                continue;
            }
            for fortran in [false, true] {
                let bytes = seeds::npy_of(kind, size, big, fortran, &shape);
                let what = format!("{} fortran={fortran}", seeds::descr(kind, size, big));
                let want = expected(kind, &shape);
                let path = dir.path().join("x.npy");
                std::fs::write(&path, &bytes).unwrap();
                let from_memory = read_bytes(FileKind::Npy, "x.npy", &bytes).unwrap();
                let read = open_with(&path, &ReadOptions::in_memory()).unwrap();
                let mapped = open_with(&path, &ReadOptions::always_map()).unwrap();
                assert!(!read[0].is_mapped() && mapped[0].is_mapped());
                for (a, how) in [
                    (&from_memory[0], "memory"),
                    (&read[0], "read"),
                    (&mapped[0], "map"),
                ] {
                    let what = format!("{what} {how}");
                    assert_eq!(a.name(), "x", "{what}");
                    assert_eq!(a.dtype(), dtype_of(kind, size), "{what}");
                    check_values(a, &want, &shape, &what);
                }
                let lent = mapped[0].frame(1).unwrap();
                let native_f32 = (kind, size) == ('f', 4) && big == cfg!(target_endian = "big");
                assert_eq!(
                    matches!(lent, Cow::Borrowed(_)),
                    native_f32 && !fortran,
                    "{what}: lent iff native C-order float32"
                );
            }
        }
    }
}

#[test]
fn npyz_written_files_read_back() {
    use npyz::WriterBuilder;
    let mut bytes = Vec::new();
    let mut w = npyz::WriteOptions::new()
        .dtype(npyz::DType::Plain(">i4".parse().unwrap()))
        .shape(&[2, 3])
        .writer(&mut bytes)
        .begin_nd()
        .unwrap();
    w.extend([1i32, -2, 3, 4, 5, -6]).unwrap();
    w.finish().unwrap();
    let a = &read_bytes(FileKind::Npy, "w.npy", &bytes).unwrap()[0];
    assert_eq!(a.dtype(), DType::I32);
    assert_eq!(&*a.frame(1).unwrap(), &[4.0, 5.0, -6.0]);

    let mut bytes = Vec::new();
    let mut w = npyz::WriteOptions::new()
        .default_dtype()
        .shape(&[2, 3])
        .order(npyz::Order::Fortran)
        .writer(&mut bytes)
        .begin_nd()
        .unwrap();
    // Column-major storage of [[0, 1, 2], [10, 11, 12]].
    w.extend([0.0f64, 10.0, 1.0, 11.0, 2.0, 12.0]).unwrap();
    w.finish().unwrap();
    let a = &read_bytes(FileKind::Npy, "f.npy", &bytes).unwrap()[0];
    assert_eq!(a.dtype(), DType::F64);
    assert_eq!(
        a.to_f32_vec().unwrap(),
        vec![0.0, 1.0, 2.0, 10.0, 11.0, 12.0]
    );
}

#[test]
fn zero_d_empty_and_u8_image_arrays() {
    let a = &read_bytes(
        FileKind::Npy,
        "s.npy",
        &seeds::npy_of('f', 8, true, false, &[]),
    )
    .unwrap()[0];
    assert_eq!(
        (a.shape(), a.len(), &*a.frame(0).unwrap()),
        (&[][..], 1, &[-5.0f32][..])
    );
    for shape in [[0usize, 3], [3, 0]] {
        let a = &read_bytes(
            FileKind::Npy,
            "e.npy",
            &seeds::npy_of('f', 4, false, false, &shape),
        )
        .unwrap()[0];
        assert_eq!(a.shape(), &shape);
        assert_eq!(a.value_range(), None);
        assert_eq!(a.to_f32_vec().unwrap(), Vec::<f32>::new());
        if shape[0] == 3 {
            assert!(a.frame(2).unwrap().is_empty());
        } else {
            assert!(a.frame(0).is_err());
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("img.npy");
    std::fs::write(&path, seeds::npy_of('u', 1, false, false, &[2, 2, 2, 3])).unwrap();
    let a = &open_with(&path, &ReadOptions::always_map()).unwrap()[0];
    let f = a.frame_u8(1).unwrap().unwrap();
    assert!(matches!(f, Cow::Borrowed(_)));
    assert_eq!(&*f, &(12..24).map(|v| v as u8).collect::<Vec<_>>()[..]);
    let v = a.frame_view(1).unwrap();
    assert_eq!((v.name(), v.shape()), ("img[1]", &[2usize, 2, 3][..]));
    assert_eq!(&*v.frame_u8(1).unwrap().unwrap(), &[18, 19, 20, 21, 22, 23]);
    a.release_pages();
    assert_eq!(a.frame(1).unwrap()[0], 12.0);
}

#[test]
fn npz_members_stored_and_deflated_in_file_order() {
    let dir = tempfile::tempdir().unwrap();
    let members = vec![
        ("w", seeds::npy_of('f', 4, false, false, &[4, 3])),
        ("b", seeds::npy_of('i', 2, true, true, &[4, 2, 2])),
        ("s", seeds::npy_of('u', 8, false, false, &[4])),
    ];
    for deflate in [false, true] {
        let path = dir.path().join("run.npz");
        std::fs::write(&path, seeds::npz(&members, deflate)).unwrap();
        for (options, map) in [
            (ReadOptions::in_memory(), false),
            (ReadOptions::always_map(), true),
        ] {
            let what = format!("deflate={deflate} map={map}");
            let arrays = open_with(&path, &options).unwrap();
            let names: Vec<&str> = arrays.iter().map(|a| a.name()).collect();
            assert_eq!(names, ["w", "b", "s"], "{what}");
            check_values(&arrays[0], &expected('f', &[4, 3]), &[4, 3], &what);
            check_values(&arrays[1], &expected('i', &[4, 2, 2]), &[4, 2, 2], &what);
            check_values(&arrays[2], &expected('u', &[4]), &[4], &what);
            assert_eq!(arrays[0].is_mapped(), map && !deflate, "{what}");
            assert_eq!(
                arrays[1].origin().unwrap().to_string(),
                format!("{}:b", path.display())
            );
            let b = open_one(&path, Some("b"), &options).unwrap();
            assert_eq!(b.shape(), &[4, 2, 2]);
            let e = open_one(&path, Some("nope"), &options)
                .unwrap_err()
                .to_string();
            assert!(
                e.ends_with("no array named 'nope' (it holds: w, b, s)"),
                "{e}"
            );
            let e = open_one(&path, None, &options).unwrap_err().to_string();
            assert!(e.contains("holds 3 arrays (w, b, s); name one as"), "{e}");
        }
    }
}

#[test]
fn unsupported_dtypes_name_the_file_key_and_dtype() {
    for (descr, what) in [
        ("<c16", "complex"),
        ("|O", "Python objects"),
        ("<U3", "unicode strings"),
        (">M8[ns]", "datetime64"),
        ("<f16", "extended-precision"),
    ] {
        let bytes = seeds::npy(descr, false, &[2], &[0; 64]);
        let e = read_bytes(FileKind::Npy, "x.npy", &bytes).unwrap_err();
        let s = e.to_string();
        assert!(matches!(e, DataError::UnsupportedDtype { .. }), "{s}");
        assert!(
            s.starts_with("x.npy: dtype '") && s.contains(descr) && s.contains(what),
            "{s}"
        );
        let npz = seeds::npz(&[("z", bytes)], true);
        let s = read_bytes(FileKind::Npz, "run.npz", &npz)
            .unwrap_err()
            .to_string();
        assert!(
            s.starts_with("run.npz:z: dtype") && s.contains(descr),
            "{s}"
        );
    }
    let bytes = seeds::npy_with_header(
        "{'descr': [('x', '<f4'), ('y', '<f4')], 'fortran_order': False, 'shape': (2,), }",
        &[0; 16],
    );
    let s = read_bytes(FileKind::Npy, "rec.npy", &bytes)
        .unwrap_err()
        .to_string();
    assert!(s.contains("rec.npy") && s.contains("structured"), "{s}");
}

#[test]
fn corrupt_npy_files_are_errors_naming_the_fault() {
    let good = seeds::npy_of('f', 4, false, false, &[3, 2, 4]);
    let read = |b: &[u8]| {
        read_bytes(FileKind::Npy, "c.npy", b)
            .map(|_| ())
            .unwrap_err()
            .to_string()
    };
    // Wrong magic, truncated preamble, truncated header.
    assert!(
        read(b"PK\x03\x04 not npy").contains("magic"),
        "{}",
        read(b"PK")
    );
    assert!(read(&good[..7]).contains("not a valid .npy"));
    assert!(
        read(&good[..40]).contains("header claims"),
        "{}",
        read(&good[..40])
    );
    // Data cut short: the header promises more than the file holds.
    let s = read(&good[..good.len() - 5]);
    assert_eq!(
        s,
        "c.npy: the header promises shape (3, 2, 4) of float32 (96 bytes of data) but the \
         file holds only 91 bytes of data"
    );
    // Shapes of 2^60 elements, overflowing products, dims beyond u64.
    for shape in [
        "(1152921504606846976,)",
        "(4294967296, 4294967296, 4294967296)",
        "(0, 18446744073709551615, 18446744073709551615)",
        "(99999999999999999999999,)",
    ] {
        let b = seeds::npy_with_header(
            &format!("{{'descr': '<f4', 'fortran_order': False, 'shape': {shape}, }}"),
            &[0; 64],
        );
        let s = read(&b);
        assert!(s.contains("too large"), "{shape}: {s}");
    }
    // A large but representable shape is checked against the file before any allocation.
    let b = seeds::npy_with_header(
        "{'descr': '<f8', 'fortran_order': False, 'shape': (1000000000, 1000), }",
        &[0; 64],
    );
    assert!(
        read(&b).contains("(1000000000, 1000) of float64"),
        "{}",
        read(&b)
    );
    // Bad UTF-8, huge declared header length, arithmetic in the header.
    let mut b = good.clone();
    b[20] = 0xff;
    assert!(read(&b).contains("UTF-8"), "{}", read(&b));
    let mut b = good.clone();
    b[6] = 2;
    b.splice(8..10, [0xff, 0xff, 0xff, 0xff]);
    assert!(read(&b).contains("header claims"), "{}", read(&b));
    let b = seeds::npy_with_header(
        "{'descr': '<f4', 'fortran_order': False, 'shape': (1+1e999,), }",
        &[],
    );
    assert!(read(&b).contains("not a dict numpy writes"), "{}", read(&b));
    // A file, not just bytes: the path is named.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cut.npy");
    std::fs::write(&path, &good[..good.len() - 1]).unwrap();
    for options in [ReadOptions::in_memory(), ReadOptions::always_map()] {
        let e = open_with(&path, &options).unwrap_err().to_string();
        assert!(
            e.starts_with(&path.display().to_string()) && e.contains("95 bytes"),
            "{e}"
        );
    }
}

#[test]
fn corrupt_npz_archives_are_errors() {
    let members = vec![("w", seeds::npy_of('f', 4, false, false, &[64, 16]))];
    let read = |b: &[u8]| {
        read_bytes(FileKind::Npz, "a.npz", b)
            .map(|_| ())
            .unwrap_err()
            .to_string()
    };
    for deflate in [false, true] {
        let good = seeds::npz(&members, deflate);
        assert!(read(&good[..good.len() / 2]).contains("not a valid .npz"));
        // Damage inside the member's data: a checksum or deflate error, or a bad header.
        let mut b = good.clone();
        let name_len = u16::from_le_bytes([b[26], b[27]]) as usize;
        let extra_len = u16::from_le_bytes([b[28], b[29]]) as usize;
        let compressed = u32::from_le_bytes([b[18], b[19], b[20], b[21]]) as usize;
        let mid = 30 + name_len + extra_len + compressed * 3 / 4;
        b[mid] ^= 0x55;
        let s = read(&b);
        assert!(s.starts_with("a.npz:w: "), "deflate={deflate}: {s}");
    }
    // A deflated member claiming more than deflate can expand to.
    let mut b = seeds::npz(&members, true);
    let cd = b.windows(4).rposition(|w| w == b"PK\x01\x02").unwrap();
    b[cd + 24..cd + 28].copy_from_slice(&u32::MAX.to_le_bytes());
    let s = read(&b);
    assert!(s.contains("more than deflate can expand"), "{s}");
    // Bzip2 and other methods are named.
    let mut b = seeds::npz(&members, false);
    let cd = b.windows(4).rposition(|w| w == b"PK\x01\x02").unwrap();
    b[cd + 10..cd + 12].copy_from_slice(&12u16.to_le_bytes());
    let s = read(&b);
    assert!(
        s.contains("compression method") || s.contains("not a valid"),
        "{s}"
    );
}

#[test]
fn open_by_extension_and_by_reference() {
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path();
    std::fs::write(
        base.join("fits.npy"),
        seeds::npy_of('f', 8, false, false, &[5, 2]),
    )
    .unwrap();
    std::fs::write(
        base.join("run.npz"),
        seeds::npz(
            &[("weights", seeds::npy_of('f', 4, false, false, &[4, 2, 3]))],
            true,
        ),
    )
    .unwrap();
    std::fs::write(base.join("log.csv"), seeds::csv()).unwrap();
    std::fs::write(base.join("notes.txt"), b"hello").unwrap();

    let fits = ArrayRef::parse("fits.npy").unwrap().load(base).unwrap();
    assert_eq!((fits.name(), fits.shape()), ("fits", &[5usize, 2][..]));
    assert_eq!(
        ArrayRef::parse("fits.npy:fits")
            .unwrap()
            .load(base)
            .unwrap()
            .len(),
        5
    );
    let w = ArrayRef::parse("run.npz:weights")
        .unwrap()
        .load(base)
        .unwrap();
    assert_eq!(
        w.describe(),
        format!(
            "{}:weights (4, 2, 3) float32",
            base.join("run.npz").display()
        )
    );
    let only = ArrayRef::parse("run.npz").unwrap().load(base).unwrap();
    assert_eq!(only.name(), "weights");
    let loss = ArrayRef::parse("log.csv:loss").unwrap().load(base).unwrap();
    assert_eq!(loss.to_f32_vec().unwrap()[..3], [2.5, 1.25, 0.625]);
    let e = ArrayRef::parse("log.csv:lr")
        .unwrap()
        .load(base)
        .unwrap_err()
        .to_string();
    assert!(
        e.ends_with("log.csv: no array named 'lr' (it holds: step, loss, acc)"),
        "{e}"
    );
    let e = ArrayRef::parse("log.csv")
        .unwrap()
        .load(base)
        .unwrap_err()
        .to_string();
    assert!(e.contains("holds 3 arrays"), "{e}");
    let e = ArrayRef::parse("missing.npz:w")
        .unwrap()
        .load(base)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("missing.npz") && e.contains("No such file"),
        "{e}"
    );

    let all = open(base.join("log.csv")).unwrap();
    assert_eq!(all.len(), 3);
    assert!(matches!(
        open(base.join("notes.txt")),
        Err(DataError::UnknownFormat { .. })
    ));
    let e: crate::Error = open(base.join("notes.txt")).unwrap_err().into();
    assert!(
        e.to_string().contains("notes.txt: unknown file type"),
        "{e}"
    );
}

/// Reference files written by real numpy, when numpy is installed (the cases above do not need
/// it).
#[test]
fn numpy_written_files_when_numpy_is_available() {
    let dir = tempfile::tempdir().unwrap();
    let script = r#"
import sys, numpy as np
d = sys.argv[1]
a = np.arange(24, dtype=np.float64).reshape(2, 3, 4) - 5
np.save(d + "/c_f4.npy", a.astype("<f4"))
np.save(d + "/f_be_i2.npy", np.asfortranarray(a.astype(">i2")))
np.save(d + "/f16.npy", a.astype(np.float16))
np.save(d + "/bool.npy", a > 0)
np.savez(d + "/s.npz", x=a.astype("u1"), y=a.astype(">f8"))
np.savez_compressed(d + "/c.npz", x=a.astype("u1"), y=np.asfortranarray(a.astype(">f8")))
"#;
    let out = std::process::Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(dir.path())
        .output();
    match out {
        Ok(o) if o.status.success() => {}
        Ok(o) => {
            println!(
                "skipping: python3 with numpy is not available ({})",
                String::from_utf8_lossy(&o.stderr)
                    .lines()
                    .last()
                    .unwrap_or("")
            );
            return;
        }
        Err(e) => {
            println!("skipping: python3 is not available ({e})");
            return;
        }
    }
    let want: Vec<f32> = (0..24).map(|v| v as f32 - 5.0).collect();
    let p = |n: &str| dir.path().join(n);
    for name in ["c_f4.npy", "f_be_i2.npy", "f16.npy"] {
        for options in [ReadOptions::in_memory(), ReadOptions::always_map()] {
            let a = &open_with(p(name), &options).unwrap()[0];
            check_values(a, &want, &[2, 3, 4], name);
        }
    }
    let b = &open(p("bool.npy")).unwrap()[0];
    assert_eq!(b.dtype(), DType::Bool);
    assert_eq!(
        b.to_f32_vec().unwrap(),
        want.iter()
            .map(|&v| (v > 0.0) as u8 as f32)
            .collect::<Vec<_>>()
    );
    for name in ["s.npz", "c.npz"] {
        let arrays = open_with(p(name), &ReadOptions::always_map()).unwrap();
        assert_eq!(arrays[0].dtype(), DType::U8);
        assert_eq!(arrays[1].dtype(), DType::F64);
        check_values(&arrays[1], &want, &[2, 3, 4], name);
    }
}

#[test]
fn library_error_wraps_data_errors() {
    fn f() -> crate::Result<()> {
        open(Path::new("nowhere/x.npy"))?;
        Ok(())
    }
    let e = f().unwrap_err();
    assert!(matches!(e, crate::Error::Data(_)));
    assert!(e.to_string().starts_with("nowhere/x.npy: "), "{e}");
}
