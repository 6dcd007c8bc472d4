//! The live viewer: a winit window whose wgpu surface shows egui controls around the figure.
//!
//! The figure is rendered by the same [`FigureRenderer`] into the same kind of offscreen
//! [`Canvas`] as an export, with the export's layout (the figure's size at 100 dpi) but at the
//! window's own resolution: the canvas is as many physical pixels as the letterboxed area
//! holds (HiDPI scale factor included) and draws the figure at that many pixels per layout
//! pixel, like an export at a higher dpi. egui shows it unscaled, so text and lines are sharp
//! at any window size, and what you see has exactly the layout `export` writes. The canvas is
//! redrawn only when the frame, the view or its size changes. Playback follows the wall clock through [`Timeline`]; drags and the wheel
//! over a panel adjust its view ([`ViewAdjust`]), which exports from the viewer also use.
//!
//! `window.rs` opens the window, surface and egui; `paint.rs` draws a frame (the figure into
//! the canvas, egui around it) and takes screenshots; `input.rs` turns drags, the wheel, keys
//! and buttons into view changes and actions; `ui.rs` lays out the controls.

mod export_job;
mod input;
mod paint;
mod ui;
mod window;

use crate::animation::{AutoLimits, FrameGenerator};
use crate::export::{ExportOptions, Format, save_png};
use crate::gpu::{CANVAS_FORMAT, Canvas, FigureRenderer, GpuContext, RgbaFrame};
use crate::scene::{Axes, RectPx, ViewAdjust};
use crate::timeline::Timeline;
use crate::{Error, Result, Setting};
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
    /// The figure's size in pixels at 100 dpi: its layout, and what exports and saved frames
    /// use.
    pub export_size: (u32, u32),
    /// Dots per inch of exports and saved frames (`S`); the window draws at its own.
    pub dpi: f32,
    /// Window inner size in logical pixels; `None` fits the canvas plus controls.
    pub window_size: Option<(u32, u32)>,
    /// Frame to open at.
    pub frame: usize,
    /// Save a screenshot of the whole window here after the first frames, then exit.
    pub screenshot_to: Option<PathBuf>,
    /// Save the frame at export size and dpi (exactly what `S` saves) here once drawn, then exit.
    pub save_frame_to: Option<PathBuf>,
    /// Save the canvas exactly as the window shows it (the window's resolution) here once
    /// drawn, then exit: for tests and for checking sharpness.
    pub canvas_to: Option<PathBuf>,
    /// Start playing immediately.
    pub play: bool,
    /// Exit after this many seconds, reporting the display rate (for benchmarks).
    pub exit_after: Option<f64>,
    /// The generator grows while shown (a recording being written): looked at every 50 ms.
    pub live: Option<Arc<dyn LiveSource>>,
    /// Append a line here whenever the frame shown, the frame count or a live run's status
    /// changes, once presented: `FRAME FRAME_COUNT UNIX_SECONDS STATUS` (for tests and the
    /// live-latency benchmark).
    pub trace_frames: Option<PathBuf>,
}

/// A generator whose frames grow while it is shown: a recording its run is still writing.
pub trait LiveSource: Send + Sync {
    /// Looks for new frames. Returns the frame count now and a word on the run ("recording",
    /// "run ended", "run stopped").
    fn poll(&self) -> (usize, String);
}

impl std::fmt::Debug for dyn LiveSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LiveSource")
    }
}

/// How often a live source is looked at: a recording's poll is a file-size check (and, when it
/// grew, indexing the new records), so looking often is cheap and keeps a new frame's way to
/// the screen well under the quarter second a live view promises.
const LIVE_POLL: std::time::Duration = std::time::Duration::from_millis(50);

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
        return Err(Error::invalid(
            Setting::StartFrame,
            options.frame.to_string(),
            format!("the scene has frames 0..{}", n - 1),
        ));
    }
    for p in options
        .screenshot_to
        .iter()
        .chain(&options.save_frame_to)
        .chain(&options.canvas_to)
    {
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
    // Panels asking for automatic limits get them over every frame, as an export does.
    let generator: Arc<dyn FrameGenerator> = Arc::new(AutoLimits::new(generator)?);
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

/// What the window shows, as the frame trace logs it: frame, frame count, the run's status.
type Shown = (usize, usize, String);

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
    /// The figure drawn at the window's resolution (see the module docs).
    canvas: Canvas,
    canvas_texture: egui::TextureId,
    /// The figure's layout size (pixels at 100 dpi).
    figure_size: (u32, u32),
    /// Dots per inch of exports and saved frames.
    export_dpi: f32,
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
    /// When the live source was last looked at.
    last_poll: Instant,
    /// Where shown frames are logged ([`ViewerOptions::trace_frames`]), and what was last.
    trace: Option<(std::io::BufWriter<std::fs::File>, Option<Shown>)>,
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

    fn new_events(&mut self, _event_loop: &ActiveEventLoop, cause: winit::event::StartCause) {
        if let (winit::event::StartCause::ResumeTimeReached { .. }, Some(state)) =
            (cause, self.state.as_ref())
        {
            state.window.request_redraw();
        }
    }

    fn about_to_wait(&mut self, event_loop: &ActiveEventLoop) {
        let Some(state) = self.state.as_ref() else {
            return;
        };
        // Keep drawing while something moves; otherwise sleep until input arrives.
        let exiting = self.options.screenshot_to.is_some()
            || self.options.save_frame_to.is_some()
            || self.options.canvas_to.is_some();
        if state.timeline.is_playing() || state.job.is_some() || exiting {
            state.window.request_redraw();
            event_loop.set_control_flow(ControlFlow::Poll);
        } else if self.options.live.is_some() {
            // Wake to look for new frames (see `new_events`).
            event_loop.set_control_flow(ControlFlow::WaitUntil(state.last_poll + LIVE_POLL));
        } else {
            event_loop.set_control_flow(ControlFlow::Wait);
        }
    }
}

enum Done {
    Exit,
}
