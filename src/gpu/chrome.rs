//! Draws chrome (see `crate::chrome`) with egui-wgpu: the underlay and overlay shape lists are
//! tessellated by epaint and rendered by two egui-wgpu renderers (each owns its vertex buffers;
//! both hold the font atlas), before and after the data layers in the same render pass.

use crate::chrome::{ChromeFrame, TextFonts};

/// GPU side of the chrome.
pub(crate) struct ChromeGpu {
    under: egui_wgpu::Renderer,
    over: egui_wgpu::Renderer,
    under_jobs: Vec<epaint::ClippedPrimitive>,
    over_jobs: Vec<epaint::ClippedPrimitive>,
    screen: egui_wgpu::ScreenDescriptor,
    /// The shapes last uploaded: an identical frame (a still chart, a paused viewer) skips
    /// tessellation and upload.
    last: Option<(Vec<epaint::ClippedShape>, Vec<epaint::ClippedShape>)>,
}

impl ChromeGpu {
    pub fn new(device: &wgpu::Device, format: wgpu::TextureFormat) -> Self {
        // No dithering: exported pixels must not depend on noise.
        let options = || egui_wgpu::RendererOptions {
            dithering: false,
            ..Default::default()
        };
        ChromeGpu {
            under: egui_wgpu::Renderer::new(device, format, options()),
            over: egui_wgpu::Renderer::new(device, format, options()),
            under_jobs: Vec::new(),
            over_jobs: Vec::new(),
            screen: egui_wgpu::ScreenDescriptor {
                size_in_pixels: [1, 1],
                pixels_per_point: 1.0,
            },
            last: None,
        }
    }

    /// Tessellates and uploads one frame's chrome.
    pub fn prepare(
        &mut self,
        device: &wgpu::Device,
        queue: &wgpu::Queue,
        text: &mut TextFonts,
        frame: ChromeFrame,
        width: u32,
        height: u32,
    ) {
        if let Some(delta) = text.atlas_delta() {
            let id = epaint::TextureId::default();
            self.under.update_texture(device, queue, id, &delta);
            self.over.update_texture(device, queue, id, &delta);
        }
        let screen = egui_wgpu::ScreenDescriptor {
            size_in_pixels: [width, height],
            pixels_per_point: 1.0,
        };
        let unchanged = self.screen.size_in_pixels == screen.size_in_pixels
            && self
                .last
                .as_ref()
                .is_some_and(|(u, o)| *u == frame.under && *o == frame.over);
        if unchanged {
            return;
        }
        let mut tess = text.tessellator();
        self.under_jobs = tess.tessellate_shapes(frame.under.clone());
        self.over_jobs = tess.tessellate_shapes(frame.over.clone());
        self.last = Some((frame.under, frame.over));
        self.screen = screen;
        let mut encoder = device.create_command_encoder(&wgpu::CommandEncoderDescriptor {
            label: Some("chrome upload"),
        });
        let mut extra =
            self.under
                .update_buffers(device, queue, &mut encoder, &self.under_jobs, &self.screen);
        extra.extend(self.over.update_buffers(
            device,
            queue,
            &mut encoder,
            &self.over_jobs,
            &self.screen,
        ));
        queue.submit(extra.into_iter().chain([encoder.finish()]));
    }

    /// Records the underlay.
    pub fn render_under(&self, pass: &mut wgpu::RenderPass<'static>) {
        if !self.under_jobs.is_empty() {
            self.under.render(pass, &self.under_jobs, &self.screen);
        }
    }

    /// Records the overlay.
    pub fn render_over(&self, pass: &mut wgpu::RenderPass<'static>) {
        if !self.over_jobs.is_empty() {
            self.over.render(pass, &self.over_jobs, &self.screen);
        }
    }
}
