//! Line strips (see `shaders/lines.wgsl` for how segments become anti-aliased quads).
//!
//! Prepare uploads the points of all strips of a layer once per data `Arc` (xyz plus the strip
//! id, with a flag bit on points that break the line) and, every frame, a tiny table of
//! per-strip colour, width and visible range. Render is one instanced draw of the visible
//! segments (split per strip only when that skips many hidden ones).
//!
//! Layers of many points are splatted instead (see `splat.rs`): the same buffers feed a compute
//! pass over the visible segments and a resolve draw over the panel.

use super::buffer::GrowBuffer;
use super::pipeline::PanelView;
use super::splat::{self, SplatLayer, SplatPipelines};
use crate::scene::{Lines, RectPx};
use bytemuck::{Pod, Zeroable};
use std::sync::{Arc, OnceLock};

const BROKEN: u32 = 0x8000_0000;
/// Hidden segments between two visible ranges cheaper to draw (and discard) than a second draw.
const MERGE_GAP: u32 = 256;

#[repr(C)]
#[derive(Clone, Copy, Pod, Zeroable)]
struct StripGpu {
    color: [f32; 4],
    first: u32,
    end: u32,
    width_px: f32,
    fade_points: f32,
    dash: [f32; 2],
    _pad: [f32; 2],
}

/// The pipeline shared by every line layer.
pub(crate) struct LinePipeline {
    pipeline: wgpu::RenderPipeline,
    layout: wgpu::BindGroupLayout,
    panel_layout: wgpu::BindGroupLayout,
    format: wgpu::TextureFormat,
    /// Built on first use: most figures never splat.
    splat: OnceLock<SplatPipelines>,
}

impl LinePipeline {
    pub fn new(
        device: &wgpu::Device,
        panel_layout: &wgpu::BindGroupLayout,
        format: wgpu::TextureFormat,
    ) -> Self {
        let storage = |binding| wgpu::BindGroupLayoutEntry {
            binding,
            visibility: wgpu::ShaderStages::VERTEX,
            ty: wgpu::BindingType::Buffer {
                ty: wgpu::BufferBindingType::Storage { read_only: true },
                has_dynamic_offset: false,
                min_binding_size: None,
            },
            count: None,
        };
        let layout = device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
            label: Some("lines layer layout"),
            entries: &[storage(0), storage(1), storage(2)],
        });
        let shader = device.create_shader_module(wgpu::include_wgsl!("../../shaders/lines.wgsl"));
        let pipeline = super::pipeline::quad_pipeline(
            device,
            "lines",
            &shader,
            ("vs_main", "fs_main", &[]),
            &[panel_layout, &layout],
            &[],
            format,
        );
        LinePipeline {
            pipeline,
            layout,
            panel_layout: panel_layout.clone(),
            format,
            splat: OnceLock::new(),
        }
    }

    fn splat(&self, device: &wgpu::Device) -> &SplatPipelines {
        self.splat.get_or_init(|| {
            let shader = super::pipeline::compose_shader(
                device,
                "splat lines",
                &[
                    include_str!("../../shaders/splat_lines.wgsl"),
                    splat::COMMON_WGSL,
                    splat::ITEMS_WGSL,
                    splat::RESOLVE_WGSL,
                ],
            );
            SplatPipelines::new(
                device,
                "splat lines",
                &shader,
                3,
                1,
                &["splat"],
                &[],
                &self.panel_layout,
                self.format,
            )
        })
    }
}

/// GPU state of one line layer.
pub(crate) struct LineLayerGpu {
    data: Option<Arc<Vec<Vec<glam::Vec3>>>>,
    points: GrowBuffer,
    strips: GrowBuffer,
    /// Per point, pixels along its strip (dashed strips only; zeros otherwise).
    distances: GrowBuffer,
    strip_starts: Vec<u32>,
    point_count: u32,
    /// Instance (segment) ranges drawn this frame: the visible segments of every strip, with
    /// ranges closer than `MERGE_GAP` merged. Usually one range (one draw call); strips that
    /// are only partly visible (growing lines) get their own, so hidden segments cost nothing.
    draws: Vec<std::ops::Range<u32>>,
    bind_group: Option<wgpu::BindGroup>,
    /// Set while the layer is splatted (enough points, see `splat.rs`).
    splat: Option<SplatLayer>,
}

impl LineLayerGpu {
    pub fn new(device: &wgpu::Device) -> Self {
        let usage = wgpu::BufferUsages::STORAGE;
        LineLayerGpu {
            data: None,
            points: GrowBuffer::new(device, "line points", usage, 256),
            strips: GrowBuffer::new(device, "line strips", usage, 256),
            distances: GrowBuffer::new(device, "line dash distances", usage, 256),
            strip_starts: Vec::new(),
            point_count: 0,
            draws: Vec::new(),
            bind_group: None,
            splat: None,
        }
    }

    /// Uploads `lines` (points only when their `Arc` is new) for its panel as `view` shows it.
    pub fn prepare(
        &mut self,
        device: &wgpu::Device,
        queue: &wgpu::Queue,
        pipe: &LinePipeline,
        lines: &Lines,
        view: &PanelView,
    ) {
        let mut rebind = self.bind_group.is_none();
        if !self
            .data
            .as_ref()
            .is_some_and(|d| Arc::ptr_eq(d, &lines.strips))
        {
            let total: usize = lines.strips.iter().map(Vec::len).sum();
            let mut pts: Vec<[f32; 4]> = Vec::with_capacity(total);
            self.strip_starts.clear();
            for (id, strip) in lines.strips.iter().enumerate() {
                self.strip_starts.push(pts.len() as u32);
                for p in strip {
                    let ok = p.is_finite();
                    let id_bits = id as u32 | if ok { 0 } else { BROKEN };
                    let p = if ok { *p } else { glam::Vec3::ZERO };
                    pts.push([p.x, p.y, p.z, f32::from_bits(id_bits)]);
                }
            }
            self.point_count = pts.len() as u32;
            rebind |= self.points.write(device, queue, bytemuck::cast_slice(&pts));
            self.data = Some(lines.strips.clone());
        }
        let table: Vec<StripGpu> = lines
            .strips
            .iter()
            .enumerate()
            .map(|(i, strip)| {
                let n = strip.len();
                let r = lines
                    .visible
                    .as_ref()
                    .map_or(0..n, |v| v[i].start.min(n)..v[i].end.min(n));
                let start = self.strip_starts[i];
                let style = lines.styles[i];
                StripGpu {
                    color: style.color.to_array(),
                    first: start + r.start as u32,
                    end: start + r.end.max(r.start) as u32,
                    width_px: style.width_px * view.scale,
                    fade_points: style.fade_points,
                    dash: style
                        .dash_px
                        .map_or([0.0, 0.0], |[on, off]| [on * view.scale, off * view.scale]),
                    _pad: [0.0; 2],
                }
            })
            .collect();
        let mut ranges: Vec<std::ops::Range<u32>> = table
            .iter()
            .filter(|s| s.end > s.first + 1)
            .map(|s| s.first..s.end - 1)
            .collect();
        ranges.sort_by_key(|r| r.start);
        self.draws.clear();
        for r in ranges {
            match self.draws.last_mut() {
                Some(last) if r.start <= last.end + MERGE_GAP => last.end = last.end.max(r.end),
                _ => self.draws.push(r),
            }
        }
        rebind |= self
            .strips
            .write(device, queue, bytemuck::cast_slice(&table));
        if lines.styles.iter().any(|s| s.dash_px.is_some()) {
            let d = dash_distances(lines, &view.clip_from_data, view.rect);
            rebind |= self
                .distances
                .write(device, queue, bytemuck::cast_slice(&d));
        }
        if rebind {
            self.bind_group = Some(device.create_bind_group(&wgpu::BindGroupDescriptor {
                label: Some("lines layer"),
                layout: &pipe.layout,
                entries: &[
                    wgpu::BindGroupEntry {
                        binding: 0,
                        resource: self.points.buffer().as_entire_binding(),
                    },
                    wgpu::BindGroupEntry {
                        binding: 1,
                        resource: self.strips.buffer().as_entire_binding(),
                    },
                    wgpu::BindGroupEntry {
                        binding: 2,
                        resource: self.distances.buffer().as_entire_binding(),
                    },
                ],
            }));
        }
        let n = self.point_count as usize;
        if !(splat::SEGMENTS_MIN..=splat::MAX_ITEMS).contains(&n) {
            self.splat = None;
            return;
        }
        let layer = self.splat.get_or_insert_with(|| SplatLayer::new(device));
        let grown = layer.prepare(device, queue, view, &self.draws, false);
        if grown || rebind || layer.unbound() {
            let inputs = [
                self.points.buffer(),
                self.strips.buffer(),
                self.distances.buffer(),
            ];
            layer.bind(device, "splat lines", pipe.splat(device), &inputs);
        }
    }

    /// Records what must run before the compute pass: clearing the key grid of a splatted
    /// layer. Returns whether the layer splats this frame.
    pub fn clear(&self, encoder: &mut wgpu::CommandEncoder) -> bool {
        self.splat.as_ref().is_some_and(|s| s.clear(encoder))
    }

    /// Records the splat dispatch (splatted layers) into a compute pass.
    pub fn compute(&self, pass: &mut wgpu::ComputePass<'_>, pipe: &LinePipeline) {
        if let (Some(s), Some(sp)) = (&self.splat, pipe.splat.get()) {
            s.compute(pass, sp, 0);
        }
    }

    pub fn render(&self, pass: &mut wgpu::RenderPass<'_>, pipe: &LinePipeline) {
        let Some(bg) = &self.bind_group else { return };
        if self.point_count < 2 || self.draws.is_empty() {
            return;
        }
        if let Some(s) = &self.splat {
            if let Some(sp) = pipe.splat.get() {
                s.draw(pass, sp);
            }
            return;
        }
        pass.set_pipeline(&pipe.pipeline);
        pass.set_bind_group(1, bg, &[]);
        for r in &self.draws {
            pass.draw(0..4, r.clone());
        }
    }
}

/// Distance in pixels from each dashed strip's first point to every point, in the current view
/// (zeros for solid strips), so dashes keep their on-screen length whatever the axes' scale.
fn dash_distances(lines: &Lines, clip_from_data: &glam::Mat4, rect: RectPx) -> Vec<f32> {
    let to_px = |p: glam::Vec3| {
        let c = *clip_from_data * p.extend(1.0);
        if c.w.abs() < 1e-9 {
            return None;
        }
        Some(glam::Vec2::new(
            c.x / c.w * 0.5 * rect.w,
            c.y / c.w * 0.5 * rect.h,
        ))
    };
    let mut out = Vec::with_capacity(lines.strips.iter().map(Vec::len).sum());
    for (strip, style) in lines.strips.iter().zip(&lines.styles) {
        let mut total = 0.0;
        let mut prev: Option<glam::Vec2> = None;
        for p in strip {
            let q = if p.is_finite() && style.dash_px.is_some() {
                to_px(*p)
            } else {
                None
            };
            if let (Some(a), Some(b)) = (prev, q) {
                total += a.distance(b);
            }
            out.push(total);
            prev = q;
        }
    }
    out
}
