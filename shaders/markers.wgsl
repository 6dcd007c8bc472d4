// Marker shapes as signed distances in pixels (negative inside), shared by the point pipeline
// (shaders/points.wgsl) and the point splatter (shaders/splat_points.wgsl); each is compiled
// with this file appended. `p` is relative to the marker's centre with y up, `r` its radius.

fn sd_triangle(p_in: vec2<f32>, r: f32) -> f32 {
    // Equilateral triangle pointing up.
    let k = sqrt(3.0);
    var p = vec2<f32>(abs(p_in.x) - r, p_in.y + r / k);
    if (p.x + k * p.y > 0.0) {
        p = vec2<f32>(p.x - k * p.y, -k * p.x - p.y) / 2.0;
    }
    p.x = p.x - clamp(p.x, -2.0 * r, 0.0);
    return -length(p) * sign(p.y);
}

// `marker`: 0 circle, 1 square, 2 triangle, 3 cross.
fn marker_distance(p: vec2<f32>, r: f32, marker: u32) -> f32 {
    if (marker == 1u) {
        let q = abs(p) - vec2<f32>(r * 0.886);  // same area as the circle
        return length(max(q, vec2<f32>(0.0))) + min(max(q.x, q.y), 0.0);
    } else if (marker == 2u) {
        return sd_triangle(vec2<f32>(p.x, p.y + r * 0.2), r * 1.1);
    } else if (marker == 3u) {
        // Two bars along the diagonals, each r long and about r/3 thick.
        let t = max(r * 0.18, 0.6);
        let u = abs(vec2<f32>(p.x + p.y, p.x - p.y)) * 0.70710678;
        let bar1 = max(u.x - t, u.y - r);
        let bar2 = max(u.y - t, u.x - r);
        return min(bar1, bar2);
    }
    return length(p) - r;
}
