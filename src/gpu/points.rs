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
use super::splat::{self, SplatTarget};
use crate::scene::{Marker, PointData, Points, RectPx};
use bytemuck::{Pod, Zeroable};
use std::sync::{Arc, OnceLock};

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
    panel_layout: wgpu::BindGroupLayout,
    format: wgpu::TextureFormat,
    /// Per marker, built on first use: most figures never splat.
    splat: [OnceLock<SplatPipelines>; 4],
}

/// The splatting side: compute (plain and counting) and resolve.
struct SplatPipelines {
    compactor: splat::TileCompactor,
    compute_layout: wgpu::BindGroupLayout,
    resolve_layout: wgpu::BindGroupLayout,
    splat: wgpu::ComputePipeline,
    splat_counted: wgpu::ComputePipeline,
    resolve: wgpu::RenderPipeline,
}

/// A shader module of `source` with the marker shapes appended.
fn with_markers(device: &wgpu::Device, label: &str, source: &str) -> wgpu::ShaderModule {
    let code = format!("{source}\n{}", include_str!("../../shaders/markers.wgsl"));
    device.create_shader_module(wgpu::ShaderModuleDescriptor {
        label: Some(label),
        source: wgpu::ShaderSource::Wgsl(code.into()),
    })
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
        let shader = with_markers(device, "points", include_str!("../../shaders/points.wgsl"));
        let pipeline = super::renderer::quad_pipeline(
            device,
            "points",
            &shader,
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
            let constants = [("MARKER", marker as f64)];
            let source = include_str!("../../shaders/splat_points.wgsl");
            let shader = with_markers(device, "splat points", source);
            let (compute_layout, resolve_layout) = splat::layouts(device, "splat points", 4, 3);
            let compute = |entry| {
                splat::compute_pipeline(
                    device,
                    "splat points",
                    &shader,
                    &compute_layout,
                    entry,
                    &constants,
                )
            };
            let resolve = super::renderer::quad_pipeline_entries(
                device,
                "splat points resolve",
                &shader,
                ("vs_resolve", "fs_resolve", &constants),
                &[&self.panel_layout, &resolve_layout],
                self.format,
            );
            SplatPipelines {
                splat: compute("splat"),
                splat_counted: compute("splat_counted"),
                resolve,
                compactor: splat::TileCompactor::new(device),
                compute_layout,
                resolve_layout,
            }
        })
    }
}

/// The splat path of one layer: its key grid and the bind groups over it.
struct SplatLayer {
    target: SplatTarget,
    compute: Option<wgpu::BindGroup>,
    resolve: Option<wgpu::BindGroup>,
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
            splattable: false,
            translucent: false,
            splat: None,
        }
    }

    /// Uploads `points` (data only when its `Arc` is new) for the panel `rect` of a `canvas`
    /// (width, height) target seen through `clip_from_data`.
    #[allow(clippy::too_many_arguments)]
    pub fn prepare(
        &mut self,
        device: &wgpu::Device,
        queue: &wgpu::Queue,
        pipe: &PointPipeline,
        points: &Points,
        clip_from_data: &glam::Mat4,
        rect: RectPx,
        canvas: (u32, u32),
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
        if self.marker != Some(marker) {
            let style = StyleGpu {
                marker,
                _pad: [0; 3],
            };
            queue.write_buffer(&self.style, 0, bytemuck::bytes_of(&style));
            self.marker = Some(marker);
            // The splat pipelines (and so their bind group layouts) are per marker.
            if let Some(s) = self.splat.as_mut() {
                s.compute = None;
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
        let layer = self.splat.get_or_insert_with(|| SplatLayer {
            target: SplatTarget::new(device),
            compute: None,
            resolve: None,
        });
        let grown = layer.target.prepare(
            device,
            queue,
            clip_from_data,
            rect,
            canvas,
            self.range.start,
            self.range.len() as u32,
            self.translucent,
        );
        if grown || rebind || layer.compute.is_none() {
            let sp = pipe.splat(device, marker);
            let t = &layer.target;
            let buffers = [
                t.params(),
                &self.style,
                self.positions.buffer(),
                self.colors.buffer(),
                t.keys(),
                t.counts(),
                t.tile_flags(),
            ];
            layer.compute = Some(splat::bind_buffers(
                device,
                "splat points",
                &sp.compute_layout,
                &buffers,
            ));
            let mut buffers = buffers;
            buffers[6] = t.tile_list();
            layer.resolve = Some(splat::bind_buffers(
                device,
                "splat points resolve",
                &sp.resolve_layout,
                &buffers,
            ));
            layer.target.bind(device, &sp.compactor);
        }
    }

    fn splat_pipelines<'p>(&self, pipe: &'p PointPipeline) -> Option<&'p SplatPipelines> {
        pipe.splat.get(self.marker? as usize)?.get()
    }

    /// Records what must run before the compute pass: clearing the key grid of a splatted
    /// layer. Returns whether the layer splats this frame.
    pub fn clear(&self, encoder: &mut wgpu::CommandEncoder) -> bool {
        match &self.splat {
            Some(s) if s.target.active() && !self.range.is_empty() => {
                s.target.clear(encoder);
                true
            }
            _ => false,
        }
    }

    /// Records the splat dispatch (splatted layers) into a compute pass.
    pub fn compute(&self, pass: &mut wgpu::ComputePass<'_>, pipe: &PointPipeline) {
        let (Some(s), Some(sp)) = (&self.splat, self.splat_pipelines(pipe)) else {
            return;
        };
        let (Some(bg), true) = (&s.compute, s.target.active()) else {
            return;
        };
        pass.set_pipeline(if s.target.counted() {
            &sp.splat_counted
        } else {
            &sp.splat
        });
        pass.set_bind_group(0, bg, &[]);
        s.target.dispatch(pass, &sp.compactor);
    }

    pub fn render(&self, pass: &mut wgpu::RenderPass<'_>, pipe: &PointPipeline) {
        let Some(bg) = &self.bind_group else { return };
        if self.range.is_empty() {
            return;
        }
        if let Some(s) = &self.splat {
            if let (Some(sp), Some(rbg), true) =
                (self.splat_pipelines(pipe), &s.resolve, s.target.active())
            {
                pass.set_pipeline(&sp.resolve);
                pass.set_bind_group(1, rbg, &[]);
                s.target.draw(pass);
            }
            return;
        }
        pass.set_pipeline(&pipe.pipeline);
        pass.set_bind_group(1, bg, &[]);
        pass.draw(0..4, self.range.clone());
    }
}
