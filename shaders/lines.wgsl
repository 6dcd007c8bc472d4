// Line strips expanded to quads in the vertex shader, one instance per segment.
//
// All strips of a layer share one storage buffer of points (xyz + strip id, uploaded once). A
// small per-strip table (colour, width, visible range) changes per frame. Instance i draws the
// segment from point i to point i+1 as a screen-space rectangle around the two projected
// endpoints, widened by half the line width plus an anti-aliasing fringe; the fragment shader
// computes the distance to the segment (a capsule, so joints and ends are round) and turns it
// into coverage. Segments that cross strips, lie outside the visible range, or touch a broken
// (NaN) point collapse to nothing. Dashed strips also get, per point, the distance in pixels
// along the line from the strip's start (computed on the CPU per frame, since it depends on the
// view); the fragment shader cuts the dash pattern from it.

struct Panel {
    clip_from_data: mat4x4<f32>,
    viewport_px: vec2<f32>,
    _pad: vec2<f32>,
};

struct Strip {
    color: vec4<f32>,
    first: u32,          // first visible point
    end: u32,            // one past the last visible point
    width_px: f32,
    fade_points: f32,    // > 0: alpha falls to 0 over this many points behind the head
    dash: vec2<f32>,     // on, off in pixels; on = 0 draws solid
    _pad: vec2<f32>,
};

@group(0) @binding(0) var<uniform> panel: Panel;
@group(1) @binding(0) var<storage, read> points: array<vec4<f32>>;
@group(1) @binding(1) var<storage, read> strips: array<Strip>;
@group(1) @binding(2) var<storage, read> distance_px: array<f32>;

const BROKEN: u32 = 0x80000000u;
// Coverage falls to zero half a pixel beyond the line's edge; the quad ends there.
const AA_PX: f32 = 0.5;

struct VsOut {
    @builtin(position) position: vec4<f32>,
    @location(0) local: vec2<f32>,          // x along the segment from its start, y across
    @location(1) @interpolate(flat) length_and_half_width: vec2<f32>,
    @location(2) color: vec4<f32>,
    @location(3) @interpolate(flat) dash_start_on_off: vec3<f32>,
};

fn to_px(clip: vec4<f32>) -> vec2<f32> {
    return (clip.xy / clip.w * 0.5 + 0.5) * panel.viewport_px;
}

fn collapsed() -> VsOut {
    var o: VsOut;
    o.position = vec4<f32>(2.0, 2.0, 2.0, 1.0);
    o.local = vec2<f32>(0.0);
    o.length_and_half_width = vec2<f32>(0.0);
    o.color = vec4<f32>(0.0);
    o.dash_start_on_off = vec3<f32>(0.0);
    return o;
}

@vertex
fn vs_main(@builtin(vertex_index) v: u32, @builtin(instance_index) i: u32) -> VsOut {
    let a = points[i];
    let b = points[i + 1u];
    let ida = bitcast<u32>(a.w);
    let idb = bitcast<u32>(b.w);
    if (((ida | idb) & BROKEN) != 0u || ida != idb) {
        return collapsed();
    }
    let s = strips[ida];
    if (i < s.first || i + 1u >= s.end || s.width_px <= 0.0) {
        return collapsed();
    }

    var ca = panel.clip_from_data * vec4<f32>(a.xyz, 1.0);
    var cb = panel.clip_from_data * vec4<f32>(b.xyz, 1.0);
    // Clip against the near plane (w small) so segments reaching behind the camera stay sane.
    let near = 1e-4;
    if (ca.w < near && cb.w < near) {
        return collapsed();
    }
    if (ca.w < near) {
        ca = mix(ca, cb, (near - ca.w) / (cb.w - ca.w));
    } else if (cb.w < near) {
        cb = mix(cb, ca, (near - cb.w) / (ca.w - cb.w));
    }

    let pa = to_px(ca);
    let pb = to_px(cb);
    let d = pb - pa;
    let len = length(d);
    var dir = vec2<f32>(1.0, 0.0);
    if (len > 1e-6) {
        dir = d / len;
    }
    let normal = vec2<f32>(-dir.y, dir.x);
    // Thin lines keep a 1 px core and fade their alpha instead of vanishing.
    let half_width = max(s.width_px, 1.0) * 0.5;
    let reach = half_width + AA_PX;

    let along = select(-reach, len + reach, (v & 1u) != 0u);
    let across = select(-reach, reach, (v & 2u) != 0u);
    let p = pa + dir * along + normal * across;

    var alpha = s.color.a * min(s.width_px, 1.0);
    if (s.fade_points > 0.0) {
        let behind = f32(s.end - 1u - (i + 1u));
        alpha = alpha * clamp(1.0 - behind / s.fade_points, 0.0, 1.0);
    }

    var o: VsOut;
    o.position = vec4<f32>(p / panel.viewport_px * 2.0 - 1.0, 0.0, 1.0);
    o.local = vec2<f32>(along, across);
    o.length_and_half_width = vec2<f32>(len, half_width);
    o.color = vec4<f32>(s.color.rgb, alpha);
    o.dash_start_on_off = vec3<f32>(0.0, s.dash.x, s.dash.y);
    if (s.dash.x > 0.0) {
        o.dash_start_on_off.x = distance_px[i];
    }
    return o;
}

@fragment
fn fs_main(in: VsOut) -> @location(0) vec4<f32> {
    let len = in.length_and_half_width.x;
    let half_width = in.length_and_half_width.y;
    let x = clamp(in.local.x, 0.0, len);
    let dist = length(vec2<f32>(in.local.x - x, in.local.y));
    var coverage = clamp(half_width + 0.5 - dist, 0.0, 1.0);
    let on = in.dash_start_on_off.y;
    if (on > 0.0) {
        let period = on + in.dash_start_on_off.z;
        let phase = (in.dash_start_on_off.x + x) % period;
        coverage = coverage * clamp(min(phase + 0.5, on - phase + 0.5), 0.0, 1.0);
    }
    if (coverage <= 0.0) {
        discard;
    }
    return vec4<f32>(in.color.rgb, in.color.a * coverage);
}
