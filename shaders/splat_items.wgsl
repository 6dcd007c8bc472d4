// Which items a splat dispatch covers, shared by the point and line splatters (compiled with
// this file appended). Every splatter binds, at group 0: 0 the parameter block, 1–3 its layer's
// data, 4 the spans below, then its grids.

// The drawn ranges of items laid end to end: per range its first item and how many items the
// ranges before it hold.
@group(0) @binding(4) var<storage, read> spans: array<vec2<u32>>;

// The item of invocation `k` (below `params.range.y`, the items drawn): binary search for the
// last span starting at or before k among the `params.range.x` spans (the first starts at 0).
fn item_of(k: u32) -> u32 {
    var lo = 0u;
    var hi = params.range.x;
    while (hi - lo > 1u) {
        let mid = (lo + hi) / 2u;
        if (spans[mid].y <= k) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    return spans[lo].x + (k - spans[lo].y);
}
