//! Point clouds (see `shaders/points.wgsl`): one instanced draw per layer, four vertices (a
//! quad just covering the marker and its anti-aliased edge) per point. Positions with sizes,
//! and colours, live in storage buffers uploaded once per data `Arc`; a frame only changes the
//! drawn range and, rarely, the marker uniform.
//!
//! Storage buffers indexed by `instance_index` rather than per-instance vertex attributes:
//! with instance-rate vertex buffers lavapipe's memory grew with every frame drawn.
//!
//! Large clouds of small markers are splatted instead (see `splat.rs`): the same buffers feed a
//! compute pass and a resolve draw, one of each per layer.

use super::buffer::GrowBuffer;
use super::pipeline::PanelView;
use super::splat::{self, SplatLayer, SplatPipelines};
use crate::scene::{Marker, PointData, Points};
use bytemuck::{Pod, Zeroable};
use std::sync::{Arc, OnceLock};

#[repr(C)]
#[derive(Clone, Copy, Pod, Zeroable)]
struct StyleGpu {
    marker: u32,
    /// Pixels per layout pixel: marker sizes are given at 100 dpi.
    size_scale: f32,
    _pad: [u32; 2],
}

/// The pipeline shared by every point layer.
pub(crate) struct PointPipeline {
    pipeline: wgpu::RenderPipeline,
    layout: wgpu::BindGroupLayout,
    panel_layout: wgpu::BindGroupLayout,
    format: wgpu::TextureFormat,
    /// Per marker, built on first use: most figures never splat.
    splat: [OnceLock<SplatPipelines>; 4],
}

/// The marker shapes, appended to both point shaders.
const MARKERS_WGSL: &str = include_str!("../../shaders/markers.wgsl");

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
                entry(0, wgpu::ShaderStages::VERTEX_FRAGMENT, storage),
                entry(1, wgpu::ShaderStages::VERTEX, storage),
                entry(2, wgpu::ShaderStages::VERTEX, storage),
            ],
        });
        let shader = super::pipeline::compose_shader(
            device,
            "points",
            &[include_str!("../../shaders/points.wgsl"), MARKERS_WGSL],
        );
        let pipeline = super::pipeline::quad_pipeline(
            device,
            "points",
            &shader,
            ("vs_main", "fs_main", &[]),
            &[panel_layout, &layout],
            &[],
            format,
        );
        PointPipeline {
            pipeline,
            layout,
            panel_layout: panel_layout.clone(),
            format,
            splat: Default::default(),
        }
    }

    fn splat(&self, device: &wgpu::Device, marker: u32) -> &SplatPipelines {
        self.splat[marker as usize].get_or_init(|| {
            let shader = super::pipeline::compose_shader(
                device,
                "splat points",
                &[
                    include_str!("../../shaders/splat_points.wgsl"),
                    MARKERS_WGSL,
                    splat::COMMON_WGSL,
                    splat::ITEMS_WGSL,
                    splat::RESOLVE_WGSL,
                ],
            );
            SplatPipelines::new(
                device,
                "splat points",
                &shader,
                3,
                2,
                &["splat", "splat_counted"],
                &[("MARKER", marker as f64)],
                &self.panel_layout,
                self.format,
            )
        })
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
    size_scale: f32,
    /// Whether the data qualifies for splatting, and whether any point is translucent.
    splattable: bool,
    translucent: bool,
    /// Set while the layer is splatted.
    splat: Option<SplatLayer>,
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
            size_scale: 1.0,
            splattable: false,
            translucent: false,
            splat: None,
        }
    }

    /// Uploads `points` (data only when its `Arc` is new) for its panel as `view` shows it.
    pub fn prepare(
        &mut self,
        device: &wgpu::Device,
        queue: &wgpu::Queue,
        pipe: &PointPipeline,
        points: &Points,
        view: &PanelView,
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
            let n = positions.len();
            let largest = positions.iter().map(|p| p[3]).fold(0.0, f32::max);
            self.splattable = (splat::POINTS_MIN..=splat::MAX_ITEMS).contains(&n)
                && largest <= splat::POINTS_MAX_SIZE_PX;
            // Points under a pixel wide are drawn at 1 px with their alpha scaled down.
            self.translucent = colors.iter().any(|c| c >> 24 != 0xff)
                || positions.iter().any(|p| p[3] > 0.0 && p[3] < 1.0);
            if self.splat.is_some() {
                rebind = true;
            }
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
        if self.marker != Some(marker) || self.size_scale != view.scale {
            let style = StyleGpu {
                marker,
                size_scale: view.scale,
                _pad: [0; 2],
            };
            queue.write_buffer(&self.style, 0, bytemuck::bytes_of(&style));
            self.size_scale = view.scale;
        }
        if self.marker != Some(marker) {
            self.marker = Some(marker);
            // The splat pipelines (and so their bind group layouts) are per marker.
            if let Some(s) = self.splat.as_mut() {
                s.unbind();
            }
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
        if !self.splattable {
            self.splat = None;
            return;
        }
        let layer = self.splat.get_or_insert_with(|| SplatLayer::new(device));
        let grown = layer.prepare(
            device,
            queue,
            view,
            std::slice::from_ref(&self.range),
            self.translucent,
        );
        if grown || rebind || layer.unbound() {
            let inputs = [&self.style, self.positions.buffer(), self.colors.buffer()];
            layer.bind(device, "splat points", pipe.splat(device, marker), &inputs);
        }
    }

    fn splat_pipelines<'p>(&self, pipe: &'p PointPipeline) -> Option<&'p SplatPipelines> {
        pipe.splat.get(self.marker? as usize)?.get()
    }

    /// Records what must run before the compute pass: clearing the key grid of a splatted
    /// layer. Returns whether the layer splats this frame.
    pub fn clear(&self, encoder: &mut wgpu::CommandEncoder) -> bool {
        match &self.splat {
            Some(s) if !self.range.is_empty() => s.clear(encoder),
            _ => false,
        }
    }

    /// Records the splat dispatch (splatted layers) into a compute pass: the counting entry
    /// point for translucent clouds.
    pub fn compute(&self, pass: &mut wgpu::ComputePass<'_>, pipe: &PointPipeline) {
        if let (Some(s), Some(sp)) = (&self.splat, self.splat_pipelines(pipe)) {
            s.compute(pass, sp, s.target.counted() as usize);
        }
    }

    pub fn render(&self, pass: &mut wgpu::RenderPass<'_>, pipe: &PointPipeline) {
        let Some(bg) = &self.bind_group else { return };
        if self.range.is_empty() {
            return;
        }
        if let Some(s) = &self.splat {
            if let Some(sp) = self.splat_pipelines(pipe) {
                s.draw(pass, sp);
            }
            return;
        }
        pass.set_pipeline(&pipe.pipeline);
        pass.set_bind_group(1, bg, &[]);
        pass.draw(0..4, self.range.clone());
    }
}
