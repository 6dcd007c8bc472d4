//! Point clouds (see `shaders/points.wgsl`): one instanced draw per layer, four vertices (a
//! quad just covering the marker and its anti-aliased edge) per point. Positions with sizes,
//! and colours, live in storage buffers uploaded once per data `Arc`; a frame only changes the
//! drawn range and, rarely, the marker uniform.
//!
//! Storage buffers indexed by `instance_index` rather than per-instance vertex attributes:
//! with instance-rate vertex buffers lavapipe's memory grew with every frame drawn.

use super::buffer::GrowBuffer;
use crate::scene::{Marker, PointData, Points};
use bytemuck::{Pod, Zeroable};
use std::sync::Arc;

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
        let entry = |binding, visibility, ty| wgpu::BindGroupLayoutEntry {
            binding,
            visibility,
            ty: wgpu::BindingType::Buffer {
                ty,
                has_dynamic_offset: false,
                min_binding_size: None,
            },
            count: None,
        };
        let storage = wgpu::BufferBindingType::Storage { read_only: true };
        let layout = device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
            label: Some("points layer layout"),
            entries: &[
                entry(0, wgpu::ShaderStages::FRAGMENT, storage),
                entry(1, wgpu::ShaderStages::VERTEX, storage),
                entry(2, wgpu::ShaderStages::VERTEX, storage),
            ],
        });
        let shader = device.create_shader_module(wgpu::include_wgsl!("../../shaders/points.wgsl"));
        let pipeline = super::renderer::quad_pipeline(
            device,
            "points",
            &shader,
            &[panel_layout, &layout],
            &[],
            format,
        );
        PointPipeline { pipeline, layout }
    }
}

/// GPU state of one point layer.
pub(crate) struct PointLayerGpu {
    data: Option<Arc<PointData>>,
    positions: GrowBuffer,
    colors: GrowBuffer,
    style: wgpu::Buffer,
    count: u32,
    range: std::ops::Range<u32>,
    bind_group: Option<wgpu::BindGroup>,
    /// The marker last written to the style uniform.
    marker: Option<u32>,
}

impl PointLayerGpu {
    pub fn new(device: &wgpu::Device) -> Self {
        let style = super::buffer::fixed_buffer(
            device,
            "points style",
            std::mem::size_of::<StyleGpu>() as u64,
            wgpu::BufferUsages::STORAGE,
        );
        PointLayerGpu {
            data: None,
            positions: GrowBuffer::new(device, "point positions", wgpu::BufferUsages::STORAGE, 256),
            colors: GrowBuffer::new(device, "point colours", wgpu::BufferUsages::STORAGE, 256),
            style,
            count: 0,
            range: 0..0,
            bind_group: None,
            marker: None,
        }
    }

    pub fn prepare(
        &mut self,
        device: &wgpu::Device,
        queue: &wgpu::Queue,
        pipe: &PointPipeline,
        points: &Points,
    ) {
        let mut rebind = self.bind_group.is_none();
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
            let mut positions: Vec<[f32; 4]> = Vec::with_capacity(d.positions.len());
            let mut colors: Vec<u32> = Vec::with_capacity(d.positions.len());
            for (i, p) in d.positions.iter().enumerate() {
                // Non-finite points get size 0, which the shader collapses.
                let ok = p.is_finite();
                let [x, y, z] = if ok { p.to_array() } else { [0.0; 3] };
                positions.push([x, y, z, if ok { size(i).max(0.0) } else { 0.0 }]);
                colors.push(u32::from_le_bytes(color(i).to_rgba8()));
            }
            rebind |= self
                .positions
                .write(device, queue, bytemuck::cast_slice(&positions));
            rebind |= self
                .colors
                .write(device, queue, bytemuck::cast_slice(&colors));
            self.count = positions.len() as u32;
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
        if self.marker != Some(marker) {
            let style = StyleGpu {
                marker,
                _pad: [0; 3],
            };
            queue.write_buffer(&self.style, 0, bytemuck::bytes_of(&style));
            self.marker = Some(marker);
        }
        if rebind {
            self.bind_group = Some(device.create_bind_group(&wgpu::BindGroupDescriptor {
                label: Some("points layer"),
                layout: &pipe.layout,
                entries: &[
                    wgpu::BindGroupEntry {
                        binding: 0,
                        resource: self.style.as_entire_binding(),
                    },
                    wgpu::BindGroupEntry {
                        binding: 1,
                        resource: self.positions.buffer().as_entire_binding(),
                    },
                    wgpu::BindGroupEntry {
                        binding: 2,
                        resource: self.colors.buffer().as_entire_binding(),
                    },
                ],
            }));
        }
    }

    pub fn render(&self, pass: &mut wgpu::RenderPass<'_>, pipe: &PointPipeline) {
        let Some(bg) = &self.bind_group else { return };
        if self.range.is_empty() {
            return;
        }
        pass.set_pipeline(&pipe.pipeline);
        pass.set_bind_group(1, bg, &[]);
        pass.draw(0..4, self.range.clone());
    }
}
