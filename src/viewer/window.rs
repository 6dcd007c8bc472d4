//! Opening the viewer: the window, its wgpu surface, egui and the canvas the figure is drawn
//! into; resizing the surface with the window.

// The viewer's shared imports and types (this file is one part of `viewer`).
use super::*;

impl Running {
    pub(super) fn new(
        event_loop: &ActiveEventLoop,
        generator: Arc<dyn FrameGenerator>,
        options: &ViewerOptions,
    ) -> Result<Self> {
        let trace = match &options.trace_frames {
            Some(p) => {
                let file = std::fs::File::create(p).map_err(|e| Error::Output {
                    path: p.clone(),
                    reason: format!("cannot write the frame trace: {e}"),
                })?;
                Some((std::io::BufWriter::new(file), None))
            }
            None => None,
        };
        let (cw, ch) = options.export_size;
        let (ww, wh) = options.window_size.unwrap_or((cw.max(860) + 24, ch + 110));
        let attrs = Window::default_attributes()
            .with_title(format!("flipbook — {}", options.scene_name))
            .with_inner_size(winit::dpi::LogicalSize::new(ww as f64, wh as f64))
            .with_min_inner_size(winit::dpi::LogicalSize::new(320.0, 240.0));
        let window = Arc::new(
            event_loop
                .create_window(attrs)
                .map_err(|e| Error::Display(format!("cannot open a window: {e}")))?,
        );
        let desc = wgpu::InstanceDescriptor::new_with_display_handle(Box::new(
            event_loop.owned_display_handle(),
        ));
        let instance = wgpu::Instance::new(crate::gpu::instance_descriptor(desc));
        let surface = instance
            .create_surface(window.clone())
            .map_err(|e| Error::Display(format!("cannot draw into the window: {e}")))?;
        let gpu = Arc::new(pollster::block_on(GpuContext::from_instance(
            instance,
            Some(&surface),
        ))?);
        let caps = surface.get_capabilities(&gpu.adapter);
        let format = egui_wgpu::preferred_framebuffer_format(&caps.formats)
            .map_err(|e| Error::Display(e.to_string()))?;
        let size = window.inner_size();
        let present_mode = if options.exit_after.is_some() {
            wgpu::PresentMode::AutoNoVsync
        } else {
            wgpu::PresentMode::AutoVsync
        };
        let config = wgpu::SurfaceConfiguration {
            usage: wgpu::TextureUsages::RENDER_ATTACHMENT,
            format,
            width: size.width.max(1),
            height: size.height.max(1),
            present_mode,
            desired_maximum_frame_latency: 2,
            alpha_mode: caps
                .alpha_modes
                .first()
                .copied()
                .unwrap_or(wgpu::CompositeAlphaMode::Auto),
            view_formats: vec![],
            color_space: wgpu::SurfaceColorSpace::Auto,
        };
        surface.configure(&gpu.device, &config);

        let egui_ctx = egui::Context::default();
        egui_ctx.set_visuals(egui::Visuals::light());
        let egui_state = egui_winit::State::new(
            egui_ctx.clone(),
            egui::ViewportId::ROOT,
            &window,
            Some(window.scale_factor() as f32),
            None,
            Some(gpu.max_texture_side() as usize),
        );
        let mut egui_renderer = egui_wgpu::Renderer::new(
            &gpu.device,
            format,
            // No dithering: an unscaled canvas then shows exactly the exported pixels.
            egui_wgpu::RendererOptions {
                dithering: false,
                ..Default::default()
            },
        );
        // Resized to the window's letterboxed area on the first redraw.
        let canvas = Canvas::new(&gpu, cw, ch)?;
        let canvas_texture = egui_renderer.register_native_texture(
            &gpu.device,
            canvas.view(),
            wgpu::FilterMode::Linear,
        );
        let figure_renderer = FigureRenderer::new(&gpu.device, CANVAS_FORMAT);
        let mut timeline = Timeline::new(generator.frame_count(), generator.fps());
        timeline.seek(options.frame);
        if options.play {
            timeline.play();
        }
        let now = Instant::now();
        Ok(Running {
            window,
            surface,
            config,
            egui_ctx,
            egui_state,
            egui_renderer,
            figure_renderer,
            canvas,
            canvas_texture,
            figure_size: (cw, ch),
            export_dpi: options.dpi,
            drawn: None,
            panels: Vec::new(),
            ui: UiState::new(
                &options.scene_name,
                generator.frame_count(),
                options.export_size,
            ),
            timeline,
            view: ViewAdjust::default(),
            job: None,
            last_tick: now,
            started: now,
            frames_drawn: 0,
            drag_panel: None,
            last_poll: now,
            trace,
            gpu,
        })
    }

    pub(super) fn report(&self) -> ViewerReport {
        ViewerReport {
            display_fps: self.ui.meter.fps(),
            skipped: self.ui.meter.skipped,
        }
    }

    pub(super) fn resize(&mut self, width: u32, height: u32) {
        if width > 0 && height > 0 {
            self.config.width = width;
            self.config.height = height;
            self.surface.configure(&self.gpu.device, &self.config);
            self.window.request_redraw();
        }
    }
}
