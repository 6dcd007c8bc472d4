// Line strips splatted by a compute shader (see src/gpu/splat.rs for when and why).
//
// `splat`: one invocation per segment projects it (clipping at the near plane as
// shaders/lines.wgsl does) and walks the pixels within reach of it, column by column along its
// major axis, keeping the strongest claim per pixel with atomicMax: coverage (4 bits) above the
// segment's index (28 bits). So where segments overlap (joints, crossings) the one covering the
// pixel most wins and, among full cover, the later one — painter's order. A translucent line is
// therefore blended once where its own segments overlap, as matplotlib blends a path once.
// `fs_resolve`, drawn over the claimed tiles, recomputes the winner's exact coverage (capsule distance,
// dashes) and colour, fading and thin-line alpha as the quad pipeline does.
// Compiled with splat_common.wgsl, splat_items.wgsl and splat_resolve.wgsl appended.

struct Strip {
    color: vec4<f32>,
    first: u32,
    end: u32,
    width_px: f32,
    fade_points: f32,
    dash: vec2<f32>,
    _pad: vec2<f32>,
};

@group(0) @binding(0) var<storage, read> params: Params;
@group(0) @binding(1) var<storage, read> points: array<vec4<f32>>;  // xyz + strip id bits
@group(0) @binding(2) var<storage, read> strips: array<Strip>;
@group(0) @binding(3) var<storage, read> distance_px: array<f32>;
// Binding 4 is the span table (shaders/splat_items.wgsl).
@group(0) @binding(5) var<storage, read_write> keys: array<atomic<u32>>;
@group(0) @binding(6) var<storage, read_write> tile_flags: array<atomic<u32>>;

@group(1) @binding(0) var<storage, read> r_params: Params;
@group(1) @binding(1) var<storage, read> r_points: array<vec4<f32>>;
@group(1) @binding(2) var<storage, read> r_strips: array<Strip>;
@group(1) @binding(3) var<storage, read> r_distance_px: array<f32>;
@group(1) @binding(5) var<storage, read> r_keys: array<u32>;
@group(1) @binding(6) var<storage, read> r_tiles: array<u32>;

const BROKEN: u32 = 0x80000000u;


struct Segment {
    a: vec2<f32>,        // canvas pixels, y down
    b: vec2<f32>,
    half_width: f32,     // 0: not drawn
    strip: u32,
    b_clipped: bool,     // b was moved to the near plane
};

fn to_canvas(clip: vec4<f32>, r: vec4<f32>) -> vec2<f32> {
    let ndc = clip.xy / clip.w;
    return vec2<f32>(r.x + (ndc.x * 0.5 + 0.5) * r.z, r.y + (0.5 - ndc.y * 0.5) * r.w);
}

fn segment(i: u32, a: vec4<f32>, b: vec4<f32>, s: Strip, prm: Params) -> Segment {
    var out: Segment;
    out.half_width = 0.0;
    out.b_clipped = false;
    let ida = bitcast<u32>(a.w);
    let idb = bitcast<u32>(b.w);
    if (((ida | idb) & BROKEN) != 0u || ida != idb) {
        return out;
    }
    out.strip = ida;
    if (i < s.first || i + 1u >= s.end || s.width_px <= 0.0) {
        return out;
    }
    var ca = prm.clip_from_data * vec4<f32>(a.xyz, 1.0);
    var cb = prm.clip_from_data * vec4<f32>(b.xyz, 1.0);
    let near = 1e-4;
    if (ca.w < near && cb.w < near) {
        return out;
    }
    if (ca.w < near) {
        ca = mix(ca, cb, (near - ca.w) / (cb.w - ca.w));
    } else if (cb.w < near) {
        cb = mix(cb, ca, (near - cb.w) / (ca.w - cb.w));
        out.b_clipped = true;
    }
    out.a = to_canvas(ca, prm.rect);
    out.b = to_canvas(cb, prm.rect);
    // Thin lines keep a 1 px core and fade their alpha instead of vanishing.
    out.half_width = max(s.width_px, 1.0) * 0.5;
    return out;
}

// The segment's direction and length in pixels, computed once per segment.
fn axis(sg: Segment) -> vec3<f32> {
    let d = sg.b - sg.a;
    let len = length(d);
    if (len > 1e-6) {
        return vec3<f32>(d / len, len);
    }
    return vec3<f32>(1.0, 0.0, 0.0);
}

// Coverage of the pixel centred at `p` by the segment's capsule, dashes cut out.
fn coverage(p: vec2<f32>, sg: Segment, ax: vec3<f32>, dash_start: f32, dash: vec2<f32>) -> f32 {
    let x = clamp(dot(p - sg.a, ax.xy), 0.0, ax.z);
    let dist = length(p - (sg.a + ax.xy * x));
    var c = clamp(sg.half_width + 0.5 - dist, 0.0, 1.0);
    if (dash.x > 0.0) {
        let phase = (dash_start + x) % (dash.x + dash.y);
        c = c * clamp(min(phase + 0.5, dash.x - phase + 0.5), 0.0, 1.0);
    }
    return c;
}


@compute @workgroup_size(64)
fn splat(@builtin(global_invocation_id) id: vec3<u32>, @builtin(num_workgroups) n: vec3<u32>) {
    let k = id.x + id.y * n.x * 64u;
    if (k >= params.range.y) {
        return;
    }
    let i = item_of(k);
    let a = points[i];
    let b = points[i + 1u];
    let s = strips[bitcast<u32>(a.w) & ~BROKEN];
    let sg = segment(i, a, b, s, params);
    if (sg.half_width <= 0.0) {
        return;
    }
    var dash_start = 0.0;
    if (s.dash.x > 0.0) {
        dash_start = distance_px[i];
    }
    let ax = axis(sg);
    let reach = sg.half_width + 0.5;
    let g = vec4<i32>(params.grid);
    let d = sg.b - sg.a;
    // Walk the major axis; across it, a band around the centre line wide enough for the
    // capsule (its caps included) at any slope up to 45°.
    let x_major = abs(d.x) >= abs(d.y);
    let pa = select(sg.a.yx, sg.a, x_major);
    let pb = select(sg.b.yx, sg.b, x_major);
    let major_lo = select(g.y, g.x, x_major);
    let major_hi = select(g.y + g.w, g.x + g.z, x_major);
    let minor_lo = select(g.x, g.y, x_major);
    let minor_hi = select(g.x + g.z, g.y + g.w, x_major);
    let dm = pb - pa;
    var slope = 0.0;
    if (abs(dm.x) > 1e-6) {
        slope = dm.y / dm.x;
    }
    let band = reach * (1.0 + abs(slope)) + 0.5;
    let m0 = max(i32(floor(min(pa.x, pb.x) - reach)), major_lo);
    let m1 = min(i32(ceil(max(pa.x, pb.x) + reach)), major_hi);
    let key_index = i & INDEX_MASK;
    // Where the next segment of the strip starts at this one's end, its start cap covers this
    // one's end cap at least as well (same centre, same dash phase) and wins ties (later
    // index), so the end cap's pixels are left to it.
    var end_cap = ax.z + reach + 1.0;
    if (!sg.b_clipped && i + 2u < s.end) {
        let next = bitcast<u32>(points[i + 2u].w);
        if (next == bitcast<u32>(a.w)) {
            end_cap = ax.z;
        }
    }
    var claimed = vec3<i32>(-1);
    for (var m = m0; m < m1; m++) {
        let mc = f32(m) + 0.5;
        var t = 0.0;
        if (abs(dm.x) > 1e-6) {
            t = clamp((mc - pa.x) / dm.x, 0.0, 1.0);
        }
        let centre = pa.y + t * dm.y;
        let n0 = max(i32(floor(centre - band)), minor_lo);
        let n1 = min(i32(ceil(centre + band)), minor_hi);
        if (n0 >= n1) {
            continue;
        }
        for (var nn = n0; nn < n1; nn++) {
            let px = select(vec2<i32>(nn, m), vec2<i32>(m, nn), x_major);
            let centre_px = vec2<f32>(px) + 0.5;
            if (dot(centre_px - sg.a, ax.xy) > end_cap) {
                continue;
            }
            let c = coverage(centre_px, sg, ax, dash_start, s.dash);
            if (c > 0.0) {
                let cell = u32((px.y - g.y) * g.z + (px.x - g.x));
                atomicMax(&keys[cell], (u32(ceil(c * 15.0)) << 28u) | key_index);
            }
        }
        // Mark the band's tiles for the resolve, skipping columns whose tiles were just marked.
        let tiles = vec3<i32>((m - major_lo) / TILE_PX, (n0 - minor_lo) / TILE_PX, (n1 - 1 - minor_lo) / TILE_PX);
        if (any(tiles != claimed)) {
            for (var q = tiles.y; q <= tiles.z; q++) {
                let txy = select(vec2<i32>(q, tiles.x), vec2<i32>(tiles.x, q), x_major);
                atomicStore(&tile_flags[u32(txy.y) * params.range.z + u32(txy.x)], 1u);
            }
            claimed = tiles;
        }
    }
}

@fragment
fn fs_resolve(@builtin(position) pos: vec4<f32>) -> @location(0) vec4<f32> {
    let at = claimed_cell(pos);
    if (at == NO_CELL) {
        discard;
    }
    let i = r_keys[at] & INDEX_MASK;
    let a = r_points[i];
    let s = r_strips[bitcast<u32>(a.w) & ~BROKEN];
    let sg = segment(i, a, r_points[i + 1u], s, r_params);
    var dash_start = 0.0;
    if (s.dash.x > 0.0) {
        dash_start = r_distance_px[i];
    }
    let c = coverage(pos.xy, sg, axis(sg), dash_start, s.dash);
    var alpha = s.color.a * min(s.width_px, 1.0);
    if (s.fade_points > 0.0) {
        let behind = f32(s.end - 1u - (i + 1u));
        alpha = alpha * clamp(1.0 - behind / s.fade_points, 0.0, 1.0);
    }
    return vec4<f32>(s.color.rgb, alpha * c);
}
