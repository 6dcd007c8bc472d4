//! Point clouds (see `shaders/points.wgsl`): one instanced draw per layer, four vertices per
//! point. Positions, colours and sizes are per-instance vertex attributes uploaded once per data
//! `Arc`; a frame only changes the drawn range and the marker uniform.

use super::buffer::GrowBuffer;
use crate::scene::{Marker, PointData, Points};
use bytemuck::{Pod, Zeroable};
use std::sync::Arc;

#[repr(C)]
#[derive(Clone, Copy, Pod, Zeroable)]
struct PointGpu {
    position: [f32; 3],
    color: [u8; 4],
    size_px: f32,
}

#[repr(C)]
#[derive(Clone, Copy, Pod, Zeroable)]
struct StyleGpu {
    marker: u32,
    _pad: [u32; 3],
}

/// The pipeline shared by every point layer.
pub(crate) struct PointPipeline {
    pipeline: wgpu::RenderPipeline,
    layout: wgpu::BindGroupLayout,
}

impl PointPipeline {
    pub fn new(
        device: &wgpu::Device,
        panel_layout: &wgpu::BindGroupLayout,
        format: wgpu::TextureFormat,
    ) -> Self {
        let layout = device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
            label: Some("points layer layout"),
            entries: &[wgpu::BindGroupLayoutEntry {
                binding: 0,
                visibility: wgpu::ShaderStages::FRAGMENT,
                ty: wgpu::BindingType::Buffer {
                    ty: wgpu::BufferBindingType::Uniform,
                    has_dynamic_offset: false,
                    min_binding_size: None,
                },
                count: None,
            }],
        });
        let shader = device.create_shader_module(wgpu::include_wgsl!("../../shaders/points.wgsl"));
        let attributes = wgpu::vertex_attr_array![0 => Float32x3, 1 => Unorm8x4, 2 => Float32];
        let buffers = [Some(wgpu::VertexBufferLayout {
            array_stride: std::mem::size_of::<PointGpu>() as u64,
            step_mode: wgpu::VertexStepMode::Instance,
            attributes: &attributes,
        })];
        let pipeline = super::renderer::quad_pipeline(
            device,
            "points",
            &shader,
            &[panel_layout, &layout],
            &buffers,
            format,
        );
        PointPipeline { pipeline, layout }
    }
}

/// GPU state of one point layer.
pub(crate) struct PointLayerGpu {
    data: Option<Arc<PointData>>,
    instances: GrowBuffer,
    style: wgpu::Buffer,
    count: u32,
    range: std::ops::Range<u32>,
    bind_group: wgpu::BindGroup,
}

impl PointLayerGpu {
    pub fn new(device: &wgpu::Device, pipe: &PointPipeline) -> Self {
        let style = device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("points style"),
            size: std::mem::size_of::<StyleGpu>() as u64,
            usage: wgpu::BufferUsages::UNIFORM | wgpu::BufferUsages::COPY_DST,
            mapped_at_creation: false,
        });
        let bind_group = device.create_bind_group(&wgpu::BindGroupDescriptor {
            label: Some("points layer"),
            layout: &pipe.layout,
            entries: &[wgpu::BindGroupEntry {
                binding: 0,
                resource: style.as_entire_binding(),
            }],
        });
        PointLayerGpu {
            data: None,
            instances: GrowBuffer::new(device, "point instances", wgpu::BufferUsages::VERTEX, 256),
            style,
            count: 0,
            range: 0..0,
            bind_group,
        }
    }

    pub fn prepare(&mut self, device: &wgpu::Device, queue: &wgpu::Queue, points: &Points) {
        if !self
            .data
            .as_ref()
            .is_some_and(|d| Arc::ptr_eq(d, &points.data))
        {
            let d = &points.data;
            let color = |i: usize| {
                d.colors
                    .get(i)
                    .or(d.colors.first())
                    .copied()
                    .unwrap_or(crate::Color::BLACK)
            };
            let size = |i: usize| {
                d.sizes_px
                    .get(i)
                    .or(d.sizes_px.first())
                    .copied()
                    .unwrap_or(6.0)
            };
            let inst: Vec<PointGpu> = d
                .positions
                .iter()
                .enumerate()
                .map(|(i, p)| {
                    let ok = p.is_finite();
                    PointGpu {
                        position: if ok { p.to_array() } else { [0.0; 3] },
                        color: color(i).to_rgba8(),
                        size_px: if ok { size(i).max(0.0) } else { 0.0 },
                    }
                })
                .collect();
            self.instances
                .write(device, queue, bytemuck::cast_slice(&inst));
            self.count = inst.len() as u32;
            self.data = Some(points.data.clone());
        }
        let n = self.count;
        self.range = match &points.visible {
            Some(r) => (r.start as u32).min(n)..(r.end as u32).min(n),
            None => 0..n,
        };
        let marker = match points.marker {
            Marker::Circle => 0,
            Marker::Square => 1,
            Marker::Triangle => 2,
            Marker::Cross => 3,
        };
        queue.write_buffer(
            &self.style,
            0,
            bytemuck::bytes_of(&StyleGpu {
                marker,
                _pad: [0; 3],
            }),
        );
    }

    pub fn render(&self, pass: &mut wgpu::RenderPass<'_>, pipe: &PointPipeline) {
        if self.range.is_empty() {
            return;
        }
        pass.set_pipeline(&pipe.pipeline);
        pass.set_bind_group(1, &self.bind_group, &[]);
        pass.set_vertex_buffer(0, self.instances.buffer().slice(..));
        pass.draw(0..4, self.range.clone());
    }
}
