//! [`RecordingWriter`]: appends a run to a `.flipbook` file, one flushed record at a time.

use super::RecordError;
use super::format::{self, ArrayDef, Kind};
use crate::data::{DType, SceneSpec, spec::Syntax};
use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

/// Writes a recording: the header (scene spec) when created, then array definitions, static
/// arrays and frames, each record handed to the OS in one `write` as soon as it is made, so a
/// reader following the file sees every finished frame and a killed writer loses at most the
/// frame it was writing. Holds an exclusive advisory lock on the file while open: a second
/// writer on the same file is refused. [`finish`](Self::finish) (or dropping the writer)
/// writes the end-of-run record.
///
/// ```no_run
/// use flipbook::record::RecordingWriter;
/// use flipbook::data::DType;
/// let spec = r#"{"panels": [{"layers": [{"line": {"y": "@y"}}]}]}"#;
/// let mut w = RecordingWriter::create("run.flipbook", spec)?;
/// let y = w.add_array("@y", DType::F32, &[50], true)?;
/// for epoch in 0..100 {
///     let values: Vec<f32> = (0..50).map(|k| ((k + epoch) as f32 / 10.0).sin()).collect();
///     w.frame_f32(&[(y, &values)])?;
/// }
/// w.finish()?;
/// # Ok::<(), flipbook::record::RecordError>(())
/// ```
pub struct RecordingWriter {
    out: Sink,
    path: PathBuf,
    defs: Vec<ArrayDef>,
    by_name: HashMap<String, u32>,
    /// Per-frame arrays sent at least once (frame 0 must send them all).
    sent: Vec<bool>,
    frames: u64,
    finished: bool,
    record: Vec<u8>,
    payload: Vec<u8>,
    scratch: Vec<f32>,
}

/// Where records go: a locked file, or a viewer's socket (`flipbook view --listen`) and
/// optionally a locked local copy.
enum Sink {
    File(File),
    Tcp {
        /// The viewer's socket, or why it went away (with a local copy the run goes on).
        stream: Result<std::net::TcpStream, String>,
        keep: Option<(File, PathBuf)>,
    },
}

/// Opens `path` for a writer: created if missing, locked against a second writer (refused,
/// the file left as it was), then emptied.
fn open_locked(path: &Path) -> Result<File, RecordError> {
    let io = |e: std::io::Error| RecordError::io(path, e);
    let file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)
        .map_err(io)?;
    match file.try_lock() {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) => {
            return Err(RecordError::Locked {
                file: path.display().to_string(),
            });
        }
        Err(std::fs::TryLockError::Error(e)) => return Err(io(e)),
    }
    file.set_len(0).map_err(io)?;
    Ok(file)
}

fn now() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64())
}

impl RecordingWriter {
    /// Creates (or replaces) `path` with a recording of the scene `spec_json` (the scene-file
    /// model as JSON; its per-frame fields name arrays added with
    /// [`add_array`](Self::add_array)). Refused, leaving the file as it was, when another
    /// writer holds it.
    pub fn create(path: impl AsRef<Path>, spec_json: &str) -> Result<Self, RecordError> {
        let path = path.as_ref().to_path_buf();
        SceneSpec::parse(spec_json, Syntax::Json, &path).map_err(|e| RecordError::Spec {
            file: path.display().to_string(),
            reason: e.to_string(),
        })?;
        let file = open_locked(&path)?;
        RecordingWriter::start(Sink::File(file), path, spec_json)
    }

    /// Streams a recording to a viewer listening at `addr` (`flipbook view --listen ADDR`):
    /// the same records, over TCP, and with `keep` the same bytes to a local recording there
    /// (locked like [`create`](Self::create)'s). Without a local copy a viewer that goes away
    /// makes the next frame fail; with one the run goes on into the file
    /// ([`viewer_gone`](Self::viewer_gone) says why the stream stopped).
    pub fn connect(addr: &str, spec_json: &str, keep: Option<&Path>) -> Result<Self, RecordError> {
        let path = PathBuf::from(format!("tcp://{addr}"));
        SceneSpec::parse(spec_json, Syntax::Json, &path).map_err(|e| RecordError::Spec {
            file: path.display().to_string(),
            reason: e.to_string(),
        })?;
        let keep = match keep {
            Some(p) => Some((open_locked(p)?, p.to_path_buf())),
            None => None,
        };
        let stream = std::net::TcpStream::connect(addr).map_err(|e| RecordError::Connect {
            addr: addr.to_string(),
            source: e,
        })?;
        let _ = stream.set_nodelay(true);
        let sink = Sink::Tcp {
            stream: Ok(stream),
            keep,
        };
        RecordingWriter::start(sink, path, spec_json)
    }

    fn start(out: Sink, path: PathBuf, spec_json: &str) -> Result<Self, RecordError> {
        let mut w = RecordingWriter {
            out,
            path,
            defs: Vec::new(),
            by_name: HashMap::new(),
            sent: Vec::new(),
            frames: 0,
            finished: false,
            record: Vec::new(),
            payload: Vec::new(),
            scratch: Vec::new(),
        };
        let header = serde_json::json!({
            "writer": format!("flipbook {}", env!("CARGO_PKG_VERSION")),
            "created": now(),
        });
        let mut payload = Vec::new();
        // Header payload: u32 length of the spec JSON, the spec, then a JSON object of facts.
        payload.extend_from_slice(&(spec_json.len() as u32).to_le_bytes());
        payload.extend_from_slice(spec_json.as_bytes());
        payload.extend_from_slice(header.to_string().as_bytes());
        w.record.extend_from_slice(&format::file_header());
        format::encode(Kind::Header, &payload, &mut w.record);
        w.flush_record()?;
        Ok(w)
    }

    /// The file being written.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Frames written so far.
    pub fn frames(&self) -> u64 {
        self.frames
    }

    /// Defines an array the spec names `name`: per-frame (`shape` is one frame's shape; frames
    /// carry its values when they change) or static (written once with
    /// [`write_static`](Self::write_static)). Returns its id.
    pub fn add_array(
        &mut self,
        name: &str,
        dtype: DType,
        shape: &[usize],
        per_frame: bool,
    ) -> Result<u32, RecordError> {
        if self.frames > 0 {
            return Err(self.bad(format!(
                "array '{name}' is defined after the first frame; define every array first"
            )));
        }
        if self.by_name.contains_key(name) {
            return Err(self.bad(format!("array '{name}' is already defined")));
        }
        if name.len() > u16::MAX as usize {
            return Err(self.bad("an array name longer than 65535 bytes".to_string()));
        }
        let id = self.defs.len() as u32;
        let def = ArrayDef {
            id,
            name: name.to_string(),
            dtype,
            per_frame,
            shape: shape.to_vec(),
        };
        if def.bytes() as u64 > format::MAX_PAYLOAD as u64 / 2 {
            return Err(self.bad(format!("array '{name}' is larger than 512 MiB per frame")));
        }
        let payload = def.encode();
        format::encode(Kind::Array, &payload, &mut self.record);
        self.flush_record()?;
        self.by_name.insert(name.to_string(), id);
        self.defs.push(def);
        self.sent.push(false);
        Ok(id)
    }

    /// The id of an array defined by name.
    pub fn array_id(&self, name: &str) -> Option<u32> {
        self.by_name.get(name).copied()
    }

    /// Writes a static array's values: `bytes` in its dtype, little-endian, C order.
    pub fn write_static(&mut self, id: u32, bytes: &[u8]) -> Result<(), RecordError> {
        let def = self.def(id)?.clone();
        if def.per_frame {
            return Err(self.bad(format!("array '{}' is per-frame, not static", def.name)));
        }
        self.check_len(&def, bytes)?;
        if self.sent[id as usize] {
            return Err(self.bad(format!("static array '{}' was already written", def.name)));
        }
        self.payload.clear();
        self.payload.extend_from_slice(&id.to_le_bytes());
        self.payload.extend_from_slice(bytes);
        let payload = std::mem::take(&mut self.payload);
        format::encode(Kind::Static, &payload, &mut self.record);
        self.payload = payload;
        self.flush_record()?;
        self.sent[id as usize] = true;
        Ok(())
    }

    /// Appends a frame: the per-frame arrays that changed since the previous frame, each as
    /// bytes in its dtype (little-endian, C order). Arrays left out keep their previous
    /// frame's values; the first frame must give every per-frame array. Returns the frame's
    /// index.
    pub fn frame(&mut self, changed: &[(u32, &[u8])]) -> Result<u64, RecordError> {
        self.payload.clear();
        let mut payload = std::mem::take(&mut self.payload);
        format::frame_prefix(&mut payload, self.frames, now(), changed.len() as u32);
        let result = self.frame_changes(&mut payload, changed);
        if let Err(e) = result {
            self.payload = payload;
            return Err(e);
        }
        format::encode(Kind::Frame, &payload, &mut self.record);
        self.payload = payload;
        self.flush_record()?;
        for (id, _) in changed {
            self.sent[*id as usize] = true;
        }
        self.frames += 1;
        Ok(self.frames - 1)
    }

    fn frame_changes(
        &mut self,
        payload: &mut Vec<u8>,
        changed: &[(u32, &[u8])],
    ) -> Result<(), RecordError> {
        for (k, (id, bytes)) in changed.iter().enumerate() {
            let def = self.def(*id)?;
            if !def.per_frame {
                let name = def.name.clone();
                return Err(self.bad(format!("array '{name}' is static, not per-frame")));
            }
            if changed[..k].iter().any(|(other, _)| other == id) {
                let name = def.name.clone();
                return Err(self.bad(format!("array '{name}' is given twice in one frame")));
            }
            let def = def.clone();
            self.check_len(&def, bytes)?;
            self.scratch.clear();
            let values: &[f32] = if def.dtype == DType::F32 && cfg!(target_endian = "little") {
                match bytemuck::try_cast_slice(bytes) {
                    Ok(v) => v,
                    Err(_) => {
                        crate::data::convert_run(
                            bytes,
                            def.dtype,
                            false,
                            0,
                            1,
                            def.count(),
                            &mut self.scratch,
                        );
                        &self.scratch
                    }
                }
            } else {
                crate::data::convert_run(
                    bytes,
                    def.dtype,
                    cfg!(target_endian = "big"),
                    0,
                    1,
                    def.count(),
                    &mut self.scratch,
                );
                &self.scratch
            };
            let ranges = format::column_ranges(values, def.range_columns());
            format::encode_change(payload, *id, &ranges, bytes);
        }
        if self.frames == 0 {
            let missing: Vec<&str> = self
                .defs
                .iter()
                .filter(|d| d.per_frame && !changed.iter().any(|(id, _)| *id == d.id))
                .map(|d| d.name.as_str())
                .collect();
            if !missing.is_empty() {
                let msg = format!(
                    "the first frame must give every per-frame array; missing {}",
                    missing.join(", ")
                );
                return Err(self.bad(msg));
            }
        }
        Ok(())
    }

    /// [`frame`](Self::frame) for `float32` arrays given as `f32` values.
    pub fn frame_f32(&mut self, changed: &[(u32, &[f32])]) -> Result<u64, RecordError> {
        let bytes: Vec<(u32, Vec<u8>)> = changed
            .iter()
            .map(|(id, v)| (*id, v.iter().flat_map(|x| x.to_le_bytes()).collect()))
            .collect();
        let refs: Vec<(u32, &[u8])> = bytes.iter().map(|(id, b)| (*id, b.as_slice())).collect();
        self.frame(&refs)
    }

    /// Writes the end-of-run record and syncs the file to disk.
    pub fn finish(mut self) -> Result<(), RecordError> {
        self.end()
    }

    fn end(&mut self) -> Result<(), RecordError> {
        if self.finished {
            return Ok(());
        }
        self.finished = true;
        let mut payload = Vec::new();
        payload.push(0u8); // status: finished normally
        payload.extend_from_slice(&self.frames.to_le_bytes());
        format::encode(Kind::End, &payload, &mut self.record);
        self.flush_record()?;
        match &self.out {
            Sink::File(f) => f.sync_all().map_err(|e| RecordError::io(&self.path, e)),
            Sink::Tcp { stream, keep } => {
                if let Ok(s) = stream {
                    let _ = s.shutdown(std::net::Shutdown::Write);
                }
                match keep {
                    Some((f, p)) => f.sync_all().map_err(|e| RecordError::io(p, e)),
                    None => Ok(()),
                }
            }
        }
    }

    /// For a stream kept in a local file: why the viewer stopped receiving it, once it has
    /// (the frames since went to the file only). `None` while it receives, and for files.
    pub fn viewer_gone(&self) -> Option<&str> {
        match &self.out {
            Sink::Tcp { stream, .. } => stream.as_ref().err().map(String::as_str),
            Sink::File(_) => None,
        }
    }

    fn def(&self, id: u32) -> Result<&ArrayDef, RecordError> {
        self.defs
            .get(id as usize)
            .ok_or_else(|| self.bad(format!("no array has id {id}")))
    }

    fn check_len(&self, def: &ArrayDef, bytes: &[u8]) -> Result<(), RecordError> {
        if bytes.len() != def.bytes() {
            return Err(self.bad(format!(
                "array '{}' ({} of shape {}) takes {} bytes, got {}",
                def.name,
                def.dtype,
                crate::data::format_shape(&def.shape),
                def.bytes(),
                bytes.len()
            )));
        }
        Ok(())
    }

    fn bad(&self, reason: String) -> RecordError {
        RecordError::Usage {
            file: self.path.display().to_string(),
            reason,
        }
    }

    fn flush_record(&mut self) -> Result<(), RecordError> {
        if self.finished && self.record.is_empty() {
            return Ok(());
        }
        let record = &self.record;
        let result = match &mut self.out {
            Sink::File(f) => f
                .write_all(record)
                .map_err(|e| RecordError::io(&self.path, e)),
            Sink::Tcp { stream, keep } => {
                // The local copy first: it is what survives the viewer.
                let kept = match keep {
                    Some((f, p)) => f.write_all(record).map_err(|e| RecordError::io(p, e)),
                    None => Ok(()),
                };
                match (kept, stream.as_mut().map(|s| s.write_all(record))) {
                    (Err(e), _) => Err(e),
                    (Ok(()), Ok(Err(e))) if keep.is_some() => {
                        log::warn!(
                            "{}: the viewer went away ({e}); recording to the local copy only",
                            self.path.display()
                        );
                        *stream = Err(e.to_string());
                        Ok(())
                    }
                    (Ok(()), Ok(Err(e))) => Err(RecordError::Disconnected {
                        addr: self.path.display().to_string(),
                        source: e,
                    }),
                    (Ok(()), _) => Ok(()),
                }
            }
        };
        self.record.clear();
        result
    }
}

impl Drop for RecordingWriter {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            let _ = self.end();
        }
    }
}
