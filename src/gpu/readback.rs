//! Reading textures back to the CPU. wgpu copies a texture into a buffer with every row padded
//! to a multiple of 256 bytes; these helpers size such buffers, record the copy and strip the
//! padding, for the canvas's readback ring and for one-off reads (the viewer's screenshots).
//! A leaf module: it knows nothing of figures or renderers.

use super::GpuContext;
use crate::{Error, Result};

/// Bytes per row of an RGBA8 texture `width` pixels wide, padded as texture-to-buffer copies
/// require.
pub(crate) fn padded_row(width: u32) -> u32 {
    (width * 4).next_multiple_of(wgpu::COPY_BYTES_PER_ROW_ALIGNMENT)
}

/// A mappable buffer that holds one padded copy of a `width`×`height` RGBA8 texture.
pub(crate) fn readback_buffer(
    device: &wgpu::Device,
    label: &str,
    (width, height): (u32, u32),
) -> wgpu::Buffer {
    device.create_buffer(&wgpu::BufferDescriptor {
        label: Some(label),
        size: padded_row(width) as u64 * height as u64,
        usage: wgpu::BufferUsages::COPY_DST | wgpu::BufferUsages::MAP_READ,
        mapped_at_creation: false,
    })
}

/// Records a copy of all of `texture` (RGBA8 or BGRA8) into `buffer` with padded rows.
pub(crate) fn encode_copy(
    encoder: &mut wgpu::CommandEncoder,
    texture: &wgpu::Texture,
    buffer: &wgpu::Buffer,
) {
    encoder.copy_texture_to_buffer(
        texture.as_image_copy(),
        wgpu::TexelCopyBufferInfo {
            buffer,
            layout: wgpu::TexelCopyBufferLayout {
                offset: 0,
                bytes_per_row: Some(padded_row(texture.width())),
                rows_per_image: Some(texture.height()),
            },
        },
        texture.size(),
    );
}

/// The pixels of a mapped padded copy, rows packed (`width * 4` bytes each).
pub(crate) fn unpad(mapped: &[u8], width: u32, height: u32) -> Vec<u8> {
    let row = width as usize * 4;
    let mut pixels = Vec::with_capacity(row * height as usize);
    for r in mapped
        .chunks_exact(padded_row(width) as usize)
        .take(height as usize)
    {
        pixels.extend_from_slice(&r[..row]);
    }
    pixels
}

/// Copies a whole RGBA8/BGRA8 texture back to the CPU and waits for it: for single reads
/// (screenshots), not for animations, which go through the canvas's ring.
pub fn read_texture(ctx: &GpuContext, texture: &wgpu::Texture) -> Result<Vec<u8>> {
    let (w, h) = (texture.width(), texture.height());
    let buffer = readback_buffer(&ctx.device, "texture readback", (w, h));
    let mut encoder = ctx.device.create_command_encoder(&Default::default());
    encode_copy(&mut encoder, texture, &buffer);
    let sub = ctx.queue.submit([encoder.finish()]);
    let (tx, rx) = std::sync::mpsc::channel();
    buffer.map_async(wgpu::MapMode::Read, .., move |r| {
        let _ = tx.send(r);
    });
    ctx.device
        .poll(wgpu::PollType::Wait {
            submission_index: Some(sub),
            timeout: None,
        })
        .map_err(|e| Error::Gpu(e.to_string()))?;
    rx.recv()
        .map_err(|_| Error::Gpu("readback dropped".into()))?
        .map_err(|e| Error::Gpu(e.to_string()))?;
    let out = buffer
        .get_mapped_range(..)
        .map(|view| unpad(&view, w, h))
        .map_err(|e| Error::Gpu(e.to_string()));
    buffer.unmap();
    out
}
