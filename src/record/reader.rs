//! Reading a recording while it grows: the scanner that indexes records, and [`Recording`],
//! the [`FrameGenerator`] that decodes frame i from the file when it is drawn.

use super::RecordError;
use super::format::{self, ArrayDef, FrameHead, Head, Kind};
use crate::animation::FrameGenerator;
use crate::data::{Array, ArrayTable, Buffer, DType, DataScene, FrameSource, SceneSpec};
use crate::scene::Figure;
use std::collections::{HashMap, VecDeque};
use std::fs::File;
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};

/// A damaged stretch of a recording: where it starts and what was wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// Byte offset of the damaged record (or of the bytes that are not a record).
    pub offset: u64,
    /// What is wrong.
    pub reason: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "byte {}: {}", self.offset, self.reason)
    }
}

/// Whether the run that writes a recording is still going.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunStatus {
    /// A writer holds the file: more frames may come.
    Running,
    /// The writer finished and wrote the end-of-run record.
    Ended,
    /// No writer holds the file and it has no end-of-run record: the writer stopped (killed or
    /// crashed); what was written is all there is.
    Stopped,
}

/// One frame in the index.
#[derive(Clone, Copy, Debug)]
struct FrameEntry {
    /// When the writer wrote it (seconds since the Unix epoch).
    time: f64,
}

/// Where one per-frame array's values changed: from timeline frame `frame` on, they are the
/// `len` bytes at file offset `offset`.
#[derive(Clone, Copy, Debug)]
struct ChangeAt {
    frame: u32,
    len: u32,
    offset: u64,
}

/// What the scanner has learnt about the file so far.
#[derive(Default)]
struct Index {
    /// The next byte to look at.
    pos: u64,
    /// Looking for the next record marker after damage.
    resync: bool,
    version: Option<u32>,
    spec: Option<SceneSpec>,
    defs: HashMap<u32, ArrayDef>,
    statics: HashMap<u32, Array>,
    frames: Vec<FrameEntry>,
    changes: HashMap<u32, Vec<ChangeAt>>,
    ranges: HashMap<u32, Vec<Option<(f32, f32)>>>,
    end: bool,
    problems: Vec<Problem>,
}

/// Decoded frames of arrays kept for reuse: (array id, file offset) → values.
const CACHE_ENTRIES: usize = 64;

struct Shared {
    path: PathBuf,
    label: String,
    file: File,
    index: RwLock<Index>,
    cache: Mutex<VecDeque<((u32, u64), Array)>>,
}

fn read_at(file: &File, path: &Path, offset: u64, buf: &mut [u8]) -> Result<(), RecordError> {
    file.read_exact_at(buf, offset)
        .map_err(|e| RecordError::io(path, e))
}

impl Index {
    /// Reads and indexes every complete record after `pos`; stops, without error, at an
    /// incomplete tail. Returns whether the file shrank (a new run replaced it).
    fn scan(&mut self, file: &File, path: &Path, label: &str) -> Result<bool, RecordError> {
        let len = file.metadata().map_err(|e| RecordError::io(path, e))?.len();
        if len < self.pos {
            return Ok(true);
        }
        if self.version.is_none() {
            let n = len.min(format::FILE_HEADER_LEN as u64) as usize;
            let mut head = vec![0u8; n];
            read_at(file, path, 0, &mut head)?;
            match format::check_file_header(&head, label)? {
                None => return Ok(false),
                Some(v) => {
                    self.version = Some(v);
                    self.pos = format::FILE_HEADER_LEN as u64;
                }
            }
        }
        let mut head = [0u8; format::HEAD_LEN];
        let mut payload = Vec::new();
        loop {
            if self.resync && !self.find_marker(file, path, len)? {
                return Ok(false);
            }
            if len - self.pos < format::HEAD_LEN as u64 {
                return Ok(false);
            }
            read_at(file, path, self.pos, &mut head)?;
            let (kind, n) = match format::parse_head(&head) {
                Head::Bad(reason) => {
                    if !self.resync {
                        self.problem(self.pos, reason.to_string());
                    }
                    self.resync = true;
                    self.pos += 1;
                    continue;
                }
                Head::Valid { kind, len } => (kind, len as u64),
            };
            self.resync = false;
            let total = (format::HEAD_LEN + format::TAIL_LEN) as u64 + n;
            if len - self.pos < total {
                return Ok(false); // not yet: the writer is still writing this record
            }
            payload.resize(n as usize + format::TAIL_LEN, 0);
            read_at(file, path, self.pos + format::HEAD_LEN as u64, &mut payload)?;
            let (body, crc) = payload.split_at(n as usize);
            let at = self.pos;
            self.pos += total;
            let Some(kind) = kind else {
                continue; // a kind from a newer minor revision: skipped
            };
            if !format::payload_ok(body, crc) {
                self.problem(
                    at,
                    format!("{kind:?} record's checksum does not match its data"),
                );
                continue;
            }
            if let Err(reason) = self.apply(kind, body, at) {
                self.problem(at, format!("{kind:?} record: {reason}"));
            }
        }
    }

    /// Moves `pos` to the next record marker; `false` when none is in the file yet.
    fn find_marker(&mut self, file: &File, path: &Path, len: u64) -> Result<bool, RecordError> {
        const CHUNK: u64 = 1 << 20;
        let mut buf = Vec::new();
        while self.pos + 4 <= len {
            let n = (len - self.pos).min(CHUNK);
            buf.resize(n as usize, 0);
            read_at(file, path, self.pos, &mut buf)?;
            if let Some(k) = buf.windows(4).position(|w| w == format::RECORD_MAGIC) {
                self.pos += k as u64;
                return Ok(true);
            }
            // Keep the last 3 bytes: a marker may straddle chunks (or the end of the file).
            self.pos += n.saturating_sub(3).max(1);
            if n < 4 {
                break;
            }
        }
        Ok(false)
    }

    fn problem(&mut self, offset: u64, reason: String) {
        // Reported to users through `Recording::problems` (the CLI prints each once).
        log::debug!("recording damaged at byte {offset}: {reason}");
        self.problems.push(Problem { offset, reason });
    }

    fn apply(&mut self, kind: Kind, p: &[u8], at: u64) -> Result<(), String> {
        match kind {
            Kind::Header => {
                if self.spec.is_some() {
                    return Err("a second header".into());
                }
                let mut r = format::Cursor(p);
                let n = r.u32().ok_or("too short")? as usize;
                let json = r.take(n).ok_or("spec length past the record")?;
                let json = std::str::from_utf8(json).map_err(|_| "the spec is not UTF-8")?;
                let spec = SceneSpec::parse(json, crate::data::spec::Syntax::Json, Path::new(""))
                    .map_err(|e| e.to_string())?;
                self.spec = Some(spec);
            }
            Kind::Array => {
                let def = ArrayDef::decode(p).ok_or("malformed array definition")?;
                if self.defs.contains_key(&def.id) {
                    return Err(format!("array id {} defined twice", def.id));
                }
                if def.per_frame {
                    self.changes.insert(def.id, Vec::new());
                    self.ranges.insert(def.id, vec![None; def.range_columns()]);
                }
                self.defs.insert(def.id, def);
            }
            Kind::Static => {
                let mut r = format::Cursor(p);
                let id = r.u32().ok_or("too short")?;
                let def = self.defs.get(&id).ok_or(format!("no array has id {id}"))?;
                if def.per_frame || self.statics.contains_key(&id) {
                    return Err(format!(
                        "array '{}' is not a static array to fill",
                        def.name
                    ));
                }
                if r.0.len() != def.bytes() {
                    return Err(format!(
                        "array '{}' needs {} bytes, the record has {}",
                        def.name,
                        def.bytes(),
                        r.0.len()
                    ));
                }
                let a =
                    to_array(&def.name, &def.shape, def.dtype, r.0).map_err(|e| e.to_string())?;
                self.statics.insert(id, a);
            }
            Kind::Frame => {
                let f = FrameHead::decode(p).ok_or("malformed frame")?;
                for c in &f.changes {
                    let def = self
                        .defs
                        .get(&c.id)
                        .ok_or(format!("no array has id {}", c.id))?;
                    if !def.per_frame || c.len != def.bytes() {
                        return Err(format!(
                            "frame {} gives {} bytes for '{}', which takes {}",
                            f.index,
                            c.len,
                            def.name,
                            def.bytes()
                        ));
                    }
                }
                let frame = self.frames.len() as u32;
                let data_at = at + format::HEAD_LEN as u64;
                for c in f.changes {
                    self.changes.entry(c.id).or_default().push(ChangeAt {
                        frame,
                        len: c.len as u32,
                        offset: data_at + c.offset as u64,
                    });
                    if let Some(r) = self.ranges.get_mut(&c.id) {
                        for (acc, new) in r.iter_mut().zip(c.ranges) {
                            *acc = match (*acc, new) {
                                (Some(a), Some(b)) => Some((a.0.min(b.0), a.1.max(b.1))),
                                (a, b) => a.or(b),
                            };
                        }
                    }
                }
                self.frames.push(FrameEntry { time: f.time });
            }
            Kind::End => self.end = true,
        }
        Ok(())
    }
}

/// Values in `dtype` (little-endian) as an array of `shape`.
fn to_array(name: &str, shape: &[usize], dtype: DType, bytes: &[u8]) -> crate::data::Result<Array> {
    let count = bytes.len() / dtype.size().max(1);
    let mut buf =
        Buffer::zeroed(dtype.size(), count).ok_or_else(|| crate::data::DataError::OutOfMemory {
            at: crate::data::Location::file(name),
            needed: bytes.len() as u64,
            available: 0,
        })?;
    if let Some(b) = buf.bytes_mut() {
        b.copy_from_slice(bytes);
    }
    Array::from_buffer(
        name.to_string(),
        None,
        shape.to_vec(),
        false,
        dtype,
        cfg!(target_endian = "big"),
        Arc::new(buf),
        0,
    )
}

impl Shared {
    /// Frame `frame` of per-frame array `id` as a `(1, ...)` array: the last change at or
    /// before it, read from the file (or the cache).
    fn decode(&self, id: u32, frame: usize) -> crate::data::Result<Array> {
        let (def, at) = {
            let index = self.index.read().unwrap_or_else(|e| e.into_inner());
            let def = index.defs.get(&id).cloned();
            let list = index.changes.get(&id);
            let at = list.and_then(|l| {
                let k = l.partition_point(|c| c.frame as usize <= frame);
                l.get(k.saturating_sub(1)).copied()
            });
            (def, at)
        };
        let (Some(def), Some(at)) = (def, at) else {
            return Err(crate::data::DataError::FrameOutOfRange {
                name: format!("{}:array {id}", self.label),
                index: frame,
                len: 0,
            });
        };
        let key = (id, at.offset);
        {
            let cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
            if let Some((_, a)) = cache.iter().find(|(k, _)| *k == key) {
                return Ok(a.clone());
            }
        }
        let mut bytes = vec![0u8; at.len as usize];
        self.file
            .read_exact_at(&mut bytes, at.offset)
            .map_err(|e| crate::data::DataError::Io {
                at: crate::data::Location::file(&self.path),
                source: e,
            })?;
        let shape: Vec<usize> = std::iter::once(1)
            .chain(def.shape.iter().copied())
            .collect();
        let a = to_array(&def.name, &shape, def.dtype, &bytes)?;
        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        if cache.len() >= CACHE_ENTRIES {
            cache.pop_front();
        }
        cache.push_back((key, a.clone()));
        Ok(a)
    }
}

/// One per-frame array of a recording as a [`FrameSource`], fixed at the frame count and value
/// ranges of the moment it was made.
struct Source {
    shared: Arc<Shared>,
    def: ArrayDef,
    len: usize,
    ranges: Vec<Option<(f32, f32)>>,
}

impl FrameSource for Source {
    fn label(&self) -> String {
        format!("{}:{}", self.shared.label, self.def.name)
    }
    fn dtype(&self) -> DType {
        self.def.dtype
    }
    fn frame_shape(&self) -> &[usize] {
        &self.def.shape
    }
    fn len(&self) -> usize {
        self.len
    }
    fn frame(&self, i: usize) -> crate::data::Result<Array> {
        self.shared.decode(self.def.id, i)
    }
    fn column_ranges(&self, columns: usize) -> Vec<Option<(f32, f32)>> {
        if columns == self.ranges.len() {
            return self.ranges.clone();
        }
        let all = self
            .ranges
            .iter()
            .fold(None, |acc: Option<(f32, f32)>, r| match (acc, *r) {
                (Some(a), Some(b)) => Some((a.0.min(b.0), a.1.max(b.1))),
                (a, b) => a.or(b),
            });
        vec![all; columns.max(1)]
    }
}

struct Snapshot {
    scene: Option<Arc<DataScene>>,
    frames: usize,
    fps: f64,
}

/// A recording opened for reading: an index of its records and the scene its header
/// describes, as a [`FrameGenerator`] whose frame i is decoded from the file when asked (a few
/// decoded arrays are cached). [`refresh`](Self::refresh) picks up frames appended since.
///
/// ```no_run
/// use flipbook::{FrameGenerator, record::Recording};
/// let rec = Recording::open("run.flipbook")?;
/// println!("{} frames, run {:?}", rec.frame_count(), rec.status());
/// let fig = rec.frame(rec.frame_count() - 1);
/// # Ok::<(), flipbook::record::RecordError>(())
/// ```
pub struct Recording {
    shared: Arc<Shared>,
    snapshot: RwLock<Snapshot>,
}

impl Recording {
    /// Opens and indexes a recording. Errors if the file is not a recording, is of a newer
    /// format version, or its header is damaged or its scene does not fit its arrays; a file
    /// with no complete header yet opens with 0 frames (see [`has_header`](Self::has_header)).
    pub fn open(path: impl AsRef<Path>) -> Result<Recording, RecordError> {
        let path = path.as_ref().to_path_buf();
        let file = File::open(&path).map_err(|e| RecordError::io(&path, e))?;
        let rec = Recording {
            shared: Arc::new(Shared {
                label: path.display().to_string(),
                path,
                file,
                index: RwLock::new(Index::default()),
                cache: Mutex::new(VecDeque::new()),
            }),
            snapshot: RwLock::new(Snapshot {
                scene: None,
                frames: 0,
                fps: 20.0,
            }),
        };
        rec.refresh()?;
        Ok(rec)
    }

    /// The file.
    pub fn path(&self) -> &Path {
        &self.shared.path
    }

    /// Reads records appended since the last look and, when there are new frames, rebuilds
    /// the scene over them (limits over every frame so far). Returns how many frames are new.
    /// An incomplete record at the end is left for the next call.
    pub fn refresh(&self) -> Result<usize, RecordError> {
        let sh = &self.shared;
        let mut index = sh.index.write().unwrap_or_else(|e| e.into_inner());
        if index.scan(&sh.file, &sh.path, &sh.label)? {
            // The file shrank: a new run replaced it. Start over.
            *index = Index::default();
            sh.cache.lock().unwrap_or_else(|e| e.into_inner()).clear();
            index.scan(&sh.file, &sh.path, &sh.label)?;
        }
        let frames = index.frames.len();
        let before = self
            .snapshot
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .frames;
        if frames == before && frames != 0 {
            return Ok(0);
        }
        let Some(spec) = index.spec.clone() else {
            // The writer puts the header first: damage before it is read is damage to it (or a
            // record was skipped to resynchronise past it), and nothing after can be drawn.
            if let Some(p) = index.problems.first() {
                return Err(RecordError::DamagedHeader {
                    file: sh.label.clone(),
                    offset: p.offset,
                    reason: p.reason.clone(),
                });
            }
            return Ok(0);
        };
        let mut spec = spec;
        spec.figure.frames = None;
        let fps = spec.figure.fps.unwrap_or(20.0);
        let scene = if frames == 0 {
            None
        } else {
            let mut table = ArrayTable::default();
            for (id, def) in &index.defs {
                if def.per_frame {
                    let source = Source {
                        shared: sh.clone(),
                        def: def.clone(),
                        len: frames,
                        ranges: index.ranges.get(id).cloned().unwrap_or_default(),
                    };
                    table.sources.insert(def.name.clone(), Arc::new(source));
                } else if let Some(a) = index.statics.get(id) {
                    table.named.insert(def.name.clone(), a.clone());
                }
            }
            drop(index);
            let base = sh.path.parent().unwrap_or(Path::new("."));
            Some(Arc::new(
                DataScene::build(&spec, base, &table, &sh.path).map_err(RecordError::Scene)?,
            ))
        };
        let mut snap = self.snapshot.write().unwrap_or_else(|e| e.into_inner());
        let new = frames.saturating_sub(snap.frames);
        *snap = Snapshot { scene, frames, fps };
        Ok(new)
    }

    /// Whether the header (the scene) has been read.
    pub fn has_header(&self) -> bool {
        self.shared
            .index
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .spec
            .is_some()
    }

    /// The scene the header describes, once read.
    pub fn spec(&self) -> Option<SceneSpec> {
        self.shared
            .index
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .spec
            .clone()
    }

    /// Damaged records found so far, in file order (each named by its byte offset; the frames
    /// around them stay readable).
    pub fn problems(&self) -> Vec<Problem> {
        self.shared
            .index
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .problems
            .clone()
    }

    /// When frame `i` was written (seconds since the Unix epoch).
    pub fn frame_time(&self, i: usize) -> Option<f64> {
        let index = self.shared.index.read().unwrap_or_else(|e| e.into_inner());
        index.frames.get(i).map(|f| f.time)
    }

    /// Whether the run is still being written, ended, or stopped without ending.
    pub fn status(&self) -> RunStatus {
        if self
            .shared
            .index
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .end
        {
            return RunStatus::Ended;
        }
        match self.shared.file.try_lock_shared() {
            Ok(()) => {
                let _ = self.shared.file.unlock();
                // Look once more: the writer may have ended between the two checks.
                let _ = self.refresh();
                let ended = self
                    .shared
                    .index
                    .read()
                    .unwrap_or_else(|e| e.into_inner())
                    .end;
                if ended {
                    RunStatus::Ended
                } else {
                    RunStatus::Stopped
                }
            }
            Err(_) => RunStatus::Running,
        }
    }

    fn scene(&self) -> (Option<Arc<DataScene>>, usize, f64) {
        let s = self.snapshot.read().unwrap_or_else(|e| e.into_inner());
        (s.scene.clone(), s.frames, s.fps)
    }

    /// The figure's size in pixels at 100 dpi and its dpi, once a frame is there.
    pub fn size_dpi(&self) -> Option<((u32, u32), f32)> {
        self.scene().0.map(|s| (s.size(), s.dpi()))
    }
}

impl FrameGenerator for Recording {
    fn frame_count(&self) -> usize {
        self.scene().1
    }
    fn fps(&self) -> f64 {
        self.scene().2
    }
    fn frame(&self, index: usize) -> Figure {
        match self.scene().0 {
            Some(s) => s.frame(index),
            None => Figure::new(1, 1),
        }
    }
}

#[cfg(feature = "window")]
impl crate::viewer::LiveSource for Recording {
    fn poll(&self) -> (usize, String) {
        let refreshed = self.refresh();
        let n = self.frame_count();
        let status = match (refreshed, self.status()) {
            (Err(e), _) => format!("cannot read on: {e}"),
            (Ok(_), RunStatus::Running) => "recording".to_string(),
            (Ok(_), RunStatus::Ended) => "run ended".to_string(),
            (Ok(_), RunStatus::Stopped) => {
                "run stopped (the writer exited without ending)".to_string()
            }
        };
        (n, status)
    }
}
