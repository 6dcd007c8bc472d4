//! The live viewer: a winit window whose wgpu surface shows egui controls around the figure.
//!
//! The figure is rendered by the same [`FigureRenderer`] into the same offscreen [`Canvas`] as
//! an export, at export resolution, and egui draws that texture scaled and letterboxed into the
//! window: what you see is what `export` writes. The canvas is redrawn only when the frame or
//! the view changes. Playback follows the wall clock through [`Timeline`]; drags and the wheel
//! over a panel adjust its view ([`ViewAdjust`]), which exports from the viewer also use.

mod export_job;
mod ui;

use crate::export::{ExportOptions, Format, save_png};
use crate::generators::FrameGenerator;
use crate::gpu::{CANVAS_FORMAT, Canvas, FigureRenderer, GpuContext, RgbaFrame};
use crate::scene::{Axes, RectPx, ViewAdjust};
use crate::timeline::Timeline;
use crate::{Error, Result};
pub use export_job::ExportJob;
use glam::Vec2;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};
use ui::{Action, UiState};
use winit::application::ApplicationHandler;
use winit::event::WindowEvent;
use winit::event_loop::{ActiveEventLoop, ControlFlow, EventLoop};
use winit::window::{Window, WindowId};

/// How to open the viewer.
#[derive(Clone, Debug)]
pub struct ViewerOptions {
    /// Scene name, for the title and default export names.
    pub scene_name: String,
    /// Canvas (export) size in pixels.
    pub export_size: (u32, u32),
    /// Window inner size in logical pixels; `None` fits the canvas plus controls.
    pub window_size: Option<(u32, u32)>,
    /// Frame to open at.
    pub frame: usize,
    /// Save a screenshot of the whole window here after the first frames, then exit.
    pub screenshot_to: Option<PathBuf>,
    /// Save the canvas (exactly what `S` saves) here once drawn, then exit.
    pub save_frame_to: Option<PathBuf>,
    /// Start playing immediately.
    pub play: bool,
    /// Exit after this many seconds, reporting the display rate (for benchmarks).
    pub exit_after: Option<f64>,
}

/// What a viewer session measured.
#[derive(Clone, Copy, Debug)]
pub struct ViewerReport {
    /// Frames drawn by the window per second over the session (after the first second).
    pub display_fps: f64,
    /// Timeline frames skipped to keep time.
    pub skipped: usize,
}

/// Opens the viewer and runs until the window closes.
pub fn run(generator: Arc<dyn FrameGenerator>, options: ViewerOptions) -> Result<ViewerReport> {
    let n = generator.frame_count();
    if options.frame >= n {
        return Err(Error::Option {
            option: "--frame".into(),
            value: options.frame.to_string(),
            reason: format!("the scene has frames 0..{}", n - 1),
        });
    }
    for p in options.screenshot_to.iter().chain(&options.save_frame_to) {
        crate::export::check_destination(p)?;
        if Format::from_path(p).ok() != Some(Format::Png) {
            return Err(Error::Output {
                path: p.clone(),
                reason: "a screenshot is a .png file".into(),
            });
        }
    }
    let no_display =
        std::env::var_os("DISPLAY").is_none() && std::env::var_os("WAYLAND_DISPLAY").is_none();
    if no_display {
        return Err(no_display_error(
            "neither DISPLAY nor WAYLAND_DISPLAY is set",
        ));
    }
    let event_loop = EventLoop::new().map_err(|e| no_display_error(&e.to_string()))?;
    let mut app = App {
        generator,
        options,
        state: None,
        error: None,
        report: None,
    };
    event_loop
        .run_app(&mut app)
        .map_err(|e| Error::Display(e.to_string()))?;
    if let Some(e) = app.error {
        return Err(e);
    }
    Ok(app.report.unwrap_or(ViewerReport {
        display_fps: 0.0,
        skipped: 0,
    }))
}

fn no_display_error(why: &str) -> Error {
    Error::Display(format!(
        "no display available ({why}): use `flipbook export` to render headlessly, or start a virtual display \
         with `Xvfb :99 & export DISPLAY=:99`"
    ))
}

/// Grey around the letterboxed canvas (sRGB 228/255, as egui values are gamma-encoded).
const BACKGROUND: wgpu::Color = wgpu::Color {
    r: 0.894,
    g: 0.894,
    b: 0.894,
    a: 1.0,
};

struct App {
    generator: Arc<dyn FrameGenerator>,
    options: ViewerOptions,
    state: Option<Running>,
    error: Option<Error>,
    report: Option<ViewerReport>,
}

/// Everything that exists while the window is open.
struct Running {
    window: Arc<Window>,
    surface: wgpu::Surface<'static>,
    config: wgpu::SurfaceConfiguration,
    gpu: Arc<GpuContext>,
    egui_ctx: egui::Context,
    egui_state: egui_winit::State,
    egui_renderer: egui_wgpu::Renderer,
    figure_renderer: FigureRenderer,
    canvas: Canvas,
    canvas_texture: egui::TextureId,
    /// The frame and view the canvas shows now.
    drawn: Option<(usize, ViewAdjust)>,
    /// Panel rectangles (canvas pixels) and whether each is 3D, from the last drawn figure.
    panels: Vec<(RectPx, bool)>,
    timeline: Timeline,
    view: ViewAdjust,
    ui: UiState,
    job: Option<ExportJob>,
    last_tick: Instant,
    started: Instant,
    frames_drawn: usize,
    drag_panel: Option<usize>,
}

impl ApplicationHandler for App {
    fn resumed(&mut self, event_loop: &ActiveEventLoop) {
        if self.state.is_some() {
            return;
        }
        match Running::new(event_loop, self.generator.clone(), &self.options) {
            Ok(r) => {
                r.window.request_redraw();
                self.state = Some(r);
            }
            Err(e) => {
                self.error = Some(e);
                event_loop.exit();
            }
        }
    }

    fn window_event(&mut self, event_loop: &ActiveEventLoop, _id: WindowId, event: WindowEvent) {
        let Some(state) = self.state.as_mut() else {
            return;
        };
        let response = state.egui_state.on_window_event(&state.window, &event);
        match event {
            WindowEvent::CloseRequested => {
                self.report = Some(state.report());
                event_loop.exit();
            }
            WindowEvent::Resized(size) => state.resize(size.width, size.height),
            WindowEvent::ScaleFactorChanged { .. } => {
                let size = state.window.inner_size();
                state.resize(size.width, size.height);
            }
            WindowEvent::RedrawRequested => {
                match state.redraw(&self.generator, &self.options) {
                    Ok(Some(Done::Exit)) => {
                        self.report = Some(state.report());
                        event_loop.exit();
                    }
                    Ok(_) => {}
                    Err(e) => {
                        self.error = Some(e);
                        event_loop.exit();
                    }
                }
                return;
            }
            _ => {}
        }
        if response.repaint {
            state.window.request_redraw();
        }
    }

    fn about_to_wait(&mut self, event_loop: &ActiveEventLoop) {
        let Some(state) = self.state.as_ref() else {
            return;
        };
        // Keep drawing while something moves; otherwise sleep until input arrives.
        let exiting = self.options.screenshot_to.is_some() || self.options.save_frame_to.is_some();
        if state.timeline.is_playing() || state.job.is_some() || exiting {
            state.window.request_redraw();
            event_loop.set_control_flow(ControlFlow::Poll);
        } else {
            event_loop.set_control_flow(ControlFlow::Wait);
        }
    }
}

enum Done {
    Exit,
}

impl Running {
    fn new(
        event_loop: &ActiveEventLoop,
        generator: Arc<dyn FrameGenerator>,
        options: &ViewerOptions,
    ) -> Result<Self> {
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
            gpu,
        })
    }

    fn report(&self) -> ViewerReport {
        ViewerReport {
            display_fps: self.ui.meter.fps(),
            skipped: self.ui.meter.skipped,
        }
    }

    fn resize(&mut self, width: u32, height: u32) {
        if width > 0 && height > 0 {
            self.config.width = width;
            self.config.height = height;
            self.surface.configure(&self.gpu.device, &self.config);
            self.window.request_redraw();
        }
    }

    fn redraw(
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

    fn paint_egui(
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
    fn screenshot(
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
        let mut pixels = read_texture(&self.gpu, &texture)?;
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

    fn handle_canvas_input(&mut self, resp: &egui::Response, rect: egui::Rect) {
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
                // Dragging right turns the scene with the pointer, as in matplotlib.
                adj.orbit(-d.x * 0.4, d.y * 0.4);
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

    fn act(&mut self, action: Action, generator: &Arc<dyn FrameGenerator>) {
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
                let saved = self
                    .canvas
                    .read(&self.gpu, i)
                    .and_then(|f| save_png(&path, &f));
                let msg = match saved {
                    Ok(()) => {
                        let full = std::env::current_dir()
                            .map(|d| d.join(&path))
                            .unwrap_or(path);
                        println!("saved {}", full.display());
                        format!("saved {}", full.display())
                    }
                    Err(e) => format!("could not save: {e}"),
                };
                self.ui.say(msg);
            }
            Action::StartExport(req) => {
                let mut options = ExportOptions::new(&req.path);
                (options.width, options.height) = req.size;
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

    fn poll_job(&mut self) {
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

/// Copies a whole RGBA8/BGRA8 texture back to the CPU, unpadding rows.
fn read_texture(gpu: &GpuContext, texture: &wgpu::Texture) -> Result<Vec<u8>> {
    let (w, h) = (texture.width(), texture.height());
    let padded = (w * 4).next_multiple_of(wgpu::COPY_BYTES_PER_ROW_ALIGNMENT);
    let buffer = gpu.device.create_buffer(&wgpu::BufferDescriptor {
        label: Some("screenshot readback"),
        size: padded as u64 * h as u64,
        usage: wgpu::BufferUsages::COPY_DST | wgpu::BufferUsages::MAP_READ,
        mapped_at_creation: false,
    });
    let mut encoder = gpu.device.create_command_encoder(&Default::default());
    encoder.copy_texture_to_buffer(
        texture.as_image_copy(),
        wgpu::TexelCopyBufferInfo {
            buffer: &buffer,
            layout: wgpu::TexelCopyBufferLayout {
                offset: 0,
                bytes_per_row: Some(padded),
                rows_per_image: Some(h),
            },
        },
        texture.size(),
    );
    let sub = gpu.queue.submit([encoder.finish()]);
    let (tx, rx) = std::sync::mpsc::channel();
    buffer.map_async(wgpu::MapMode::Read, .., move |r| {
        let _ = tx.send(r);
    });
    gpu.device
        .poll(wgpu::PollType::Wait {
            submission_index: Some(sub),
            timeout: None,
        })
        .map_err(|e| Error::Gpu(e.to_string()))?;
    rx.recv()
        .map_err(|_| Error::Gpu("readback dropped".into()))?
        .map_err(|e| Error::Gpu(e.to_string()))?;
    let mut out = Vec::with_capacity((w * h * 4) as usize);
    {
        let view = buffer
            .get_mapped_range(..)
            .map_err(|e| Error::Gpu(e.to_string()))?;
        for row in view.chunks_exact(padded as usize).take(h as usize) {
            out.extend_from_slice(&row[..(w * 4) as usize]);
        }
    }
    buffer.unmap();
    Ok(out)
}
