//! The offscreen canvas: a render-target texture plus a small ring of readback buffers.
//!
//! [`Canvas::submit`] renders a frame, copies it into a free ring buffer (rows padded to
//! wgpu's 256-byte alignment) and starts mapping it, without waiting. Only when the ring is full
//! does it wait for the oldest frame, strip the row padding and hand it back. So while the CPU
//! encodes frame i, the GPU (or lavapipe's threads) is already rendering frames i+1 and i+2.
//!
//! With [`Canvas::lend_readback`] (exports use it) a frame whose rows need no padding is not
//! copied at all: its [`FramePixels`] are the mapped readback buffer itself, lent to whoever
//! holds the frame and returned to the ring (unmapped) when dropped; the ring grows while
//! buffers are out. On a software GPU that copy cost the main thread 0.3 ms a frame.

use super::{CANVAS_FORMAT, FigureRenderer, GpuContext};
use crate::scene::Figure;
use crate::{Error, Result};
use std::collections::VecDeque;
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Number of readback buffers in flight.
const RING: usize = 3;
/// Largest canvas side: the splat tile lists (`shaders/splat_common.wgsl`) index the 16-px
/// tiles of at most 32768×32768 pixels, the largest texture any current GPU offers.
const MAX_SIDE: u32 = 32768;

/// Most frames a lending canvas has out on loan at once; further frames are copied, so the
/// ring never holds more than [`RING`] + [`MAX_LENT`] buffers and never waits for one.
const MAX_LENT: usize = 6;

/// One rendered frame as tightly packed RGBA8 rows, top row first.
#[derive(Clone, Debug)]
pub struct RgbaFrame {
    /// Frame index in its timeline.
    pub index: usize,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// `width * height * 4` bytes.
    pub pixels: FramePixels,
}

impl RgbaFrame {
    /// The frame with its pixels in memory of its own, so a lent readback buffer goes back to
    /// its canvas (for frames kept a while).
    pub fn into_owned(self) -> RgbaFrame {
        RgbaFrame {
            pixels: FramePixels::from(self.pixels.into_vec()),
            ..self
        }
    }
}

/// A frame's RGBA bytes: a vector, or a canvas's mapped readback buffer (see
/// [`Canvas::lend_readback`]). Dereferences to the bytes.
pub struct FramePixels(PixelStore);

enum PixelStore {
    Owned(Vec<u8>),
    Lent(Lent),
}

/// A mapped readback buffer out on loan; dropping it unmaps the buffer and returns its slot.
struct Lent {
    view: Option<wgpu::BufferView>,
    buffer: wgpu::Buffer,
    slot: usize,
    back: mpsc::Sender<usize>,
}

impl Drop for Lent {
    fn drop(&mut self) {
        drop(self.view.take());
        self.buffer.unmap();
        // The canvas may be gone already; then the buffer simply goes with this frame.
        let _ = self.back.send(self.slot);
    }
}

impl FramePixels {
    /// The bytes.
    pub fn as_slice(&self) -> &[u8] {
        match &self.0 {
            PixelStore::Owned(v) => v,
            PixelStore::Lent(l) => l.view.as_deref().unwrap_or(&[]),
        }
    }

    /// The bytes as a vector (copied out of a lent buffer, which then goes back).
    pub fn into_vec(self) -> Vec<u8> {
        match self.0 {
            PixelStore::Owned(v) => v,
            PixelStore::Lent(l) => l.view.as_deref().unwrap_or(&[]).to_vec(),
        }
    }
}

impl From<Vec<u8>> for FramePixels {
    fn from(v: Vec<u8>) -> Self {
        FramePixels(PixelStore::Owned(v))
    }
}

impl std::ops::Deref for FramePixels {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        self.as_slice()
    }
}

impl AsRef<[u8]> for FramePixels {
    fn as_ref(&self) -> &[u8] {
        self.as_slice()
    }
}

impl Clone for FramePixels {
    fn clone(&self) -> Self {
        FramePixels::from(self.as_slice().to_vec())
    }
}

impl PartialEq for FramePixels {
    fn eq(&self, other: &Self) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl std::fmt::Debug for FramePixels {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = match self.0 {
            PixelStore::Owned(_) => "owned",
            PixelStore::Lent(_) => "lent",
        };
        write!(f, "FramePixels({} bytes, {kind})", self.len())
    }
}

/// Where one synchronously rendered frame spent its time.
#[derive(Clone, Copy, Debug, Default)]
pub struct FrameTimings {
    /// Preparing, recording and executing the render (until the GPU is done).
    pub render: Duration,
    /// Copying to a buffer, mapping it and unpadding the rows.
    pub readback: Duration,
}

struct Slot {
    buffer: wgpu::Buffer,
}

struct InFlight {
    slot: usize,
    index: usize,
    submission: wgpu::SubmissionIndex,
    mapped: mpsc::Receiver<std::result::Result<(), wgpu::BufferAsyncError>>,
}

/// An offscreen render target of a fixed size with pipelined readback.
pub struct Canvas {
    width: u32,
    height: u32,
    texture: wgpu::Texture,
    view: wgpu::TextureView,
    padded_row: u32,
    /// Canvas pixels per layout pixel (dpi / 100).
    scale: f32,
    slots: Vec<Slot>,
    free: Vec<usize>,
    in_flight: VecDeque<InFlight>,
    /// Whether completed frames borrow their readback buffer instead of copying it.
    lend: bool,
    returned: (mpsc::Sender<usize>, mpsc::Receiver<usize>),
}

impl Canvas {
    /// A `width`×`height` canvas; fails with a clear message for a zero size or one above the
    /// device's maximum texture side.
    pub fn new(ctx: &GpuContext, width: u32, height: u32) -> Result<Self> {
        let max = ctx.max_texture_side();
        if width == 0 || height == 0 {
            return Err(Error::Size {
                width,
                height,
                reason: "width and height must be at least 1".into(),
            });
        }
        if width > max || height > max {
            return Err(Error::Size {
                width,
                height,
                reason: format!("this GPU's largest texture side is {max} px"),
            });
        }
        if width > MAX_SIDE || height > MAX_SIDE {
            return Err(Error::Size {
                width,
                height,
                reason: format!("canvas sides are limited to {MAX_SIDE} px"),
            });
        }
        // The texture, the readback ring and the frames lent to encoders, each a full frame
        // (on a software GPU all of it is system memory).
        crate::memory::check_fits(
            || format!("a {width}x{height} canvas"),
            (1 + RING + MAX_LENT) as u64,
            width as u64 * height as u64 * 4,
        )?;
        // TEXTURE_BINDING lets the viewer show the canvas inside its UI.
        let texture = super::buffer::texture_2d(
            &ctx.device,
            "canvas",
            (width, height),
            CANVAS_FORMAT,
            wgpu::TextureUsages::RENDER_ATTACHMENT
                | wgpu::TextureUsages::COPY_SRC
                | wgpu::TextureUsages::TEXTURE_BINDING,
        );
        let view = texture.create_view(&Default::default());
        let padded_row = super::readback::padded_row(width);
        let mut canvas = Canvas {
            width,
            height,
            texture,
            view,
            padded_row,
            scale: 1.0,
            slots: Vec::new(),
            free: Vec::new(),
            in_flight: VecDeque::new(),
            lend: false,
            returned: mpsc::channel(),
        };
        for _ in 0..RING {
            canvas.add_slot(ctx);
        }
        canvas.free.reverse();
        Ok(canvas)
    }

    fn add_slot(&mut self, ctx: &GpuContext) {
        self.free.push(self.slots.len());
        self.slots.push(Slot {
            buffer: super::readback::readback_buffer(
                &ctx.device,
                "canvas readback",
                (self.width, self.height),
            ),
        });
    }

    /// Draws figures at `scale` canvas pixels per layout pixel (dpi / 100): a 1280×960 canvas
    /// at scale 2 shows the 640×480 figure's layout, twice as sharp. Default 1.
    pub fn with_scale(mut self, scale: f32) -> Self {
        self.scale = scale;
        self
    }

    /// Canvas pixels per layout pixel.
    pub fn scale(&self) -> f32 {
        self.scale
    }

    /// Makes completed frames borrow their readback buffer rather than copy it, where rows
    /// need no padding (their width times 4 is a multiple of 256). The buffer comes back to
    /// the ring when the frame's [`FramePixels`] are dropped. At most 6 frames are out at once;
    /// while that many are, further frames are copied as without lending.
    pub fn lend_readback(&mut self, lend: bool) {
        self.lend = lend;
    }

    /// Frames out on loan now, besides `in_transit` slots neither free nor in flight.
    fn lent(&mut self, in_transit: usize) -> usize {
        self.free.extend(self.returned.1.try_iter());
        self.slots.len() - self.free.len() - self.in_flight.len() - in_transit
    }

    /// A free readback buffer: one a frame returned, else a new one. Lending stops at
    /// [`MAX_LENT`] frames, so the ring stays within [`RING`] + [`MAX_LENT`] buffers.
    fn take_slot(&mut self, ctx: &GpuContext) -> Result<usize> {
        self.free.extend(self.returned.1.try_iter());
        if self.free.is_empty() && self.slots.len() < RING + MAX_LENT {
            self.add_slot(ctx);
        }
        self.free
            .pop()
            .ok_or_else(|| Error::Gpu("readback ring exhausted".into()))
    }

    /// Puts a slot whose frame failed back in the ring, unmapped (a pending map is cancelled).
    fn recycle(&mut self, slot: usize) {
        self.slots[slot].buffer.unmap();
        self.free.push(slot);
    }

    /// Width and height in pixels.
    pub fn size(&self) -> (u32, u32) {
        (self.width, self.height)
    }

    /// The render target, for showing the canvas in a UI (format [`CANVAS_FORMAT`]).
    pub fn view(&self) -> &wgpu::TextureView {
        &self.view
    }

    /// Renders `figure` into the canvas without reading it back (what the viewer shows).
    pub fn draw(
        &mut self,
        ctx: &GpuContext,
        renderer: &mut FigureRenderer,
        figure: &Figure,
    ) -> Result<()> {
        let encoder = self.encode_render(ctx, renderer, figure)?;
        ctx.queue.submit([encoder.finish()]);
        ctx.take_error()
    }

    /// Reads back what the canvas holds now (after [`Canvas::draw`]), labelled as frame `index`.
    pub fn read(&mut self, ctx: &GpuContext, index: usize) -> Result<RgbaFrame> {
        if !self.in_flight.is_empty() {
            self.flush(ctx)?;
        }
        let slot = self.take_slot(ctx)?;
        let mut encoder = ctx
            .device
            .create_command_encoder(&wgpu::CommandEncoderDescriptor {
                label: Some("canvas readback"),
            });
        self.encode_copy(&mut encoder, slot);
        let submission = ctx.queue.submit([encoder.finish()]);
        let mapped = self.start_map(slot);
        self.in_flight.push_back(InFlight {
            slot,
            index,
            submission,
            mapped,
        });
        self.complete_oldest(ctx)
    }

    fn encode_render(
        &self,
        ctx: &GpuContext,
        renderer: &mut FigureRenderer,
        figure: &Figure,
    ) -> Result<wgpu::CommandEncoder> {
        renderer.prepare(
            &ctx.device,
            &ctx.queue,
            figure,
            (self.width, self.height),
            self.scale,
        )?;
        let mut encoder = ctx
            .device
            .create_command_encoder(&wgpu::CommandEncoderDescriptor {
                label: Some("canvas frame"),
            });
        renderer.compute(&mut encoder);
        {
            let mut pass = encoder.begin_render_pass(&wgpu::RenderPassDescriptor {
                label: Some("canvas pass"),
                color_attachments: &[Some(wgpu::RenderPassColorAttachment {
                    view: &self.view,
                    depth_slice: None,
                    resolve_target: None,
                    ops: wgpu::Operations {
                        load: wgpu::LoadOp::Clear(renderer.clear_color()),
                        store: wgpu::StoreOp::Store,
                    },
                })],
                depth_stencil_attachment: None,
                timestamp_writes: None,
                occlusion_query_set: None,
                multiview_mask: None,
            });
            renderer.render(&mut pass);
        }
        Ok(encoder)
    }

    fn encode_copy(&self, encoder: &mut wgpu::CommandEncoder, slot: usize) {
        super::readback::encode_copy(encoder, &self.texture, &self.slots[slot].buffer);
    }

    fn start_map(
        &self,
        slot: usize,
    ) -> mpsc::Receiver<std::result::Result<(), wgpu::BufferAsyncError>> {
        let (tx, rx) = mpsc::channel();
        self.slots[slot]
            .buffer
            .map_async(wgpu::MapMode::Read, .., move |r| {
                let _ = tx.send(r);
            });
        rx
    }

    /// Renders `figure` as frame `index` and queues its readback. Returns the oldest frame in
    /// flight once the ring is full (frames come back in submission order), else `None`.
    pub fn submit(
        &mut self,
        ctx: &GpuContext,
        renderer: &mut FigureRenderer,
        figure: &Figure,
        index: usize,
    ) -> Result<Option<RgbaFrame>> {
        let done = if self.in_flight.len() >= RING {
            Some(self.complete_oldest(ctx)?)
        } else {
            None
        };
        let slot = self.take_slot(ctx)?;
        let mut encoder = match self.encode_render(ctx, renderer, figure) {
            Ok(e) => e,
            Err(e) => {
                self.free.push(slot);
                return Err(e);
            }
        };
        self.encode_copy(&mut encoder, slot);
        let submission = ctx.queue.submit([encoder.finish()]);
        let mapped = self.start_map(slot);
        if let Err(e) = ctx.take_error() {
            self.recycle(slot);
            return Err(e);
        }
        self.in_flight.push_back(InFlight {
            slot,
            index,
            submission,
            mapped,
        });
        Ok(done)
    }

    /// Waits for every frame still in flight and returns them in order.
    pub fn flush(&mut self, ctx: &GpuContext) -> Result<Vec<RgbaFrame>> {
        let mut out = Vec::with_capacity(self.in_flight.len());
        while !self.in_flight.is_empty() {
            out.push(self.complete_oldest(ctx)?);
        }
        Ok(out)
    }

    fn complete_oldest(&mut self, ctx: &GpuContext) -> Result<RgbaFrame> {
        let f = self
            .in_flight
            .pop_front()
            .ok_or_else(|| Error::Gpu("no frame in flight".into()))?;
        let ready = ctx
            .device
            .poll(wgpu::PollType::Wait {
                submission_index: Some(f.submission),
                timeout: None,
            })
            .map_err(|e| Error::Gpu(format!("waiting for frame {}: {e}", f.index)))
            .and_then(|_| {
                f.mapped
                    .recv()
                    .map_err(|_| Error::Gpu("readback callback dropped".into()))?
                    .map_err(|e| Error::Gpu(format!("mapping frame {}: {e}", f.index)))
            });
        if let Err(e) = ready {
            self.recycle(f.slot);
            return Err(e);
        }
        let pixels = if self.lend && self.padded_row == self.width * 4 && self.lent(1) < MAX_LENT {
            let buffer = self.slots[f.slot].buffer.clone();
            let view = match buffer.get_mapped_range(..) {
                Ok(v) => v,
                Err(e) => {
                    self.recycle(f.slot);
                    return Err(Error::Gpu(format!("reading back: {e}")));
                }
            };
            FramePixels(PixelStore::Lent(Lent {
                view: Some(view),
                buffer,
                slot: f.slot,
                back: self.returned.0.clone(),
            }))
        } else {
            let pixels = self.unpad(f.slot);
            self.free.push(f.slot);
            FramePixels::from(pixels?)
        };
        Ok(RgbaFrame {
            index: f.index,
            width: self.width,
            height: self.height,
            pixels,
        })
    }

    fn unpad(&self, slot: usize) -> Result<Vec<u8>> {
        let buffer = &self.slots[slot].buffer;
        let copied = buffer
            .get_mapped_range(..)
            .map(|view| super::readback::unpad(&view, self.width, self.height));
        // Unmapped either way, so the buffer can serve the ring again.
        buffer.unmap();
        copied.map_err(|e| Error::Gpu(format!("reading back: {e}")))
    }

    /// Renders one frame and waits for its pixels, timing render and readback separately.
    /// Meant for single frames, tests and benchmarks; exports use [`Canvas::submit`].
    pub fn render_timed(
        &mut self,
        ctx: &GpuContext,
        renderer: &mut FigureRenderer,
        figure: &Figure,
        index: usize,
    ) -> Result<(RgbaFrame, FrameTimings)> {
        // Drain anything queued so the ring is ours.
        if !self.in_flight.is_empty() {
            self.flush(ctx)?;
        }
        let t0 = Instant::now();
        let encoder = self.encode_render(ctx, renderer, figure)?;
        let sub = ctx.queue.submit([encoder.finish()]);
        ctx.device
            .poll(wgpu::PollType::Wait {
                submission_index: Some(sub),
                timeout: None,
            })
            .map_err(|e| Error::Gpu(format!("rendering frame {index}: {e}")))?;
        ctx.take_error()?;
        let t1 = Instant::now();
        let frame = self.read(ctx, index)?;
        let t2 = Instant::now();
        Ok((
            frame,
            FrameTimings {
                render: t1 - t0,
                readback: t2 - t1,
            },
        ))
    }

    /// Renders one frame and returns its pixels.
    pub fn render(
        &mut self,
        ctx: &GpuContext,
        renderer: &mut FigureRenderer,
        figure: &Figure,
        index: usize,
    ) -> Result<RgbaFrame> {
        self.render_timed(ctx, renderer, figure, index)
            .map(|(f, _)| f)
    }
}
