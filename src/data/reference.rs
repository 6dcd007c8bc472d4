//! Array references: the strings a scene file (and later the Python package) uses to name an
//! array in a file — `"fits.npy"`, `"run.npz:weights"`, `"log.csv:loss"`.
//!
//! How it works: the reference is split at the first `:` that follows a `.npy`, `.npz` or
//! `.csv` extension (case-insensitive), so Windows drive letters (`C:\runs\a.npz:w`) and keys
//! containing `:` both work; without such a colon the whole string is the file. Relative paths
//! resolve against a base directory (the scene file's), absolute ones stand. Loading opens only
//! what is needed: one `.npz` member, or a CSV's columns.

use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use super::error::{DataError, Result};
use super::{Array, FileKind, ReadOptions};

/// A file and, optionally, the array inside it: `"run.npz:weights"`, `"fits.npy"`,
/// `"log.csv:loss"`.
///
/// ```
/// use flipbook::data::ArrayRef;
/// let r: ArrayRef = "runs/run.npz:weights".parse()?;
/// assert_eq!(r.path, std::path::Path::new("runs/run.npz"));
/// assert_eq!(r.key.as_deref(), Some("weights"));
/// assert_eq!(r.to_string(), "runs/run.npz:weights");
/// # Ok::<(), flipbook::data::DataError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ArrayRef {
    /// The file, relative to a base directory unless absolute.
    pub path: PathBuf,
    /// The `.npz` member or `.csv` column; `None` names a `.npy` file's array, or the only
    /// array of a file that holds one.
    pub key: Option<String>,
}

impl ArrayRef {
    /// Parses a reference. Errors if it names no `.npy`, `.npz` or `.csv` file or its key is
    /// empty.
    pub fn parse(reference: &str) -> Result<ArrayRef> {
        let bad = |reason: &str| DataError::BadReference {
            reference: reference.to_string(),
            reason: reason.to_string(),
        };
        if reference.is_empty() {
            return Err(bad("it is empty"));
        }
        for (i, _) in reference.match_indices(':') {
            let file = &reference[..i];
            if FileKind::from_path(Path::new(file)).is_some() {
                let key = &reference[i + 1..];
                if key.is_empty() {
                    return Err(bad("nothing follows the ':' (write file.npz:KEY)"));
                }
                return Ok(ArrayRef {
                    path: PathBuf::from(file),
                    key: Some(key.to_string()),
                });
            }
        }
        if FileKind::from_path(Path::new(reference)).is_none() {
            return Err(bad(
                "it names no .npy, .npz or .csv file (write fits.npy, run.npz:KEY or \
                 log.csv:COLUMN)",
            ));
        }
        Ok(ArrayRef {
            path: PathBuf::from(reference),
            key: None,
        })
    }

    /// The file's path: `path` joined to `base` unless it is absolute.
    pub fn resolve(&self, base: &Path) -> PathBuf {
        if self.path.is_absolute() {
            self.path.clone()
        } else {
            base.join(&self.path)
        }
    }

    /// Loads the array, resolving the path against `base`.
    pub fn load(&self, base: &Path) -> Result<Array> {
        self.load_with(base, &ReadOptions::default())
    }

    /// Loads the array with `options`, resolving the path against `base`.
    pub fn load_with(&self, base: &Path, options: &ReadOptions) -> Result<Array> {
        super::open_one(self.resolve(base), self.key.as_deref(), options)
    }
}

impl FromStr for ArrayRef {
    type Err = DataError;

    fn from_str(s: &str) -> Result<Self> {
        ArrayRef::parse(s)
    }
}

impl fmt::Display for ArrayRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some(key) = &self.key {
            write!(f, ":{key}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(s: &str) -> (String, Option<String>) {
        let a = ArrayRef::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"));
        (a.path.to_string_lossy().into_owned(), a.key)
    }

    #[test]
    fn parses_files_and_keys() {
        assert_eq!(r("fits.npy"), ("fits.npy".into(), None));
        assert_eq!(
            r("run.npz:weights"),
            ("run.npz".into(), Some("weights".into()))
        );
        assert_eq!(r("log.CSV:loss"), ("log.CSV".into(), Some("loss".into())));
        assert_eq!(r("a.npz:b:c"), ("a.npz".into(), Some("b:c".into())));
        assert_eq!(
            r(r"C:\runs\a.npz:w"),
            (r"C:\runs\a.npz".into(), Some("w".into()))
        );
        assert_eq!(r(r"C:\runs\a.npy"), (r"C:\runs\a.npy".into(), None));
        assert_eq!(
            r("dir.npz.d/x.csv:y"),
            ("dir.npz.d/x.csv".into(), Some("y".into()))
        );
    }

    #[test]
    fn refuses_what_names_no_array() {
        for bad in ["", "run.npz:", "weights", "run.txt:x", "x:y"] {
            let e = ArrayRef::parse(bad).unwrap_err();
            assert!(matches!(e, DataError::BadReference { .. }), "{bad}: {e}");
        }
    }

    #[test]
    fn resolves_against_a_base() {
        let a = ArrayRef::parse("d/fits.npy").unwrap();
        assert_eq!(
            a.resolve(Path::new("/scenes")),
            Path::new("/scenes/d/fits.npy")
        );
        let b = ArrayRef::parse("/abs/fits.npy").unwrap();
        assert_eq!(b.resolve(Path::new("/scenes")), Path::new("/abs/fits.npy"));
        assert_eq!(a.to_string(), "d/fits.npy");
    }
}
