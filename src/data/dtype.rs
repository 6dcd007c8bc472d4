//! Element types and their conversion to `f32`, the GPU's type.
//!
//! An array keeps its values in the type the file stored them in (numpy's dtype, in either byte
//! order) and converts on demand, one run of elements at a time: a run is `count` elements
//! starting at element `start` and `stride` elements apart, read straight from the file's bytes
//! (a memory map or an owned buffer). Byte order is fixed by swapping the element's bits before
//! interpreting them; float16 goes through the `half` crate; 64-bit integers and floats are
//! rounded to the nearest `f32` (values beyond its range become ±infinity).

use std::fmt;

/// The element type of an array, as numpy names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DType {
    /// `bool`: one byte, 0 is false, anything else true (converts to 0.0 / 1.0).
    Bool,
    /// `int8`.
    I8,
    /// `int16`.
    I16,
    /// `int32`.
    I32,
    /// `int64`.
    I64,
    /// `uint8` (image bytes: also readable without conversion, see `Array::frame_u8`).
    U8,
    /// `uint16`.
    U16,
    /// `uint32`.
    U32,
    /// `uint64`.
    U64,
    /// `float16`.
    F16,
    /// `float32`.
    F32,
    /// `float64`.
    F64,
}

impl DType {
    /// Bytes per element.
    pub fn size(self) -> usize {
        match self {
            DType::Bool | DType::I8 | DType::U8 => 1,
            DType::I16 | DType::U16 | DType::F16 => 2,
            DType::I32 | DType::U32 | DType::F32 => 4,
            DType::I64 | DType::U64 | DType::F64 => 8,
        }
    }

    /// numpy's name for it: `"float32"`, `"uint8"`, `"bool"`.
    pub fn name(self) -> &'static str {
        match self {
            DType::Bool => "bool",
            DType::I8 => "int8",
            DType::I16 => "int16",
            DType::I32 => "int32",
            DType::I64 => "int64",
            DType::U8 => "uint8",
            DType::U16 => "uint16",
            DType::U32 => "uint32",
            DType::U64 => "uint64",
            DType::F16 => "float16",
            DType::F32 => "float32",
            DType::F64 => "float64",
        }
    }

    /// Whether it is a floating-point type (may hold NaN and infinities).
    pub fn is_float(self) -> bool {
        matches!(self, DType::F16 | DType::F32 | DType::F64)
    }
}

impl fmt::Display for DType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Appends `count` elements of `dtype` to `out` as `f32`: the elements at `start`,
/// `start + stride`, … (indices in elements) of `bytes`, whose byte order is swapped first when
/// `swap`. Returns `false`, appending nothing, if the run does not lie inside `bytes` (callers
/// validate spans when an array is made, so this is a guard, not an expected path).
pub(crate) fn convert_run(
    bytes: &[u8],
    dtype: DType,
    swap: bool,
    start: usize,
    stride: usize,
    count: usize,
    out: &mut Vec<f32>,
) -> bool {
    if count == 0 {
        return true;
    }
    let size = dtype.size();
    // The last element's byte end, checked.
    let last = (count - 1)
        .checked_mul(stride)
        .and_then(|s| s.checked_add(start))
        .and_then(|e| e.checked_add(1))
        .and_then(|e| e.checked_mul(size));
    let first = start.checked_mul(size);
    let (Some(first), Some(end)) = (first, last) else {
        return false;
    };
    let Some(src) = bytes.get(first..end) else {
        return false;
    };
    out.reserve(count);
    macro_rules! run {
        ($bits:ty, $conv:expr) => {{
            const N: usize = std::mem::size_of::<$bits>();
            let conv = $conv;
            let read = |c: &[u8]| {
                let b = <$bits>::from_ne_bytes(<[u8; N]>::try_from(c).unwrap_or([0; N]));
                conv(if swap { b.swap_bytes() } else { b })
            };
            if stride == 1 {
                out.extend(src.chunks_exact(N).map(read));
            } else if stride == 0 {
                let v = read(src.get(..N).unwrap_or(&[0; N]));
                out.extend(std::iter::repeat_n(v, count));
            } else {
                out.extend(
                    src.chunks(N * stride)
                        .take(count)
                        .map(|c| read(c.get(..N).unwrap_or(&[0; N]))),
                );
            }
        }};
    }
    match dtype {
        DType::Bool => run!(u8, |b: u8| if b != 0 { 1.0 } else { 0.0 }),
        DType::I8 => run!(u8, |b: u8| b as i8 as f32),
        DType::U8 => run!(u8, |b: u8| b as f32),
        DType::I16 => run!(u16, |b: u16| b as i16 as f32),
        DType::U16 => run!(u16, |b: u16| b as f32),
        DType::F16 => run!(u16, |b: u16| half::f16::from_bits(b).to_f32()),
        DType::I32 => run!(u32, |b: u32| b as i32 as f32),
        DType::U32 => run!(u32, |b: u32| b as f32),
        DType::F32 => run!(u32, f32::from_bits),
        DType::I64 => run!(u64, |b: u64| b as i64 as f32),
        DType::U64 => run!(u64, |b: u64| b as f32),
        DType::F64 => run!(u64, |b: u64| f64::from_bits(b) as f32),
    }
    true
}

/// Swaps the byte order of every `size`-byte element of `bytes` in place.
pub(crate) fn swap_in_place(bytes: &mut [u8], size: usize) {
    if size > 1 {
        for c in bytes.chunks_exact_mut(size) {
            c.reverse();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conv(bytes: &[u8], dtype: DType, swap: bool) -> Vec<f32> {
        let mut out = Vec::new();
        let n = bytes.len() / dtype.size();
        assert!(convert_run(bytes, dtype, swap, 0, 1, n, &mut out));
        out
    }

    #[test]
    fn every_dtype_converts_in_both_byte_orders() {
        let cases: Vec<(DType, Vec<u8>, Vec<f32>)> = vec![
            (DType::Bool, vec![0, 1, 7], vec![0.0, 1.0, 1.0]),
            (DType::I8, vec![0xff, 5], vec![-1.0, 5.0]),
            (DType::U8, vec![0xff, 5], vec![255.0, 5.0]),
            (DType::I16, (-300i16).to_ne_bytes().to_vec(), vec![-300.0]),
            (DType::U16, 60000u16.to_ne_bytes().to_vec(), vec![60000.0]),
            (
                DType::F16,
                half::f16::from_f32(1.5).to_ne_bytes().to_vec(),
                vec![1.5],
            ),
            (DType::I32, (-7i32).to_ne_bytes().to_vec(), vec![-7.0]),
            (DType::U32, 7u32.to_ne_bytes().to_vec(), vec![7.0]),
            (DType::F32, 2.25f32.to_ne_bytes().to_vec(), vec![2.25]),
            (DType::I64, (-9i64).to_ne_bytes().to_vec(), vec![-9.0]),
            (DType::U64, 9u64.to_ne_bytes().to_vec(), vec![9.0]),
            (DType::F64, (-0.5f64).to_ne_bytes().to_vec(), vec![-0.5]),
        ];
        for (dtype, bytes, want) in cases {
            assert_eq!(conv(&bytes, dtype, false), want, "{dtype}");
            let mut swapped = bytes.clone();
            swap_in_place(&mut swapped, dtype.size());
            assert_eq!(conv(&swapped, dtype, true), want, "{dtype} swapped");
        }
    }

    #[test]
    fn strided_runs_and_bounds() {
        let bytes: Vec<u8> = (0..10).collect();
        let mut out = Vec::new();
        assert!(convert_run(&bytes, DType::U8, false, 1, 3, 3, &mut out));
        assert_eq!(out, vec![1.0, 4.0, 7.0]);
        out.clear();
        assert!(!convert_run(&bytes, DType::U8, false, 1, 3, 4, &mut out));
        assert!(!convert_run(
            &bytes,
            DType::U16,
            false,
            usize::MAX,
            1,
            1,
            &mut out
        ));
        assert!(out.is_empty());
        assert!(convert_run(&bytes, DType::U16, false, 0, 1, 0, &mut out));
        assert!(convert_run(&bytes, DType::U8, false, 2, 0, 3, &mut out));
        assert_eq!(out, vec![2.0; 3]);
    }
}
