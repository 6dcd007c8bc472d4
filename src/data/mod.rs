//! Data from files: shared arrays and the `.npy`, `.npz` and `.csv` readers that make them.
//!
//! Everything that feeds figures from data — the quick look (`flipbook view FILE`), scene files,
//! the Python package and live recordings — goes through one type, [`Array`]: a name, a shape
//! whose leading axis is time, the dtype the source stored, and values shared through an `Arc`
//! (memory-mapped for large files), read one frame at a time as `f32`.
//!
//! How it works: [`open`] picks a reader by extension ([`FileKind`]) and returns the file's
//! arrays in file order — a `.npy` gives one array named after the file's stem, an `.npz` one
//! per member named by its key, a `.csv` one `float64` column per header. [`ArrayRef`] parses
//! the `"run.npz:weights"` syntax and loads one array relative to a base directory.
//! [`read_bytes`] reads the same formats from memory (embedded blobs, tests, fuzzing). Every
//! size a file declares is checked against what the file holds before anything is allocated,
//! and every failure is a [`DataError`] naming the file, key, shape, dtype, line or column —
//! never a panic.
//!
//! Modules: [`array`](Array) (the array and its frames), `dtype` (element types and their
//! conversion), `header` (the strict `.npy` header gate), `npy`, `npz`, `csv` (the readers),
//! `reference` (the reference syntax), `error`.
//!
//! ```no_run
//! use flipbook::data::{self, ArrayRef};
//! for a in data::open("run.npz")? {
//!     println!("{} range {:?}", a.describe(), a.value_range());
//! }
//! let w = ArrayRef::parse("run.npz:weights")?.load(std::path::Path::new("."))?;
//! let first = w.frame(0)?; // &[f32] of one frame
//! # Ok::<(), flipbook::data::DataError>(())
//! ```

#![warn(missing_docs)]

mod array;
mod csv;
mod dtype;
mod error;
mod header;
mod npy;
mod npz;
mod quick;
mod reference;
mod scene;
pub mod spec;
mod template;

use std::path::Path;

pub(crate) use array::Buffer;
pub use array::{Array, MAX_ELEMENTS, Values};
pub use dtype::DType;
pub(crate) use dtype::convert_run;
pub use error::{DataError, Location, Result, format_shape};
pub use half::f16;
pub use quick::{DrawAs, QuickOptions, inspect, quick_look, quick_look_arrays};
pub use reference::ArrayRef;
pub use scene::{ArrayTable, DataScene, FrameSource};
pub use spec::SceneSpec;
pub use template::Template;

/// How files are read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadOptions {
    /// Array data of at least this many bytes is memory-mapped instead of read into memory
    /// (`.npy` data; stored `.npz` members of an archive at least this large). A mapped file
    /// must not be truncated or rewritten in place while its arrays are alive: the OS would
    /// fault the process on reading a page that no longer exists (numpy's `np.save` to the same
    /// path does that; saving to a new name and renaming does not).
    pub map_min_bytes: u64,
}

impl ReadOptions {
    /// The default threshold for mapping: 16 MiB.
    pub const DEFAULT_MAP_MIN_BYTES: u64 = 16 << 20;

    /// Read everything into memory; never map.
    pub fn in_memory() -> Self {
        ReadOptions {
            map_min_bytes: u64::MAX,
        }
    }

    /// Map every `.npy` file and `.npz` archive, however small.
    pub fn always_map() -> Self {
        ReadOptions { map_min_bytes: 0 }
    }
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            map_min_bytes: Self::DEFAULT_MAP_MIN_BYTES,
        }
    }
}

/// The file formats flipbook reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FileKind {
    /// numpy's `.npy`: one array.
    Npy,
    /// numpy's `.npz`: a zip of named `.npy` arrays.
    Npz,
    /// Comma-separated values with a header row.
    Csv,
}

impl FileKind {
    /// The kind a path's extension names (case-insensitive), if any.
    pub fn from_path(path: &Path) -> Option<FileKind> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "npy" => Some(FileKind::Npy),
            "npz" => Some(FileKind::Npz),
            "csv" => Some(FileKind::Csv),
            _ => None,
        }
    }

    /// The extension, with its dot.
    pub fn extension(self) -> &'static str {
        match self {
            FileKind::Npy => ".npy",
            FileKind::Npz => ".npz",
            FileKind::Csv => ".csv",
        }
    }
}

fn kind_of(path: &Path) -> Result<FileKind> {
    FileKind::from_path(path).ok_or_else(|| DataError::UnknownFormat {
        path: path.to_path_buf(),
    })
}

/// Opens a `.npy`, `.npz` or `.csv` file (by extension) and returns its arrays in file order:
/// a `.npy` gives one array named after the file's stem, an `.npz` one per member named by its
/// key, a `.csv` one per column named by its header.
pub fn open(path: impl AsRef<Path>) -> Result<Vec<Array>> {
    open_with(path, &ReadOptions::default())
}

/// [`open`] with explicit [`ReadOptions`].
pub fn open_with(path: impl AsRef<Path>, options: &ReadOptions) -> Result<Vec<Array>> {
    let path = path.as_ref();
    match kind_of(path)? {
        FileKind::Npy => Ok(vec![npy::open(path, options)?]),
        FileKind::Npz => npz::Archive::open(path, options)?.read_all(options),
        FileKind::Csv => csv::open(path),
    }
}

/// Opens one array of a file: the `.npz` member or `.csv` column named `key`, or, with no key,
/// a `.npy` file's array or the only array of a file that holds one. Reads only what it needs
/// (one `.npz` member). Errors name the keys the file holds when `key` is missing or needed.
pub fn open_one(path: impl AsRef<Path>, key: Option<&str>, options: &ReadOptions) -> Result<Array> {
    let path = path.as_ref();
    let pick = |mut arrays: Vec<Array>| -> Result<Array> {
        let names = || arrays.iter().map(|a| a.name().to_string()).collect();
        match key {
            Some(k) => match arrays.iter().position(|a| a.name() == k) {
                Some(i) => Ok(arrays.swap_remove(i)),
                None => Err(DataError::MissingKey {
                    path: path.to_path_buf(),
                    key: k.to_string(),
                    available: names(),
                }),
            },
            None if arrays.len() == 1 => Ok(arrays.swap_remove(0)),
            None => Err(DataError::AmbiguousKey {
                path: path.to_path_buf(),
                available: names(),
            }),
        }
    };
    match kind_of(path)? {
        FileKind::Npy => pick(vec![npy::open(path, options)?]),
        FileKind::Npz => {
            let archive = npz::Archive::open(path, options)?;
            match key {
                Some(k) => archive.read_key(k, options),
                None => {
                    let keys = archive.keys();
                    match keys.as_slice() {
                        [only] => archive.read_key(only, options),
                        _ => Err(DataError::AmbiguousKey {
                            path: path.to_path_buf(),
                            available: keys,
                        }),
                    }
                }
            }
        }
        FileKind::Csv => pick(csv::open(path)?),
    }
}

/// Reads a file's bytes held in memory, as [`open`] would read a file of that kind named
/// `name` (which names the arrays' origin in errors; a `.npy`'s array is named after its
/// stem). Nothing is mapped.
pub fn read_bytes(kind: FileKind, name: &str, bytes: &[u8]) -> Result<Vec<Array>> {
    let path = Path::new(name);
    match kind {
        FileKind::Npy => {
            let stem = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            Ok(vec![npy::from_bytes(bytes, stem, &Location::file(path))?])
        }
        FileKind::Npz => npz::from_bytes(bytes, Location::file(path)),
        FileKind::Csv => csv::from_reader(bytes, path),
    }
}

#[cfg(test)]
mod tests;
