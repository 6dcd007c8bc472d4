// Point clouds: one instance per point, expanded to a screen-aligned square in the vertex
// shader; the fragment shader evaluates the marker's signed distance for anti-aliased edges.
// Positions with sizes, and colours, are storage buffers uploaded once, read by instance.
// Compiled with shaders/markers.wgsl appended (the marker shapes).

struct Panel {
    clip_from_data: mat4x4<f32>,
    viewport_px: vec2<f32>,
    _pad: vec2<f32>,
};

struct Style {
    marker: u32,  // 0 circle, 1 square, 2 triangle, 3 cross
    size_scale: f32,  // pixels per layout pixel (sizes are given at 100 dpi)
    _pad1: u32,
    _pad2: u32,
};

@group(0) @binding(0) var<uniform> panel: Panel;
// A storage buffer, not a uniform: lavapipe specialises shaders on uniform values that
// steer branches ("inline uniforms"), and its shader cache then grew with every draw.
@group(1) @binding(0) var<storage, read> style: Style;
@group(1) @binding(1) var<storage, read> points: array<vec4<f32>>;  // xyz + size in px
@group(1) @binding(2) var<storage, read> colors: array<u32>;        // RGBA8

struct VsOut {
    @builtin(position) position: vec4<f32>,
    @location(0) local_px: vec2<f32>,
    @location(1) @interpolate(flat) radius_px: f32,
    @location(2) color: vec4<f32>,
};

@vertex
fn vs_main(@builtin(vertex_index) v: u32, @builtin(instance_index) index: u32) -> VsOut {
    let p = points[index];
    let position = p.xyz;
    let size_px = p.w * style.size_scale;
    let color = unpack4x8unorm(colors[index]);
    var o: VsOut;
    let clip = panel.clip_from_data * vec4<f32>(position, 1.0);
    if (clip.w <= 1e-6 || size_px <= 0.0) {
        o.position = vec4<f32>(2.0, 2.0, 2.0, 1.0);
        o.local_px = vec2<f32>(0.0);
        o.radius_px = 0.0;
        o.color = vec4<f32>(0.0);
        return o;
    }
    let radius = max(size_px, 1.0) * 0.5;
    // Coverage falls to zero half a pixel outside the marker; the quad ends there.
    let reach = radius + 0.5;
    let corner = vec2<f32>(select(-1.0, 1.0, (v & 1u) != 0u), select(-1.0, 1.0, (v & 2u) != 0u));
    let offset_px = corner * reach;
    let ndc = clip.xy / clip.w + offset_px / panel.viewport_px * 2.0;
    o.position = vec4<f32>(ndc, 0.0, 1.0);
    o.local_px = offset_px;
    o.radius_px = radius;
    o.color = vec4<f32>(color.rgb, color.a * min(size_px, 1.0));
    return o;
}

@fragment
fn fs_main(in: VsOut) -> @location(0) vec4<f32> {
    let p = in.local_px;
    let r = in.radius_px;
    let d = marker_distance(p, r, style.marker);
    let coverage = clamp(0.5 - d, 0.0, 1.0);
    return vec4<f32>(in.color.rgb, in.color.a * coverage);
}
