//! GPU buffers and textures: one that grows by doubling and is never re-created for data that
//! still fits, and constructors for the small fixed buffers and sampled textures renderers use.

/// A labelled buffer with a capacity that only grows.
pub(crate) struct GrowBuffer {
    buffer: wgpu::Buffer,
    label: &'static str,
    usage: wgpu::BufferUsages,
}

impl GrowBuffer {
    /// A buffer of at least `min_size` bytes.
    pub fn new(
        device: &wgpu::Device,
        label: &'static str,
        usage: wgpu::BufferUsages,
        min_size: u64,
    ) -> Self {
        let usage = usage | wgpu::BufferUsages::COPY_DST;
        let buffer = Self::create(device, label, usage, min_size);
        GrowBuffer {
            buffer,
            label,
            usage,
        }
    }

    fn create(
        device: &wgpu::Device,
        label: &str,
        usage: wgpu::BufferUsages,
        size: u64,
    ) -> wgpu::Buffer {
        device.create_buffer(&wgpu::BufferDescriptor {
            label: Some(label),
            size: size.max(16).next_multiple_of(wgpu::COPY_BUFFER_ALIGNMENT),
            usage,
            mapped_at_creation: false,
        })
    }

    /// Uploads `data`, growing (doubling) first when it does not fit. Returns true when the
    /// buffer was re-created, so bind groups that use it must be rebuilt.
    pub fn write(&mut self, device: &wgpu::Device, queue: &wgpu::Queue, data: &[u8]) -> bool {
        let needed = (data.len() as u64).next_multiple_of(wgpu::COPY_BUFFER_ALIGNMENT);
        let grown = self.reserve(device, needed);
        if !data.is_empty() {
            if data.len() as u64 == needed {
                queue.write_buffer(&self.buffer, 0, data);
            } else {
                let mut padded = data.to_vec();
                padded.resize(needed as usize, 0);
                queue.write_buffer(&self.buffer, 0, &padded);
            }
        }
        grown
    }

    /// Makes room for `bytes` without uploading anything (for buffers the GPU fills). Returns
    /// true when the buffer was re-created.
    pub fn reserve(&mut self, device: &wgpu::Device, bytes: u64) -> bool {
        let needed = bytes.next_multiple_of(wgpu::COPY_BUFFER_ALIGNMENT);
        if needed <= self.buffer.size() {
            return false;
        }
        let size = needed.max(self.buffer.size() * 2);
        self.buffer = Self::create(device, self.label, self.usage, size);
        true
    }

    /// The underlying buffer.
    pub fn buffer(&self) -> &wgpu::Buffer {
        &self.buffer
    }
}

/// A fixed-size buffer of `size` bytes that can be written from the CPU (uniforms, styles).
pub(crate) fn fixed_buffer(
    device: &wgpu::Device,
    label: &str,
    size: u64,
    usage: wgpu::BufferUsages,
) -> wgpu::Buffer {
    device.create_buffer(&wgpu::BufferDescriptor {
        label: Some(label),
        size,
        usage: usage | wgpu::BufferUsages::COPY_DST,
        mapped_at_creation: false,
    })
}

/// A 2D texture that shaders sample and the CPU fills (images, colormaps, the font atlas).
pub(crate) fn sampled_texture(
    device: &wgpu::Device,
    label: &str,
    width: u32,
    height: u32,
    format: wgpu::TextureFormat,
) -> wgpu::Texture {
    texture_2d(
        device,
        label,
        (width, height),
        format,
        wgpu::TextureUsages::TEXTURE_BINDING | wgpu::TextureUsages::COPY_DST,
    )
}

/// A single-level 2D texture of `size` for `usage`.
pub(crate) fn texture_2d(
    device: &wgpu::Device,
    label: &str,
    size: (u32, u32),
    format: wgpu::TextureFormat,
    usage: wgpu::TextureUsages,
) -> wgpu::Texture {
    device.create_texture(&wgpu::TextureDescriptor {
        label: Some(label),
        size: wgpu::Extent3d {
            width: size.0,
            height: size.1,
            depth_or_array_layers: 1,
        },
        mip_level_count: 1,
        sample_count: 1,
        dimension: wgpu::TextureDimension::D2,
        format,
        usage,
        view_formats: &[],
    })
}
