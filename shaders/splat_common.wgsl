// Shared by the splat shaders (src/gpu/splat.rs); each is compiled with this file appended.

// Per-dispatch parameters, in a storage buffer: lavapipe specialises shaders on uniform values
// that steer branches, and its shader cache then grows with every frame.
struct Params {
    clip_from_data: mat4x4<f32>,
    rect: vec4<f32>,     // panel x, y, width, height in canvas pixels (y down)
    grid: vec4<u32>,     // key grid x0, y0, width, height in canvas pixels
    range: vec4<u32>,    // spans, items drawn, tiles across, tiles down
};

// Keys hold coverage in the top 4 bits and the item's index below.
const INDEX_MASK: u32 = 0x0fffffffu;

// Side of a resolve tile in pixels (as `TILE` in src/gpu/splat.rs).
const TILE_PX: i32 = 16;

// Tile list entries (shaders/splat_tiles.wgsl): the first tile of a run of claimed tiles in one
// row in the low 22 bits (a 32768×32768 panel, the largest texture any GPU offers, has 2^22
// tiles), the run's length above them. Runs never cross a column that is a multiple of
// RUN_MAX, so a length always fits.
const RUN_SHIFT: u32 = 22u;
const RUN_MAX: u32 = 1023u;
