//! [`Array`]: a named n-dimensional array whose values stay in their source dtype and are read
//! one frame (one slice along the leading axis) at a time, as `f32`.
//!
//! How it works: an array is a view — shape, strides in elements, a byte offset, a dtype and a
//! byte order — over a shared [`Buffer`]: either a read-only memory map of the whole file
//! (large `.npy` files and stored `.npz` members) or an owned, aligned vector (small files,
//! deflated members, CSV columns, arrays built in memory). Cloning an `Array` clones one `Arc`.
//! [`Array::frame`] computes where frame `i` lies and converts only those bytes; when the data
//! is already native-endian `f32`, C-contiguous and 4-byte aligned, it lends a slice of the
//! buffer instead of converting. C and Fortran order differ only in strides, so a Fortran frame
//! is gathered run by run (correct, but it touches pages across the whole file). Spans are
//! validated when an array is made, so reading a frame never indexes outside the buffer.
//!
//! Memory-mapped frames count as resident (file-backed, reclaimable) memory once touched;
//! [`Array::value_range`] releases the pages it scanned, and [`Array::release_pages`] lets an
//! exporter do the same for frames it has finished with.

use std::borrow::Cow;
use std::fmt;
use std::sync::{Arc, OnceLock};

use super::dtype::{DType, convert_run};
use super::error::{DataError, Location, Result, format_shape};

/// Element counts at or above this (2^60) are refused as corrupt rather than attempted.
pub const MAX_ELEMENTS: u64 = 1 << 60;

/// The bytes an array views: a memory-mapped file or an owned vector (aligned to its element
/// size, native byte order).
pub(crate) enum Buffer {
    /// A read-only map of a whole file.
    Mapped(memmap2::Mmap),
    U8(Vec<u8>),
    U16(Vec<u16>),
    U32(Vec<u32>),
    U64(Vec<u64>),
    I8(Vec<i8>),
    I16(Vec<i16>),
    I32(Vec<i32>),
    I64(Vec<i64>),
    F32(Vec<f32>),
    F64(Vec<f64>),
}

impl Buffer {
    pub(crate) fn bytes(&self) -> &[u8] {
        match self {
            Buffer::Mapped(m) => m,
            Buffer::U8(v) => v,
            Buffer::U16(v) => bytemuck::cast_slice(v),
            Buffer::U32(v) => bytemuck::cast_slice(v),
            Buffer::U64(v) => bytemuck::cast_slice(v),
            Buffer::I8(v) => bytemuck::cast_slice(v),
            Buffer::I16(v) => bytemuck::cast_slice(v),
            Buffer::I32(v) => bytemuck::cast_slice(v),
            Buffer::I64(v) => bytemuck::cast_slice(v),
            Buffer::F32(v) => bytemuck::cast_slice(v),
            Buffer::F64(v) => bytemuck::cast_slice(v),
        }
    }

    /// A zeroed owned buffer of `count` elements of `size` bytes (1, 2, 4 or 8), allocated
    /// without aborting: `None` when the allocation fails.
    pub(crate) fn zeroed(size: usize, count: usize) -> Option<Buffer> {
        fn vec<T: Clone + Default>(count: usize) -> Option<Vec<T>> {
            let mut v = Vec::new();
            v.try_reserve_exact(count).ok()?;
            v.resize(count, T::default());
            Some(v)
        }
        Some(match size {
            1 => Buffer::U8(vec(count)?),
            2 => Buffer::U16(vec(count)?),
            4 => Buffer::U32(vec(count)?),
            8 => Buffer::U64(vec(count)?),
            _ => return None,
        })
    }

    /// The owned buffer's bytes, to fill it (`None` for a map).
    pub(crate) fn bytes_mut(&mut self) -> Option<&mut [u8]> {
        Some(match self {
            Buffer::Mapped(_) => return None,
            Buffer::U8(v) => v,
            Buffer::U16(v) => bytemuck::cast_slice_mut(v),
            Buffer::U32(v) => bytemuck::cast_slice_mut(v),
            Buffer::U64(v) => bytemuck::cast_slice_mut(v),
            Buffer::I8(v) => bytemuck::cast_slice_mut(v),
            Buffer::I16(v) => bytemuck::cast_slice_mut(v),
            Buffer::I32(v) => bytemuck::cast_slice_mut(v),
            Buffer::I64(v) => bytemuck::cast_slice_mut(v),
            Buffer::F32(v) => bytemuck::cast_slice_mut(v),
            Buffer::F64(v) => bytemuck::cast_slice_mut(v),
        })
    }
}

/// Values handed to [`Array::new`], in one of the supported element types. `From` is
/// implemented for a `Vec` of each, so `Array::new("x", vec![3], vec![1.0f32, 2.0, 3.0])` works.
#[derive(Clone, Debug, PartialEq)]
pub enum Values {
    /// `bool`.
    Bool(Vec<bool>),
    /// `int8`.
    I8(Vec<i8>),
    /// `int16`.
    I16(Vec<i16>),
    /// `int32`.
    I32(Vec<i32>),
    /// `int64`.
    I64(Vec<i64>),
    /// `uint8`.
    U8(Vec<u8>),
    /// `uint16`.
    U16(Vec<u16>),
    /// `uint32`.
    U32(Vec<u32>),
    /// `uint64`.
    U64(Vec<u64>),
    /// `float16`.
    F16(Vec<half::f16>),
    /// `float32`.
    F32(Vec<f32>),
    /// `float64`.
    F64(Vec<f64>),
}

macro_rules! values_from {
    ($($t:ty => $v:ident),* $(,)?) => {$(
        impl From<Vec<$t>> for Values {
            fn from(v: Vec<$t>) -> Self {
                Values::$v(v)
            }
        }
    )*};
}
values_from!(bool => Bool, i8 => I8, i16 => I16, i32 => I32, i64 => I64, u8 => U8, u16 => U16,
    u32 => U32, u64 => U64, half::f16 => F16, f32 => F32, f64 => F64);

impl Values {
    /// The element type.
    pub fn dtype(&self) -> DType {
        match self {
            Values::Bool(_) => DType::Bool,
            Values::I8(_) => DType::I8,
            Values::I16(_) => DType::I16,
            Values::I32(_) => DType::I32,
            Values::I64(_) => DType::I64,
            Values::U8(_) => DType::U8,
            Values::U16(_) => DType::U16,
            Values::U32(_) => DType::U32,
            Values::U64(_) => DType::U64,
            Values::F16(_) => DType::F16,
            Values::F32(_) => DType::F32,
            Values::F64(_) => DType::F64,
        }
    }

    /// The number of values.
    pub fn len(&self) -> usize {
        match self {
            Values::Bool(v) => v.len(),
            Values::I8(v) => v.len(),
            Values::I16(v) => v.len(),
            Values::I32(v) => v.len(),
            Values::I64(v) => v.len(),
            Values::U8(v) => v.len(),
            Values::U16(v) => v.len(),
            Values::U32(v) => v.len(),
            Values::U64(v) => v.len(),
            Values::F16(v) => v.len(),
            Values::F32(v) => v.len(),
            Values::F64(v) => v.len(),
        }
    }

    /// Whether there are no values.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn into_buffer(self) -> Buffer {
        match self {
            Values::Bool(v) => Buffer::U8(v.into_iter().map(u8::from).collect()),
            Values::I8(v) => Buffer::I8(v),
            Values::I16(v) => Buffer::I16(v),
            Values::I32(v) => Buffer::I32(v),
            Values::I64(v) => Buffer::I64(v),
            Values::U8(v) => Buffer::U8(v),
            Values::U16(v) => Buffer::U16(v),
            Values::U32(v) => Buffer::U32(v),
            Values::U64(v) => Buffer::U64(v),
            Values::F16(v) => Buffer::U16(v.into_iter().map(half::f16::to_bits).collect()),
            Values::F32(v) => Buffer::F32(v),
            Values::F64(v) => Buffer::F64(v),
        }
    }
}

/// The element count of `shape`, refused when it overflows or reaches [`MAX_ELEMENTS`]; zero
/// dims are allowed (the count is then 0, but the other dims must still be sane).
pub(crate) fn checked_count(shape: &[u64]) -> std::result::Result<u64, String> {
    let mut nonzero: u64 = 1;
    let mut any_zero = false;
    for &d in shape {
        if d == 0 {
            any_zero = true;
            continue;
        }
        nonzero = nonzero
            .checked_mul(d)
            .filter(|&n| n < MAX_ELEMENTS)
            .ok_or_else(|| "its element count overflows 2^60".to_string())?;
    }
    Ok(if any_zero { 0 } else { nonzero })
}

/// Strides in elements for `shape` in C (row-major) or Fortran (column-major) order. Callers
/// have checked the shape with [`checked_count`], so no product overflows.
pub(crate) fn strides_for(shape: &[usize], fortran: bool) -> Vec<usize> {
    let mut strides = vec![0; shape.len()];
    let mut acc = 1usize;
    let order: Box<dyn Iterator<Item = usize>> = if fortran {
        Box::new(0..shape.len())
    } else {
        Box::new((0..shape.len()).rev())
    };
    for k in order {
        strides[k] = acc;
        acc = acc.saturating_mul(shape[k].max(1));
    }
    strides
}

struct Inner {
    name: String,
    origin: Option<Location>,
    shape: Vec<usize>,
    /// Strides in elements, one per axis.
    strides: Vec<usize>,
    dtype: DType,
    /// The buffer's byte order differs from the machine's.
    swap: bool,
    buffer: Arc<Buffer>,
    /// Byte offset of element (0, 0, …) in the buffer.
    offset: usize,
    /// Each frame's elements are contiguous in C order.
    frame_contiguous: bool,
    range: OnceLock<Option<(f32, f32)>>,
}

/// A named n-dimensional array of numbers, shared and cheap to clone, read one frame at a time.
///
/// The leading axis is time: [`len`](Self::len) frames, each of shape
/// [`frame_shape`](Self::frame_shape). A 0-d array is one frame holding its single value.
#[derive(Clone)]
pub struct Array {
    inner: Arc<Inner>,
}

impl fmt::Debug for Array {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Array")
            .field("name", &self.inner.name)
            .field("shape", &self.inner.shape)
            .field("dtype", &self.inner.dtype)
            .field("mapped", &self.is_mapped())
            .finish()
    }
}

impl Array {
    /// An array of `values` in C order with the given shape. Errors if the shape's element
    /// count is not the number of values.
    ///
    /// ```
    /// use flipbook::data::Array;
    /// let a = Array::new("w", vec![2, 3], vec![1.0f32, 2.0, 3.0, 4.0, 5.0, 6.0])?;
    /// assert_eq!(a.len(), 2);
    /// assert_eq!(&*a.frame(1)?, &[4.0, 5.0, 6.0]);
    /// # Ok::<(), flipbook::data::DataError>(())
    /// ```
    pub fn new(
        name: impl Into<String>,
        shape: Vec<usize>,
        values: impl Into<Values>,
    ) -> Result<Array> {
        let name = name.into();
        let values = values.into();
        let dims: Vec<u64> = shape.iter().map(|&d| d as u64).collect();
        let needed = checked_count(&dims).map_err(|reason| DataError::TooLarge {
            at: Location::file(&name),
            shape: format_shape(&shape),
            reason,
        })?;
        if needed != values.len() as u64 {
            return Err(DataError::ShapeMismatch {
                name,
                shape,
                needed: needed as usize,
                given: values.len(),
            });
        }
        let dtype = values.dtype();
        Array::from_buffer(
            name,
            None,
            shape,
            false,
            dtype,
            false,
            Arc::new(values.into_buffer()),
            0,
        )
    }

    /// An array over `buffer` starting at byte `offset`, in C or Fortran order, whose bytes are
    /// in the other byte order than the machine's when `swap`. Checks that every element lies
    /// inside the buffer.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn from_buffer(
        name: String,
        origin: Option<Location>,
        shape: Vec<usize>,
        fortran: bool,
        dtype: DType,
        swap: bool,
        buffer: Arc<Buffer>,
        offset: usize,
    ) -> Result<Array> {
        let at = || origin.clone().unwrap_or_else(|| Location::file(&name));
        let dims: Vec<u64> = shape.iter().map(|&d| d as u64).collect();
        let count = checked_count(&dims).map_err(|reason| DataError::TooLarge {
            at: at(),
            shape: format_shape(&shape),
            reason,
        })?;
        let needed = count
            .checked_mul(dtype.size() as u64)
            .and_then(|b| b.checked_add(offset as u64));
        let available = buffer.bytes().len() as u64;
        if needed.is_none_or(|n| n > available) {
            return Err(DataError::Truncated {
                at: at(),
                shape,
                dtype: dtype.to_string(),
                needed: count.saturating_mul(dtype.size() as u64),
                available: available.saturating_sub(offset as u64),
            });
        }
        let strides = strides_for(&shape, fortran);
        Ok(Array::with_layout(
            name, origin, shape, strides, dtype, swap, buffer, offset,
        ))
    }

    #[allow(clippy::too_many_arguments)]
    fn with_layout(
        name: String,
        origin: Option<Location>,
        shape: Vec<usize>,
        strides: Vec<usize>,
        dtype: DType,
        swap: bool,
        buffer: Arc<Buffer>,
        offset: usize,
    ) -> Array {
        let frame_dims = shape.len().saturating_sub(1);
        let frame_contiguous = {
            let fs = &shape[shape.len() - frame_dims..];
            let st = &strides[strides.len() - frame_dims..];
            let c = strides_for(fs, false);
            fs.iter()
                .zip(st.iter().zip(&c))
                .all(|(&d, (&s, &cs))| d <= 1 || s == cs)
        };
        Array {
            inner: Arc::new(Inner {
                name,
                origin,
                shape,
                strides,
                dtype,
                swap,
                buffer,
                offset,
                frame_contiguous,
                range: OnceLock::new(),
            }),
        }
    }

    /// The array's name: a `.npy` file's stem, an `.npz` key, a CSV column's header.
    pub fn name(&self) -> &str {
        &self.inner.name
    }

    /// The same values under another name (shares the data).
    pub fn with_name(&self, name: impl Into<String>) -> Array {
        let i = &self.inner;
        Array::with_layout(
            name.into(),
            i.origin.clone(),
            i.shape.clone(),
            i.strides.clone(),
            i.dtype,
            i.swap,
            i.buffer.clone(),
            i.offset,
        )
    }

    /// The same values with `origin` as where they come from (shares the data).
    pub(crate) fn with_origin(&self, origin: Location) -> Array {
        let i = &self.inner;
        Array::with_layout(
            i.name.clone(),
            Some(origin),
            i.shape.clone(),
            i.strides.clone(),
            i.dtype,
            i.swap,
            i.buffer.clone(),
            i.offset,
        )
    }

    /// The file (and key) it was read from, if it was read from one.
    pub fn origin(&self) -> Option<&Location> {
        self.inner.origin.as_ref()
    }

    /// Where it comes from, for messages: the origin (`run.npz:weights`) or else the name.
    pub fn label(&self) -> String {
        match &self.inner.origin {
            Some(o) => o.to_string(),
            None => self.inner.name.clone(),
        }
    }

    /// The shape, leading axis (time) first.
    pub fn shape(&self) -> &[usize] {
        &self.inner.shape
    }

    /// The number of axes.
    pub fn ndim(&self) -> usize {
        self.inner.shape.len()
    }

    /// The element type the source stored.
    pub fn dtype(&self) -> DType {
        self.inner.dtype
    }

    /// The number of frames: the length of the leading axis (1 for a 0-d array).
    pub fn len(&self) -> usize {
        self.inner.shape.first().copied().unwrap_or(1)
    }

    /// Whether there are no frames (a leading axis of length 0).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The shape of one frame: the shape without its leading axis.
    pub fn frame_shape(&self) -> &[usize] {
        self.inner.shape.get(1..).unwrap_or(&[])
    }

    /// Elements per frame.
    pub fn frame_len(&self) -> usize {
        self.frame_shape().iter().product()
    }

    /// Elements in the whole array.
    pub fn element_count(&self) -> usize {
        self.inner.shape.iter().product()
    }

    /// Whether the values are read from a memory-mapped file.
    pub fn is_mapped(&self) -> bool {
        matches!(*self.inner.buffer, Buffer::Mapped(_))
    }

    /// One line for listings and messages: `weights (40, 6, 8) float32`.
    pub fn describe(&self) -> String {
        format!(
            "{} {} {}",
            self.label(),
            format_shape(self.shape()),
            self.dtype()
        )
    }

    fn check_frame(&self, i: usize) -> Result<()> {
        if i >= self.len() {
            return Err(DataError::FrameOutOfRange {
                name: self.label(),
                index: i,
                len: self.len(),
            });
        }
        Ok(())
    }

    /// Element offset of frame `i`'s first element.
    fn frame_start(&self, i: usize) -> usize {
        i * self.inner.strides.first().copied().unwrap_or(0)
    }

    /// The bytes from the array's offset on, and the element offset of frame `i`.
    fn frame_bytes(&self, i: usize) -> (&[u8], usize) {
        let bytes = self
            .inner
            .buffer
            .bytes()
            .get(self.inner.offset..)
            .unwrap_or(&[]);
        (bytes, self.frame_start(i))
    }

    /// Frame `i` (the slice along the leading axis) as `f32` values in C order: lent from the
    /// buffer when it is already native `f32`, contiguous and aligned, converted otherwise.
    pub fn frame(&self, i: usize) -> Result<Cow<'_, [f32]>> {
        self.check_frame(i)?;
        if let Some(s) = self.borrowed_f32(i) {
            return Ok(Cow::Borrowed(s));
        }
        let mut out = Vec::new();
        self.convert_frame(i, &mut out);
        Ok(Cow::Owned(out))
    }

    /// Frame `i` as `f32` into `out` (cleared first), reusing its allocation.
    pub fn frame_into(&self, i: usize, out: &mut Vec<f32>) -> Result<()> {
        self.check_frame(i)?;
        out.clear();
        if let Some(s) = self.borrowed_f32(i) {
            out.extend_from_slice(s);
        } else {
            self.convert_frame(i, out);
        }
        Ok(())
    }

    fn borrowed_f32(&self, i: usize) -> Option<&[f32]> {
        let inner = &self.inner;
        if inner.dtype != DType::F32 || inner.swap || !inner.frame_contiguous {
            return None;
        }
        let (bytes, start) = self.frame_bytes(i);
        let n = self.frame_len();
        let s = bytes.get(start * 4..(start + n) * 4)?;
        bytemuck::try_cast_slice(s).ok()
    }

    /// Frame `i` as bytes when the dtype is `uint8` (RGB(A) image frames): lent from the
    /// buffer when contiguous, gathered otherwise. `None` for other dtypes.
    pub fn frame_u8(&self, i: usize) -> Result<Option<Cow<'_, [u8]>>> {
        self.check_frame(i)?;
        if self.inner.dtype != DType::U8 {
            return Ok(None);
        }
        let (bytes, start) = self.frame_bytes(i);
        let n = self.frame_len();
        if n == 0 {
            return Ok(Some(Cow::Borrowed(&[])));
        }
        if self.inner.frame_contiguous
            && let Some(b) = bytes.get(start..start + n)
        {
            return Ok(Some(Cow::Borrowed(b)));
        }
        let mut f = Vec::with_capacity(n);
        self.convert_frame(i, &mut f);
        Ok(Some(Cow::Owned(f.into_iter().map(|v| v as u8).collect())))
    }

    /// Frame `i` as an array of its own (shape [`frame_shape`](Self::frame_shape), named
    /// `name[i]`), sharing this array's data: no values are copied.
    pub fn frame_view(&self, i: usize) -> Result<Array> {
        self.check_frame(i)?;
        let inner = &self.inner;
        if inner.shape.is_empty() {
            return Ok(self.clone());
        }
        let size = inner.dtype.size();
        let offset = inner.offset + self.frame_start(i) * size;
        Ok(Array::with_layout(
            format!("{}[{i}]", inner.name),
            inner.origin.clone(),
            inner.shape[1..].to_vec(),
            inner.strides[1..].to_vec(),
            inner.dtype,
            inner.swap,
            inner.buffer.clone(),
            offset,
        ))
    }

    /// Appends frame `i`, converted to `f32` in C order, to `out`.
    fn convert_frame(&self, i: usize, out: &mut Vec<f32>) {
        let inner = &self.inner;
        let (bytes, start) = self.frame_bytes(i);
        let shape = self.frame_shape();
        let strides = inner.strides.get(1..).unwrap_or(&[]);
        gather(bytes, inner.dtype, inner.swap, start, shape, strides, out);
    }

    /// All values as `f32` in C order (frames one after another). Errors if they would not fit
    /// in memory.
    pub fn to_f32_vec(&self) -> Result<Vec<f32>> {
        let n = self.element_count();
        let mut out = Vec::new();
        let needed = (n as u64).saturating_mul(4);
        let available = crate::memory::available_bytes();
        if available.is_some_and(|a| needed > a) || out.try_reserve_exact(n).is_err() {
            return Err(DataError::OutOfMemory {
                at: self
                    .origin()
                    .cloned()
                    .unwrap_or_else(|| Location::file(self.name())),
                needed,
                available: available.unwrap_or(0),
            });
        }
        let inner = &self.inner;
        let bytes = inner.buffer.bytes().get(inner.offset..).unwrap_or(&[]);
        gather(
            bytes,
            inner.dtype,
            inner.swap,
            0,
            &inner.shape,
            &inner.strides,
            &mut out,
        );
        Ok(out)
    }

    /// The smallest and largest finite values over all frames (NaN and ±infinity left out), or
    /// `None` when there is no finite value. Computed once, streaming (a frame or a few MB at
    /// a time, releasing mapped pages as it goes), then remembered.
    pub fn value_range(&self) -> Option<(f32, f32)> {
        *self.inner.range.get_or_init(|| self.scan_range())
    }

    fn scan_range(&self) -> Option<(f32, f32)> {
        let inner = &self.inner;
        let mut acc = RangeAcc::default();
        let n = self.element_count();
        let size = inner.dtype.size();
        let bytes = inner.buffer.bytes().get(inner.offset..).unwrap_or(&[]);
        // A whole array read from a file covers exactly its span whatever its order: scan the
        // bytes in chunks. A view (a frame of a Fortran array) goes frame by frame.
        let dense = strides_for(&inner.shape, false) == inner.strides
            || strides_for(&inner.shape, true) == inner.strides;
        if dense {
            const CHUNK: usize = 1 << 20;
            let mut buf = Vec::with_capacity(CHUNK.min(n));
            let mut start = 0;
            while start < n {
                let count = CHUNK.min(n - start);
                buf.clear();
                if inner.dtype == DType::F32 && !inner.swap {
                    if let Some(s) = bytes
                        .get(start * 4..(start + count) * 4)
                        .and_then(|s| bytemuck::try_cast_slice::<u8, f32>(s).ok())
                    {
                        acc.add(s);
                    } else {
                        convert_run(bytes, inner.dtype, inner.swap, start, 1, count, &mut buf);
                        acc.add(&buf);
                    }
                } else {
                    convert_run(bytes, inner.dtype, inner.swap, start, 1, count, &mut buf);
                    acc.add(&buf);
                }
                self.release_range(inner.offset + start * size, count * size);
                start += count;
            }
        } else {
            let mut buf = Vec::new();
            for i in 0..self.len() {
                buf.clear();
                self.convert_frame(i, &mut buf);
                acc.add(&buf);
            }
            self.release_pages();
        }
        acc.result()
    }

    /// Tells the OS this process no longer needs the mapped pages it has read (they stay in the
    /// page cache; reading them again maps them back). Does nothing for arrays in memory or on
    /// systems without `madvise`. Frames lent by [`frame`](Self::frame) stay valid.
    pub fn release_pages(&self) {
        let inner = &self.inner;
        let len = span(&inner.shape, &inner.strides) * inner.dtype.size();
        self.release_range(inner.offset, len);
    }

    #[allow(unused_variables)]
    fn release_range(&self, offset: usize, len: usize) {
        #[cfg(unix)]
        if let Buffer::Mapped(map) = &*self.inner.buffer {
            let len = len.min(map.len().saturating_sub(offset));
            if len > 0 {
                // SAFETY: the map is a read-only, shared mapping of a file (memmap2's
                // `Mmap::map`). MADV_DONTNEED on such a mapping only drops this process's page
                // table entries; the next access faults the same file contents back in from the
                // page cache, so slices lent from the map never observe different bytes.
                let _ = unsafe {
                    map.unchecked_advise_range(memmap2::UncheckedAdvice::DontNeed, offset, len)
                };
            }
        }
    }
}

/// Elements from the first to one past the last element a block with `shape` and `strides`
/// reaches (0 when it has none).
fn span(shape: &[usize], strides: &[usize]) -> usize {
    if shape.contains(&0) {
        return 0;
    }
    1 + shape
        .iter()
        .zip(strides)
        .map(|(&d, &s)| (d - 1) * s)
        .sum::<usize>()
}

/// Appends the elements of the block at element `start` with `shape` and `strides` (all in
/// elements) of `bytes`, in C order, converted to `f32`.
fn gather(
    bytes: &[u8],
    dtype: DType,
    swap: bool,
    start: usize,
    shape: &[usize],
    strides: &[usize],
    out: &mut Vec<f32>,
) {
    let total: usize = shape.iter().product();
    if total == 0 {
        return;
    }
    let Some((&inner_len, outer)) = shape.split_last() else {
        // 0-d: one element.
        if !convert_run(bytes, dtype, swap, start, 1, 1, out) {
            out.push(f32::NAN);
        }
        return;
    };
    let inner_stride = strides.last().copied().unwrap_or(1);
    let outer_strides = &strides[..strides.len().saturating_sub(1)];
    // Merge into one run when the whole block is C-contiguous.
    let c = strides_for(shape, false);
    if shape
        .iter()
        .zip(strides.iter().zip(&c))
        .all(|(&d, (&s, &cs))| d <= 1 || s == cs)
    {
        if !convert_run(bytes, dtype, swap, start, 1, total, out) {
            out.resize(out.len() + total, f32::NAN);
        }
        return;
    }
    let mut index = vec![0usize; outer.len()];
    loop {
        let base = start
            + index
                .iter()
                .zip(outer_strides)
                .map(|(i, s)| i * s)
                .sum::<usize>();
        if !convert_run(bytes, dtype, swap, base, inner_stride, inner_len, out) {
            out.resize(out.len() + inner_len, f32::NAN);
        }
        // Odometer over the outer axes, last fastest.
        let mut k = outer.len();
        loop {
            if k == 0 {
                return;
            }
            k -= 1;
            index[k] += 1;
            if index[k] < outer[k] {
                break;
            }
            index[k] = 0;
        }
    }
}

#[derive(Default)]
struct RangeAcc {
    min: f32,
    max: f32,
    any: bool,
}

impl RangeAcc {
    fn add(&mut self, values: &[f32]) {
        let (mut lo, mut hi) = (f32::INFINITY, f32::NEG_INFINITY);
        for &v in values {
            if v.is_finite() {
                lo = lo.min(v);
                hi = hi.max(v);
            }
        }
        if lo <= hi {
            if self.any {
                self.min = self.min.min(lo);
                self.max = self.max.max(hi);
            } else {
                (self.min, self.max, self.any) = (lo, hi, true);
            }
        }
    }

    fn result(&self) -> Option<(f32, f32)> {
        self.any.then_some((self.min, self.max))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_checks_shape_and_reads_frames() {
        let a = Array::new(
            "a",
            vec![2, 2, 3],
            (0..12).map(|v| v as f32).collect::<Vec<_>>(),
        )
        .unwrap();
        assert_eq!(a.len(), 2);
        assert_eq!(a.frame_shape(), &[2, 3]);
        assert!(matches!(a.frame(1).unwrap(), Cow::Borrowed(_)));
        assert_eq!(&*a.frame(1).unwrap(), &[6., 7., 8., 9., 10., 11.]);
        assert!(matches!(
            a.frame(2),
            Err(DataError::FrameOutOfRange {
                index: 2,
                len: 2,
                ..
            })
        ));
        let e = Array::new("b", vec![2, 3], vec![1u8; 5]).unwrap_err();
        assert!(e.to_string().contains("needs 6 values but 5"), "{e}");
        let e = Array::new("c", vec![1 << 31, 1 << 31], vec![1u8; 5]).unwrap_err();
        assert!(matches!(e, DataError::TooLarge { .. }), "{e}");
    }

    #[test]
    fn fortran_frames_are_gathered_in_c_order() {
        // Logical a[t, r, c] = 100t + 10r + c, shape (2, 2, 3), stored column-major.
        let shape = [2usize, 2, 3];
        let mut fortran = vec![0i16; 12];
        for t in 0..2 {
            for r in 0..2 {
                for c in 0..3 {
                    fortran[t + 2 * (r + 2 * c)] = (100 * t + 10 * r + c) as i16;
                }
            }
        }
        let buf = Arc::new(Buffer::I16(fortran));
        let a = Array::from_buffer(
            "f".into(),
            None,
            shape.to_vec(),
            true,
            DType::I16,
            false,
            buf,
            0,
        )
        .unwrap();
        assert_eq!(&*a.frame(1).unwrap(), &[100., 101., 102., 110., 111., 112.]);
        assert_eq!(
            a.to_f32_vec().unwrap(),
            vec![
                0., 1., 2., 10., 11., 12., 100., 101., 102., 110., 111., 112.
            ]
        );
        let v = a.frame_view(1).unwrap();
        assert_eq!(v.shape(), &[2, 3]);
        assert_eq!(&*v.frame(1).unwrap(), &[110., 111., 112.]);
        assert_eq!(v.value_range(), Some((100.0, 112.0)));
        assert_eq!(a.value_range(), Some((0.0, 112.0)));
    }

    #[test]
    fn ranges_skip_nan_and_infinity() {
        let a = Array::new("r", vec![4], vec![f32::NAN, 2.0, f32::INFINITY, -1.0]).unwrap();
        assert_eq!(a.value_range(), Some((-1.0, 2.0)));
        let b = Array::new("r", vec![2], vec![f64::NAN, f64::NEG_INFINITY]).unwrap();
        assert_eq!(b.value_range(), None);
        let c = Array::new("r", vec![0, 3], Vec::<f32>::new()).unwrap();
        assert_eq!(c.value_range(), None);
        assert!(c.is_empty());
    }

    #[test]
    fn zero_d_is_one_frame_and_u8_is_lent() {
        let a = Array::new("s", vec![], vec![7i64]).unwrap();
        assert_eq!(a.len(), 1);
        assert_eq!(&*a.frame(0).unwrap(), &[7.0]);
        assert_eq!(a.frame_len(), 1);
        let img = Array::new("img", vec![2, 1, 1, 3], vec![1u8, 2, 3, 4, 5, 6]).unwrap();
        let f = img.frame_u8(1).unwrap().unwrap();
        assert!(matches!(f, Cow::Borrowed(&[4, 5, 6])));
        assert!(a.frame_u8(0).unwrap().is_none());
    }

    #[test]
    fn arrays_and_errors_cross_threads() {
        fn send_sync<T: Send + Sync + 'static>() {}
        send_sync::<Array>();
        send_sync::<DataError>();
        let a = Array::new("t", vec![3], vec![1.0f32, 2.0, 3.0]).unwrap();
        let b = a.clone();
        let h = std::thread::spawn(move || b.frame(2).unwrap()[0]);
        assert_eq!(h.join().unwrap(), 3.0);
    }

    #[test]
    fn spans_outside_the_buffer_are_refused() {
        let buf = Arc::new(Buffer::U8(vec![0; 10]));
        let e = Array::from_buffer(
            "x".into(),
            None,
            vec![11],
            false,
            DType::U8,
            false,
            buf.clone(),
            0,
        )
        .unwrap_err();
        assert!(
            matches!(
                e,
                DataError::Truncated {
                    needed: 11,
                    available: 10,
                    ..
                }
            ),
            "{e}"
        );
        assert!(
            Array::from_buffer("x".into(), None, vec![5], false, DType::U16, false, buf, 1)
                .is_err()
        );
    }
}
