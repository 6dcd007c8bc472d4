//! The offscreen canvas: a render-target texture plus a small ring of readback buffers.
//!
//! [`Canvas::submit`] renders a frame, copies it into a free ring buffer (rows padded to
//! wgpu's 256-byte alignment) and starts mapping it, without waiting. Only when the ring is full
//! does it wait for the oldest frame, strip the row padding and hand it back. So while the CPU
//! encodes frame i, the GPU (or lavapipe's threads) is already rendering frames i+1 and i+2.

use super::{CANVAS_FORMAT, FigureRenderer, GpuContext};
use crate::scene::Figure;
use crate::{Error, Result};
use std::collections::VecDeque;
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Number of readback buffers in flight.
const RING: usize = 3;

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
    pub pixels: Vec<u8>,
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
    slots: Vec<Slot>,
    free: Vec<usize>,
    in_flight: VecDeque<InFlight>,
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
        let texture = ctx.device.create_texture(&wgpu::TextureDescriptor {
            label: Some("canvas"),
            size: wgpu::Extent3d {
                width,
                height,
                depth_or_array_layers: 1,
            },
            mip_level_count: 1,
            sample_count: 1,
            dimension: wgpu::TextureDimension::D2,
            format: CANVAS_FORMAT,
            // TEXTURE_BINDING lets the viewer show the canvas inside its UI.
            usage: wgpu::TextureUsages::RENDER_ATTACHMENT
                | wgpu::TextureUsages::COPY_SRC
                | wgpu::TextureUsages::TEXTURE_BINDING,
            view_formats: &[],
        });
        let view = texture.create_view(&Default::default());
        let padded_row = (width * 4).next_multiple_of(wgpu::COPY_BYTES_PER_ROW_ALIGNMENT);
        let slots = (0..RING)
            .map(|_| Slot {
                buffer: ctx.device.create_buffer(&wgpu::BufferDescriptor {
                    label: Some("canvas readback"),
                    size: padded_row as u64 * height as u64,
                    usage: wgpu::BufferUsages::COPY_DST | wgpu::BufferUsages::MAP_READ,
                    mapped_at_creation: false,
                }),
            })
            .collect();
        Ok(Canvas {
            width,
            height,
            texture,
            view,
            padded_row,
            slots,
            free: (0..RING).rev().collect(),
            in_flight: VecDeque::new(),
        })
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
        let slot = self
            .free
            .pop()
            .ok_or_else(|| Error::Gpu("readback ring exhausted".into()))?;
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
        renderer.prepare(&ctx.device, &ctx.queue, figure, self.width, self.height)?;
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
        encoder.copy_texture_to_buffer(
            self.texture.as_image_copy(),
            wgpu::TexelCopyBufferInfo {
                buffer: &self.slots[slot].buffer,
                layout: wgpu::TexelCopyBufferLayout {
                    offset: 0,
                    bytes_per_row: Some(self.padded_row),
                    rows_per_image: Some(self.height),
                },
            },
            wgpu::Extent3d {
                width: self.width,
                height: self.height,
                depth_or_array_layers: 1,
            },
        );
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
        let done = if self.free.is_empty() {
            Some(self.complete_oldest(ctx)?)
        } else {
            None
        };
        let slot = self
            .free
            .pop()
            .ok_or_else(|| Error::Gpu("readback ring exhausted".into()))?;
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
        ctx.take_error()?;
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
        self.free.push(f.slot);
        ctx.device
            .poll(wgpu::PollType::Wait {
                submission_index: Some(f.submission),
                timeout: None,
            })
            .map_err(|e| Error::Gpu(format!("waiting for frame {}: {e}", f.index)))?;
        f.mapped
            .recv()
            .map_err(|_| Error::Gpu("readback callback dropped".into()))?
            .map_err(|e| Error::Gpu(format!("mapping frame {}: {e}", f.index)))?;
        let pixels = self.unpad(f.slot)?;
        Ok(RgbaFrame {
            index: f.index,
            width: self.width,
            height: self.height,
            pixels,
        })
    }

    fn unpad(&self, slot: usize) -> Result<Vec<u8>> {
        let buffer = &self.slots[slot].buffer;
        let row = self.width as usize * 4;
        let mut pixels = Vec::with_capacity(row * self.height as usize);
        {
            let view = buffer
                .get_mapped_range(..)
                .map_err(|e| Error::Gpu(format!("reading back: {e}")))?;
            for r in view
                .chunks_exact(self.padded_row as usize)
                .take(self.height as usize)
            {
                pixels.extend_from_slice(&r[..row]);
            }
        }
        buffer.unmap();
        Ok(pixels)
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
