//! The `.npy` reader.
//!
//! How it works: the preamble and header are read first (at most 12 + 64 KiB bytes) and passed
//! through the strict gate in [`super::header`]; the header's length, and then the data's
//! (element count × element size, computed with overflow checks), are compared with what the
//! source holds before anything is allocated. npyz then parses the same, now known-safe, header
//! and its dtype, order and shape are the ones used (a disagreement with the gate is an error).
//! Data of at least [`ReadOptions::map_min_bytes`] is memory-mapped and viewed in place (byte
//! order and Fortran order handled when frames are read); smaller data is read into an owned,
//! aligned buffer and byte-swapped to native order once. The same code reads `.npy` members of
//! `.npz` archives, from a mapped stored member or from a decompressing stream.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;
use std::sync::Arc;

use super::ReadOptions;
use super::array::{Array, Buffer};
use super::dtype::{DType, swap_in_place};
use super::error::{DataError, Location, Result, format_shape};
use super::header::{self, HeaderError, Preamble};

/// A checked `.npy` layout: where the data is and what it holds.
pub(crate) struct Layout {
    pub dtype: DType,
    /// The data is in the other byte order than the machine's.
    pub swap: bool,
    pub fortran: bool,
    pub shape: Vec<usize>,
    /// Bytes from the start of the `.npy` to its data.
    pub data_offset: usize,
    /// Bytes of data.
    pub data_len: u64,
}

impl Layout {
    fn count(&self) -> usize {
        self.shape.iter().product()
    }
}

/// Parses the preamble and header at the start of an `.npy` whose total length is `total`
/// bytes, reading from `r` (positioned at the start). Leaves `r` at the start of the data.
pub(crate) fn read_layout(r: &mut impl Read, total: u64, at: &Location) -> Result<Layout> {
    let bad = |reason: String| DataError::malformed(at, ".npy", reason);
    let io_err = |e| DataError::io(at, e);
    // Magic, version and a 2-byte length (version 1); versions 2 and 3 have 2 more length bytes.
    let mut head = vec![0u8; 10];
    let mut got = read_full(r, &mut head).map_err(io_err)?;
    if got == 10 && head[6] >= 2 {
        head.resize(12, 0);
        got += read_full(r, &mut head[10..]).map_err(io_err)?;
    }
    head.truncate(got);
    let pre: Preamble = header::preamble(&head).map_err(bad)?;
    let data_offset = pre.data_offset();
    if data_offset as u64 > total {
        return Err(bad(format!(
            "its header claims {} bytes but the file holds only {total}",
            pre.header_len
        )));
    }
    head.resize(data_offset, 0);
    let n = read_full(r, &mut head[pre.len..]).map_err(io_err)?;
    if n < pre.header_len {
        return Err(bad("the file ends inside its header".into()));
    }
    parse_layout(&head, &pre, at)
}

/// Checks the header text, lets npyz parse it and builds the layout.
fn parse_layout(head: &[u8], pre: &Preamble, at: &Location) -> Result<Layout> {
    let text = &head[pre.len..pre.data_offset()];
    let h = header::parse(text).map_err(|e| match e {
        HeaderError::Malformed(reason) => DataError::malformed(at, ".npy", reason),
        HeaderError::Unsupported(dtype) => DataError::UnsupportedDtype {
            at: at.clone(),
            dtype,
        },
        HeaderError::TooLarge(shape, reason) => DataError::TooLarge {
            at: at.clone(),
            shape,
            reason,
        },
    })?;
    // The gate accepted it: npyz's parse is now safe, and authoritative.
    let npy = npyz::NpyHeader::from_reader(head)
        .map_err(|e| DataError::malformed(at, ".npy", format!("npyz: {e}")))?;
    let (type_char, size, big) = match npy.dtype() {
        npyz::DType::Plain(ts) => (
            ts.type_char(),
            ts.size_field(),
            ts.endianness() == npyz::Endianness::Big,
        ),
        other => {
            return Err(DataError::UnsupportedDtype {
                at: at.clone(),
                dtype: format!("{} (structured)", other.descr()),
            });
        }
    };
    let fortran = npy.order() == npyz::Order::Fortran;
    let agrees = npy.shape() == h.shape.as_slice()
        && fortran == h.fortran
        && size == h.dtype.size() as u64
        && (h.dtype.size() == 1 || big == h.big_endian)
        && type_char
            == match h.dtype {
                DType::Bool => npyz::TypeChar::Bool,
                DType::I8 | DType::I16 | DType::I32 | DType::I64 => npyz::TypeChar::Int,
                DType::U8 | DType::U16 | DType::U32 | DType::U64 => npyz::TypeChar::Uint,
                DType::F16 | DType::F32 | DType::F64 => npyz::TypeChar::Float,
            };
    if !agrees {
        return Err(DataError::malformed(
            at,
            ".npy",
            "its header reads differently to npyz and to flipbook's check",
        ));
    }
    let shape = h
        .shape
        .iter()
        .map(|&d| usize::try_from(d))
        .collect::<std::result::Result<Vec<usize>, _>>()
        .map_err(|_| DataError::TooLarge {
            at: at.clone(),
            shape: format!("{:?}", h.shape),
            reason: "a dimension does not fit in this machine's address space".into(),
        })?;
    let count: u64 = h.shape.iter().product();
    let data_len = count
        .checked_mul(h.dtype.size() as u64)
        .ok_or_else(|| DataError::TooLarge {
            at: at.clone(),
            shape: format_shape(&shape),
            reason: "its byte count overflows".into(),
        })?;
    Ok(Layout {
        dtype: h.dtype,
        swap: h.dtype.size() > 1 && h.big_endian != cfg!(target_endian = "big"),
        fortran: h.fortran,
        shape,
        data_offset: pre.data_offset(),
        data_len,
    })
}

/// Reads into `buf` until it is full or the reader ends; returns the bytes read.
pub(crate) fn read_full(r: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

/// The truncation error for `layout` when only `available` bytes of data exist.
fn truncated(at: &Location, layout: &Layout, available: u64) -> DataError {
    DataError::Truncated {
        at: at.clone(),
        shape: layout.shape.clone(),
        dtype: layout.dtype.to_string(),
        needed: layout.data_len,
        available,
    }
}

/// An owned buffer for `layout`'s data, refused when the machine does not have the memory.
pub(crate) fn allocate(at: &Location, layout: &Layout) -> Result<Buffer> {
    let needed = layout.data_len;
    let available = crate::memory::available_bytes();
    let oom = || DataError::OutOfMemory {
        at: at.clone(),
        needed,
        available: available.unwrap_or(0),
    };
    if available.is_some_and(|a| needed > a) {
        return Err(oom());
    }
    Buffer::zeroed(layout.dtype.size(), layout.count()).ok_or_else(oom)
}

/// Reads `layout`'s data from `r` (positioned at the data) into memory and makes the array.
pub(crate) fn read_data(
    r: &mut impl Read,
    layout: Layout,
    name: String,
    at: &Location,
) -> Result<Array> {
    let mut buffer = allocate(at, &layout)?;
    let bytes = buffer.bytes_mut().unwrap_or(&mut []);
    let n = read_full(r, bytes).map_err(|e| DataError::io(at, e))?;
    if (n as u64) < layout.data_len {
        return Err(truncated(at, &layout, n as u64));
    }
    if layout.swap {
        swap_in_place(bytes, layout.dtype.size());
    }
    Array::from_buffer(
        name,
        Some(at.clone()),
        layout.shape,
        layout.fortran,
        layout.dtype,
        false,
        Arc::new(buffer),
        0,
    )
}

/// Views an `.npy` held at `start..start + len` of `buffer` (a mapped file or stored member)
/// without copying its data.
pub(crate) fn view(
    buffer: Arc<Buffer>,
    start: usize,
    len: usize,
    name: String,
    at: &Location,
) -> Result<Array> {
    let bytes = buffer
        .bytes()
        .get(start..start.saturating_add(len))
        .ok_or_else(|| DataError::malformed(at, ".npy", "it lies outside its file"))?;
    let mut r = bytes;
    let layout = read_layout(&mut r, len as u64, at)?;
    let available = (len - layout.data_offset) as u64;
    if layout.data_len > available {
        return Err(truncated(at, &layout, available));
    }
    Array::from_buffer(
        name,
        Some(at.clone()),
        layout.shape,
        layout.fortran,
        layout.dtype,
        layout.swap,
        buffer,
        start + layout.data_offset,
    )
}

/// Reads an `.npy` held in memory (copying its data into an aligned buffer).
pub(crate) fn from_bytes(bytes: &[u8], name: String, at: &Location) -> Result<Array> {
    let mut r = bytes;
    let layout = read_layout(&mut r, bytes.len() as u64, at)?;
    let available = r.len() as u64;
    if layout.data_len > available {
        return Err(truncated(at, &layout, available));
    }
    read_data(&mut r, layout, name, at)
}

/// Opens an `.npy` file as one array named after the file's stem: memory-mapped when its data
/// is at least `options.map_min_bytes`, read otherwise.
pub(crate) fn open(path: &Path, options: &ReadOptions) -> Result<Array> {
    let at = Location::file(path);
    let name = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut file = File::open(path).map_err(|e| DataError::io(&at, e))?;
    let total = file.metadata().map_err(|e| DataError::io(&at, e))?.len();
    let layout = read_layout(&mut file, total, &at)?;
    let available = total - layout.data_offset as u64;
    if layout.data_len > available {
        return Err(truncated(&at, &layout, available));
    }
    if layout.data_len >= options.map_min_bytes && layout.data_len > 0 {
        // SAFETY: the map is read-only. Its contents are only valid while no one truncates or
        // rewrites the file; that is the documented limitation of reading large files mapped
        // (rewriting a mapped file in place can fault the process, see `ReadOptions`).
        let map = unsafe { memmap2::Mmap::map(&file) }.map_err(|e| DataError::io(&at, e))?;
        if (map.len() as u64) < total {
            return Err(truncated(&at, &layout, map.len() as u64));
        }
        let offset = layout.data_offset;
        return Array::from_buffer(
            name,
            Some(at),
            layout.shape,
            layout.fortran,
            layout.dtype,
            layout.swap,
            Arc::new(Buffer::Mapped(map)),
            offset,
        );
    }
    let mut r = io::BufReader::new(file);
    read_data(&mut r, layout, name, &at)
}
