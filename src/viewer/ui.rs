//! The viewer's controls, drawn with egui: the timeline bar (play/pause, reverse, step,
//! first/last, a scrub slider, frame and time, speed, loop mode, fps), keyboard shortcuts, and
//! the export dialog. Widgets only report what the user asked for; `mod.rs` carries it out.

use super::export_job::ExportJob;
use crate::export::Format;
use crate::timeline::{LoopMode, MAX_SPEED, MIN_SPEED, Timeline};
use egui::{Key, RichText};
use std::time::{Duration, Instant};

/// Something the user asked for that needs more than the timeline.
#[derive(Debug)]
pub enum Action {
    /// Save the current frame as a PNG at export resolution.
    SaveFrame,
    /// Start exporting with these settings.
    StartExport(ExportRequest),
    /// Cancel the running export.
    CancelExport,
    /// Reset every panel's camera.
    ResetView,
}

/// The export dialog's settings.
#[derive(Clone, Debug)]
pub struct ExportRequest {
    /// Output path.
    pub path: String,
    /// First frame.
    pub start: usize,
    /// Last frame (inclusive).
    pub end: usize,
    /// Width and height in pixels.
    pub size: (u32, u32),
}

/// Frames drawn per second of wall time, smoothed.
pub struct FpsMeter {
    last: Option<Instant>,
    fps: f64,
    /// Frames skipped by playback since the meter was created.
    pub skipped: usize,
}

impl FpsMeter {
    /// A meter with no frames yet.
    pub fn new() -> Self {
        FpsMeter {
            last: None,
            fps: 0.0,
            skipped: 0,
        }
    }

    /// Records a drawn frame.
    pub fn tick(&mut self, now: Instant) {
        if let Some(last) = self.last {
            let dt = (now - last).as_secs_f64().max(1e-6);
            // An exponential average over roughly the last half second.
            let a = (dt / 0.5).min(1.0);
            self.fps = if self.fps == 0.0 {
                1.0 / dt
            } else {
                self.fps + a * (1.0 / dt - self.fps)
            };
        }
        self.last = Some(now);
    }

    /// Smoothed frames per second.
    pub fn fps(&self) -> f64 {
        self.fps
    }
}

/// State of the controls that outlives one frame.
pub struct UiState {
    /// Export dialog open.
    pub export_open: bool,
    /// The dialog's settings.
    pub export: ExportRequest,
    /// A message shown in the bar for a few seconds ("saved …").
    pub status: Option<(String, Instant)>,
    /// Display rate.
    pub meter: FpsMeter,
    /// The dpi the window draws the figure at now, and whether that is below the window's
    /// full resolution (while playing).
    pub drawn_dpi: (f32, bool),
    /// A live recording's state ("recording", "run ended", "run stopped").
    pub live: Option<String>,
}

impl UiState {
    /// Defaults for a scene named `scene` with `frames` frames exported at `size`.
    pub fn new(scene: &str, frames: usize, size: (u32, u32)) -> Self {
        UiState {
            export_open: false,
            export: ExportRequest {
                path: format!("{scene}.gif"),
                start: 0,
                end: frames.saturating_sub(1),
                size,
            },
            status: None,
            meter: FpsMeter::new(),
            drawn_dpi: (100.0, false),
            live: None,
        }
    }

    /// Shows `msg` in the bar for a while.
    pub fn say(&mut self, msg: impl Into<String>) {
        self.status = Some((msg.into(), Instant::now()));
    }
}

/// Applies keyboard shortcuts (unless a text field has focus).
pub fn keyboard(
    ctx: &egui::Context,
    t: &mut Timeline,
    state: &mut UiState,
    actions: &mut Vec<Action>,
) {
    if ctx.egui_wants_keyboard_input() {
        return;
    }
    ctx.input_mut(|i| {
        if i.consume_key(egui::Modifiers::NONE, Key::Space) {
            t.toggle();
        }
        if i.consume_key(egui::Modifiers::NONE, Key::ArrowLeft) {
            t.step(-1);
        }
        if i.consume_key(egui::Modifiers::NONE, Key::ArrowRight) {
            t.step(1);
        }
        if i.consume_key(egui::Modifiers::NONE, Key::Home) {
            t.first();
        }
        if i.consume_key(egui::Modifiers::NONE, Key::End) {
            t.last();
        }
        if i.consume_key(egui::Modifiers::NONE, Key::OpenBracket) {
            t.slower();
        }
        if i.consume_key(egui::Modifiers::NONE, Key::CloseBracket) {
            t.faster();
        }
        if i.consume_key(egui::Modifiers::NONE, Key::L) {
            t.set_loop_mode(t.loop_mode().next());
        }
        if i.consume_key(egui::Modifiers::NONE, Key::R) {
            actions.push(Action::ResetView);
        }
        if i.consume_key(egui::Modifiers::NONE, Key::S) {
            actions.push(Action::SaveFrame);
        }
        if i.consume_key(egui::Modifiers::NONE, Key::E) {
            state.export_open = true;
        }
    });
}

/// The timeline bar.
pub fn timeline_bar(
    ui: &mut egui::Ui,
    t: &mut Timeline,
    state: &mut UiState,
    job: Option<&ExportJob>,
    actions: &mut Vec<Action>,
) {
    let n = t.frame_count();
    ui.add_space(4.0);
    // The scrub slider spans the whole width above the buttons.
    let mut frame = t.frame();
    ui.spacing_mut().slider_width = (ui.available_width() - 90.0).max(100.0);
    let slider = ui
        .add(
            egui::Slider::new(&mut frame, 0..=n.saturating_sub(1))
                .show_value(true)
                .clamping(egui::SliderClamping::Always)
                .integer(),
        )
        .on_hover_text("Drag to scrub to any frame");
    if slider.changed() {
        t.seek(frame);
    }
    ui.horizontal_wrapped(|ui| {
        if ui.button("⏮").on_hover_text("First frame (Home)").clicked() {
            t.first();
        }
        if ui.button("⏴|").on_hover_text("Step back one frame (←)").clicked() {
            t.step(-1);
        }
        let reverse_on = t.is_playing() && !t.is_forward();
        if ui.selectable_label(reverse_on, "◀").on_hover_text("Play backwards").clicked() {
            if reverse_on { t.pause() } else { t.play_reverse() }
        }
        let play_label = if t.is_playing() { "⏸" } else { "▶" };
        if ui.button(RichText::new(play_label).strong()).on_hover_text("Play / pause (Space)").clicked() {
            if t.is_playing() {
                t.pause();
            } else {
                t.set_forward(true);
                t.play();
            }
        }
        if ui.button("|⏵").on_hover_text("Step forward one frame (→)").clicked() {
            t.step(1);
        }
        if ui.button("⏭").on_hover_text("Last frame (End)").clicked() {
            t.last();
        }
        ui.separator();
        ui.label(format!("frame {} / {}", t.frame() + 1, n)).on_hover_text("Current frame (counting from 1) and frame count");
        if let Some(live) = &state.live {
            let following = t.frame() + 1 >= n && !t.is_playing();
            let text = if following { format!("● live: {live}") } else { format!("⏩ back to live ({live})") };
            if ui.selectable_label(following, text).on_hover_text("Show each new frame as the run writes it (scrubbing back stops following)").clicked() {
                t.last();
            }
        }
        ui.label(format!("t = {:.2} s", t.time_s())).on_hover_text("Time of this frame: frame index / fps");
        ui.separator();
        let mut speed = t.speed();
        let resp = ui
            .add(
                egui::DragValue::new(&mut speed)
                    .range(MIN_SPEED..=MAX_SPEED)
                    .speed(0.02)
                    .max_decimals(2)
                    .suffix("×"),
            )
            .on_hover_text("Playback speed, 0.1×–10× ([ slower, ] faster)");
        if resp.changed() {
            t.set_speed(speed);
        }
        let mut mode = t.loop_mode();
        egui::ComboBox::from_id_salt("loop mode")
            .selected_text(mode.label())
            .width(78.0)
            .show_ui(ui, |ui| {
                for m in [LoopMode::Once, LoopMode::Loop, LoopMode::Reflect] {
                    ui.selectable_value(&mut mode, m, m.label());
                }
            })
            .response
            .on_hover_text("At the end: stop (Once), start over (Loop) or play back (Reflect). L cycles.");
        t.set_loop_mode(mode);
        ui.separator();
        ui.label(format!("{:.0} fps", t.fps())).on_hover_text("The animation's frame rate at 1×");
        ui.label(RichText::new(format!("display {:.0} fps", state.meter.fps())).weak())
            .on_hover_text("Frames the window actually draws per second; when it falls behind, playback skips frames to keep time");
        let (dpi, reduced) = state.drawn_dpi;
        let shown = if reduced {
            format!("{dpi:.0} dpi while playing")
        } else {
            format!("{dpi:.0} dpi")
        };
        ui.label(RichText::new(shown).weak()).on_hover_text(if reduced {
            "While playing, the figure is drawn at its own size and stretched to the window; paused or scrubbed, it is drawn at the window's full resolution"
        } else {
            "The figure is drawn at the window's resolution: this many pixels per inch of the figure"
        });
        ui.separator();
        if ui.button("📷").on_hover_text("Save this frame as a PNG at export size (S)").clicked() {
            actions.push(Action::SaveFrame);
        }
        match job {
            Some(job) => {
                let (done, total) = job.counts();
                ui.add(egui::ProgressBar::new(job.progress()).desired_width(120.0).text(format!("{done}/{total}")))
                    .on_hover_text(format!("Exporting {}", job.output));
                if ui.button("✖").on_hover_text("Cancel the export (the partial file is removed)").clicked() {
                    actions.push(Action::CancelExport);
                }
            }
            None => {
                if ui.button("Export…").on_hover_text("Export the timeline or a range with the current view (E)").clicked() {
                    state.export_open = true;
                }
            }
        }
        if let Some((msg, at)) = &state.status
            && at.elapsed() < Duration::from_secs(6) {
                ui.label(RichText::new(msg).italics());
            }
    });
    ui.add_space(2.0);
}

/// The export dialog.
pub fn export_window(
    ctx: &egui::Context,
    state: &mut UiState,
    frames: usize,
    busy: bool,
    actions: &mut Vec<Action>,
) {
    if !state.export_open {
        return;
    }
    let mut open = true;
    let mut start = false;
    egui::Window::new("Export")
        .open(&mut open)
        .collapsible(false)
        .resizable(false)
        .show(ctx, |ui| {
            let e = &mut state.export;
            egui::Grid::new("export grid")
                .num_columns(2)
                .spacing([12.0, 6.0])
                .show(ui, |ui| {
                    ui.label("File");
                    ui.text_edit_singleline(&mut e.path)
                        .on_hover_text("The format comes from the extension");
                    ui.end_row();
                    ui.label("Format");
                    ui.horizontal(|ui| {
                        for (_, name) in Format::ALL {
                            let ext = format!(".{name}");
                            if ui.selectable_label(e.path.ends_with(&ext), name).clicked() {
                                let stem = e
                                    .path
                                    .rsplit_once('.')
                                    .map_or(e.path.as_str(), |(s, _)| s)
                                    .to_string();
                                e.path = format!("{stem}{ext}");
                            }
                        }
                    });
                    ui.end_row();
                    ui.label("Frames");
                    ui.horizontal(|ui| {
                        let last = frames.saturating_sub(1);
                        ui.add(egui::DragValue::new(&mut e.start).range(0..=last))
                            .on_hover_text("First frame");
                        ui.label("to");
                        ui.add(egui::DragValue::new(&mut e.end).range(0..=last))
                            .on_hover_text("Last frame (included)");
                        if ui.small_button("all").clicked() {
                            (e.start, e.end) = (0, last);
                        }
                        e.end = e.end.max(e.start);
                    });
                    ui.end_row();
                    ui.label("Size");
                    ui.horizontal(|ui| {
                        ui.add(
                            egui::DragValue::new(&mut e.size.0)
                                .range(16..=8192)
                                .suffix(" px"),
                        );
                        ui.label("×");
                        ui.add(
                            egui::DragValue::new(&mut e.size.1)
                                .range(16..=8192)
                                .suffix(" px"),
                        );
                    });
                    ui.end_row();
                });
            ui.add_space(6.0);
            ui.label(RichText::new("The export uses the current camera and view.").weak());
            ui.add_enabled_ui(!busy, |ui| {
                if ui.button("Export").clicked() {
                    start = true;
                }
            });
        });
    if start {
        actions.push(Action::StartExport(state.export.clone()));
        open = false;
    }
    state.export_open = open;
}
