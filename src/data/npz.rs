//! The `.npz` reader: a zip archive of `.npy` members (`np.savez` stores them,
//! `np.savez_compressed` deflates them).
//!
//! How it works: the archive is opened through npyz's `NpzArchive` (the `zip` crate underneath)
//! over the file's bytes — memory-mapped when the file is at least
//! [`ReadOptions::map_min_bytes`], read into memory otherwise. Its central directory gives each
//! member's name (key = name without `.npy`, as numpy does), compression method, sizes and data
//! offset, in file order. A stored member is an `.npy` lying verbatim inside the archive: large
//! ones are viewed in place in the map (no copy, frames read on demand like a `.npy` file, and
//! no checksum pass over data that is not read), small ones copied out. A deflated member is decompressed once into memory: its header is read
//! first, and the data it promises must fit within the member's declared size, which must itself
//! be reachable from its compressed size (deflate expands at most ~1032×), so a forged size
//! cannot make flipbook allocate what the archive could not hold; every member read into memory
//! (deflated or small stored) has its CRC-32 verified at the end. Other compression methods and encrypted members are errors naming the member.

use std::io::{self, Cursor, Read};
use std::path::Path;
use std::sync::Arc;

use npyz::npz::NpzArchive;
use npyz::zip::CompressionMethod;

use super::ReadOptions;
use super::array::{Array, Buffer};
use super::error::{DataError, Location, Result};
use super::npy;

/// Deflate's largest expansion ratio, with a margin: a member claiming to expand more is forged.
const MAX_DEFLATE_RATIO: u64 = 1100;

/// One `.npy` member, as the central directory describes it.
struct Member {
    key: String,
    index: usize,
    method: CompressionMethod,
    data_start: u64,
    compressed: u64,
    size: u64,
}

/// An open archive: its bytes (mapped or owned) and its members in file order.
pub(crate) struct Archive {
    at: Location,
    buffer: Arc<Buffer>,
    members: Vec<Member>,
}

fn zip_error(at: &Location, e: impl std::fmt::Display) -> DataError {
    DataError::malformed(at, ".npz", e.to_string())
}

impl Archive {
    /// Opens the archive at `path`.
    pub(crate) fn open(path: &Path, options: &ReadOptions) -> Result<Archive> {
        let at = Location::file(path);
        let mut file = std::fs::File::open(path).map_err(|e| DataError::io(&at, e))?;
        let total = file.metadata().map_err(|e| DataError::io(&at, e))?.len();
        let buffer = if total >= options.map_min_bytes && total > 0 {
            // SAFETY: read-only map; valid while the file is not truncated or rewritten in
            // place (the documented limitation of mapped reading, see `ReadOptions`).
            Buffer::Mapped(unsafe { memmap2::Mmap::map(&file) }.map_err(|e| DataError::io(&at, e))?)
        } else {
            let mut bytes = Vec::new();
            bytes
                .try_reserve_exact(total as usize)
                .map_err(|_| DataError::OutOfMemory {
                    at: at.clone(),
                    needed: total,
                    available: crate::memory::available_bytes().unwrap_or(0),
                })?;
            file.read_to_end(&mut bytes)
                .map_err(|e| DataError::io(&at, e))?;
            Buffer::U8(bytes)
        };
        Archive::new(at, Arc::new(buffer))
    }

    /// Reads the central directory of the archive held in `buffer`.
    pub(crate) fn new(at: Location, buffer: Arc<Buffer>) -> Result<Archive> {
        let bytes = buffer.bytes();
        let mut npz = NpzArchive::new(Cursor::new(bytes)).map_err(|e| zip_error(&at, e))?;
        let zip = npz.zip_archive();
        let mut members = Vec::new();
        for index in 0..zip.len() {
            let f = zip.by_index_raw(index).map_err(|e| zip_error(&at, e))?;
            if f.is_dir() {
                continue;
            }
            let Some(key) = npyz::npz::array_name_from_file_name(f.name()) else {
                continue;
            };
            members.push(Member {
                key: key.to_string(),
                index,
                method: f.compression(),
                data_start: f.data_start(),
                compressed: f.compressed_size(),
                size: f.size(),
            });
        }
        Ok(Archive {
            at,
            buffer,
            members,
        })
    }

    /// The members' keys in file order.
    pub(crate) fn keys(&self) -> Vec<String> {
        self.members.iter().map(|m| m.key.clone()).collect()
    }

    /// Every member as an array, in file order.
    pub(crate) fn read_all(&self, options: &ReadOptions) -> Result<Vec<Array>> {
        self.members
            .iter()
            .map(|m| self.read_member(m, options))
            .collect()
    }

    /// The member named `key`.
    pub(crate) fn read_key(&self, key: &str, options: &ReadOptions) -> Result<Array> {
        match self.members.iter().find(|m| m.key == key) {
            Some(m) => self.read_member(m, options),
            None => Err(DataError::MissingKey {
                path: self.at.path().to_path_buf(),
                key: key.to_string(),
                available: self.keys(),
            }),
        }
    }

    fn read_member(&self, m: &Member, options: &ReadOptions) -> Result<Array> {
        let at = self.at.with_key(&m.key);
        let bytes = self.buffer.bytes();
        match m.method {
            CompressionMethod::Stored => {
                let range = usize::try_from(m.data_start)
                    .ok()
                    .zip(usize::try_from(m.compressed).ok())
                    .and_then(|(s, n)| Some((s, s.checked_add(n)?)))
                    .filter(|&(_, end)| end <= bytes.len());
                let Some((start, end)) = range else {
                    return Err(DataError::malformed(
                        &at,
                        ".npz",
                        "the member's data lies outside the archive",
                    ));
                };
                if m.size != m.compressed {
                    return Err(DataError::malformed(
                        &at,
                        ".npz",
                        "a stored member's sizes disagree",
                    ));
                }
                let mapped = matches!(*self.buffer, Buffer::Mapped(_));
                if mapped && m.size >= options.map_min_bytes {
                    npy::view(self.buffer.clone(), start, end - start, m.key.clone(), &at)
                } else {
                    self.stream(m, &at)
                }
            }
            CompressionMethod::Deflated => {
                let limit = m
                    .compressed
                    .saturating_mul(MAX_DEFLATE_RATIO)
                    .saturating_add(1 << 16);
                if m.size > limit {
                    return Err(DataError::malformed(
                        &at,
                        ".npz",
                        format!(
                            "the member claims {} bytes uncompressed from {} compressed, more \
                             than deflate can expand",
                            m.size, m.compressed
                        ),
                    ));
                }
                self.stream(m, &at)
            }
            other => Err(DataError::Unsupported {
                at,
                what: format!(
                    "compression method {other} (numpy writes stored or deflated members)"
                ),
            }),
        }
    }

    /// Reads a member through the zip reader (decompressing a deflated one) into memory,
    /// checking its CRC-32 at the end.
    fn stream(&self, m: &Member, at: &Location) -> Result<Array> {
        let mut npz =
            NpzArchive::new(Cursor::new(self.buffer.bytes())).map_err(|e| zip_error(at, e))?;
        let zip = npz.zip_archive();
        let mut f = zip.by_index(m.index).map_err(|e| zip_error(at, e))?;
        let layout = npy::read_layout(&mut f, m.size, at)?;
        let available = m.size - layout.data_offset as u64;
        if layout.data_len > available {
            return Err(DataError::Truncated {
                at: at.clone(),
                shape: layout.shape.clone(),
                dtype: layout.dtype.to_string(),
                needed: layout.data_len,
                available,
            });
        }
        let rest = available - layout.data_len;
        let array = npy::read_data(&mut f, layout, m.key.clone(), at)?;
        // Read to the member's end so the zip reader checks its CRC-32.
        let mut tail = (&mut f).take(rest.saturating_add(1));
        io::copy(&mut tail, &mut io::sink()).map_err(|e| DataError::io(at, e))?;
        Ok(array)
    }
}

/// Reads every member of an `.npz` held in memory (`at` names it in errors).
pub(crate) fn from_bytes(bytes: &[u8], at: Location) -> Result<Vec<Array>> {
    let archive = Archive::new(at, Arc::new(Buffer::U8(bytes.to_vec())))?;
    archive.read_all(&ReadOptions::in_memory())
}
