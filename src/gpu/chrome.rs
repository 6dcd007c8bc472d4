//! Draws chrome (see `crate::chrome`): epaint tessellates the underlay and overlay shape lists
//! into meshes, which are uploaded into one vertex and one index buffer (only when the shapes
//! changed) and drawn with `shaders/mesh.wgsl` — before and after the data layers, in the same
//! render pass. Small pipelines of our own rather than egui-wgpu's: triangles are split into
//! runs of solid ones (fills, strokes) and textured ones (glyphs), and solid runs are drawn by a
//! pipeline that never touches the font atlas — llvmpipe evaluates a texture fetch under a branch
//! whether taken or not, and 3D panes cost 0.7 ms a frame more with it; they also blend exactly
//! like the data primitives.

use super::buffer::GrowBuffer;
use crate::chrome::{ChromeFrame, TextFonts};

#[repr(C)]
#[derive(Clone, Copy, bytemuck::Pod, bytemuck::Zeroable)]
struct ScreenUniform {
    size_px: [f32; 2],
    _pad: [f32; 2],
}

/// Solid runs smaller than this (in square pixels) are drawn by the textured pipeline rather
/// than cost a pipeline switch.
const SOLID_RUN_MIN_AREA_PX: f32 = 4096.0;

/// One draw: an index range, its base vertex, its scissor rectangle in pixels and whether its
/// triangles sample the font atlas.
struct Draw {
    indices: std::ops::Range<u32>,
    base_vertex: i32,
    scissor: (u32, u32, u32, u32),
    textured: bool,
}

/// GPU side of the chrome.
pub(crate) struct ChromeGpu {
    solid: wgpu::RenderPipeline,
    textured: wgpu::RenderPipeline,
    layout: wgpu::BindGroupLayout,
    sampler: wgpu::Sampler,
    screen: wgpu::Buffer,
    atlas: Option<wgpu::Texture>,
    bind_group: Option<wgpu::BindGroup>,
    vertices: GrowBuffer,
    indices: GrowBuffer,
    under: Vec<Draw>,
    over: Vec<Draw>,
    size_px: (u32, u32),
    /// Target pixels per layout pixel.
    scale: f32,
    /// The shapes last uploaded: an identical frame (a still chart, a paused viewer) skips
    /// tessellation and upload.
    last: Option<(Vec<epaint::ClippedShape>, Vec<epaint::ClippedShape>)>,
}

impl ChromeGpu {
    pub fn new(device: &wgpu::Device, format: wgpu::TextureFormat) -> Self {
        let layout = device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
            label: Some("chrome layout"),
            entries: &[
                wgpu::BindGroupLayoutEntry {
                    binding: 0,
                    visibility: wgpu::ShaderStages::VERTEX,
                    ty: wgpu::BindingType::Buffer {
                        ty: wgpu::BufferBindingType::Uniform,
                        has_dynamic_offset: false,
                        min_binding_size: None,
                    },
                    count: None,
                },
                wgpu::BindGroupLayoutEntry {
                    binding: 1,
                    visibility: wgpu::ShaderStages::FRAGMENT,
                    ty: wgpu::BindingType::Texture {
                        sample_type: wgpu::TextureSampleType::Float { filterable: true },
                        view_dimension: wgpu::TextureViewDimension::D2,
                        multisampled: false,
                    },
                    count: None,
                },
                wgpu::BindGroupLayoutEntry {
                    binding: 2,
                    visibility: wgpu::ShaderStages::FRAGMENT,
                    ty: wgpu::BindingType::Sampler(wgpu::SamplerBindingType::Filtering),
                    count: None,
                },
            ],
        });
        let shader = device.create_shader_module(wgpu::include_wgsl!("../../shaders/mesh.wgsl"));
        let pipeline_layout = device.create_pipeline_layout(&wgpu::PipelineLayoutDescriptor {
            label: Some("chrome"),
            bind_group_layouts: &[Some(&layout)],
            immediate_size: 0,
        });
        let attributes = wgpu::vertex_attr_array![0 => Float32x2, 1 => Float32x2, 2 => Unorm8x4];
        let make = |entry: &str| {
            device.create_render_pipeline(&wgpu::RenderPipelineDescriptor {
                label: Some(entry),
                layout: Some(&pipeline_layout),
                vertex: wgpu::VertexState {
                    module: &shader,
                    entry_point: Some("vs_main"),
                    compilation_options: Default::default(),
                    buffers: &[Some(wgpu::VertexBufferLayout {
                        array_stride: std::mem::size_of::<epaint::Vertex>() as u64,
                        step_mode: wgpu::VertexStepMode::Vertex,
                        attributes: &attributes,
                    })],
                },
                primitive: wgpu::PrimitiveState {
                    topology: wgpu::PrimitiveTopology::TriangleList,
                    cull_mode: None,
                    ..Default::default()
                },
                depth_stencil: None,
                multisample: wgpu::MultisampleState::default(),
                fragment: Some(wgpu::FragmentState {
                    module: &shader,
                    entry_point: Some(entry),
                    compilation_options: Default::default(),
                    // epaint colours are premultiplied.
                    targets: &[Some(wgpu::ColorTargetState {
                        format,
                        blend: Some(wgpu::BlendState::PREMULTIPLIED_ALPHA_BLENDING),
                        write_mask: wgpu::ColorWrites::ALL,
                    })],
                }),
                multiview_mask: None,
                cache: None,
            })
        };
        let (solid, textured) = (make("fs_solid"), make("fs_textured"));
        let sampler = device.create_sampler(&wgpu::SamplerDescriptor {
            label: Some("font atlas"),
            mag_filter: wgpu::FilterMode::Linear,
            min_filter: wgpu::FilterMode::Linear,
            ..Default::default()
        });
        let screen = super::buffer::fixed_buffer(
            device,
            "chrome screen",
            std::mem::size_of::<ScreenUniform>() as u64,
            wgpu::BufferUsages::UNIFORM,
        );
        ChromeGpu {
            solid,
            textured,
            layout,
            sampler,
            screen,
            atlas: None,
            bind_group: None,
            vertices: GrowBuffer::new(
                device,
                "chrome vertices",
                wgpu::BufferUsages::VERTEX,
                1 << 16,
            ),
            indices: GrowBuffer::new(device, "chrome indices", wgpu::BufferUsages::INDEX, 1 << 16),
            under: Vec::new(),
            over: Vec::new(),
            size_px: (0, 0),
            scale: 1.0,
            last: None,
        }
    }

    /// Applies a font atlas change (whole or partial).
    fn update_atlas(
        &mut self,
        device: &wgpu::Device,
        queue: &wgpu::Queue,
        delta: &epaint::ImageDelta,
    ) {
        let epaint::ImageData::Color(image) = &delta.image;
        let [w, h] = image.size;
        let pixels: &[u8] = bytemuck::cast_slice(&image.pixels);
        let origin = match delta.pos {
            Some([x, y]) => wgpu::Origin3d {
                x: x as u32,
                y: y as u32,
                z: 0,
            },
            None => {
                let texture = super::buffer::sampled_texture(
                    device,
                    "font atlas",
                    w as u32,
                    h as u32,
                    wgpu::TextureFormat::Rgba8Unorm,
                );
                let view = texture.create_view(&Default::default());
                self.bind_group = Some(device.create_bind_group(&wgpu::BindGroupDescriptor {
                    label: Some("chrome"),
                    layout: &self.layout,
                    entries: &[
                        wgpu::BindGroupEntry {
                            binding: 0,
                            resource: self.screen.as_entire_binding(),
                        },
                        wgpu::BindGroupEntry {
                            binding: 1,
                            resource: wgpu::BindingResource::TextureView(&view),
                        },
                        wgpu::BindGroupEntry {
                            binding: 2,
                            resource: wgpu::BindingResource::Sampler(&self.sampler),
                        },
                    ],
                }));
                self.atlas = Some(texture);
                wgpu::Origin3d::ZERO
            }
        };
        if let Some(atlas) = &self.atlas {
            queue.write_texture(
                wgpu::TexelCopyTextureInfo {
                    texture: atlas,
                    mip_level: 0,
                    origin,
                    aspect: wgpu::TextureAspect::All,
                },
                pixels,
                wgpu::TexelCopyBufferLayout {
                    offset: 0,
                    bytes_per_row: Some(w as u32 * 4),
                    rows_per_image: None,
                },
                wgpu::Extent3d {
                    width: w as u32,
                    height: h as u32,
                    depth_or_array_layers: 1,
                },
            );
        }
    }

    /// Tessellates and uploads one frame's chrome (nothing when it equals the last frame's).
    /// The shapes are in layout pixels; `scale` pixels of the `width`×`height` target make one
    /// (epaint's points and pixels per point), so text and strokes are drawn at full resolution.
    #[allow(clippy::too_many_arguments)]
    pub fn prepare(
        &mut self,
        device: &wgpu::Device,
        queue: &wgpu::Queue,
        text: &mut TextFonts,
        frame: ChromeFrame,
        width: u32,
        height: u32,
        scale: f32,
    ) {
        if let Some(delta) = text.atlas_delta() {
            self.update_atlas(device, queue, &delta);
        }
        let unchanged = self.size_px == (width, height)
            && self.scale == scale
            && self
                .last
                .as_ref()
                .is_some_and(|(u, o)| *u == frame.under && *o == frame.over);
        if unchanged {
            return;
        }
        self.size_px = (width, height);
        self.scale = scale;
        let uniform = ScreenUniform {
            size_px: [width as f32 / scale, height as f32 / scale],
            _pad: [0.0; 2],
        };
        queue.write_buffer(&self.screen, 0, bytemuck::bytes_of(&uniform));
        let mut tess = text.tessellator();
        let mut vertices: Vec<epaint::Vertex> = Vec::new();
        let mut indices: Vec<u32> = Vec::new();
        let mut pack = |shapes: Vec<epaint::ClippedShape>| -> Vec<Draw> {
            let mut draws: Vec<Draw> = Vec::new();
            for prim in tess.tessellate_shapes(shapes) {
                let epaint::Primitive::Mesh(mesh) = prim.primitive else {
                    continue;
                };
                let c = prim.clip_rect * scale;
                let x0 = c.min.x.max(0.0).round() as u32;
                let y0 = c.min.y.max(0.0).round() as u32;
                let x1 = (c.max.x.min(width as f32).round() as u32).min(width);
                let y1 = (c.max.y.min(height as f32).round() as u32).min(height);
                if mesh.indices.is_empty() || x1 <= x0 || y1 <= y0 {
                    continue;
                }
                let base_vertex = vertices.len() as i32;
                let scissor = (x0, y0, x1 - x0, y1 - y0);
                // Runs of consecutive solid or textured triangles, in drawing order. A solid
                // run only gets the solid pipeline when it covers enough area to pay for the
                // switch (panes, legend boxes); small ones (ticks, cell borders between labels)
                // stay with their textured neighbours, where the white texel draws them alike.
                let first_run = draws.len();
                let mut areas: Vec<f32> = Vec::new();
                for tri in mesh.indices.chunks_exact(3) {
                    let v = |k: usize| mesh.vertices.get(tri[k] as usize);
                    let (Some(a), Some(b), Some(c)) = (v(0), v(1), v(2)) else {
                        continue;
                    };
                    let textured = [a, b, c].iter().any(|v| v.uv != epaint::WHITE_UV);
                    let area = ((b.pos - a.pos).x * (c.pos - a.pos).y
                        - (b.pos - a.pos).y * (c.pos - a.pos).x)
                        .abs()
                        / 2.0;
                    let at = indices.len() as u32;
                    match draws[first_run..].last_mut() {
                        Some(d) if d.textured == textured => {
                            d.indices.end = at + 3;
                            if let Some(last) = areas.last_mut() {
                                *last += area;
                            }
                        }
                        _ => {
                            draws.push(Draw {
                                indices: at..at + 3,
                                base_vertex,
                                scissor,
                                textured,
                            });
                            areas.push(area);
                        }
                    }
                    indices.extend_from_slice(tri);
                }
                let has_text = draws[first_run..].iter().any(|d| d.textured);
                let runs = draws.split_off(first_run);
                for (mut d, area) in runs.into_iter().zip(areas) {
                    d.textured |= has_text && area < SOLID_RUN_MIN_AREA_PX;
                    match draws[first_run..].last_mut() {
                        Some(last) if last.textured == d.textured => {
                            last.indices.end = d.indices.end
                        }
                        _ => draws.push(d),
                    }
                }
                vertices.extend_from_slice(&mesh.vertices);
            }
            draws
        };
        self.under = pack(frame.under.clone());
        self.over = pack(frame.over.clone());
        self.vertices
            .write(device, queue, bytemuck::cast_slice(&vertices));
        self.indices
            .write(device, queue, bytemuck::cast_slice(&indices));
        self.last = Some((frame.under, frame.over));
    }

    fn render(&self, pass: &mut wgpu::RenderPass<'_>, draws: &[Draw]) {
        let Some(bg) = &self.bind_group else { return };
        if draws.is_empty() {
            return;
        }
        let (w, h) = self.size_px;
        pass.set_viewport(0.0, 0.0, w as f32, h as f32, 0.0, 1.0);
        pass.set_bind_group(0, bg, &[]);
        pass.set_vertex_buffer(0, self.vertices.buffer().slice(..));
        pass.set_index_buffer(self.indices.buffer().slice(..), wgpu::IndexFormat::Uint32);
        let mut bound = None;
        for d in draws {
            if bound != Some(d.textured) {
                pass.set_pipeline(if d.textured {
                    &self.textured
                } else {
                    &self.solid
                });
                bound = Some(d.textured);
            }
            let (x, y, sw, sh) = d.scissor;
            pass.set_scissor_rect(x, y, sw, sh);
            pass.draw_indexed(d.indices.clone(), d.base_vertex, 0..1);
        }
        pass.set_scissor_rect(0, 0, w, h);
    }

    /// Records the underlay.
    pub fn render_under(&self, pass: &mut wgpu::RenderPass<'_>) {
        self.render(pass, &self.under);
    }

    /// Records the overlay.
    pub fn render_over(&self, pass: &mut wgpu::RenderPass<'_>) {
        self.render(pass, &self.over);
    }
}
