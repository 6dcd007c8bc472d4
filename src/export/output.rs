//! Atomic output: every file is written under a temporary name in its destination directory
//! and renamed into place only when complete. A failed or cancelled export drops the temporary
//! (deleting it), so the destination never holds a half-written file and an existing file is
//! replaced only by a finished one.

use crate::{Error, Result};
use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};

/// Checks that `dest` can be created: its directory exists and can be written to (a file is
/// created there and removed again), and it is not itself a directory. Exports call this before
/// rendering anything.
pub fn check_destination(dest: &Path) -> Result<()> {
    if dest.is_dir() {
        return Err(Error::Output {
            path: dest.into(),
            reason: "is a directory; give a file name".into(),
        });
    }
    let dir = parent_dir(dest);
    if !dir.is_dir() {
        return Err(Error::Output {
            path: dest.into(),
            reason: format!("directory '{}' does not exist", dir.display()),
        });
    }
    // Permissions alone do not tell (root ignores them; read-only mounts, quotas): try.
    temp_builder().tempfile_in(dir).map_err(|e| Error::Output {
        path: dest.into(),
        reason: format!("cannot write to directory '{}': {e}", dir.display()),
    })?;
    Ok(())
}

fn parent_dir(dest: &Path) -> &Path {
    match dest.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// A builder for temporary files in an output directory. They get the permissions of a normally
/// created file (0666 less the umask, typically 0644) rather than tempfile's private 0600,
/// because the rename into place keeps them.
pub fn temp_builder() -> tempfile::Builder<'static, 'static> {
    let mut b = tempfile::Builder::new();
    b.prefix(".flipbook-").suffix(".part");
    #[cfg(unix)]
    b.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    b
}

/// A file being written under a temporary name next to its destination.
pub struct PendingFile {
    temp: tempfile::NamedTempFile,
    writer: Option<BufWriter<File>>,
    dest: PathBuf,
}

impl PendingFile {
    /// Creates the temporary file; fails if the destination's directory is missing or not writable.
    pub fn create(dest: &Path) -> Result<Self> {
        check_destination(dest)?;
        let temp = temp_builder()
            .tempfile_in(parent_dir(dest))
            .map_err(|e| Error::Output {
                path: dest.into(),
                reason: format!("cannot write here: {e}"),
            })?;
        let file = temp.reopen().map_err(|e| Error::io(dest, e))?;
        Ok(PendingFile {
            temp,
            writer: Some(BufWriter::with_capacity(1 << 20, file)),
            dest: dest.into(),
        })
    }

    /// Takes the buffered writer (once); the file is committed by [`PendingFile::commit`].
    pub fn take_writer(&mut self) -> Option<BufWriter<File>> {
        self.writer.take()
    }

    /// The final path.
    pub fn dest(&self) -> &Path {
        &self.dest
    }

    /// Flushes `writer` (the one [`PendingFile::take_writer`] gave), syncs the data to disk and
    /// commits: for the long outputs (whole animations) that must not appear truncated after a
    /// crash.
    pub fn commit_writer(self, writer: BufWriter<File>) -> Result<PathBuf> {
        let file = writer
            .into_inner()
            .map_err(|e| Error::io(&self.dest, e.into_error()))?;
        file.sync_all().map_err(|e| Error::io(&self.dest, e))?;
        self.commit()
    }

    /// Moves the finished file to its destination, replacing any file there.
    pub fn commit(self) -> Result<PathBuf> {
        let dest = self.dest;
        self.temp
            .persist(&dest)
            .map_err(|e| Error::io(&dest, e.error))?;
        Ok(dest)
    }
}
