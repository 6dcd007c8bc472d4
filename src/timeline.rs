//! Playback logic, free of windows and clocks: which frame to show after a given amount of wall
//! time, at a given speed, in a given loop mode. The viewer feeds it real elapsed time; tests
//! feed it a fake clock.
//!
//! Position is a fractional frame number that advances by `elapsed · fps · speed`; the frame
//! shown is its integer part. Time drives playback, not rendering: if drawing a frame takes
//! longer than a frame period, the next frame shown is further along (frames are skipped, not
//! slowed), and [`Timeline::advance`] reports how many were skipped.

use std::time::Duration;

/// What happens at the ends of the timeline.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum LoopMode {
    /// Stop at the last frame (or the first, when playing backwards).
    Once,
    /// Jump back to the other end and keep playing.
    #[default]
    Loop,
    /// Bounce: play back and forth (ping-pong).
    Reflect,
}

impl LoopMode {
    /// The next mode in the cycle Once → Loop → Reflect → Once.
    pub fn next(self) -> Self {
        match self {
            LoopMode::Once => LoopMode::Loop,
            LoopMode::Loop => LoopMode::Reflect,
            LoopMode::Reflect => LoopMode::Once,
        }
    }

    /// A short name for the UI.
    pub fn label(self) -> &'static str {
        match self {
            LoopMode::Once => "Once",
            LoopMode::Loop => "Loop",
            LoopMode::Reflect => "Reflect",
        }
    }
}

/// Playback speeds that `[` and `]` step through.
pub const SPEED_STEPS: [f64; 9] = [0.1, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 4.0, 10.0];
/// Slowest allowed playback speed.
pub const MIN_SPEED: f64 = 0.1;
/// Fastest allowed playback speed.
pub const MAX_SPEED: f64 = 10.0;

/// Playback state of a timeline of `frame_count` frames at `fps`.
#[derive(Clone, Debug)]
pub struct Timeline {
    frame_count: usize,
    fps: f64,
    position: f64,
    playing: bool,
    forward: bool,
    speed: f64,
    loop_mode: LoopMode,
}

impl Timeline {
    /// A paused timeline at frame 0, speed 1×, looping.
    pub fn new(frame_count: usize, fps: f64) -> Self {
        Timeline {
            frame_count: frame_count.max(1),
            fps: if fps.is_finite() && fps > 0.0 {
                fps
            } else {
                1.0
            },
            position: 0.0,
            playing: false,
            forward: true,
            speed: 1.0,
            loop_mode: LoopMode::Loop,
        }
    }

    /// Number of frames.
    pub fn frame_count(&self) -> usize {
        self.frame_count
    }

    /// Frames per second at 1×.
    pub fn fps(&self) -> f64 {
        self.fps
    }

    /// The frame to show.
    pub fn frame(&self) -> usize {
        // The epsilon absorbs rounding in accumulated steps (30 × 1/30 s must reach frame 30).
        ((self.position + 1e-6).floor().max(0.0) as usize).min(self.frame_count - 1)
    }

    /// Time of the current frame in seconds (frame / fps).
    pub fn time_s(&self) -> f64 {
        self.frame() as f64 / self.fps
    }

    /// Whether playback is running.
    pub fn is_playing(&self) -> bool {
        self.playing
    }

    /// True when playing towards higher frame numbers.
    pub fn is_forward(&self) -> bool {
        self.forward
    }

    /// Playback speed multiplier.
    pub fn speed(&self) -> f64 {
        self.speed
    }

    /// Loop mode.
    pub fn loop_mode(&self) -> LoopMode {
        self.loop_mode
    }

    /// Sets the loop mode.
    pub fn set_loop_mode(&mut self, mode: LoopMode) {
        self.loop_mode = mode;
    }

    /// Sets the speed, clamped to 0.1×–10×.
    pub fn set_speed(&mut self, speed: f64) {
        self.speed = if speed.is_finite() {
            speed.clamp(MIN_SPEED, MAX_SPEED)
        } else {
            1.0
        };
    }

    /// Next speed step up (`]`).
    pub fn faster(&mut self) {
        let next = SPEED_STEPS
            .iter()
            .copied()
            .find(|&s| s > self.speed + 1e-9)
            .unwrap_or(MAX_SPEED);
        self.set_speed(next);
    }

    /// Next speed step down (`[`).
    pub fn slower(&mut self) {
        let next = SPEED_STEPS
            .iter()
            .rev()
            .copied()
            .find(|&s| s < self.speed - 1e-9)
            .unwrap_or(MIN_SPEED);
        self.set_speed(next);
    }

    /// Starts playing forward. At the end in Once mode, starts again from the first frame.
    pub fn play(&mut self) {
        if self.loop_mode == LoopMode::Once && self.forward && self.frame() == self.frame_count - 1
        {
            self.position = 0.0;
        }
        self.playing = true;
    }

    /// Starts playing backwards. At the start in Once mode, starts again from the last frame.
    pub fn play_reverse(&mut self) {
        self.forward = false;
        if self.loop_mode == LoopMode::Once && self.frame() == 0 {
            self.position = self.last_position();
        }
        self.playing = true;
    }

    /// Pauses on the current frame.
    pub fn pause(&mut self) {
        self.playing = false;
        self.position = self.frame() as f64;
    }

    /// Play/pause toggle (Space). Playing resumes in the current direction.
    pub fn toggle(&mut self) {
        if self.playing {
            self.pause();
        } else if self.forward {
            self.play();
        } else {
            self.play_reverse();
        }
    }

    /// Sets the direction to forward without changing play state.
    pub fn set_forward(&mut self, forward: bool) {
        self.forward = forward;
    }

    /// Changes the number of frames (a recording that grew while shown), keeping the position
    /// (clamped to the new end).
    pub fn set_frame_count(&mut self, frame_count: usize) {
        self.frame_count = frame_count.max(1);
        self.position = self.position.min(self.last_position());
    }

    /// Jumps to `frame` (clamped) and pauses.
    pub fn seek(&mut self, frame: usize) {
        self.playing = false;
        self.position = frame.min(self.frame_count - 1) as f64;
    }

    /// Steps `delta` frames (clamped to the ends) and pauses.
    pub fn step(&mut self, delta: i64) {
        let f = (self.frame() as i64 + delta).clamp(0, self.frame_count as i64 - 1);
        self.seek(f as usize);
    }

    /// Jumps to the first frame.
    pub fn first(&mut self) {
        self.seek(0);
    }

    /// Jumps to the last frame.
    pub fn last(&mut self) {
        self.seek(self.frame_count - 1);
    }

    fn last_position(&self) -> f64 {
        (self.frame_count - 1) as f64
    }

    /// Advances playback by `elapsed` wall time. Returns how many frames were skipped (passed
    /// over without being shown) because the step covered more than one frame.
    pub fn advance(&mut self, elapsed: Duration) -> usize {
        if !self.playing {
            return 0;
        }
        let before = self.frame();
        let frames = elapsed.as_secs_f64() * self.fps * self.speed;
        let last = self.last_position();
        if self.frame_count == 1 {
            if self.loop_mode == LoopMode::Once {
                self.playing = false;
            }
            return 0;
        }
        let signed = if self.forward { frames } else { -frames };
        let mut p = self.position + signed;
        match self.loop_mode {
            LoopMode::Once => {
                if p >= last || p <= 0.0 {
                    p = p.clamp(0.0, last);
                    self.playing = false;
                }
            }
            LoopMode::Loop => {
                // A frame "slot" is one unit of position; the timeline is frame_count units long.
                p = p.rem_euclid(self.frame_count as f64);
            }
            LoopMode::Reflect => {
                // Unfold the bounce into a circle of length 2·last: going up is u = p, coming
                // back down is u = 2·last − p. Advance u, then fold it back.
                let period = 2.0 * last;
                let u = if self.forward {
                    self.position
                } else {
                    period - self.position
                };
                let u = (u + frames).rem_euclid(period);
                (p, self.forward) = if u <= last {
                    (u, true)
                } else {
                    (period - u, false)
                };
            }
        }
        self.position = p;
        let after = self.frame();
        let moved = match self.loop_mode {
            LoopMode::Loop => frames.floor() as usize,
            _ => after.abs_diff(before),
        };
        moved.saturating_sub(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(v: u64) -> Duration {
        Duration::from_millis(v)
    }

    #[test]
    fn one_second_at_fps_advances_fps_frames_whatever_the_step() {
        for steps in [1, 7, 30, 100] {
            let mut t = Timeline::new(1000, 30.0);
            t.play();
            for _ in 0..steps {
                t.advance(Duration::from_secs_f64(1.0 / steps as f64));
            }
            assert_eq!(t.frame(), 30, "{steps} steps");
        }
    }

    #[test]
    fn slow_rendering_skips_frames_instead_of_slowing() {
        let mut t = Timeline::new(1000, 30.0);
        t.play();
        let skipped = t.advance(ms(100)); // a 100 ms render at 30 fps covers 3 frames
        assert_eq!(t.frame(), 3);
        assert_eq!(skipped, 2);
        assert_eq!(t.advance(ms(10)), 0);
    }

    #[test]
    fn speed_scales_and_clamps() {
        let mut t = Timeline::new(1000, 10.0);
        t.set_speed(2.0);
        t.play();
        t.advance(ms(1000));
        assert_eq!(t.frame(), 20);
        t.set_speed(100.0);
        assert_eq!(t.speed(), MAX_SPEED);
        t.set_speed(0.0);
        assert_eq!(t.speed(), MIN_SPEED);
        t.set_speed(1.0);
        t.faster();
        assert_eq!(t.speed(), 1.5);
        t.slower();
        t.slower();
        assert_eq!(t.speed(), 0.75);
        for _ in 0..20 {
            t.slower();
        }
        assert_eq!(t.speed(), MIN_SPEED);
        for _ in 0..20 {
            t.faster();
        }
        assert_eq!(t.speed(), MAX_SPEED);
    }

    #[test]
    fn once_stops_at_the_end_and_replays_from_start() {
        let mut t = Timeline::new(10, 10.0);
        t.set_loop_mode(LoopMode::Once);
        t.play();
        t.advance(ms(5000));
        assert_eq!(t.frame(), 9);
        assert!(!t.is_playing());
        t.play();
        assert_eq!(t.frame(), 0, "play at the end restarts");
        assert!(t.is_playing());
    }

    #[test]
    fn loop_wraps_around() {
        let mut t = Timeline::new(10, 10.0);
        t.play();
        t.advance(ms(1250)); // 12.5 frames
        assert_eq!(t.frame(), 2);
        assert!(t.is_playing());
        // Backwards wraps to the end.
        let mut t = Timeline::new(10, 10.0);
        t.play_reverse();
        t.advance(ms(150));
        assert_eq!(t.frame(), 8);
    }

    #[test]
    fn reflect_bounces_at_both_ends() {
        let mut t = Timeline::new(11, 10.0); // frames 0..=10
        t.set_loop_mode(LoopMode::Reflect);
        t.play();
        t.advance(ms(1300)); // 13 frames: up to 10, back 3
        assert_eq!(t.frame(), 7);
        assert!(!t.is_forward());
        t.advance(ms(1000)); // 10 more: down to 0, up 3
        assert_eq!(t.frame(), 3);
        assert!(t.is_forward());
        assert!(t.is_playing());
    }

    #[test]
    fn stepping_and_seeking_clamp_and_pause() {
        let mut t = Timeline::new(5, 10.0);
        t.play();
        t.step(1);
        assert!(!t.is_playing());
        assert_eq!(t.frame(), 1);
        t.step(-10);
        assert_eq!(t.frame(), 0);
        t.step(100);
        assert_eq!(t.frame(), 4);
        t.first();
        assert_eq!(t.frame(), 0);
        t.last();
        assert_eq!(t.frame(), 4);
        t.seek(99);
        assert_eq!(t.frame(), 4);
        assert!((t.time_s() - 0.4).abs() < 1e-9);
    }

    #[test]
    fn loop_mode_cycles() {
        assert_eq!(LoopMode::Once.next().next().next(), LoopMode::Once);
        assert_eq!(LoopMode::Loop.next(), LoopMode::Reflect);
    }

    #[test]
    fn single_frame_timeline_is_safe() {
        let mut t = Timeline::new(1, 10.0);
        t.play();
        t.advance(ms(1000));
        assert_eq!(t.frame(), 0);
    }
}
