// Chrome meshes tessellated by epaint: positions in canvas pixels, premultiplied sRGB vertex
// colours, and uv into the font atlas. Solid shapes (fills, strokes) point their uv at the
// atlas's white texel; src/gpu/chrome.rs draws their triangles with `fs_solid`, which never
// fetches (on a software rasteriser the fetch is most of a fragment's cost, even when a branch
// skips it), and glyphs with `fs_textured`.

struct Screen {
    size_px: vec2<f32>,
    _pad: vec2<f32>,
};

@group(0) @binding(0) var<uniform> screen: Screen;
@group(0) @binding(1) var atlas: texture_2d<f32>;
@group(0) @binding(2) var atlas_sampler: sampler;

struct VsOut {
    @builtin(position) position: vec4<f32>,
    @location(0) uv: vec2<f32>,
    @location(1) color: vec4<f32>,
};

@vertex
fn vs_main(@location(0) pos: vec2<f32>, @location(1) uv: vec2<f32>, @location(2) color: vec4<f32>) -> VsOut {
    var o: VsOut;
    o.position = vec4<f32>(pos.x / screen.size_px.x * 2.0 - 1.0, 1.0 - pos.y / screen.size_px.y * 2.0, 0.0, 1.0);
    o.uv = uv;
    o.color = color;
    return o;
}

@fragment
fn fs_solid(in: VsOut) -> @location(0) vec4<f32> {
    return in.color;
}

@fragment
fn fs_textured(in: VsOut) -> @location(0) vec4<f32> {
    return in.color * textureSample(atlas, atlas_sampler, in.uv);
}
