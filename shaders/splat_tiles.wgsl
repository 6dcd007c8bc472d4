// Lists the 16×16 tiles of a splat grid that received any claim and writes the indirect draw
// arguments that resolve only those: one instance of 4 vertices per run of
// claimed tiles in a row (a software rasteriser pays per triangle), so empty parts of a
// panel cost the resolve nothing (on a software rasteriser a full-panel pass costs about 1 ms).
// Compiled with splat_common.wgsl appended.

struct DrawArgs {
    vertex_count: u32,
    instance_count: atomic<u32>,
    first_vertex: u32,
    first_instance: u32,
};

@group(0) @binding(0) var<storage, read> params: Params;
@group(0) @binding(1) var<storage, read> flags: array<u32>;
@group(0) @binding(2) var<storage, read_write> list: array<u32>;
@group(0) @binding(3) var<storage, read_write> args: DrawArgs;

@compute @workgroup_size(64)
fn compact(@builtin(global_invocation_id) id: vec3<u32>, @builtin(num_workgroups) n: vec3<u32>) {
    let t = id.x + id.y * n.x * 64u;
    if (t == 0u) {
        args.vertex_count = 4u;
    }
    let across = params.range.z;
    if (t >= across * params.range.w || flags[t] == 0u) {
        return;
    }
    // A claimed tile whose left neighbour is unclaimed, or in a column that is a multiple of
    // RUN_MAX, starts a run; the run is listed once, as one instance, so a band of claimed
    // tiles costs two triangles rather than two per tile.
    let x = t % across;
    if (x % RUN_MAX != 0u && flags[t - 1u] != 0u) {
        return;
    }
    var len = 1u;
    while (x + len < across && (x + len) % RUN_MAX != 0u && flags[t + len] != 0u) {
        len++;
    }
    list[atomicAdd(&args.instance_count, 1u)] = t | (len << RUN_SHIFT);
}
