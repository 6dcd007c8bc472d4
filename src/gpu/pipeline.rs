//! Pipeline building blocks shared by every renderer: how a panel maps data to the target
//! ([`PanelView`]), shader composition (WGSL has no includes), the one quad pipeline shape all
//! primitives draw with, and the bind-group helpers of the splatting compute passes. A leaf
//! module: it imports no other part of `gpu`, so the renderers can all use it without cycles.

use crate::scene::RectPx;

/// How a layer's panel maps data to this frame's target: the layers that need more than the
/// panel uniform (dash lengths, splatting) get it in `prepare`.
#[derive(Clone, Copy)]
pub(crate) struct PanelView {
    /// Data to clip space.
    pub clip_from_data: glam::Mat4,
    /// The panel's axes rectangle in canvas pixels.
    pub rect: RectPx,
    /// The target's width and height in pixels.
    pub canvas: (u32, u32),
    /// Pixels per layout pixel (dpi / 100): line widths, dashes and marker sizes, given at
    /// 100 dpi, are multiplied by it.
    pub scale: f32,
}

/// A shader module compiled from `parts` laid end to end (WGSL has no includes; shared pieces
/// such as the marker shapes live in files of their own).
pub(crate) fn compose_shader(
    device: &wgpu::Device,
    label: &str,
    parts: &[&str],
) -> wgpu::ShaderModule {
    device.create_shader_module(wgpu::ShaderModuleDescriptor {
        label: Some(label),
        source: wgpu::ShaderSource::Wgsl(parts.join("\n").into()),
    })
}

/// A pipeline that draws 4-vertex triangle strips with straight-alpha blending and no depth,
/// the shape shared by every flipbook primitive: `entries` are the vertex and fragment entry
/// points and the pipeline-overridable constants.
pub(crate) fn quad_pipeline(
    device: &wgpu::Device,
    label: &str,
    shader: &wgpu::ShaderModule,
    (vs, fs, constants): (&str, &str, &[(&str, f64)]),
    bind_group_layouts: &[&wgpu::BindGroupLayout],
    buffers: &[Option<wgpu::VertexBufferLayout<'_>>],
    format: wgpu::TextureFormat,
) -> wgpu::RenderPipeline {
    let layouts: Vec<Option<&wgpu::BindGroupLayout>> =
        bind_group_layouts.iter().map(|l| Some(*l)).collect();
    let layout = device.create_pipeline_layout(&wgpu::PipelineLayoutDescriptor {
        label: Some(label),
        bind_group_layouts: &layouts,
        immediate_size: 0,
    });
    device.create_render_pipeline(&wgpu::RenderPipelineDescriptor {
        label: Some(label),
        layout: Some(&layout),
        vertex: wgpu::VertexState {
            module: shader,
            entry_point: Some(vs),
            compilation_options: wgpu::PipelineCompilationOptions {
                constants,
                ..Default::default()
            },
            buffers,
        },
        primitive: wgpu::PrimitiveState {
            topology: wgpu::PrimitiveTopology::TriangleStrip,
            cull_mode: None,
            ..Default::default()
        },
        depth_stencil: None,
        multisample: wgpu::MultisampleState::default(),
        fragment: Some(wgpu::FragmentState {
            module: shader,
            entry_point: Some(fs),
            compilation_options: wgpu::PipelineCompilationOptions {
                constants,
                ..Default::default()
            },
            targets: &[Some(wgpu::ColorTargetState {
                format,
                blend: Some(wgpu::BlendState {
                    color: wgpu::BlendComponent {
                        src_factor: wgpu::BlendFactor::SrcAlpha,
                        dst_factor: wgpu::BlendFactor::OneMinusSrcAlpha,
                        operation: wgpu::BlendOperation::Add,
                    },
                    alpha: wgpu::BlendComponent::OVER,
                }),
                write_mask: wgpu::ColorWrites::ALL,
            })],
        }),
        multiview_mask: None,
        cache: None,
    })
}

/// A storage-buffer entry of a bind group layout.
pub(crate) fn storage_entry(
    binding: u32,
    visibility: wgpu::ShaderStages,
    read_only: bool,
) -> wgpu::BindGroupLayoutEntry {
    wgpu::BindGroupLayoutEntry {
        binding,
        visibility,
        ty: wgpu::BindingType::Buffer {
            ty: wgpu::BufferBindingType::Storage { read_only },
            has_dynamic_offset: false,
            min_binding_size: None,
        },
        count: None,
    }
}

/// A bind group of whole buffers at bindings 0, 1, 2, ….
pub(crate) fn bind_buffers(
    device: &wgpu::Device,
    label: &str,
    layout: &wgpu::BindGroupLayout,
    buffers: &[&wgpu::Buffer],
) -> wgpu::BindGroup {
    let entries: Vec<wgpu::BindGroupEntry> = buffers
        .iter()
        .enumerate()
        .map(|(i, b)| wgpu::BindGroupEntry {
            binding: i as u32,
            resource: b.as_entire_binding(),
        })
        .collect();
    device.create_bind_group(&wgpu::BindGroupDescriptor {
        label: Some(label),
        layout,
        entries: &entries,
    })
}

/// The compute pipeline of a splat shader's entry point `entry`, over one bind group, with
/// pipeline-overridable `constants`.
pub(crate) fn compute_pipeline(
    device: &wgpu::Device,
    label: &str,
    shader: &wgpu::ShaderModule,
    layout: &wgpu::BindGroupLayout,
    entry: &str,
    constants: &[(&str, f64)],
) -> wgpu::ComputePipeline {
    let pipeline_layout = device.create_pipeline_layout(&wgpu::PipelineLayoutDescriptor {
        label: Some(label),
        bind_group_layouts: &[Some(layout)],
        immediate_size: 0,
    });
    device.create_compute_pipeline(&wgpu::ComputePipelineDescriptor {
        label: Some(label),
        layout: Some(&pipeline_layout),
        module: shader,
        entry_point: Some(entry),
        compilation_options: wgpu::PipelineCompilationOptions {
            constants,
            ..Default::default()
        },
        cache: None,
    })
}

/// Bind group layouts of a splat shader with `data` read-only inputs: the compute side
/// (inputs, then `grids` read-write grids: keys, counts, tile flags) and the resolve side (as
/// many bindings, all read-only; the last one is the tile list instead of the flags).
pub(crate) fn layouts(
    device: &wgpu::Device,
    label: &str,
    data: u32,
    grids: u32,
) -> (wgpu::BindGroupLayout, wgpu::BindGroupLayout) {
    let n = data + grids;
    let compute: Vec<_> = (0..n)
        .map(|b| storage_entry(b, wgpu::ShaderStages::COMPUTE, b < data))
        .collect();
    let resolve: Vec<_> = (0..n)
        .map(|b| storage_entry(b, wgpu::ShaderStages::VERTEX_FRAGMENT, true))
        .collect();
    (
        device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
            label: Some(label),
            entries: &compute,
        }),
        device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
            label: Some(label),
            entries: &resolve,
        }),
    )
}
