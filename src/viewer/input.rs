//! Viewer input: drags orbit 3D panels and pan 2D ones, the wheel zooms about the pointer, and
//! keys and buttons become [`Action`]s (play, step, export, …); background exports are polled
//! here too.

// The viewer's shared imports and types (this file is one part of `viewer`).
use super::*;

impl Running {
    pub(super) fn handle_canvas_input(&mut self, resp: &egui::Response, rect: egui::Rect) {
        let (cw, _) = self.canvas.size();
        let scale = rect.width() / cw as f32;
        if scale <= 0.0 {
            return;
        }
        // Pointer position in canvas pixels → the panel under it and the position inside it.
        let locate = |pos: egui::Pos2| -> Option<(usize, Vec2)> {
            let p = (pos - rect.min) / scale;
            self.panels
                .iter()
                .position(|(r, _)| p.x >= r.x && p.x < r.x + r.w && p.y >= r.y && p.y < r.y + r.h)
                .map(|i| {
                    let r = self.panels[i].0;
                    (i, Vec2::new((p.x - r.x) / r.w, 1.0 - (p.y - r.y) / r.h))
                })
        };
        if resp.drag_started() {
            self.drag_panel = resp
                .interact_pointer_pos()
                .and_then(&locate)
                .map(|(i, _)| i);
        }
        if resp.dragged()
            && let Some(i) = self.drag_panel
        {
            let d = resp.drag_delta() / scale;
            let (r, is_3d) = self.panels[i];
            let adj = self.view.panel_mut(i);
            if is_3d {
                // Dragging right turns the scene with the pointer, as in matplotlib; in window
                // points, so a HiDPI canvas turns no faster.
                let p = resp.drag_delta();
                adj.orbit(-p.x * 0.4, p.y * 0.4);
            } else {
                adj.pan_by(Vec2::new(-d.x / r.w, d.y / r.h));
            }
        }
        if resp.drag_stopped() {
            self.drag_panel = None;
        }
        if let Some(pos) = resp.hover_pos() {
            let scroll = self.egui_ctx.input(|i| i.smooth_scroll_delta.y);
            if scroll != 0.0
                && let Some((i, at)) = locate(pos)
            {
                self.view.panel_mut(i).zoom_by((scroll * 0.003).exp(), at);
            }
            if resp.double_clicked()
                && let Some((i, _)) = locate(pos)
            {
                self.view.reset_panel(i);
            }
        }
        if resp.hovered() {
            let tip = if self.panels.iter().any(|p| p.1) {
                "drag: orbit/pan · wheel: zoom · double-click or R: reset"
            } else {
                "drag: pan · wheel: zoom · double-click or R: reset"
            };
            resp.clone().on_hover_text_at_pointer(tip);
        }
    }

    pub(super) fn act(&mut self, action: Action, generator: &Arc<dyn FrameGenerator>) {
        match action {
            Action::ResetView => self.view.reset(),
            Action::SaveFrame => {
                let i = self.timeline.frame();
                let path = PathBuf::from(format!(
                    "{}_frame_{i:04}.png",
                    self.ui
                        .export
                        .path
                        .rsplit_once('.')
                        .map_or("flipbook", |(s, _)| s)
                ));
                let full = std::env::current_dir()
                    .map(|d| d.join(&path))
                    .unwrap_or(path);
                let msg = match self.save_frame(generator, &full, self.export_dpi) {
                    Ok(said) => {
                        println!("{said}");
                        said
                    }
                    Err(e) => format!("could not save: {e}"),
                };
                self.ui.say(msg);
            }
            Action::StartExport(req) => {
                let mut options = ExportOptions::new(&req.path);
                (options.width, options.height) = req.size;
                options.dpi = self.export_dpi;
                options.range = Some(req.start..req.end + 1);
                // Check the destination now so a typo is reported at once, not after rendering.
                let check = Format::from_path(&options.output).and_then(|f| {
                    if f == Format::Gif {
                        crate::export::check_destination(&options.output)
                    } else {
                        Ok(())
                    }
                });
                match check {
                    Ok(()) => {
                        self.ui.say(format!("exporting {}…", req.path));
                        self.job = Some(ExportJob::start(
                            self.gpu.clone(),
                            generator.clone(),
                            self.view.clone(),
                            options,
                        ));
                    }
                    Err(e) => self.ui.say(format!("cannot export: {e}")),
                }
            }
            Action::CancelExport => {
                if let Some(job) = &self.job {
                    job.cancel();
                }
            }
        }
    }

    pub(super) fn poll_job(&mut self) {
        let Some(job) = self.job.as_mut() else { return };
        if let Some(result) = job.take_result() {
            let msg = match result {
                Ok(r) => format!(
                    "wrote {} ({} frames in {:.1} s)",
                    job.output,
                    r.frames,
                    r.elapsed.as_secs_f64()
                ),
                Err(Error::Cancelled) => "export cancelled".to_string(),
                Err(e) => format!("export failed: {e}"),
            };
            println!("{msg}");
            self.ui.say(msg);
            self.job = None;
        }
    }
}
