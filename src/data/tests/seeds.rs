//! Valid `.npy`, `.npz` and `.csv` files written byte by byte, shared by the readers' unit tests,
//! their property test and the fuzzing example (`examples/fuzz_data.rs` includes this file), so
//! it uses only `std`, the `npyz`/`zip` and `half` crates, and the parent module's `Array`.

#![allow(dead_code)]

use std::io::Write;

use super::Array;

/// Reads every array's first, middle and last frames (and one past the end), its u8 frames, a
/// frame view and its value range, so the conversion paths run on whatever layout a mutated
/// header produced. Results are ignored: only panics matter.
pub fn exercise(arrays: &[Array]) {
    for a in arrays {
        let _ = a.describe();
        let n = a.len();
        for i in [0, n / 2, n.saturating_sub(1), n] {
            if a.frame_len() <= 1 << 20 {
                let _ = a.frame(i);
                let _ = a.frame_u8(i);
            }
            if let Ok(v) = a.frame_view(i)
                && v.frame_len() <= 1 << 20
            {
                let _ = v.frame(0);
            }
        }
        if a.element_count() <= 1 << 20 {
            let _ = a.to_f32_vec();
            let _ = a.value_range();
        }
    }
}

/// The twelve supported dtypes as (numpy kind char, size in bytes).
pub const DTYPES: [(char, usize); 12] = [
    ('b', 1),
    ('i', 1),
    ('i', 2),
    ('i', 4),
    ('i', 8),
    ('u', 1),
    ('u', 2),
    ('u', 4),
    ('u', 8),
    ('f', 2),
    ('f', 4),
    ('f', 8),
];

/// The type string for a dtype in the given byte order (`|` for one-byte types).
pub fn descr(kind: char, size: usize, big: bool) -> String {
    let order = if size == 1 {
        '|'
    } else if big {
        '>'
    } else {
        '<'
    };
    format!("{order}{kind}{size}")
}

/// A version 1.0 `.npy` (2.0 if the header needs it): the header padded with spaces to a
/// multiple of 64 bytes, then `data` as given.
pub fn npy(descr: &str, fortran: bool, shape: &[usize], data: &[u8]) -> Vec<u8> {
    let shape_text = match shape {
        [] => "()".to_string(),
        [n] => format!("({n},)"),
        _ => format!(
            "({})",
            shape
                .iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    let fortran = if fortran { "True" } else { "False" };
    npy_with_header(
        &format!("{{'descr': '{descr}', 'fortran_order': {fortran}, 'shape': {shape_text}, }}"),
        data,
    )
}

/// A `.npy` with the given header dict text (padded and newline-terminated here).
pub fn npy_with_header(dict: &str, data: &[u8]) -> Vec<u8> {
    let v1 = dict.len() + 11 < 65536;
    let pre = if v1 { 10 } else { 12 };
    let mut text = dict.as_bytes().to_vec();
    while !(pre + text.len() + 1).is_multiple_of(64) {
        text.push(b' ');
    }
    text.push(b'\n');
    let mut out = b"\x93NUMPY".to_vec();
    if v1 {
        out.extend_from_slice(&[1, 0]);
        out.extend_from_slice(&(text.len() as u16).to_le_bytes());
    } else {
        out.extend_from_slice(&[2, 0]);
        out.extend_from_slice(&(text.len() as u32).to_le_bytes());
    }
    out.extend_from_slice(&text);
    out.extend_from_slice(data);
    out
}

/// The logical value at C-order index `k` for a dtype: small integers (negative ones for
/// signed types, 0/1 for bool) exactly representable in every type.
pub fn value(kind: char, k: usize) -> f64 {
    match kind {
        'b' => (k % 2) as f64,
        'i' | 'f' => k as f64 - 5.0,
        _ => k as f64,
    }
}

/// Encodes one value in a dtype and byte order.
pub fn encode(kind: char, size: usize, big: bool, v: f64) -> Vec<u8> {
    let mut b: Vec<u8> = match (kind, size) {
        ('b', 1) => vec![(v != 0.0) as u8],
        ('i', 1) => (v as i8).to_le_bytes().to_vec(),
        ('i', 2) => (v as i16).to_le_bytes().to_vec(),
        ('i', 4) => (v as i32).to_le_bytes().to_vec(),
        ('i', 8) => (v as i64).to_le_bytes().to_vec(),
        ('u', 1) => (v as u8).to_le_bytes().to_vec(),
        ('u', 2) => (v as u16).to_le_bytes().to_vec(),
        ('u', 4) => (v as u32).to_le_bytes().to_vec(),
        ('u', 8) => (v as u64).to_le_bytes().to_vec(),
        ('f', 2) => half::f16::from_f64(v).to_le_bytes().to_vec(),
        ('f', 4) => (v as f32).to_le_bytes().to_vec(),
        ('f', 8) => v.to_le_bytes().to_vec(),
        _ => panic!("no such dtype {kind}{size}"),
    };
    if big {
        b.reverse();
    }
    b
}

/// The C-order index of each element in storage order for `shape` (identity for C order).
pub fn storage_order(shape: &[usize], fortran: bool) -> Vec<usize> {
    let n: usize = shape.iter().product();
    if !fortran {
        return (0..n).collect();
    }
    // Storage position p enumerates indices with the first axis fastest.
    (0..n)
        .map(|mut p| {
            let mut c_index = 0;
            let mut c_stride: usize = shape.iter().product();
            let mut idx = vec![0; shape.len()];
            for (k, &d) in shape.iter().enumerate() {
                idx[k] = p % d;
                p /= d;
            }
            for (k, &d) in shape.iter().enumerate() {
                c_stride /= d;
                c_index += idx[k] * c_stride;
            }
            c_index
        })
        .collect()
}

/// A `.npy` of `shape` in a dtype, order and byte order whose C-order element `k` is
/// [`value`]`(kind, k)`.
pub fn npy_of(kind: char, size: usize, big: bool, fortran: bool, shape: &[usize]) -> Vec<u8> {
    let data: Vec<u8> = storage_order(shape, fortran)
        .into_iter()
        .flat_map(|k| encode(kind, size, big, value(kind, k)))
        .collect();
    npy(&descr(kind, size, big), fortran, shape, &data)
}

/// An `.npz` holding `members` (key, `.npy` bytes), stored or deflated.
pub fn npz(members: &[(&str, Vec<u8>)], deflate: bool) -> Vec<u8> {
    use npyz::zip::{CompressionMethod, ZipWriter, write::FileOptions};
    let method = if deflate {
        CompressionMethod::Deflated
    } else {
        CompressionMethod::Stored
    };
    let mut zip = ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (key, bytes) in members {
        zip.start_file(
            format!("{key}.npy"),
            FileOptions::default().compression_method(method),
        )
        .expect("zip member");
        zip.write_all(bytes).expect("zip write");
    }
    zip.finish().expect("zip finish").into_inner()
}

/// A small CSV log.
pub fn csv() -> Vec<u8> {
    b"step,loss,acc\n0,2.5,0.1\n1,1.25,\n2,0.625,0.5\n3,nan,0.75\n".to_vec()
}

/// A set of valid files as (extension, name, bytes): every dtype in both byte orders and both
/// orders, 0-d and empty arrays, `.npz` archives stored and deflated, and CSVs.
pub fn all() -> Vec<(&'static str, String, Vec<u8>)> {
    let mut out = Vec::new();
    for (i, &(kind, size)) in DTYPES.iter().enumerate() {
        let big = i % 2 == 1;
        let fortran = i % 3 == 0;
        out.push((
            "npy",
            format!("{kind}{size}.npy"),
            npy_of(kind, size, big, fortran, &[3, 2, 4]),
        ));
    }
    out.push((
        "npy",
        "scalar.npy".into(),
        npy_of('f', 8, false, false, &[]),
    ));
    out.push((
        "npy",
        "empty.npy".into(),
        npy_of('f', 4, false, false, &[0, 3]),
    ));
    out.push((
        "npy",
        "img.npy".into(),
        npy_of('u', 1, false, false, &[2, 3, 2, 3]),
    ));
    let members = vec![
        ("w", npy_of('f', 4, false, false, &[4, 3])),
        ("b", npy_of('i', 2, true, true, &[4, 2, 2])),
        ("s", npy_of('f', 8, false, false, &[4])),
    ];
    out.push(("npz", "stored.npz".into(), npz(&members, false)));
    out.push(("npz", "deflated.npz".into(), npz(&members, true)));
    let odd = vec![
        ("scalar", npy_of('f', 2, true, false, &[])),
        ("empty", npy_of('u', 4, false, true, &[0, 2])),
        ("dir/img", npy_of('u', 1, false, false, &[2, 2, 2, 4])),
        ("mask", npy_of('b', 1, false, true, &[3, 3])),
    ];
    out.push(("npz", "odd.npz".into(), npz(&odd, false)));
    out.push(("npz", "odd_deflated.npz".into(), npz(&odd, true)));
    out.push(("csv", "log.csv".into(), csv()));
    out.push((
        "csv",
        "pandas.csv".into(),
        b",x,y\n0,1.5,-2\n1,,3e-3\n2,inf,4\n".to_vec(),
    ));
    out.push((
        "csv",
        "quoted.csv".into(),
        b"\"a\",\"b, c\"\r\n1,\"2\"\r\n, 3e2\r\n".to_vec(),
    ));
    out
}

/// Numbers that break naive size arithmetic.
pub const INTERESTING: [u64; 12] = [
    0,
    1,
    2,
    255,
    65535,
    1 << 31,
    1 << 32,
    (1 << 32) - 1,
    1 << 60,
    1 << 63,
    u64::MAX,
    1_000_000_007,
];

/// Type strings, valid, unsupported and broken, for header edits.
pub const DESCRS: [&str; 14] = [
    "<f4",
    ">f8",
    "|u1",
    "<i8",
    "<c16",
    "|O",
    "<U3",
    "|S0",
    "é",
    "<f16",
    ">M8[ns]",
    "<f4'",
    "",
    "[('a', '<f4')]",
];

/// Applies one random edit to `bytes`, drawing choices from `pick(n)` (a number below `n`):
/// truncation, bit flips, byte and 32-bit-word overwrites with edge values, insertions,
/// deletions, splices, and edits of an `.npy` header's shape, dtype or order text.
pub fn mutate(bytes: &mut Vec<u8>, pick: &mut impl FnMut(usize) -> usize) {
    let len = bytes.len();
    let pos = |pick: &mut dyn FnMut(usize) -> usize| pick(len.max(1));
    match pick(11) {
        0 => {
            let p = pos(pick);
            bytes.truncate(p);
        }
        1 if len > 0 => {
            let p = pos(pick);
            bytes[p] ^= 1 << pick(8);
        }
        2 if len > 0 => {
            let p = pos(pick);
            bytes[p] = [0, 0xff, 0x7f, 0x80, b'(', b',', b'\'', pick(256) as u8][pick(8)];
        }
        3 => {
            let p = pick(len + 1);
            let n = 1 + pick(16);
            let fill: Vec<u8> = (0..n).map(|_| pick(256) as u8).collect();
            bytes.splice(p..p, fill);
        }
        4 if len > 0 => {
            let p = pos(pick);
            let n = 1 + pick(len - p);
            bytes.drain(p..p + n);
        }
        5 if len > 0 => {
            let p = pos(pick);
            let n = 1 + pick((len - p).min(64));
            let chunk = bytes[p..p + n].to_vec();
            let at = pick(len + 1);
            bytes.splice(at..at, chunk);
        }
        6 if len >= 4 => {
            let p = pick(len - 3);
            let v = INTERESTING[pick(INTERESTING.len())] as u32;
            bytes[p..p + 4].copy_from_slice(&v.to_le_bytes());
        }
        7 => edit_header(bytes, |b| {
            replace_between(b, b"'shape': (", b")", &{
                let n = pick(4);
                let dims: Vec<String> = (0..n)
                    .map(|_| INTERESTING[pick(INTERESTING.len())].to_string())
                    .collect();
                let mut s = dims.join(", ");
                if n == 1 {
                    s.push(',');
                }
                if pick(8) == 0 {
                    s = "99999999999999999999999999,".into();
                }
                s
            })
        }),
        8 => {
            let d = DESCRS[pick(DESCRS.len())];
            edit_header(bytes, |b| replace_between(b, b"'descr': '", b"'", d))
        }
        9 => edit_header(bytes, |b| {
            if let Some(p) = find(b, b"False") {
                b.splice(p..p + 5, b"True".iter().copied());
            } else if let Some(p) = find(b, b"True") {
                b.splice(p..p + 4, b"False".iter().copied());
            }
        }),
        _ => {
            // Header length field of an .npy (offset 8), or any 2-byte word.
            if len >= 10 {
                let p = if pick(2) == 0 { 8 } else { pick(len - 1) };
                let v = [0u16, 1, 0xffff, 0x8000, pick(65536) as u16][pick(5)];
                bytes[p..p + 2].copy_from_slice(&v.to_le_bytes());
            }
        }
    }
}

/// Applies `edit` to an `.npy`'s header dict and rewrites the preamble and padding to match, so
/// the edit reaches the dict's meaning rather than just breaking its length; for anything else
/// (an `.npz` with stored members) `edit` applies to the raw bytes.
fn edit_header(bytes: &mut Vec<u8>, edit: impl FnOnce(&mut Vec<u8>)) {
    let header = if bytes.starts_with(b"\x93NUMPY") && bytes.len() >= 12 {
        match bytes[6] {
            1 => Some((10, u16::from_le_bytes([bytes[8], bytes[9]]) as usize)),
            2 | 3 => Some((
                12,
                u32::from_le_bytes([bytes[8], bytes[9], bytes[10], bytes[11]]) as usize,
            )),
            _ => None,
        }
    } else {
        None
    };
    match header {
        Some((pre, n)) if pre + n <= bytes.len() => {
            let mut dict = bytes[pre..pre + n].to_vec();
            while dict.last().is_some_and(|c| *c == b' ' || *c == b'\n') {
                dict.pop();
            }
            edit(&mut dict);
            let data = bytes[pre + n..].to_vec();
            *bytes = npy_with_header(&String::from_utf8_lossy(&dict), &data);
        }
        _ => edit(bytes),
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Replaces the text between `start` and the next `end` (keeping both) with `with`.
fn replace_between(bytes: &mut Vec<u8>, start: &[u8], end: &[u8], with: &str) {
    if let Some(s) = find(bytes, start) {
        let from = s + start.len();
        if let Some(e) = find(&bytes[from..], end) {
            bytes.splice(from..from + e, with.bytes());
        }
    }
}
