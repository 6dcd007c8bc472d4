//! One figure to one image: the library's shortest path from a [`Figure`] to pixels, for a
//! poster, a thumbnail or a test. It lays out, prepares and renders exactly as an export does
//! (automatic limits included, taken from this figure's own data) and reads the pixels back.

use crate::animation::FrameLimits;
use crate::gpu::{CANVAS_FORMAT, Canvas, FigureRenderer, GpuContext};
use crate::scene::Figure;
use crate::{Error, Result};

/// An 8-bit RGBA image (the `image` crate's type, re-exported): save it with `.save("x.png")`.
pub use image::RgbaImage;

/// Renders `figure` at `width`×`height` pixels.
///
/// ```no_run
/// # use flipbook::{GpuContext, FrameGenerator, scenes::Sine};
/// let ctx = GpuContext::new_headless()?;
/// let image = flipbook::render_figure(&ctx, &Sine::new(100, 25.0).frame(10), 640, 480)?;
/// assert_eq!(image.dimensions(), (640, 480));
/// # Ok::<(), flipbook::Error>(())
/// ```
pub fn render_figure(
    ctx: &GpuContext,
    figure: &Figure,
    width: u32,
    height: u32,
) -> Result<RgbaImage> {
    render_figure_at(ctx, figure, (width, height), 100.0)
}

/// Renders `figure` laid out at `size` (pixels at 100 dpi) and drawn at `dpi`: the image has
/// `size × dpi / 100` pixels, as an export at that dpi writes.
pub fn render_figure_at(
    ctx: &GpuContext,
    figure: &Figure,
    size: (u32, u32),
    dpi: f32,
) -> Result<RgbaImage> {
    let mut renderer = FigureRenderer::new(&ctx.device, CANVAS_FORMAT);
    render_figure_with(ctx, &mut renderer, figure, size, dpi)
}

/// [`render_figure_at`] with a renderer kept by the caller: building one compiles its
/// pipelines (milliseconds on a software GPU), so code that renders figure after figure keeps
/// one (made with `FigureRenderer::new(&ctx.device, CANVAS_FORMAT)`); data it has uploaded
/// before is not uploaded again.
pub fn render_figure_with(
    ctx: &GpuContext,
    renderer: &mut FigureRenderer,
    figure: &Figure,
    size: (u32, u32),
    dpi: f32,
) -> Result<RgbaImage> {
    let (width, height) = crate::export::pixel_size(size, dpi)?;
    let limits = FrameLimits::of_figure(figure)?;
    let mut owned;
    let figure = match &limits {
        Some(l) => {
            owned = figure.clone();
            l.apply(&mut owned);
            &owned
        }
        None => figure,
    };
    let mut canvas = Canvas::new(ctx, width, height)?.with_scale(dpi / 100.0);
    let (frame, _) = canvas.render_timed(ctx, renderer, figure, 0)?;
    RgbaImage::from_raw(width, height, frame.pixels.to_vec()).ok_or_else(|| {
        Error::Gpu(format!(
            "read back {} bytes for a {width}x{height} image",
            frame.pixels.len()
        ))
    })
}
