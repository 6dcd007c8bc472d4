//! The bytes of a `.flipbook` recording: the file header, the record frame (magic, kind,
//! length, two CRC32s) and each record kind's payload. See `docs/recording-format.md`.
//!
//! Everything is little-endian. Encoding builds one record in a `Vec<u8>` so the writer hands
//! it to the OS in one `write`; decoding checks every length against the bytes it has before
//! reading, so a hostile file gives an error, never a panic.

use super::RecordError;
use crate::data::DType;

/// The file's first 8 bytes.
pub const FILE_MAGIC: [u8; 8] = *b"FLIPBOOK";
/// The format version this build writes and the newest it reads.
pub const VERSION: u32 = 1;
/// Bytes before the first record: magic, version (u32), flags (u32, 0).
pub const FILE_HEADER_LEN: usize = 16;
/// Every record starts with these 4 bytes (the reader resynchronises on them).
pub const RECORD_MAGIC: [u8; 4] = [0xD5, b'F', b'B', b'r'];
/// Bytes of a record's head: magic, kind, 3 reserved, payload length (u32), head CRC (u32).
pub const HEAD_LEN: usize = 16;
/// Bytes after the payload: its CRC32.
pub const TAIL_LEN: usize = 4;
/// The largest payload a record may declare (1 GiB); a larger length is corruption.
pub const MAX_PAYLOAD: u32 = 1 << 30;

/// What a record holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Kind {
    /// The scene spec (JSON) and who wrote the file; the first record.
    Header = 1,
    /// An array's definition: id, name, dtype, static or per-frame, (frame) shape.
    Array = 2,
    /// A static array's values, once.
    Static = 3,
    /// One frame: its index, time, and the per-frame arrays that changed.
    Frame = 4,
    /// The run ended: the writer finished normally.
    End = 5,
}

impl Kind {
    fn from_u8(b: u8) -> Option<Kind> {
        Some(match b {
            1 => Kind::Header,
            2 => Kind::Array,
            3 => Kind::Static,
            4 => Kind::Frame,
            5 => Kind::End,
            _ => return None,
        })
    }
}

/// The file header's bytes.
pub fn file_header() -> [u8; FILE_HEADER_LEN] {
    let mut h = [0u8; FILE_HEADER_LEN];
    h[..8].copy_from_slice(&FILE_MAGIC);
    h[8..12].copy_from_slice(&VERSION.to_le_bytes());
    h
}

/// Checks a file header: the magic, then the version. `Ok(None)` when fewer than 16 bytes are
/// there yet (a file being created).
pub fn check_file_header(bytes: &[u8], file: &str) -> Result<Option<u32>, RecordError> {
    let n = bytes.len().min(8);
    if bytes[..n] != FILE_MAGIC[..n] {
        return Err(RecordError::NotARecording {
            file: file.to_string(),
        });
    }
    if bytes.len() < FILE_HEADER_LEN {
        return Ok(None);
    }
    let version = u32::from_le_bytes(bytes[8..12].try_into().unwrap_or_default());
    if version > VERSION || version == 0 {
        return Err(RecordError::Version {
            file: file.to_string(),
            found: version,
            supported: VERSION,
        });
    }
    Ok(Some(version))
}

/// A whole record (head, payload, CRC) around `payload`.
pub fn encode(kind: Kind, payload: &[u8], out: &mut Vec<u8>) {
    let start = out.len();
    out.extend_from_slice(&RECORD_MAGIC);
    out.push(kind as u8);
    out.extend_from_slice(&[0, 0, 0]);
    out.extend_from_slice(&(payload.len() as u32).to_le_bytes());
    let head_crc = crc32fast::hash(&out[start..start + 12]);
    out.extend_from_slice(&head_crc.to_le_bytes());
    out.extend_from_slice(payload);
    out.extend_from_slice(&crc32fast::hash(payload).to_le_bytes());
}

/// What a record's 16-byte head says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Head {
    /// A valid head: the kind (`None`: a kind this version does not know, skipped) and the
    /// payload's length.
    Valid {
        /// The record's kind.
        kind: Option<Kind>,
        /// Payload bytes.
        len: u32,
    },
    /// Not a record head: wrong magic, CRC or length.
    Bad(&'static str),
}

/// Reads a record head (`head` is exactly [`HEAD_LEN`] bytes).
pub fn parse_head(head: &[u8]) -> Head {
    if head.len() < HEAD_LEN || head[..4] != RECORD_MAGIC {
        return Head::Bad("no record marker");
    }
    let crc = u32::from_le_bytes(head[12..16].try_into().unwrap_or_default());
    if crc32fast::hash(&head[..12]) != crc {
        return Head::Bad("record header checksum mismatch");
    }
    let len = u32::from_le_bytes(head[8..12].try_into().unwrap_or_default());
    if len > MAX_PAYLOAD {
        return Head::Bad("record length too large");
    }
    Head::Valid {
        kind: Kind::from_u8(head[4]),
        len,
    }
}

/// Whether `payload` matches the CRC stored after it.
pub fn payload_ok(payload: &[u8], crc: &[u8]) -> bool {
    crc.len() == 4
        && crc32fast::hash(payload) == u32::from_le_bytes(crc.try_into().unwrap_or([0; 4]))
}

/// The one-byte code of a dtype in array records.
pub fn dtype_code(d: DType) -> u8 {
    match d {
        DType::Bool => 1,
        DType::I8 => 2,
        DType::I16 => 3,
        DType::I32 => 4,
        DType::I64 => 5,
        DType::U8 => 6,
        DType::U16 => 7,
        DType::U32 => 8,
        DType::U64 => 9,
        DType::F16 => 10,
        DType::F32 => 11,
        DType::F64 => 12,
    }
}

/// The dtype of a code, if known.
pub fn dtype_from_code(c: u8) -> Option<DType> {
    Some(match c {
        1 => DType::Bool,
        2 => DType::I8,
        3 => DType::I16,
        4 => DType::I32,
        5 => DType::I64,
        6 => DType::U8,
        7 => DType::U16,
        8 => DType::U32,
        9 => DType::U64,
        10 => DType::F16,
        11 => DType::F32,
        12 => DType::F64,
        _ => return None,
    })
}

/// An array's definition.
#[derive(Clone, Debug, PartialEq)]
pub struct ArrayDef {
    /// The id frame and static records use.
    pub id: u32,
    /// The name the scene spec's fields use (`"@a0"`).
    pub name: String,
    /// Element type; values are stored little-endian.
    pub dtype: DType,
    /// Whether frames carry it (else one static record does).
    pub per_frame: bool,
    /// One frame's shape (a static array's whole shape).
    pub shape: Vec<usize>,
}

impl ArrayDef {
    /// Elements in one frame (or the static array).
    pub fn count(&self) -> usize {
        self.shape.iter().product()
    }
    /// Bytes in one frame (or the static array).
    pub fn bytes(&self) -> usize {
        self.count() * self.dtype.size()
    }
    /// How many (min, max) pairs a frame record carries: the last axis' length for point-like
    /// frames (2 or more axes, last one 2..=4: x, y, z columns), else 1.
    pub fn range_columns(&self) -> usize {
        match self.shape.as_slice() {
            [.., _, last] if (2..=4).contains(last) => *last,
            _ => 1,
        }
    }

    /// The payload of its `Array` record.
    pub fn encode(&self) -> Vec<u8> {
        let mut p = Vec::with_capacity(16 + self.name.len() + 8 * self.shape.len());
        p.extend_from_slice(&self.id.to_le_bytes());
        p.push(dtype_code(self.dtype));
        p.push(u8::from(self.per_frame));
        p.push(self.shape.len() as u8);
        p.push(0);
        for &d in &self.shape {
            p.extend_from_slice(&(d as u64).to_le_bytes());
        }
        p.extend_from_slice(&(self.name.len() as u16).to_le_bytes());
        p.extend_from_slice(self.name.as_bytes());
        p
    }

    /// Reads an `Array` record's payload.
    pub fn decode(p: &[u8]) -> Option<ArrayDef> {
        let mut r = Cursor(p);
        let id = r.u32()?;
        let dtype = dtype_from_code(r.u8()?)?;
        let per_frame = match r.u8()? {
            0 => false,
            1 => true,
            _ => return None,
        };
        let rank = r.u8()? as usize;
        r.u8()?;
        let mut shape = Vec::with_capacity(rank);
        let mut count: u64 = 1;
        for _ in 0..rank {
            let d = r.u64()?;
            count = count
                .checked_mul(d)
                .filter(|&c| c <= (MAX_PAYLOAD as u64))?;
            shape.push(d as usize);
        }
        let n = r.u16()? as usize;
        let name = String::from_utf8(r.take(n)?.to_vec()).ok()?;
        Some(ArrayDef {
            id,
            name,
            dtype,
            per_frame,
            shape,
        })
    }
}

/// One changed array in a frame record, as decoded (its bytes by position in the payload).
#[derive(Clone, Debug, PartialEq)]
pub struct Change {
    /// The array's id.
    pub id: u32,
    /// Finite (min, max) per range column (`None` when a column has no finite value).
    pub ranges: Vec<Option<(f32, f32)>>,
    /// Where its values start in the record's payload.
    pub offset: usize,
    /// Their length in bytes.
    pub len: usize,
}

/// A frame record's payload, decoded without copying values.
#[derive(Clone, Debug, PartialEq)]
pub struct FrameHead {
    /// The frame's index as the writer counted it.
    pub index: u64,
    /// When it was written (seconds since the Unix epoch).
    pub time: f64,
    /// The arrays it changed.
    pub changes: Vec<Change>,
}

/// Appends one changed array to a frame payload being built.
pub fn encode_change(p: &mut Vec<u8>, id: u32, ranges: &[Option<(f32, f32)>], bytes: &[u8]) {
    p.extend_from_slice(&id.to_le_bytes());
    p.extend_from_slice(&(ranges.len() as u16).to_le_bytes());
    p.extend_from_slice(&[0, 0]);
    for r in ranges {
        let (lo, hi) = r.unwrap_or((f32::NAN, f32::NAN));
        p.extend_from_slice(&lo.to_le_bytes());
        p.extend_from_slice(&hi.to_le_bytes());
    }
    p.extend_from_slice(&(bytes.len() as u64).to_le_bytes());
    p.extend_from_slice(bytes);
}

/// The start of a frame payload: index, time, number of changes.
pub fn frame_prefix(p: &mut Vec<u8>, index: u64, time: f64, changes: u32) {
    p.extend_from_slice(&index.to_le_bytes());
    p.extend_from_slice(&time.to_le_bytes());
    p.extend_from_slice(&changes.to_le_bytes());
}

impl FrameHead {
    /// Reads a frame record's payload (values stay where they are).
    pub fn decode(p: &[u8]) -> Option<FrameHead> {
        let mut r = Cursor(p);
        let index = r.u64()?;
        let time = f64::from_bits(r.u64()?);
        let n = r.u32()? as usize;
        let mut changes = Vec::with_capacity(n.min(1024));
        for _ in 0..n {
            let id = r.u32()?;
            let cols = r.u16()? as usize;
            r.u16()?;
            let mut ranges = Vec::with_capacity(cols.min(16));
            for _ in 0..cols {
                let lo = f32::from_bits(r.u32()?);
                let hi = f32::from_bits(r.u32()?);
                ranges.push((lo <= hi).then_some((lo, hi)));
            }
            let len = usize::try_from(r.u64()?).ok()?;
            let offset = p.len() - r.0.len();
            r.take(len)?;
            changes.push(Change {
                id,
                ranges,
                offset,
                len,
            });
        }
        Some(FrameHead {
            index,
            time,
            changes,
        })
    }
}

/// Finite (min, max) of each of `columns` interleaved columns of `values`.
pub fn column_ranges(values: &[f32], columns: usize) -> Vec<Option<(f32, f32)>> {
    let columns = columns.max(1);
    let mut lo = vec![f32::INFINITY; columns];
    let mut hi = vec![f32::NEG_INFINITY; columns];
    if columns == 1 {
        for &v in values {
            if v.is_finite() {
                lo[0] = lo[0].min(v);
                hi[0] = hi[0].max(v);
            }
        }
    } else {
        for row in values.chunks_exact(columns) {
            for (k, &v) in row.iter().enumerate() {
                if v.is_finite() {
                    lo[k] = lo[k].min(v);
                    hi[k] = hi[k].max(v);
                }
            }
        }
    }
    lo.into_iter()
        .zip(hi)
        .map(|(l, h)| (l <= h).then_some((l, h)))
        .collect()
}

/// A little-endian reader over a byte slice: every read checks the length.
pub(crate) struct Cursor<'a>(pub(crate) &'a [u8]);

impl<'a> Cursor<'a> {
    pub(crate) fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if self.0.len() < n {
            return None;
        }
        let (a, b) = self.0.split_at(n);
        self.0 = b;
        Some(a)
    }
    pub(crate) fn u8(&mut self) -> Option<u8> {
        Some(self.take(1)?[0])
    }
    pub(crate) fn u16(&mut self) -> Option<u16> {
        Some(u16::from_le_bytes(self.take(2)?.try_into().ok()?))
    }
    pub(crate) fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }
    pub(crate) fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_round_trip_and_heads_are_checked() {
        let mut out = Vec::new();
        encode(Kind::End, b"hello", &mut out);
        assert_eq!(out.len(), HEAD_LEN + 5 + TAIL_LEN);
        assert_eq!(
            parse_head(&out[..HEAD_LEN]),
            Head::Valid {
                kind: Some(Kind::End),
                len: 5
            }
        );
        assert!(payload_ok(&out[16..21], &out[21..25]));
        let mut bad = out.clone();
        bad[9] ^= 1;
        assert!(matches!(parse_head(&bad[..HEAD_LEN]), Head::Bad(_)));
        let def = ArrayDef {
            id: 3,
            name: "@a3".into(),
            dtype: DType::U8,
            per_frame: true,
            shape: vec![28, 28],
        };
        assert_eq!(ArrayDef::decode(&def.encode()), Some(def));
        let mut p = Vec::new();
        frame_prefix(&mut p, 7, 1.5, 1);
        encode_change(&mut p, 2, &[Some((0.0, 1.0)), None], &[1, 2, 3, 4]);
        let f = FrameHead::decode(&p).unwrap();
        assert_eq!(f.index, 7);
        assert_eq!(f.changes[0].ranges, vec![Some((0.0, 1.0)), None]);
        assert_eq!(&p[f.changes[0].offset..][..4], &[1, 2, 3, 4]);
        assert!(FrameHead::decode(&p[..p.len() - 1]).is_none());
    }

    #[test]
    fn ranges_by_column() {
        let r = column_ranges(&[0.0, 5.0, 2.0, f32::NAN, -1.0, 4.0], 2);
        assert_eq!(r, vec![Some((-1.0, 2.0)), Some((4.0, 5.0))]);
        assert_eq!(column_ranges(&[f32::NAN], 1), vec![None]);
    }
}
