//! Splatting: a compute-shader rasteriser for layers of many small primitives.
//!
//! A software rasteriser such as lavapipe pays about half a microsecond of single-threaded set-up
//! per triangle however few pixels it covers, so a million points drawn as quads take over half a
//! second and a few thousand line segments a few milliseconds. Splatting skips the triangles: a
//! compute pass (spread over every core) visits, per point or segment, the pixels it covers and
//! keeps per pixel the strongest claim in a 32-bit key — coverage in the top 4 bits, the item's
//! index below — with `atomicMax`, marking the 16×16 tiles it touched; a second dispatch lists
//! the marked tiles and writes indirect draw arguments (`shaders/splat_tiles.wgsl`), and a
//! resolve draw over just those tiles (`shaders/splat_resolve.wgsl`) recomputes each pixel's
//! winner's exact anti-aliased coverage and colour and blends it into the frame. Where items
//! overlap the pixel shows the one covering it most (the last drawn among full cover, as
//! painter's order would), so the picture matches the quad pipelines except on the
//! anti-aliased rims where two items meet. The splatters are `shaders/splat_points.wgsl` and
//! `shaders/splat_lines.wgsl`; all share `shaders/splat_common.wgsl`.
//!
//! Layers switch to splatting by their data size (not what is visible, so an animation never
//! changes method midway): see [`POINTS_MIN`], [`SEGMENTS_MIN`] and [`POINTS_MAX_SIZE_PX`].

use super::buffer::{GrowBuffer, fixed_buffer};
use super::pipeline::{PanelView, bind_buffers, compute_pipeline, layouts, storage_entry};
use bytemuck::{Pod, Zeroable};

/// Point layers of at least this many points are splatted (when small enough, see below).
pub const POINTS_MIN: usize = 8_192;
/// Splatting visits every pixel of a marker in one invocation; above this size quads are faster
/// and keep the anti-aliased rims of overlapping large markers exact.
pub const POINTS_MAX_SIZE_PX: f32 = 8.0;
/// Line layers of at least this many points are splatted.
pub const SEGMENTS_MIN: usize = 1_024;
/// Keys hold item indices in 28 bits.
pub(crate) const MAX_ITEMS: usize = 1 << 28;

const WORKGROUP: u32 = 64;
const MAX_GROUPS_X: u32 = 65_535;
/// Side of a resolve tile in pixels (as `TILE_PX` in `shaders/splat_common.wgsl`).
const TILE: u32 = 16;

/// Per-dispatch parameters, in a storage buffer (lavapipe specialises shaders on uniform values
/// that steer branches, and its shader cache then grows with every frame).
#[repr(C)]
#[derive(Clone, Copy, Pod, Zeroable)]
struct ParamsGpu {
    clip_from_data: [[f32; 4]; 4],
    rect: [f32; 4],
    grid: [u32; 4],
    range: [u32; 4],
}

/// Bytes of the parameter block, for bind group layouts.
pub(crate) const PARAMS_SIZE: u64 = std::mem::size_of::<ParamsGpu>() as u64;

/// What every splat shader is compiled with: the parameter block and constants.
pub(crate) const COMMON_WGSL: &str = include_str!("../../shaders/splat_common.wgsl");
/// What the point and line splatters are compiled with: the resolve's vertex shader and key
/// look-up.
pub(crate) const RESOLVE_WGSL: &str = include_str!("../../shaders/splat_resolve.wgsl");
/// What the point and line splatters are compiled with: the span table and its look-up.
pub(crate) const ITEMS_WGSL: &str = include_str!("../../shaders/splat_items.wgsl");

/// The pipelines of one splat shader: its compute entry points, the tile compaction and the
/// resolve draw, with the bind group layouts they share.
pub(crate) struct SplatPipelines {
    compactor: TileCompactor,
    compute_layout: wgpu::BindGroupLayout,
    resolve_layout: wgpu::BindGroupLayout,
    /// One per compute entry point, in the order given to [`SplatPipelines::new`].
    computes: Vec<wgpu::ComputePipeline>,
    resolve: wgpu::RenderPipeline,
    /// Grids after the inputs: 1 (keys) or 2 (keys, counts).
    grids: u32,
}

impl SplatPipelines {
    /// Pipelines of `shader`, whose bindings are the parameter block, `inputs` more read-only
    /// buffers, the span table, `grids` key grids and the tile flags (compute) or list (resolve); `entries` are
    /// its compute entry points, `constants` its pipeline-overridable constants, and the
    /// resolve draws into `format` targets with the panel bind group (`panel_layout`) at 0.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        device: &wgpu::Device,
        label: &str,
        shader: &wgpu::ShaderModule,
        inputs: u32,
        grids: u32,
        entries: &[&str],
        constants: &[(&str, f64)],
        panel_layout: &wgpu::BindGroupLayout,
        format: wgpu::TextureFormat,
    ) -> Self {
        // The parameter block, the inputs, the span table; the grids, the tile flags or list.
        let (compute_layout, resolve_layout) = layouts(device, label, inputs + 2, grids + 1);
        let computes = entries
            .iter()
            .map(|e| compute_pipeline(device, label, shader, &compute_layout, e, constants))
            .collect();
        let resolve = super::pipeline::quad_pipeline(
            device,
            label,
            shader,
            ("vs_resolve", "fs_resolve", constants),
            &[panel_layout, &resolve_layout],
            &[],
            format,
        );
        SplatPipelines {
            compactor: TileCompactor::new(device),
            compute_layout,
            resolve_layout,
            computes,
            resolve,
            grids,
        }
    }
}

/// A layer's splatting state: its key grid, the items it draws (`shaders/splat_items.wgsl`)
/// and the bind groups over them and the layer's data.
pub(crate) struct SplatLayer {
    pub target: SplatTarget,
    spans: GrowBuffer,
    compute: Option<wgpu::BindGroup>,
    resolve: Option<wgpu::BindGroup>,
}

impl SplatLayer {
    pub fn new(device: &wgpu::Device) -> Self {
        SplatLayer {
            target: SplatTarget::new(device),
            spans: GrowBuffer::new(device, "splat spans", wgpu::BufferUsages::STORAGE, 16),
            compute: None,
            resolve: None,
        }
    }

    /// Sets this frame's `view` of the panel and the item `ranges` drawn (one dispatch over them
    /// laid end to end); `counted` for translucent points. Returns true when buffers were
    /// re-created, so [`SplatLayer::bind`] must run again.
    pub fn prepare(
        &mut self,
        device: &wgpu::Device,
        queue: &wgpu::Queue,
        view: &PanelView,
        ranges: &[std::ops::Range<u32>],
        counted: bool,
    ) -> bool {
        let mut table: Vec<[u32; 2]> = Vec::with_capacity(ranges.len());
        let mut before = 0u32;
        for r in ranges.iter().filter(|r| !r.is_empty()) {
            table.push([r.start, before]);
            before += r.len() as u32;
        }
        let grown = self
            .spans
            .write(device, queue, bytemuck::cast_slice(&table));
        let spans = table.len() as u32;
        self.target
            .prepare(device, queue, view, spans, before, counted)
            || grown
    }

    /// Whether the bind groups must be (re)built.
    pub fn unbound(&self) -> bool {
        self.compute.is_none()
    }

    /// Forgets the bind groups (their buffers or pipelines changed).
    pub fn unbind(&mut self) {
        self.compute = None;
        self.resolve = None;
    }

    /// Binds the parameter block, the layer's `inputs`, the span table, the grids and the tile
    /// flags for the splat; the same with the tile list for the resolve; and the tile compaction.
    pub fn bind(
        &mut self,
        device: &wgpu::Device,
        label: &str,
        pipes: &SplatPipelines,
        inputs: &[&wgpu::Buffer],
    ) {
        let t = &self.target;
        let mut buffers = vec![t.params()];
        buffers.extend_from_slice(inputs);
        buffers.push(self.spans.buffer());
        buffers.push(t.keys());
        if pipes.grids > 1 {
            buffers.push(t.counts());
        }
        buffers.push(t.tile_flags());
        let compute = bind_buffers(device, label, &pipes.compute_layout, &buffers);
        if let Some(last) = buffers.last_mut() {
            *last = t.tile_list();
        }
        let resolve = bind_buffers(device, label, &pipes.resolve_layout, &buffers);
        (self.compute, self.resolve) = (Some(compute), Some(resolve));
        self.target.bind(device, &pipes.compactor);
    }

    /// Records the clearing of the grids (before the compute pass); whether the layer splats
    /// this frame.
    pub fn clear(&self, encoder: &mut wgpu::CommandEncoder) -> bool {
        if !self.target.active() || self.compute.is_none() {
            return false;
        }
        self.target.clear(encoder);
        true
    }

    /// Records the splat with compute entry point `entry`, then the tile compaction.
    pub fn compute(&self, pass: &mut wgpu::ComputePass<'_>, pipes: &SplatPipelines, entry: usize) {
        let (Some(bg), Some(pipeline)) = (&self.compute, pipes.computes.get(entry)) else {
            return;
        };
        if !self.target.active() {
            return;
        }
        pass.set_pipeline(pipeline);
        pass.set_bind_group(0, bg, &[]);
        self.target.dispatch(pass, &pipes.compactor);
    }

    /// Records the resolve (the panel's bind group is already set at 0).
    pub fn draw(&self, pass: &mut wgpu::RenderPass<'_>, pipes: &SplatPipelines) {
        let Some(bg) = &self.resolve else { return };
        if !self.target.active() {
            return;
        }
        pass.set_pipeline(&pipes.resolve);
        pass.set_bind_group(1, bg, &[]);
        self.target.draw(pass);
    }
}

/// Lists claimed tiles and writes the resolve's indirect draw (`shaders/splat_tiles.wgsl`).
pub(crate) struct TileCompactor {
    pipeline: wgpu::ComputePipeline,
    layout: wgpu::BindGroupLayout,
}

impl TileCompactor {
    pub fn new(device: &wgpu::Device) -> Self {
        let c = wgpu::ShaderStages::COMPUTE;
        let layout = device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
            label: Some("splat tiles"),
            entries: &[
                storage_entry(0, c, true),
                storage_entry(1, c, true),
                storage_entry(2, c, false),
                storage_entry(3, c, false),
            ],
        });
        let shader = super::pipeline::compose_shader(
            device,
            "splat tiles",
            &[include_str!("../../shaders/splat_tiles.wgsl"), COMMON_WGSL],
        );
        let pipeline = compute_pipeline(device, "splat tiles", &shader, &layout, "compact", &[]);
        TileCompactor { pipeline, layout }
    }
}

/// The per-layer key grid (and, for translucent points, count grid) over the layer's panel,
/// with its tile flags, tile list and indirect resolve draw.
pub(crate) struct SplatTarget {
    params: wgpu::Buffer,
    keys: GrowBuffer,
    counts: GrowBuffer,
    tile_flags: GrowBuffer,
    tile_list: GrowBuffer,
    draw_args: wgpu::Buffer,
    compact: Option<wgpu::BindGroup>,
    /// Canvas pixels covered: x0, y0, width, height.
    grid: [u32; 4],
    /// Tiles across and down.
    tiles: [u32; 2],
    items: u32,
    counted: bool,
}

impl SplatTarget {
    pub fn new(device: &wgpu::Device) -> Self {
        let usage = wgpu::BufferUsages::STORAGE;
        SplatTarget {
            params: fixed_buffer(device, "splat params", PARAMS_SIZE, usage),
            keys: GrowBuffer::new(device, "splat keys", usage, 16),
            counts: GrowBuffer::new(device, "splat counts", usage, 16),
            tile_flags: GrowBuffer::new(device, "splat tile flags", usage, 16),
            tile_list: GrowBuffer::new(device, "splat tile list", usage, 16),
            draw_args: fixed_buffer(
                device,
                "splat resolve draw",
                std::mem::size_of::<wgpu::util::DrawIndirectArgs>() as u64,
                usage | wgpu::BufferUsages::INDIRECT,
            ),
            compact: None,
            grid: [0; 4],
            tiles: [0; 2],
            items: 0,
            counted: false,
        }
    }

    /// Sets this frame's `view` of the panel and its items: `count` of them in `spans` spans,
    /// `counted` for translucent points. Returns true when the buffers were re-created, so bind
    /// groups using them must be rebuilt.
    fn prepare(
        &mut self,
        device: &wgpu::Device,
        queue: &wgpu::Queue,
        view: &PanelView,
        spans: u32,
        count: u32,
        counted: bool,
    ) -> bool {
        let PanelView {
            clip_from_data,
            rect,
            canvas,
            ..
        } = *view;
        let x0 = (rect.x.floor().max(0.0) as u32).min(canvas.0);
        let y0 = (rect.y.floor().max(0.0) as u32).min(canvas.1);
        let x1 = ((rect.x + rect.w).ceil().max(0.0) as u32).min(canvas.0);
        let y1 = ((rect.y + rect.h).ceil().max(0.0) as u32).min(canvas.1);
        self.grid = [x0, y0, x1.saturating_sub(x0), y1.saturating_sub(y0)];
        self.tiles = [self.grid[2].div_ceil(TILE), self.grid[3].div_ceil(TILE)];
        self.items = count;
        self.counted = counted;
        let p = ParamsGpu {
            clip_from_data: clip_from_data.to_cols_array_2d(),
            rect: [rect.x, rect.y, rect.w, rect.h],
            grid: self.grid,
            range: [spans, count, self.tiles[0], self.tiles[1]],
        };
        queue.write_buffer(&self.params, 0, bytemuck::bytes_of(&p));
        let bytes = self.cells() * 4;
        let tile_bytes = self.tile_count() as u64 * 4;
        let grown = [
            self.keys.reserve(device, bytes),
            self.counts.reserve(device, bytes),
            self.tile_flags.reserve(device, tile_bytes),
            self.tile_list.reserve(device, tile_bytes),
        ];
        if grown.contains(&true) {
            self.compact = None;
        }
        grown.contains(&true)
    }

    /// Builds the tile compaction's bind group if the buffers changed since.
    pub fn bind(&mut self, device: &wgpu::Device, compactor: &TileCompactor) {
        if self.compact.is_none() {
            self.compact = Some(bind_buffers(
                device,
                "splat tiles",
                &compactor.layout,
                &[
                    &self.params,
                    self.tile_flags.buffer(),
                    self.tile_list.buffer(),
                    &self.draw_args,
                ],
            ));
        }
    }

    fn cells(&self) -> u64 {
        self.grid[2] as u64 * self.grid[3] as u64
    }

    fn tile_count(&self) -> u32 {
        self.tiles[0] * self.tiles[1]
    }

    /// Whether there is anything to splat this frame.
    pub fn active(&self) -> bool {
        self.items > 0 && self.cells() > 0
    }

    /// Whether translucent items are counted per pixel this frame.
    pub fn counted(&self) -> bool {
        self.counted
    }

    pub fn params(&self) -> &wgpu::Buffer {
        &self.params
    }

    pub fn keys(&self) -> &wgpu::Buffer {
        self.keys.buffer()
    }

    pub fn counts(&self) -> &wgpu::Buffer {
        self.counts.buffer()
    }

    /// Per tile, whether any pixel was claimed (written by the splat dispatch).
    pub fn tile_flags(&self) -> &wgpu::Buffer {
        self.tile_flags.buffer()
    }

    /// The claimed tiles (read by the resolve's vertex shader).
    pub fn tile_list(&self) -> &wgpu::Buffer {
        self.tile_list.buffer()
    }

    /// Zeroes the grids; must be recorded before the compute pass that dispatches.
    pub fn clear(&self, encoder: &mut wgpu::CommandEncoder) {
        if !self.active() {
            return;
        }
        let bytes = Some(self.cells() * 4);
        encoder.clear_buffer(self.keys.buffer(), 0, bytes);
        if self.counted {
            encoder.clear_buffer(self.counts.buffer(), 0, bytes);
        }
        encoder.clear_buffer(
            self.tile_flags.buffer(),
            0,
            Some(self.tile_count() as u64 * 4),
        );
        encoder.clear_buffer(&self.draw_args, 0, None);
    }

    /// Dispatches the splat shader bound by the caller, one invocation per item, then the tile
    /// compaction.
    pub fn dispatch(&self, pass: &mut wgpu::ComputePass<'_>, compactor: &TileCompactor) {
        let Some(compact) = self.compact.as_ref().filter(|_| self.active()) else {
            return;
        };
        dispatch_1d(pass, self.items);
        pass.set_pipeline(&compactor.pipeline);
        pass.set_bind_group(0, compact, &[]);
        dispatch_1d(pass, self.tile_count());
    }

    /// Records the resolve: the caller has set its pipeline and bind groups.
    pub fn draw(&self, pass: &mut wgpu::RenderPass<'_>) {
        if self.active() && self.compact.is_some() {
            pass.draw_indirect(&self.draw_args, 0);
        }
    }
}

/// One invocation per item, in two dimensions past 65,535 workgroups (the shaders fold the id
/// back into one index and skip the overshoot).
fn dispatch_1d(pass: &mut wgpu::ComputePass<'_>, items: u32) {
    let groups = items.div_ceil(WORKGROUP).max(1);
    let x = groups.min(MAX_GROUPS_X);
    pass.dispatch_workgroups(x, groups.div_ceil(x), 1);
}
