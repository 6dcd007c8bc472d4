//! Errors of the data readers: one enum whose every message names the file (and the key inside
//! it, written `file.npz:key` like a reference), and the shape, dtype, row or column at fault.
//!
//! Readers return [`DataError`]; the library's [`crate::Error`] wraps it (`Error::Data`), so `?`
//! works in either direction of use. Sizes are checked against what the file holds before
//! anything is allocated, so a corrupt header is an error here rather than an allocation abort.

use std::fmt;
use std::path::{Path, PathBuf};

/// Where an array comes from: a file and, for `.npz` members and `.csv` columns, the key inside
/// it. Displayed as `path` or `path:key`, the same syntax as an [`ArrayRef`](super::ArrayRef).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    /// The file.
    pub path: PathBuf,
    /// The member or column inside it, if any.
    pub key: Option<String>,
}

impl Location {
    /// A whole file.
    pub fn file(path: impl Into<PathBuf>) -> Self {
        Location {
            path: path.into(),
            key: None,
        }
    }

    /// A key inside a file.
    pub fn key(path: impl Into<PathBuf>, key: impl Into<String>) -> Self {
        Location {
            path: path.into(),
            key: Some(key.into()),
        }
    }

    /// The same file with `key` inside it.
    pub fn with_key(&self, key: impl Into<String>) -> Self {
        Location::key(self.path.clone(), key)
    }

    pub(crate) fn path(&self) -> &Path {
        &self.path
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some(key) = &self.key {
            write!(f, ":{key}")?;
        }
        Ok(())
    }
}

/// A shape written the way numpy prints it: `(40, 6, 8)`, `(5,)`, `()`.
pub fn format_shape(shape: &[usize]) -> String {
    match shape {
        [] => "()".into(),
        [n] => format!("({n},)"),
        _ => {
            let parts: Vec<String> = shape.iter().map(|d| d.to_string()).collect();
            format!("({})", parts.join(", "))
        }
    }
}

/// Everything that can go wrong reading arrays.
#[derive(Debug, thiserror::Error)]
pub enum DataError {
    /// The file could not be opened or read.
    #[error("{at}: {source}")]
    Io {
        /// The file (and key) being read.
        at: Location,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The file's extension is not one flipbook reads.
    #[error("{}: unknown file type; flipbook reads .npy, .npz and .csv files", path.display())]
    UnknownFormat {
        /// The file.
        path: PathBuf,
    },
    /// The bytes are not a valid file of the expected format (wrong magic, broken header,
    /// corrupt archive).
    #[error("{at}: not a valid {format} file: {reason}")]
    Malformed {
        /// The file (and key).
        at: Location,
        /// `.npy`, `.npz` or `.csv`.
        format: &'static str,
        /// What is wrong.
        reason: String,
    },
    /// The array's element type is not one flipbook reads.
    #[error(
        "{at}: dtype {dtype} is not supported; flipbook reads bool, signed and unsigned \
         integers and float16/32/64"
    )]
    UnsupportedDtype {
        /// The file (and key).
        at: Location,
        /// The dtype as numpy writes it with a description, e.g. `'<c16' (complex)`.
        dtype: String,
    },
    /// Something else in the file flipbook does not read (a zip compression method, …).
    #[error("{at}: {what} is not supported")]
    Unsupported {
        /// The file (and key).
        at: Location,
        /// What, e.g. "compression method bzip2".
        what: String,
    },
    /// The header promises more data than the file holds.
    #[error(
        "{at}: the header promises shape {} of {dtype} ({needed} bytes of data) but the file \
         holds only {available} bytes of data",
        format_shape(shape)
    )]
    Truncated {
        /// The file (and key).
        at: Location,
        /// The declared shape.
        shape: Vec<usize>,
        /// The declared element type.
        dtype: String,
        /// Bytes of data the shape needs.
        needed: u64,
        /// Bytes of data present.
        available: u64,
    },
    /// A declared shape whose element count overflows or exceeds what flipbook accepts (2^60).
    #[error("{at}: shape {shape} is too large: {reason}")]
    TooLarge {
        /// The file (and key).
        at: Location,
        /// The declared shape, as written.
        shape: String,
        /// Why it is refused.
        reason: String,
    },
    /// Reading the array into memory needs more than the machine has available.
    #[error(
        "{at}: reading it needs {} of memory but only {} is available",
        crate::error::human_bytes(*needed),
        crate::error::human_bytes(*available)
    )]
    OutOfMemory {
        /// The file (and key).
        at: Location,
        /// Bytes needed.
        needed: u64,
        /// Bytes available.
        available: u64,
    },
    /// A key (an `.npz` member or a `.csv` column) that the file does not hold.
    #[error("{}: no array named '{key}' (it holds: {})", path.display(), list(available))]
    MissingKey {
        /// The file.
        path: PathBuf,
        /// The key asked for.
        key: String,
        /// The keys the file holds, in file order.
        available: Vec<String>,
    },
    /// A reference without a key to a file that holds several arrays.
    #[error(
        "{}: holds {} arrays ({}); name one as {}:KEY",
        path.display(), available.len(), list(available), path.display()
    )]
    AmbiguousKey {
        /// The file.
        path: PathBuf,
        /// The keys the file holds, in file order.
        available: Vec<String>,
    },
    /// A CSV cell, row or header that cannot be read.
    #[error("{}: line {line}{}: {reason}", path.display(), column_text(column))]
    Csv {
        /// The file.
        path: PathBuf,
        /// The 1-based line in the file.
        line: u64,
        /// The 1-based column number and its header, when one column is at fault.
        column: Option<(usize, String)>,
        /// What is wrong.
        reason: String,
    },
    /// A reference string (`"run.npz:weights"`) that cannot be parsed.
    #[error("invalid array reference '{reference}': {reason}")]
    BadReference {
        /// The reference as given.
        reference: String,
        /// Why it is invalid.
        reason: String,
    },
    /// Values that do not fill the shape given for them.
    #[error(
        "array '{name}': shape {} needs {needed} values but {given} were given",
        format_shape(shape)
    )]
    ShapeMismatch {
        /// The array's name.
        name: String,
        /// The shape asked for.
        shape: Vec<usize>,
        /// Values the shape needs (`None`-free: overflow is [`DataError::TooLarge`]).
        needed: usize,
        /// Values given.
        given: usize,
    },
    /// A frame index past the end of the leading axis.
    #[error("array '{name}': frame {index} is out of range (it has {len} frames)")]
    FrameOutOfRange {
        /// The array's name.
        name: String,
        /// The index asked for.
        index: usize,
        /// Frames along the leading axis.
        len: usize,
    },
    /// A scene (a scene file, a quick look or a figure built in Python) that cannot be built:
    /// the field at fault (`panels[0].layers[2].y`) and why.
    #[error("{}{}{reason}", scene_path(path), scene_field(field))]
    SceneFile {
        /// The scene file; empty for scenes not read from a file.
        path: PathBuf,
        /// The field's path in the scene, e.g. `panels[0].layers[2].y`; empty for the file.
        field: String,
        /// What is wrong.
        reason: String,
    },
}

fn scene_path(p: &std::path::Path) -> String {
    if p.as_os_str().is_empty() {
        String::new()
    } else {
        format!("{}: ", p.display())
    }
}

fn scene_field(f: &str) -> String {
    if f.is_empty() {
        String::new()
    } else {
        format!("{f}: ")
    }
}

fn list(keys: &[String]) -> String {
    if keys.is_empty() {
        return "nothing".into();
    }
    const SHOWN: usize = 12;
    let mut s = keys
        .iter()
        .take(SHOWN)
        .map(|k| k.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    if keys.len() > SHOWN {
        s.push_str(&format!(", … {} more", keys.len() - SHOWN));
    }
    s
}

fn column_text(column: &Option<(usize, String)>) -> String {
    match column {
        Some((n, name)) if name.is_empty() => format!(", column {n}"),
        Some((n, name)) => format!(", column {n} ('{name}')"),
        None => String::new(),
    }
}

impl DataError {
    pub(crate) fn io(at: &Location, source: std::io::Error) -> Self {
        DataError::Io {
            at: at.clone(),
            source,
        }
    }

    pub(crate) fn malformed(
        at: &Location,
        format: &'static str,
        reason: impl Into<String>,
    ) -> Self {
        DataError::Malformed {
            at: at.clone(),
            format,
            reason: reason.into(),
        }
    }
}

/// Shorthand for results with [`DataError`].
pub type Result<T, E = DataError> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_print_like_numpy() {
        assert_eq!(format_shape(&[]), "()");
        assert_eq!(format_shape(&[5]), "(5,)");
        assert_eq!(format_shape(&[40, 6, 8]), "(40, 6, 8)");
    }

    #[test]
    fn locations_print_like_references() {
        assert_eq!(Location::file("a/b.npy").to_string(), "a/b.npy");
        assert_eq!(Location::key("run.npz", "w").to_string(), "run.npz:w");
    }

    #[test]
    fn long_key_lists_are_cut() {
        let keys: Vec<String> = (0..20).map(|i| format!("k{i}")).collect();
        let e = DataError::MissingKey {
            path: "x.npz".into(),
            key: "y".into(),
            available: keys,
        };
        let s = e.to_string();
        assert!(s.contains("k11, … 8 more"), "{s}");
    }
}
