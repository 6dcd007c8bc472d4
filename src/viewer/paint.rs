//! Drawing one viewer frame: the figure into the canvas when the frame or view changed, then
//! egui's controls around the letterboxed canvas; screenshots of the whole window.

// The viewer's shared imports and types (this file is one part of `viewer`).
use super::*;

impl Running {
    pub(super) fn redraw(
        &mut self,
        generator: &Arc<dyn FrameGenerator>,
        options: &ViewerOptions,
    ) -> Result<Option<Done>> {
        let now = Instant::now();
        self.ui.meter.skipped += self.timeline.advance(now - self.last_tick);
        self.last_tick = now;
        self.ui.meter.tick(now);
        self.frames_drawn += 1;

        // Controls first: they may move the timeline or the view before the canvas is drawn.
        let raw = self.egui_state.take_egui_input(&self.window);
        let mut actions = Vec::new();
        let (cw, ch) = self.canvas.size();
        let mut canvas_rect = egui::Rect::NOTHING;
        let mut canvas_response = None;
        let mut full = self.egui_ctx.clone().run_ui(raw, |ui| {
            ui::keyboard(ui.ctx(), &mut self.timeline, &mut self.ui, &mut actions);
            egui::Panel::bottom("timeline").show(ui, |ui| {
                ui::timeline_bar(
                    ui,
                    &mut self.timeline,
                    &mut self.ui,
                    self.job.as_ref(),
                    &mut actions,
                );
            });
            egui::CentralPanel::default()
                .frame(egui::Frame::NONE)
                .show(ui, |ui| {
                    let avail = ui.available_rect_before_wrap();
                    let scale = (avail.width() / cw as f32).min(avail.height() / ch as f32);
                    let size = egui::vec2(cw as f32 * scale, ch as f32 * scale);
                    canvas_rect = egui::Rect::from_center_size(avail.center(), size);
                    let resp = ui.interact(
                        canvas_rect,
                        ui.scope_id().with("canvas"),
                        egui::Sense::click_and_drag(),
                    );
                    ui.painter().image(
                        self.canvas_texture,
                        canvas_rect,
                        egui::Rect::from_min_max(egui::pos2(0.0, 0.0), egui::pos2(1.0, 1.0)),
                        egui::Color32::WHITE,
                    );
                    canvas_response = Some(resp);
                });
            ui::export_window(
                ui.ctx(),
                &mut self.ui,
                generator.frame_count(),
                self.job.is_some(),
                &mut actions,
            );
        });
        self.egui_state
            .handle_platform_output(&self.window, full.platform_output);
        if let Some(resp) = canvas_response {
            self.handle_canvas_input(&resp, canvas_rect);
        }
        for action in actions {
            self.act(action, generator);
        }
        self.poll_job();

        // The figure, only when the frame or the view changed.
        let key = (self.timeline.frame(), self.view.clone());
        if self.drawn.as_ref() != Some(&key) {
            let mut figure = generator.frame(key.0);
            self.view.apply(&mut figure);
            self.canvas
                .draw(&self.gpu, &mut self.figure_renderer, &figure)?;
            let rects = self.figure_renderer.panel_rects();
            self.panels = rects
                .iter()
                .zip(&figure.panels)
                .map(|(r, p)| (*r, matches!(p.axes, Axes::ThreeD { .. })))
                .collect();
            self.drawn = Some(key);
        }

        // egui on top, into the window.
        let ppp = full.pixels_per_point;
        let jobs = self
            .egui_ctx
            .tessellate(std::mem::take(&mut full.shapes), ppp);
        for (id, deltas) in full.textures_delta.set.drain() {
            for delta in &deltas {
                self.egui_renderer
                    .update_texture(&self.gpu.device, &self.gpu.queue, id, delta);
            }
        }
        // Textures egui no longer uses; freed even if this frame is not presented.
        let free: Vec<egui::TextureId> = full.textures_delta.free.drain().collect();
        for id in &free {
            self.egui_renderer.free_texture(id);
        }
        let screen = egui_wgpu::ScreenDescriptor {
            size_in_pixels: [self.config.width, self.config.height],
            pixels_per_point: ppp,
        };
        let frame = match self.surface.get_current_texture() {
            wgpu::CurrentSurfaceTexture::Success(t)
            | wgpu::CurrentSurfaceTexture::Suboptimal(t) => t,
            wgpu::CurrentSurfaceTexture::Outdated | wgpu::CurrentSurfaceTexture::Lost => {
                self.surface.configure(&self.gpu.device, &self.config);
                self.window.request_redraw();
                return Ok(None);
            }
            _ => {
                self.window.request_redraw();
                return Ok(None);
            }
        };
        let target = frame.texture.create_view(&Default::default());
        self.paint_egui(&jobs, &screen, &target);
        self.gpu.queue.present(frame);
        self.gpu.take_error()?;

        // The third frame has a settled layout: screenshot it.
        if let Some(path) = &options.screenshot_to {
            if self.frames_drawn >= 3 {
                self.screenshot(&jobs, &screen, path)?;
                println!(
                    "saved screenshot {} ({}x{})",
                    path.display(),
                    self.config.width,
                    self.config.height
                );
                return Ok(Some(Done::Exit));
            }
            self.window.request_redraw();
        }
        if let Some(path) = &options.save_frame_to {
            let f = self.canvas.read(&self.gpu, self.timeline.frame())?;
            save_png(path, &f)?;
            println!("saved frame {} to {}", f.index, path.display());
            return Ok(Some(Done::Exit));
        }
        if let Some(secs) = options.exit_after
            && self.started.elapsed() >= Duration::from_secs_f64(secs)
        {
            return Ok(Some(Done::Exit));
        }
        Ok(None)
    }

    pub(super) fn paint_egui(
        &mut self,
        jobs: &[egui::ClippedPrimitive],
        screen: &egui_wgpu::ScreenDescriptor,
        target: &wgpu::TextureView,
    ) {
        let mut encoder = self
            .gpu
            .device
            .create_command_encoder(&wgpu::CommandEncoderDescriptor {
                label: Some("viewer ui"),
            });
        let extra = self.egui_renderer.update_buffers(
            &self.gpu.device,
            &self.gpu.queue,
            &mut encoder,
            jobs,
            screen,
        );
        {
            let pass = encoder.begin_render_pass(&wgpu::RenderPassDescriptor {
                label: Some("viewer ui pass"),
                color_attachments: &[Some(wgpu::RenderPassColorAttachment {
                    view: target,
                    depth_slice: None,
                    resolve_target: None,
                    ops: wgpu::Operations {
                        // The window's background is the clear colour, not a
                        // painted egui panel: on a software rasteriser a full-window fill
                        // costs as much as drawing the figure.
                        load: wgpu::LoadOp::Clear(BACKGROUND),
                        store: wgpu::StoreOp::Store,
                    },
                })],
                depth_stencil_attachment: None,
                timestamp_writes: None,
                occlusion_query_set: None,
                multiview_mask: None,
            });
            self.egui_renderer
                .render(&mut pass.forget_lifetime(), jobs, screen);
        }
        self.gpu
            .queue
            .submit(extra.into_iter().chain([encoder.finish()]));
    }

    /// Renders the same UI into an offscreen texture of the window's size and saves it.
    pub(super) fn screenshot(
        &mut self,
        jobs: &[egui::ClippedPrimitive],
        screen: &egui_wgpu::ScreenDescriptor,
        path: &Path,
    ) -> Result<()> {
        let (w, h) = (self.config.width, self.config.height);
        let texture = crate::gpu::texture_2d(
            &self.gpu.device,
            "screenshot",
            (w, h),
            self.config.format,
            wgpu::TextureUsages::RENDER_ATTACHMENT | wgpu::TextureUsages::COPY_SRC,
        );
        self.paint_egui(jobs, screen, &texture.create_view(&Default::default()));
        let mut pixels = crate::gpu::read_texture(&self.gpu, &texture)?;
        if matches!(
            self.config.format,
            wgpu::TextureFormat::Bgra8Unorm | wgpu::TextureFormat::Bgra8UnormSrgb
        ) {
            pixels.chunks_exact_mut(4).for_each(|p| p.swap(0, 2));
        }
        save_png(
            path,
            &RgbaFrame {
                index: 0,
                width: w,
                height: h,
                pixels: pixels.into(),
            },
        )
    }
}
