// Point clouds splatted by a compute shader (see src/gpu/splat.rs for when and why).
//
// `splat`: one invocation per point projects it to canvas pixels and, for every pixel its
// marker touches, keeps the strongest claim in a per-pixel key with atomicMax: coverage (4 bits)
// above the point's index (28 bits), so the point covering a pixel most wins and, among points
// covering it fully, the last drawn — matplotlib's painter's order. `splat_counted` also counts,
// per pixel, the points covering it at least half, for translucent clouds.
// `fs_resolve`, drawn over the claimed tiles, reads the winner, recomputes its exact coverage and colour
// and blends it like the point pipeline would; n translucent points of opacity a show as
// 1 − (1 − a)ⁿ, which is what "over" blending of n equal colours gives.
// Compiled with shaders/markers.wgsl, splat_common.wgsl, splat_items.wgsl and splat_resolve.wgsl
// appended.

struct Style {
    marker: u32,
    size_scale: f32,  // pixels per layout pixel (sizes are given at 100 dpi)
    _pad1: u32,
    _pad2: u32,
};

@group(0) @binding(0) var<storage, read> params: Params;
@group(0) @binding(1) var<storage, read> style: Style;
@group(0) @binding(2) var<storage, read> points: array<vec4<f32>>;  // xyz + size in px
@group(0) @binding(3) var<storage, read> colors: array<u32>;        // RGBA8
// Binding 4 is the span table (shaders/splat_items.wgsl).
@group(0) @binding(5) var<storage, read_write> keys: array<atomic<u32>>;
@group(0) @binding(6) var<storage, read_write> counts: array<atomic<u32>>;
@group(0) @binding(7) var<storage, read_write> tile_flags: array<atomic<u32>>;

// The resolve pass reads the same data as group 1 (group 0 is the panel, unused here).
@group(1) @binding(0) var<storage, read> r_params: Params;
@group(1) @binding(1) var<storage, read> r_style: Style;
@group(1) @binding(2) var<storage, read> r_points: array<vec4<f32>>;
@group(1) @binding(3) var<storage, read> r_colors: array<u32>;
@group(1) @binding(5) var<storage, read> r_keys: array<u32>;
@group(1) @binding(6) var<storage, read> r_counts: array<u32>;
@group(1) @binding(7) var<storage, read> r_tiles: array<u32>;

// The marker (0 circle, 1 square, 2 triangle, 3 cross) as a pipeline constant, so each
// pipeline evaluates one shape rather than all four under masks.
override MARKER: u32 = 0u;


// A point with its size in pixels.
fn scaled(p: vec4<f32>, st: Style) -> vec4<f32> {
    return vec4<f32>(p.xyz, p.w * st.size_scale);
}

// Centre in canvas pixels and radius; radius 0 for points that are not drawn. `p.w` is the
// marker size already in pixels (scaled by the caller).
fn project(p: vec4<f32>, prm: Params) -> vec3<f32> {
    let clip = prm.clip_from_data * vec4<f32>(p.xyz, 1.0);
    if (clip.w <= 1e-6 || p.w <= 0.0) {
        return vec3<f32>(0.0);
    }
    let ndc = clip.xy / clip.w;
    let r = prm.rect;
    let c = vec2<f32>(r.x + (ndc.x * 0.5 + 0.5) * r.z, r.y + (0.5 - ndc.y * 0.5) * r.w);
    return vec3<f32>(c, max(p.w, 1.0) * 0.5);
}

fn coverage(pixel_centre: vec2<f32>, q: vec3<f32>, marker: u32) -> f32 {
    let local = vec2<f32>(pixel_centre.x - q.x, q.y - pixel_centre.y);  // y up
    return clamp(0.5 - marker_distance(local, q.z, marker), 0.0, 1.0);
}

fn splat_point(k: u32, counted: bool) {
    if (k >= params.range.y) {
        return;
    }
    let i = item_of(k);
    let q = project(scaled(points[i], style), params);
    if (q.z <= 0.0) {
        return;
    }
    let g = vec4<i32>(params.grid);
    let reach = q.z + 0.5;
    let lo = max(vec2<i32>(floor(q.xy - reach)), g.xy);
    let hi = min(vec2<i32>(ceil(q.xy + reach)), g.xy + g.zw);
    if (any(lo >= hi)) {
        return;
    }
    // Mark the tiles of the marker's box for the resolve (at most 2×2: markers splatted are
    // under 16 px).
    let t0 = (lo - g.xy) / TILE_PX;
    let t1 = (hi - 1 - g.xy) / TILE_PX;
    let across = params.range.z;
    atomicStore(&tile_flags[u32(t0.y) * across + u32(t0.x)], 1u);
    if (t1.x != t0.x) {
        atomicStore(&tile_flags[u32(t0.y) * across + u32(t1.x)], 1u);
    }
    if (t1.y != t0.y) {
        atomicStore(&tile_flags[u32(t1.y) * across + u32(t0.x)], 1u);
        if (t1.x != t0.x) {
            atomicStore(&tile_flags[u32(t1.y) * across + u32(t1.x)], 1u);
        }
    }
    for (var y = lo.y; y < hi.y; y++) {
        for (var x = lo.x; x < hi.x; x++) {
            let c = coverage(vec2<f32>(f32(x) + 0.5, f32(y) + 0.5), q, MARKER);
            if (c > 0.0) {
                let cell = u32((y - g.y) * g.z + (x - g.x));
                let key = (u32(ceil(c * 15.0)) << 28u) | (i & INDEX_MASK);
                atomicMax(&keys[cell], key);
                if (counted && c >= 0.5) {
                    atomicAdd(&counts[cell], 1u);
                }
            }
        }
    }
}

@compute @workgroup_size(64)
fn splat(@builtin(global_invocation_id) id: vec3<u32>, @builtin(num_workgroups) n: vec3<u32>) {
    splat_point(id.x + id.y * n.x * 64u, false);
}

@compute @workgroup_size(64)
fn splat_counted(@builtin(global_invocation_id) id: vec3<u32>, @builtin(num_workgroups) n: vec3<u32>) {
    splat_point(id.x + id.y * n.x * 64u, true);
}

@fragment
fn fs_resolve(@builtin(position) pos: vec4<f32>) -> @location(0) vec4<f32> {
    let at = claimed_cell(pos);
    if (at == NO_CELL) {
        discard;
    }
    let i = r_keys[at] & INDEX_MASK;
    let p = scaled(r_points[i], r_style);
    let c = coverage(pos.xy, project(p, r_params), MARKER);
    let color = unpack4x8unorm(r_colors[i]);
    let a = color.a * min(p.w, 1.0);
    let alpha = 1.0 - pow(1.0 - a, f32(max(r_counts[at], 1u)));
    return vec4<f32>(color.rgb, alpha * c);
}
