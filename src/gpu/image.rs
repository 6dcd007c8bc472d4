//! Image planes (see `shaders/image.wgsl`): one textured quad per layer. The pixel texture is
//! uploaded once per data `Arc` (RGBA8 for colour images, R32Float for scalars), the 256-entry
//! colormap texture when the colormap changes, and a small buffer (corners, vmin/vmax, alpha)
//! every frame. Scalar or colour and nearest or bilinear select one of four pipelines, each
//! compiled when first needed (see the shader for why they are not runtime branches).

use crate::scene::{Colormap, ImageData, ImagePlane, Pixels, Sampling};
use bytemuck::{Pod, Zeroable};
use std::sync::Arc;

#[repr(C)]
#[derive(Clone, Copy, Pod, Zeroable)]
struct ImageUniform {
    corners: [[f32; 4]; 4],
    vmin: f32,
    vmax: f32,
    alpha: f32,
    _pad: f32,
}

/// The pipelines shared by every image layer: one per (scalar, bilinear) combination, each
/// compiled on first use.
pub(crate) struct ImagePipeline {
    variants: [std::sync::OnceLock<wgpu::RenderPipeline>; 4],
    layout: wgpu::BindGroupLayout,
    device: wgpu::Device,
    shader: wgpu::ShaderModule,
    panel_layout: wgpu::BindGroupLayout,
    format: wgpu::TextureFormat,
}

impl ImagePipeline {
    pub fn new(
        device: &wgpu::Device,
        panel_layout: &wgpu::BindGroupLayout,
        format: wgpu::TextureFormat,
    ) -> Self {
        let texture = |binding| wgpu::BindGroupLayoutEntry {
            binding,
            visibility: wgpu::ShaderStages::FRAGMENT,
            ty: wgpu::BindingType::Texture {
                sample_type: wgpu::TextureSampleType::Float { filterable: false },
                view_dimension: wgpu::TextureViewDimension::D2,
                multisampled: false,
            },
            count: None,
        };
        let layout = device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
            label: Some("image layer layout"),
            entries: &[
                wgpu::BindGroupLayoutEntry {
                    binding: 0,
                    visibility: wgpu::ShaderStages::VERTEX_FRAGMENT,
                    ty: wgpu::BindingType::Buffer {
                        ty: wgpu::BufferBindingType::Storage { read_only: true },
                        has_dynamic_offset: false,
                        min_binding_size: None,
                    },
                    count: None,
                },
                texture(1),
                texture(2),
            ],
        });
        let shader = device.create_shader_module(wgpu::include_wgsl!("../../shaders/image.wgsl"));
        let pipe = ImagePipeline {
            variants: Default::default(),
            layout,
            device: device.clone(),
            shader,
            panel_layout: panel_layout.clone(),
            format,
        };
        // The common case, scalar data drawn nearest, is ready before the first frame.
        pipe.variant(true, false);
        pipe
    }

    /// The pipeline for scalar (colormapped) or colour pixels, nearest or bilinear.
    fn variant(&self, scalar: bool, linear: bool) -> &wgpu::RenderPipeline {
        self.variants[scalar as usize * 2 + linear as usize].get_or_init(|| {
            let flag = |b: bool| if b { 1.0 } else { 0.0 };
            super::pipeline::quad_pipeline(
                &self.device,
                "image",
                &self.shader,
                (
                    "vs_main",
                    "fs_main",
                    &[("SCALAR", flag(scalar)), ("LINEAR", flag(linear))],
                ),
                &[&self.panel_layout, &self.layout],
                &[],
                self.format,
            )
        })
    }
}

/// GPU state of one image layer.
pub(crate) struct ImageLayerGpu {
    data: Option<Arc<ImageData>>,
    texture: Option<(wgpu::Texture, wgpu::TextureFormat)>,
    colormap: Option<Colormap>,
    colormap_texture: wgpu::Texture,
    uniform: wgpu::Buffer,
    bind_group: Option<wgpu::BindGroup>,
    /// Scalar pixels, bilinear sampling: which pipeline draws this layer.
    variant: (bool, bool),
}

impl ImageLayerGpu {
    pub fn new(device: &wgpu::Device) -> Self {
        let colormap_texture = super::buffer::sampled_texture(
            device,
            "colormap lut",
            256,
            1,
            wgpu::TextureFormat::Rgba8Unorm,
        );
        let uniform = super::buffer::fixed_buffer(
            device,
            "image uniform",
            std::mem::size_of::<ImageUniform>() as u64,
            wgpu::BufferUsages::STORAGE,
        );
        ImageLayerGpu {
            data: None,
            texture: None,
            colormap: None,
            colormap_texture,
            uniform,
            bind_group: None,
            variant: (true, false),
        }
    }

    pub fn prepare(
        &mut self,
        device: &wgpu::Device,
        queue: &wgpu::Queue,
        pipe: &ImagePipeline,
        img: &ImagePlane,
    ) {
        let mut rebind = self.bind_group.is_none();
        if !self
            .data
            .as_ref()
            .is_some_and(|d| Arc::ptr_eq(d, &img.data))
        {
            rebind |= self.upload_pixels(device, queue, &img.data);
            self.data = Some(img.data.clone());
        }
        if self.colormap != Some(img.colormap) {
            let lut = img.colormap.lut_rgba8();
            queue.write_texture(
                self.colormap_texture.as_image_copy(),
                bytemuck::cast_slice(&lut),
                wgpu::TexelCopyBufferLayout {
                    offset: 0,
                    bytes_per_row: Some(256 * 4),
                    rows_per_image: None,
                },
                wgpu::Extent3d {
                    width: 256,
                    height: 1,
                    depth_or_array_layers: 1,
                },
            );
            self.colormap = Some(img.colormap);
        }
        let u = ImageUniform {
            corners: img.corners.map(|c| [c.x, c.y, c.z, 1.0]),
            vmin: img.vmin,
            vmax: img.vmax,
            alpha: img.alpha,
            _pad: 0.0,
        };
        queue.write_buffer(&self.uniform, 0, bytemuck::bytes_of(&u));
        self.variant = (
            matches!(img.data.pixels, Pixels::Scalar(_)),
            img.sampling == Sampling::Linear,
        );
        // Compiled here, in prepare, so drawing never waits on a compile.
        pipe.variant(self.variant.0, self.variant.1);
        if rebind && let Some((tex, _)) = &self.texture {
            let view = tex.create_view(&Default::default());
            let lut_view = self.colormap_texture.create_view(&Default::default());
            self.bind_group = Some(device.create_bind_group(&wgpu::BindGroupDescriptor {
                label: Some("image layer"),
                layout: &pipe.layout,
                entries: &[
                    wgpu::BindGroupEntry {
                        binding: 0,
                        resource: self.uniform.as_entire_binding(),
                    },
                    wgpu::BindGroupEntry {
                        binding: 1,
                        resource: wgpu::BindingResource::TextureView(&view),
                    },
                    wgpu::BindGroupEntry {
                        binding: 2,
                        resource: wgpu::BindingResource::TextureView(&lut_view),
                    },
                ],
            }));
        }
    }

    /// Uploads pixels, re-creating the texture when its size or format changes; returns true
    /// when the texture was re-created.
    fn upload_pixels(
        &mut self,
        device: &wgpu::Device,
        queue: &wgpu::Queue,
        data: &ImageData,
    ) -> bool {
        let (format, bytes): (wgpu::TextureFormat, std::borrow::Cow<[u8]>) = match &data.pixels {
            Pixels::Rgba8(v) => (wgpu::TextureFormat::Rgba8Unorm, v.as_slice().into()),
            Pixels::Rgb8(v) => (
                wgpu::TextureFormat::Rgba8Unorm,
                v.chunks_exact(3)
                    .flat_map(|c| [c[0], c[1], c[2], 255])
                    .collect::<Vec<u8>>()
                    .into(),
            ),
            Pixels::RgbF32(v) => (
                wgpu::TextureFormat::Rgba8Unorm,
                v.chunks_exact(3)
                    .flat_map(|c| {
                        let q = |x: f32| (x.clamp(0.0, 1.0) * 255.0).round() as u8;
                        [q(c[0]), q(c[1]), q(c[2]), 255]
                    })
                    .collect::<Vec<u8>>()
                    .into(),
            ),
            Pixels::Scalar(v) => (
                wgpu::TextureFormat::R32Float,
                bytemuck::cast_slice::<f32, u8>(v).into(),
            ),
        };
        let size = wgpu::Extent3d {
            width: data.width,
            height: data.height,
            depth_or_array_layers: 1,
        };
        let recreate = !self
            .texture
            .as_ref()
            .is_some_and(|(t, f)| *f == format && t.size() == size);
        if recreate {
            let tex = super::buffer::sampled_texture(
                device,
                "image pixels",
                data.width,
                data.height,
                format,
            );
            self.texture = Some((tex, format));
        }
        if let Some((tex, _)) = &self.texture {
            queue.write_texture(
                tex.as_image_copy(),
                &bytes,
                wgpu::TexelCopyBufferLayout {
                    offset: 0,
                    bytes_per_row: Some(data.width * 4),
                    rows_per_image: None,
                },
                size,
            );
        }
        recreate
    }

    pub fn render(&self, pass: &mut wgpu::RenderPass<'_>, pipe: &ImagePipeline) {
        let Some(bg) = &self.bind_group else { return };
        pass.set_pipeline(pipe.variant(self.variant.0, self.variant.1));
        pass.set_bind_group(1, bg, &[]);
        pass.draw(0..4, 0..1);
    }
}
