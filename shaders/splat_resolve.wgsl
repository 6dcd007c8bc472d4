// The resolve draw shared by the point and line splatters (src/gpu/splat.rs): one instance of
// 4 vertices per run of claimed tiles in a row (listed by shaders/splat_tiles.wgsl) over the panel's viewport,
// whose scissor trims tiles that overhang it. Each shader declares `r_params`, `r_tiles` and
// `r_keys` and is compiled with this file and shaders/splat_common.wgsl appended.

@vertex
fn vs_resolve(@builtin(vertex_index) v: u32, @builtin(instance_index) tile: u32) -> @builtin(position) vec4<f32> {
    let entry = r_tiles[tile];
    let t = entry & ((1u << RUN_SHIFT) - 1u);
    let across = r_params.range.z;
    let corner = vec2<f32>(f32((v & 1u) * (entry >> RUN_SHIFT)), f32((v >> 1u) & 1u));
    let cell = vec2<f32>(f32(t % across), f32(t / across));
    let px = vec2<f32>(r_params.grid.xy) + (cell + corner) * f32(TILE_PX);
    let r = r_params.rect;
    return vec4<f32>((px.x - r.x) / r.z * 2.0 - 1.0, 1.0 - (px.y - r.y) / r.w * 2.0, 0.0, 1.0);
}

// The key grid cell under a fragment, or NO_CELL outside the grid or where nothing won.
const NO_CELL: u32 = 0xffffffffu;

fn claimed_cell(pos: vec4<f32>) -> u32 {
    let g = r_params.grid;
    let cell = vec2<i32>(floor(pos.xy)) - vec2<i32>(g.xy);
    if (any(cell < vec2<i32>(0)) || any(cell >= vec2<i32>(g.zw))) {
        return NO_CELL;
    }
    let at = u32(cell.y) * g.z + u32(cell.x);
    if (r_keys[at] == 0u) {
        return NO_CELL;
    }
    return at;
}
