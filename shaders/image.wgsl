// Image planes: a quad with four corners in data space. RGBA8 images and scalar (R32Float)
// images share this shader: texels are fetched with textureLoad (R32Float is not filterable),
// bilinear filtering is done here, and scalars go through a 256-entry colormap texture with
// vmin/vmax. A NaN scalar is transparent.
//
// Scalar or colour, nearest or bilinear, are pipeline constants, one pipeline per combination:
// decided per draw from a buffer, llvmpipe runs both sides of each branch for every pixel
// (it cannot know they agree across the quad), which made every image cost its bilinear path,
// the colormap fetch and the NaN tests twice over.
override SCALAR: bool = true;
override LINEAR: bool = false;

struct Panel {
    clip_from_data: mat4x4<f32>,
    viewport_px: vec2<f32>,
    _pad: vec2<f32>,
};

struct Image {
    corners: array<vec4<f32>, 4>,  // top-left, top-right, bottom-left, bottom-right
    vmin: f32,
    vmax: f32,
    alpha: f32,
    _pad0: f32,
};

@group(0) @binding(0) var<uniform> panel: Panel;
// Storage, not uniform: lavapipe specialises shaders on uniform values that steer branches,
// and its shader cache then grows with every draw.
@group(1) @binding(0) var<storage, read> image: Image;
@group(1) @binding(1) var pixels: texture_2d<f32>;
@group(1) @binding(2) var colormap: texture_2d<f32>;

struct VsOut {
    @builtin(position) position: vec4<f32>,
    @location(0) uv: vec2<f32>,
};

@vertex
fn vs_main(@builtin(vertex_index) v: u32) -> VsOut {
    var o: VsOut;
    o.position = panel.clip_from_data * vec4<f32>(image.corners[v].xyz, 1.0);
    o.uv = vec2<f32>(f32(v & 1u), f32((v >> 1u) & 1u));
    return o;
}

fn is_nan(x: f32) -> bool {
    // NaN is the only value whose exponent is all ones with a non-zero mantissa.
    let bits = bitcast<u32>(x);
    return (bits & 0x7f800000u) == 0x7f800000u && (bits & 0x007fffffu) != 0u;
}

fn texel(p: vec2<i32>) -> vec4<f32> {
    let size = vec2<i32>(textureDimensions(pixels));
    return textureLoad(pixels, clamp(p, vec2<i32>(0), size - 1), 0);
}

// Pixel-dependent choices below are `select`s, not branches: llvmpipe shades 8 or 16 pixels at
// once and runs both sides of a branch whenever they might disagree.
fn colorize(t: vec4<f32>) -> vec4<f32> {
    if (!SCALAR) {
        return t;
    }
    let v = t.r;
    let span = image.vmax - image.vmin;
    let x = select(0.0, (v - image.vmin) / span, span != 0.0);
    let i = clamp(i32(floor(x * 256.0)), 0, 255);
    let c = textureLoad(colormap, vec2<i32>(i, 0), 0);
    return select(c, vec4<f32>(0.0), is_nan(v));
}

@fragment
fn fs_main(in: VsOut) -> @location(0) vec4<f32> {
    let size = vec2<f32>(textureDimensions(pixels));
    let p = in.uv * size;
    var c: vec4<f32>;
    if (!LINEAR) {
        c = colorize(texel(vec2<i32>(floor(p))));
    } else {
        // Interpolate values before the colormap, as matplotlib does for scalar data.
        let q = p - 0.5;
        let i = vec2<i32>(floor(q));
        let f = q - floor(q);
        let t00 = texel(i);
        let t10 = texel(i + vec2<i32>(1, 0));
        let t01 = texel(i + vec2<i32>(0, 1));
        let t11 = texel(i + vec2<i32>(1, 1));
        var t = mix(mix(t00, t10, f.x), mix(t01, t11, f.x), f.y);
        if (SCALAR) {
            // Next to a NaN the nearest texel is drawn instead (transparent if it is the NaN):
            // the texel floor(p) is whichever of the four the fractions point to.
            let right = f.x >= 0.5;
            let nearest = select(select(t00, t10, right), select(t01, t11, right), f.y >= 0.5);
            let gap = is_nan(t00.r) || is_nan(t10.r) || is_nan(t01.r) || is_nan(t11.r);
            t = select(t, nearest, gap);
        }
        c = colorize(t);
    }
    return vec4<f32>(c.rgb, c.a * image.alpha);
}
