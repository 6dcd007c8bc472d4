//! The export pipeline: this thread asks the generator for frame i, renders it and queues its
//! readback on the canvas's ring while an encoder thread encodes frame i−2. A bounded channel
//! between them keeps memory flat whatever the frame count. Panels that ask for automatic
//! limits get them from a scan of every frame first ([`FrameLimits`]).

use super::options::notes_for;
use super::{ExportOptions, ExportReport, Format, FrameEncoder, check_range, create_encoder};
use crate::animation::{FrameGenerator, FrameLimits};
use crate::gpu::{CANVAS_FORMAT, Canvas, FigureRenderer, GpuContext, RgbaFrame};
use crate::{Error, Result};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

/// Renders `generator`'s frames and writes them as `options` says: the one-call export.
///
/// ```no_run
/// # use flipbook::{GpuContext, ExportOptions, scenes::Sine};
/// let ctx = GpuContext::new_headless()?;
/// let report = flipbook::export(&ctx, &Sine::new(100, 25.0), &ExportOptions::new("sine.gif"))?;
/// println!("{} frames in {:?}", report.frames, report.elapsed);
/// # Ok::<(), flipbook::Error>(())
/// ```
pub fn export(
    ctx: &GpuContext,
    generator: &dyn FrameGenerator,
    options: &ExportOptions,
) -> Result<ExportReport> {
    export_with(ctx, generator, options, &mut |_, _| {}, None)
}

/// [`export`] with progress and cancellation: `progress(done, total)` is called after each
/// frame is handed to the encoder; setting `cancel` stops the export, removes its partial
/// output and returns [`Error::Cancelled`].
pub fn export_with(
    ctx: &GpuContext,
    generator: &dyn FrameGenerator,
    options: &ExportOptions,
    progress: &mut dyn FnMut(usize, usize),
    cancel: Option<&AtomicBool>,
) -> Result<ExportReport> {
    let mut reports = export_many(
        ctx,
        generator,
        std::slice::from_ref(options),
        progress,
        cancel,
    )?;
    reports.pop().ok_or_else(|| Error::Encode {
        format: "export",
        reason: "no output".into(),
    })
}

/// Like [`export_with`], but renders each frame once and hands it to several outputs (a GIF and an
/// MP4 of the same frames, say). Every output must have the same size and frame range.
pub fn export_many(
    ctx: &GpuContext,
    generator: &dyn FrameGenerator,
    outputs: &[ExportOptions],
    progress: &mut dyn FnMut(usize, usize),
    cancel: Option<&AtomicBool>,
) -> Result<Vec<ExportReport>> {
    let start = Instant::now();
    let first = outputs.first().ok_or_else(|| Error::Encode {
        format: "export",
        reason: "no output given".into(),
    })?;
    if let Some(o) = outputs.iter().find(|o| {
        (o.width, o.height, o.dpi, &o.range) != (first.width, first.height, first.dpi, &first.range)
    }) {
        return Err(Error::Output {
            path: o.output.clone(),
            reason: "outputs exported together need the same size, dpi and frame range".into(),
        });
    }
    let formats = outputs
        .iter()
        .map(|o| match o.format {
            Some(f) => Ok(f),
            None => Format::from_path(&o.output),
        })
        .collect::<Result<Vec<Format>>>()?;
    let range = first.range.clone().unwrap_or(0..generator.frame_count());
    check_range(&range, generator.frame_count())?;
    let (w, h) = first.pixel_size()?;
    let max = ctx.max_texture_side();
    if first.dpi != 100.0 && (w > max || h > max) {
        return Err(Error::invalid(
            crate::Setting::Dpi,
            first.dpi.to_string(),
            format!(
                "{}x{} at {} dpi is {w}x{h} pixels, above this GPU's largest texture side of {max} px",
                first.width, first.height, first.dpi
            ),
        ));
    }
    let mut canvas = Canvas::new(ctx, w, h)?.with_scale(first.scale());
    let mut encoders = formats
        .iter()
        .zip(outputs)
        .map(|(f, o)| create_encoder(*f, o, generator.fps(), range.len()))
        .collect::<Result<Vec<Box<dyn FrameEncoder>>>>()?;
    let cancelled = || cancel.is_some_and(|c| c.load(Ordering::Relaxed));
    let limits = FrameLimits::scan(generator)?;
    let frame = |i: usize| {
        let mut f = generator.frame(i);
        if let Some(l) = &limits {
            l.apply(&mut f);
        }
        f
    };
    // Frames go to the encoders in their mapped readback buffers, uncopied (samples kept for
    // later are copied out).
    canvas.lend_readback(true);
    let mut renderer = FigureRenderer::new(&ctx.device, CANVAS_FORMAT);

    let wanted = encoders
        .iter()
        .map(|e| e.samples_wanted())
        .max()
        .unwrap_or(0)
        .min(range.len());
    // Sample frames are rendered through the readback ring, then kept and handed to the
    // encoders again at their turn rather than rendered twice.
    let mut rendered: std::collections::BTreeMap<usize, RgbaFrame> = Default::default();
    if wanted > 0 {
        let mut samples = Vec::with_capacity(wanted);
        for k in 0..wanted {
            if cancelled() {
                return Err(Error::Cancelled);
            }
            let i = range.start + k * (range.len() - 1) / (wanted - 1).max(1);
            let done = canvas
                .submit(ctx, &mut renderer, &frame(i), i)
                .map_err(|e| e.in_frame(i))?;
            samples.extend(done.map(RgbaFrame::into_owned));
        }
        samples.extend(canvas.flush(ctx)?.into_iter().map(RgbaFrame::into_owned));
        for e in encoders.iter_mut().filter(|e| e.samples_wanted() > 0) {
            e.set_samples(&samples)?;
        }
        rendered.extend(samples.into_iter().map(|f| (f.index, f)));
    }

    let total = range.len();
    let encoders = std::thread::scope(|s| -> Result<Vec<Box<dyn FrameEncoder>>> {
        let (tx, rx) = std::sync::mpsc::sync_channel::<RgbaFrame>(2);
        let worker = s.spawn(move || -> Result<Vec<Box<dyn FrameEncoder>>> {
            for frame in rx {
                for e in encoders.iter_mut() {
                    e.push(&frame)?;
                }
            }
            Ok(encoders)
        });
        let mut sent = 0;
        let produced = (|| -> Result<()> {
            let mut send = |f: RgbaFrame| -> bool {
                sent += 1;
                let ok = tx.send(f).is_ok();
                progress(sent, total);
                ok
            };
            for i in range.clone() {
                if cancelled() {
                    return Err(Error::Cancelled);
                }
                if let Some(frame) = rendered.remove(&i) {
                    // In order: the frames still in flight come first.
                    for done in canvas.flush(ctx)?.into_iter().chain([frame]) {
                        if !send(done) {
                            return Ok(());
                        }
                    }
                    continue;
                }
                let figure = frame(i);
                if let Some(done) = canvas
                    .submit(ctx, &mut renderer, &figure, i)
                    .map_err(|e| e.in_frame(i))?
                    && !send(done)
                {
                    return Ok(()); // The encoder failed; its error is reported below.
                }
            }
            for done in canvas.flush(ctx)? {
                if !send(done) {
                    break;
                }
            }
            Ok(())
        })();
        drop(tx);
        let encoded = worker.join().map_err(|_| Error::Encode {
            format: "export",
            reason: "encoder thread panicked".into(),
        })?;
        produced?;
        encoded
    })?;
    if cancelled() {
        return Err(Error::Cancelled);
    }
    let mut reports = Vec::with_capacity(encoders.len());
    for ((encoder, format), options) in encoders.into_iter().zip(formats).zip(outputs) {
        let files = encoder.finish()?;
        let bytes = files
            .iter()
            .filter_map(|f| std::fs::metadata(f).ok())
            .map(|m| m.len())
            .sum();
        let notes = notes_for(format, options, bytes);
        reports.push(ExportReport {
            files,
            frames: total,
            bytes,
            elapsed: start.elapsed(),
            notes,
        });
    }
    Ok(reports)
}
