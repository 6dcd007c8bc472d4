//! Export from the viewer: runs [`crate::export::export`] on a background thread with the
//! user's current view, reporting progress through atomics so the UI thread never blocks, and
//! cancellable (cancelling removes the partial output).

use crate::Result;
use crate::animation::{FrameGenerator, WithView};
use crate::export::{ExportOptions, ExportReport, export_with};
use crate::gpu::GpuContext;
use crate::scene::ViewAdjust;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

/// A running (or finished) export.
pub struct ExportJob {
    /// Where it writes.
    pub output: String,
    done: Arc<AtomicUsize>,
    total: usize,
    cancel: Arc<AtomicBool>,
    result: Arc<Mutex<Option<Result<ExportReport>>>>,
    handle: Option<JoinHandle<()>>,
}

impl ExportJob {
    /// Starts exporting `generator` seen through `view`.
    pub fn start(
        gpu: Arc<GpuContext>,
        generator: Arc<dyn FrameGenerator>,
        view: ViewAdjust,
        options: ExportOptions,
    ) -> Self {
        let total = options
            .range
            .as_ref()
            .map_or(generator.frame_count(), |r| r.len());
        let done = Arc::new(AtomicUsize::new(0));
        let cancel = Arc::new(AtomicBool::new(false));
        let result = Arc::new(Mutex::new(None));
        let output = options.output.display().to_string();
        let (d, c, r) = (done.clone(), cancel.clone(), result.clone());
        let handle = std::thread::Builder::new()
            .name("flipbook export".into())
            .spawn(move || {
                let scene = WithView::new(generator, view);
                let res = export_with(
                    &gpu,
                    &scene,
                    &options,
                    &mut |n, _| d.store(n, Ordering::Relaxed),
                    Some(&c),
                );
                if let Ok(mut slot) = r.lock() {
                    *slot = Some(res);
                }
            })
            .ok();
        ExportJob {
            output,
            done,
            total,
            cancel,
            result,
            handle,
        }
    }

    /// Fraction done, 0..=1.
    pub fn progress(&self) -> f32 {
        self.done.load(Ordering::Relaxed) as f32 / self.total.max(1) as f32
    }

    /// Frames done and total.
    pub fn counts(&self) -> (usize, usize) {
        (self.done.load(Ordering::Relaxed), self.total)
    }

    /// Asks the export to stop; its partial output is removed.
    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }

    /// The outcome once finished (taken once).
    pub fn take_result(&mut self) -> Option<Result<ExportReport>> {
        let r = self.result.lock().ok()?.take()?;
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
        Some(r)
    }
}

impl Drop for ExportJob {
    fn drop(&mut self) {
        // Closing the window mid-export cancels it cleanly instead of leaving a partial file.
        self.cancel();
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
    }
}
