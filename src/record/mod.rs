//! Recordings: a running job appends its frames to a `.flipbook` file that a viewer follows
//! live and the exporter reads at any moment.
//!
//! How it works. A recording is the scene-file model plus arrays, written as it happens
//! (the byte layout is in `docs/recording-format.md`, [`format`] encodes it):
//!
//! - the file starts with `FLIPBOOK`, the format version and a header record holding the
//!   scene spec as JSON. Its data fields name arrays (`"@a0"`) that records define next;
//! - array records define each array (id, name, dtype, shape of one frame, static or
//!   per-frame); a static array's values follow once in a static record;
//! - each frame record carries the frame's index and time and only the per-frame arrays that
//!   changed, each with the (min, max) of its values (per x/y/z column for points) so readers
//!   know the limits without decoding; an array a frame leaves out keeps its previous value;
//! - an end record says the run finished.
//!
//! Every record is length-prefixed with a CRC32 over its 12-byte head and another over its
//! payload. A reader that finds fewer bytes than the head announces is looking at a record
//! still being written ("not yet": it looks again later); a checksum that fails on complete
//! bytes is damage, reported with its byte offset, after which the reader skips the record (its
//! length is trusted when the head's checksum holds) or scans for the next record marker.
//!
//! [`RecordingWriter`] writes a record with one `write` call as soon as a frame is given (the
//! OS has it even if the process is killed the next instant) and holds an exclusive advisory
//! lock on the file, so a second writer is refused. [`Recording`] indexes the records (byte
//! offsets only, plus the running value ranges) and implements
//! [`FrameGenerator`](crate::FrameGenerator) by decoding frame i's arrays from the file when
//! it is drawn: memory stays flat however long the run. Its per-frame arrays reach the one
//! data model ([`DataScene`](crate::data::DataScene)) as
//! [`FrameSource`](crate::data::FrameSource)s, so a recording draws exactly like the same
//! scene saved as files. [`Recording::refresh`] picks up appended frames;
//! [`Recording::status`] tells a running writer (it holds the lock) from one that ended (end
//! record) or stopped (neither).

pub mod format;
mod reader;
mod writer;

pub use reader::{Problem, Recording, RunStatus};
pub use writer::RecordingWriter;

/// A viewer's end of a streamed recording (`flipbook view --listen ADDR`): accepts one writer
/// ([`RecordingWriter::connect`]) and spools what it sends into a file, holding the file's
/// writer lock while connected, so [`Recording`] follows it like any recording and tells a
/// writer that disconnected without ending ("stopped") from one that ended.
pub struct Listener {
    listener: std::net::TcpListener,
    addr: String,
}

impl Listener {
    /// Listens on `addr` (`127.0.0.1:9876`). A port in use is an error naming the address.
    pub fn bind(addr: &str) -> Result<Listener, RecordError> {
        let listener = std::net::TcpListener::bind(addr).map_err(|e| RecordError::Listen {
            addr: addr.to_string(),
            source: e,
        })?;
        Ok(Listener {
            listener,
            addr: addr.to_string(),
        })
    }

    /// The address listened on (with the port the OS chose for port 0).
    pub fn local_addr(&self) -> String {
        self.listener
            .local_addr()
            .map_or(self.addr.clone(), |a| a.to_string())
    }

    /// Spools the first writer that connects into `path` (created or replaced) on a thread of
    /// its own; returns at once.
    pub fn spool_into(
        self,
        path: &Path,
    ) -> Result<std::thread::JoinHandle<Result<u64, RecordError>>, RecordError> {
        use std::io::Write;
        let io = |e| RecordError::io(path, e);
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(false)
            .open(path)
            .map_err(io)?;
        file.try_lock().map_err(|_| RecordError::Locked {
            file: path.display().to_string(),
        })?;
        file.set_len(0).map_err(io)?;
        let path = path.to_path_buf();
        Ok(std::thread::spawn(move || {
            let (mut stream, _) = self
                .listener
                .accept()
                .map_err(|e| RecordError::io(&path, e))?;
            // Copy as bytes arrive; the reader treats a partial record as "not yet".
            let mut buf = vec![0u8; 1 << 16];
            let mut total = 0u64;
            loop {
                match std::io::Read::read(&mut stream, &mut buf) {
                    Ok(0) | Err(_) => break, // the writer ended or went away
                    Ok(n) => {
                        file.write_all(&buf[..n])
                            .map_err(|e| RecordError::io(&path, e))?;
                        total += n as u64;
                    }
                }
            }
            drop(file); // releases the lock: no end record now means "stopped"
            Ok(total)
        }))
    }
}

use std::path::Path;

/// What can go wrong writing or reading a recording.
#[derive(Debug, thiserror::Error)]
pub enum RecordError {
    /// Reading or writing the file failed.
    #[error("{file}: {source}")]
    Io {
        /// The file.
        file: String,
        /// The OS's error.
        source: std::io::Error,
    },
    /// The file does not start with a recording's magic bytes.
    #[error("{file} is not a flipbook recording (it does not start with FLIPBOOK)")]
    NotARecording {
        /// The file.
        file: String,
    },
    /// The file was written in a newer format version than this build reads.
    #[error(
        "{file} is a flipbook recording of format version {found}, but this flipbook reads version {supported}: upgrade flipbook to read it"
    )]
    Version {
        /// The file.
        file: String,
        /// The file's version.
        found: u32,
        /// The newest version this build reads.
        supported: u32,
    },
    /// Another writer holds the file.
    #[error(
        "{file} is being recorded by another writer (it holds the file's lock); record to another file, or stop that run first"
    )]
    Locked {
        /// The file.
        file: String,
    },
    /// The scene spec given to a writer is not valid JSON of the scene model.
    #[error("{file}: the scene spec is invalid: {reason}")]
    Spec {
        /// The file.
        file: String,
        /// Why.
        reason: String,
    },
    /// A writer was asked for something the format cannot hold (wrong sizes, unknown ids).
    #[error("{file}: {reason}")]
    Usage {
        /// The file.
        file: String,
        /// Why.
        reason: String,
    },
    /// No viewer listens at the address.
    #[error(
        "cannot reach a viewer at {addr}: {source} (start one with `flipbook view --listen {addr}`)"
    )]
    Connect {
        /// The address.
        addr: String,
        /// The OS's error.
        source: std::io::Error,
    },
    /// The viewer a recording streamed to went away.
    #[error("the viewer at {addr} went away: {source}")]
    Disconnected {
        /// The address (`tcp://…`).
        addr: String,
        /// The OS's error.
        source: std::io::Error,
    },
    /// The address to listen on cannot be used (a port in use, say).
    #[error("cannot listen on {addr}: {source}")]
    Listen {
        /// The address.
        addr: String,
        /// The OS's error.
        source: std::io::Error,
    },
    /// The header's scene does not fit the recorded arrays.
    #[error("{0}")]
    Scene(crate::data::DataError),
    /// The record holding the scene (written first) is damaged, so no frame can be drawn.
    #[error(
        "{file}: the recording's scene header is damaged (byte {offset}: {reason}); without it no frame can be drawn"
    )]
    DamagedHeader {
        /// The file.
        file: String,
        /// Byte offset of the damage.
        offset: u64,
        /// What is wrong there.
        reason: String,
    },
}

impl RecordError {
    pub(crate) fn io(path: &Path, source: std::io::Error) -> RecordError {
        RecordError::Io {
            file: path.display().to_string(),
            source,
        }
    }
}

#[cfg(test)]
mod tests;
