//! [`FigureRenderer`] draws a [`Figure`] into any render pass — a window surface, an egui
//! callback or the offscreen canvas — following the prepare/render split: `prepare` lays out the
//! chrome and uploads what changed (per panel a small uniform; per layer only data whose `Arc` it
//! has not seen), `compute` records the compute passes of splatted layers (see `splat.rs`) ahead
//! of the render pass, `render` only records: the chrome underlay, one draw call per data layer
//! clipped to its panel's axes, then the chrome overlay (see `crate::chrome`).

use super::chrome::ChromeGpu;
use super::image::{ImageLayerGpu, ImagePipeline};
use super::lines::{LineLayerGpu, LinePipeline};
use super::pipeline::PanelView;
use super::points::{PointLayerGpu, PointPipeline};
use crate::Result;
use crate::chrome::Chrome;
use crate::scene::{Axes, Figure, Layer, RectPx};
use bytemuck::{Pod, Zeroable};

#[repr(C)]
#[derive(Clone, Copy, Pod, Zeroable)]
struct PanelUniform {
    clip_from_data: [[f32; 4]; 4],
    viewport_px: [f32; 2],
    _pad: [f32; 2],
}

enum LayerGpu {
    Lines(LineLayerGpu),
    Points(PointLayerGpu),
    Image(ImageLayerGpu),
    /// Drawn by the chrome (bar charts).
    Chrome,
}

struct PanelGpu {
    uniform: wgpu::Buffer,
    bind_group: wgpu::BindGroup,
    rect: RectPx,
    layers: Vec<LayerGpu>,
}

/// Draws figures; owns the pipelines and the GPU copies of layer data.
pub struct FigureRenderer {
    panel_layout: wgpu::BindGroupLayout,
    lines: LinePipeline,
    points: PointPipeline,
    images: ImagePipeline,
    /// One entry per panel, plus one per twin axis (same rectangle, its own y range).
    panels: Vec<PanelGpu>,
    chrome: Chrome,
    chrome_gpu: ChromeGpu,
    /// Each figure panel's axes rectangle, as last laid out.
    axes_rects: Vec<RectPx>,
    size_px: (u32, u32),
    background: wgpu::Color,
}

impl FigureRenderer {
    /// Creates the pipelines for render targets of `format`.
    pub fn new(device: &wgpu::Device, format: wgpu::TextureFormat) -> Self {
        let panel_layout = device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
            label: Some("panel layout"),
            entries: &[wgpu::BindGroupLayoutEntry {
                binding: 0,
                visibility: wgpu::ShaderStages::VERTEX_FRAGMENT,
                ty: wgpu::BindingType::Buffer {
                    ty: wgpu::BufferBindingType::Uniform,
                    has_dynamic_offset: false,
                    min_binding_size: None,
                },
                count: None,
            }],
        });
        // Translating and compiling the shaders takes ~10 ms of start-up on one core; the
        // pipelines are independent, so the caller and two more threads build them.
        let (lines, images, points, chrome_gpu) = std::thread::scope(|s| {
            let lines = s.spawn(|| LinePipeline::new(device, &panel_layout, format));
            let images = s.spawn(|| ImagePipeline::new(device, &panel_layout, format));
            let points = PointPipeline::new(device, &panel_layout, format);
            let chrome_gpu = ChromeGpu::new(device, format);
            (joined(lines), joined(images), points, chrome_gpu)
        });
        FigureRenderer {
            lines,
            points,
            images,
            panel_layout,
            panels: Vec::new(),
            chrome: Chrome::new(device.limits().max_texture_dimension_2d as usize),
            chrome_gpu,
            axes_rects: Vec::new(),
            size_px: (1, 1),
            background: wgpu::Color::WHITE,
        }
    }

    /// Uploads what `figure` needs for a `width`×`height` target drawn at `scale` target pixels
    /// per layout pixel (dpi / 100: the figure's layout is `width / scale` × `height / scale`
    /// layout pixels, so the same figure at dpi 200 is the dpi-100 picture, twice as sharp).
    /// Fails, naming the panel and layer, if the figure's data is inconsistent.
    pub fn prepare(
        &mut self,
        device: &wgpu::Device,
        queue: &wgpu::Queue,
        figure: &Figure,
        (width, height): (u32, u32),
        scale: f32,
    ) -> Result<()> {
        figure.validate()?;
        let scale = if scale.is_finite() && scale > 0.0 {
            scale
        } else {
            1.0
        };
        self.size_px = (width, height);
        let bg = figure.background;
        self.background = wgpu::Color {
            r: bg.r as f64,
            g: bg.g as f64,
            b: bg.b as f64,
            a: bg.a as f64,
        };
        let mut chrome =
            self.chrome
                .build(figure, width as f32 / scale, height as f32 / scale, scale);
        // The chrome lays out in layout pixels; data is drawn in target pixels.
        self.axes_rects = chrome.panels.iter().map(|l| l.rect.scaled(scale)).collect();
        let chrome_lines: Vec<(usize, Layer)> = chrome
            .data_lines
            .drain(..)
            .map(|(i, l)| (i, Layer::Lines(l)))
            .collect();
        // Each panel (after the chrome's lines in its data space), then its twin axis if any,
        // as separately transformed draw lists.
        let mut views: Vec<(RectPx, glam::Mat4, Vec<&Layer>)> = Vec::new();
        for (i, (panel, layout)) in figure.panels.iter().zip(&chrome.panels).enumerate() {
            let rect = layout.rect.scaled(scale);
            let layers = chrome_lines
                .iter()
                .filter(|(p, _)| *p == i)
                .map(|(_, l)| l)
                .chain(&panel.layers)
                .collect();
            views.push((rect, panel.clip_from_data(rect.aspect()), layers));
            if let (Some(twin), Axes::TwoD { x_limits, .. }) = (&panel.decor.twin_y, &panel.axes) {
                views.push((
                    rect,
                    crate::scene::ortho_2d(*x_limits, twin.limits),
                    twin.layers.iter().collect(),
                ));
            }
        }
        self.panels.truncate(views.len());
        for (i, (rect, clip_from_data, layers)) in views.into_iter().enumerate() {
            if i == self.panels.len() {
                let uniform = super::buffer::fixed_buffer(
                    device,
                    "panel uniform",
                    std::mem::size_of::<PanelUniform>() as u64,
                    wgpu::BufferUsages::UNIFORM,
                );
                let bind_group = device.create_bind_group(&wgpu::BindGroupDescriptor {
                    label: Some("panel"),
                    layout: &self.panel_layout,
                    entries: &[wgpu::BindGroupEntry {
                        binding: 0,
                        resource: uniform.as_entire_binding(),
                    }],
                });
                self.panels.push(PanelGpu {
                    uniform,
                    bind_group,
                    rect,
                    layers: Vec::new(),
                });
            }
            let gpu = &mut self.panels[i];
            gpu.rect = rect;
            let u = PanelUniform {
                clip_from_data: clip_from_data.to_cols_array_2d(),
                viewport_px: [rect.w.max(1.0), rect.h.max(1.0)],
                _pad: [0.0; 2],
            };
            queue.write_buffer(&gpu.uniform, 0, bytemuck::bytes_of(&u));

            gpu.layers.truncate(layers.len());
            for (j, &layer) in layers.iter().enumerate() {
                let fits = matches!(
                    (gpu.layers.get(j), layer),
                    (Some(LayerGpu::Lines(_)), Layer::Lines(_))
                        | (Some(LayerGpu::Points(_)), Layer::Points(_))
                        | (Some(LayerGpu::Image(_)), Layer::Image(_))
                        | (Some(LayerGpu::Chrome), Layer::Bars(_))
                );
                if !fits {
                    let fresh = match layer {
                        Layer::Lines(_) => LayerGpu::Lines(LineLayerGpu::new(device)),
                        Layer::Points(_) => LayerGpu::Points(PointLayerGpu::new(device)),
                        Layer::Image(_) => LayerGpu::Image(ImageLayerGpu::new(device)),
                        Layer::Bars(_) => LayerGpu::Chrome,
                    };
                    if j < gpu.layers.len() {
                        gpu.layers[j] = fresh;
                    } else {
                        gpu.layers.push(fresh);
                    }
                }
                let view = PanelView {
                    clip_from_data,
                    rect,
                    canvas: (width, height),
                    scale,
                };
                match (&mut gpu.layers[j], layer) {
                    (LayerGpu::Lines(g), Layer::Lines(l)) => {
                        g.prepare(device, queue, &self.lines, l, &view)
                    }
                    (LayerGpu::Points(g), Layer::Points(p)) => {
                        g.prepare(device, queue, &self.points, p, &view)
                    }
                    (LayerGpu::Image(g), Layer::Image(im)) => {
                        g.prepare(device, queue, &self.images, im)
                    }
                    _ => {}
                }
            }
        }
        self.chrome_gpu.prepare(
            device,
            queue,
            &mut self.chrome.text,
            chrome,
            width,
            height,
            scale,
        );
        Ok(())
    }

    /// The axes rectangle of each figure panel as last prepared, in canvas pixels.
    pub fn panel_rects(&self) -> &[RectPx] {
        &self.axes_rects
    }

    /// The figure's background, for clearing the target before [`FigureRenderer::render`].
    pub fn clear_color(&self) -> wgpu::Color {
        self.background
    }

    /// Records the compute work of the prepared figure (splatted layers, see `splat.rs`) into
    /// `encoder`; call it before beginning the render pass that [`FigureRenderer::render`]
    /// records into.
    pub fn compute(&self, encoder: &mut wgpu::CommandEncoder) {
        let layers = || self.panels.iter().flat_map(|p| &p.layers);
        let mut any = false;
        for layer in layers() {
            match layer {
                LayerGpu::Lines(g) => any |= g.clear(encoder),
                LayerGpu::Points(g) => any |= g.clear(encoder),
                _ => {}
            }
        }
        if !any {
            return;
        }
        let mut pass = encoder.begin_compute_pass(&wgpu::ComputePassDescriptor {
            label: Some("splat"),
            timestamp_writes: None,
        });
        for layer in layers() {
            match layer {
                LayerGpu::Lines(g) => g.compute(&mut pass, &self.lines),
                LayerGpu::Points(g) => g.compute(&mut pass, &self.points),
                _ => {}
            }
        }
    }

    /// Records the draw calls of the prepared figure into `pass`. The pass's target must have the
    /// size given to `prepare`.
    pub fn render(&self, pass: &mut wgpu::RenderPass<'_>) {
        let (w, h) = self.size_px;
        self.chrome_gpu.render_under(pass);
        for panel in &self.panels {
            let Some((sx, sy, sw, sh)) = panel.rect.to_scissor(w, h) else {
                continue;
            };
            let r = panel.rect;
            pass.set_viewport(r.x, r.y, r.w, r.h, 0.0, 1.0);
            pass.set_scissor_rect(sx, sy, sw, sh);
            pass.set_bind_group(0, &panel.bind_group, &[]);
            for layer in &panel.layers {
                match layer {
                    LayerGpu::Lines(g) => g.render(pass, &self.lines),
                    LayerGpu::Points(g) => g.render(pass, &self.points),
                    LayerGpu::Image(g) => g.render(pass, &self.images),
                    LayerGpu::Chrome => {}
                }
            }
        }
        pass.set_viewport(0.0, 0.0, w as f32, h as f32, 0.0, 1.0);
        pass.set_scissor_rect(0, 0, w, h);
        self.chrome_gpu.render_over(pass);
    }
}

/// A scoped thread's result; its panic, if any, goes on in the caller.
fn joined<T>(handle: std::thread::ScopedJoinHandle<'_, T>) -> T {
    handle
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}
