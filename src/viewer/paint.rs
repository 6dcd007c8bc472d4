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
        if let Some(live) = &options.live
            && (now - self.last_poll >= LIVE_POLL || self.ui.live.is_none())
        {
            self.last_poll = now;
            // At the last frame is following the run: new frames are shown as they come.
            // Scrubbing back stops following; the live button (or End) returns to it.
            let follow = self.timeline.frame() + 1 >= self.timeline.frame_count();
            let (n, status) = live.poll();
            if n > 0 && n != self.timeline.frame_count() {
                let playing = self.timeline.is_playing();
                self.timeline.set_frame_count(n);
                if follow && !playing {
                    self.timeline.seek(n - 1);
                }
            }
            self.ui.live = Some(status);
        }
        self.ui.meter.skipped += self.timeline.advance(now - self.last_tick);
        self.last_tick = now;
        self.ui.meter.tick(now);
        self.frames_drawn += 1;

        // Controls first: they may move the timeline or the view before the canvas is drawn.
        let raw = self.egui_state.take_egui_input(&self.window);
        let mut actions = Vec::new();
        let (fw, fh) = (self.figure_size.0 as f32, self.figure_size.1 as f32);
        let ppp = self.window.scale_factor() as f32;
        let mut wanted = self.canvas.size();
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
                    // The letterboxed area in physical pixels; the canvas fills it exactly and
                    // is shown unscaled, its corner on a whole pixel, so nothing is resampled.
                    let avail = ui.available_rect_before_wrap();
                    let fit = (avail.width() * ppp / fw).min(avail.height() * ppp / fh);
                    // One scale for both sides (the width's), so an export at `100 * scale`
                    // dpi has exactly this canvas's pixels.
                    let w = (fw * fit).floor().max(1.0);
                    let px = (w, (fh * w / fw).round().max(1.0));
                    wanted = (px.0 as u32, px.1 as u32);
                    let min = (avail.center().to_vec2() * ppp - egui::vec2(px.0, px.1) / 2.0)
                        .round()
                        / ppp;
                    canvas_rect =
                        egui::Rect::from_min_size(min.to_pos2(), egui::vec2(px.0, px.1) / ppp);
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

        // While playing, a window larger than the figure draws it at the figure's own size
        // (scale 1, shown stretched): llvmpipe cannot fill a big canvas at 30 fps. Paused or
        // scrubbing, every frame is drawn at the window's full resolution.
        let (fw_px, fh_px) = self.figure_size;
        let reduced = self.timeline.is_playing() && wanted.0 > fw_px;
        if reduced {
            wanted = (fw_px, fh_px);
        }
        self.ui.drawn_dpi = (100.0 * wanted.0 as f32 / fw_px as f32, reduced);
        if wanted != self.canvas.size() {
            self.fit_canvas(wanted)?;
        }
        // The figure, only when the frame, the view or the canvas changed.
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
        self.trace_frame(options)?;

        // The third frame has a settled layout: screenshot it.
        if let Some(path) = &options.screenshot_to {
            if self.frames_drawn >= 3 {
                self.screenshot(&jobs, &screen, path)?;
                let (cw, ch) = self.canvas.size();
                println!(
                    "saved screenshot {} ({}x{} window; figure drawn {cw}x{ch} at {:.0} dpi)",
                    path.display(),
                    self.config.width,
                    self.config.height,
                    100.0 * self.canvas.scale()
                );
                return Ok(Some(Done::Exit));
            }
            self.window.request_redraw();
        }
        if let Some(path) = &options.canvas_to {
            let f = self.canvas.read(&self.gpu, self.timeline.frame())?;
            save_png(path, &f)?;
            println!(
                "saved the window's canvas to {} ({}x{}, figure {}x{} at {} dpi)",
                path.display(),
                f.width,
                f.height,
                self.figure_size.0,
                self.figure_size.1,
                100.0 * self.canvas.scale()
            );
            return Ok(Some(Done::Exit));
        }
        if let Some(path) = &options.save_frame_to {
            let message = self.save_frame(generator, path, options.dpi)?;
            println!("{message}");
            return Ok(Some(Done::Exit));
        }
        if let Some(secs) = options.exit_after
            && self.started.elapsed() >= Duration::from_secs_f64(secs)
        {
            return Ok(Some(Done::Exit));
        }
        Ok(None)
    }

    /// Logs what was just presented to [`ViewerOptions::trace_frames`] when the frame, the
    /// frame count or the run's status changed; flushed at once so a reader sees it while the
    /// viewer runs.
    fn trace_frame(&mut self, options: &ViewerOptions) -> Result<()> {
        use std::io::Write;
        let Some((out, last)) = self.trace.as_mut() else {
            return Ok(());
        };
        let shown = (
            self.timeline.frame(),
            self.timeline.frame_count(),
            self.ui.live.clone().unwrap_or_else(|| "-".into()),
        );
        if last.as_ref() == Some(&shown) {
            return Ok(());
        }
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default()
            .as_secs_f64();
        writeln!(out, "{} {} {now:.6} {}", shown.0, shown.1, shown.2)
            .and_then(|()| out.flush())
            .map_err(|e| Error::Output {
                path: options.trace_frames.clone().unwrap_or_default(),
                reason: format!("cannot write the frame trace: {e}"),
            })?;
        *last = Some(shown);
        Ok(())
    }

    /// Makes the canvas `size` physical pixels, drawing the figure at `size / figure size`
    /// pixels per layout pixel, and points egui's texture at it.
    fn fit_canvas(&mut self, size: (u32, u32)) -> Result<()> {
        log::debug!("viewer canvas {}x{}", size.0, size.1);
        let max = self.gpu.max_texture_side();
        let size = (size.0.clamp(1, max), size.1.clamp(1, max));
        let scale = size.0 as f32 / self.figure_size.0 as f32;
        self.canvas = Canvas::new(&self.gpu, size.0, size.1)?.with_scale(scale);
        self.egui_renderer.update_egui_texture_from_wgpu_texture(
            &self.gpu.device,
            self.canvas.view(),
            wgpu::FilterMode::Linear,
            self.canvas_texture,
        );
        self.drawn = None;
        Ok(())
    }

    /// Renders frame `timeline.frame()` with the current view at the export's size and `dpi`
    /// and saves it to `path` (what `S` does); returns what to tell the user.
    pub(super) fn save_frame(
        &mut self,
        generator: &Arc<dyn FrameGenerator>,
        path: &Path,
        dpi: f32,
    ) -> Result<String> {
        let i = self.timeline.frame();
        let mut figure = generator.frame(i);
        self.view.apply(&mut figure);
        let (w, h) = crate::export::pixel_size(self.figure_size, dpi)?;
        let mut canvas = Canvas::new(&self.gpu, w, h)?.with_scale(dpi / 100.0);
        let mut renderer = FigureRenderer::new(&self.gpu.device, CANVAS_FORMAT);
        let frame = canvas.render(&self.gpu, &mut renderer, &figure, i)?;
        save_png(path, &frame)?;
        Ok(format!(
            "saved frame {i} to {} ({w}x{h}, {}x{} at {dpi} dpi)",
            path.display(),
            self.figure_size.0,
            self.figure_size.1
        ))
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
