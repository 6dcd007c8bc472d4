//! The `sine` scene: a sine wave travelling past a fixed cosine.
//!
//! The scene lives in `src/scenes/sine.rs`, written only against flipbook's public API
//! (this example compiles that very file): a [`FrameGenerator`](flipbook::FrameGenerator) that
//! does its work once in `new` and builds any frame on request, sharing unchanging data
//! between frames through `Arc`s. Read it as the tutorial; `custom_scene.rs` starts from zero.
//!
//! Run with `cargo run --release --example sine`; it writes `sine.gif`.

mod common;
// The scene's helpers for tests and other users go unused here.
#[allow(dead_code)]
#[path = "../src/scenes/sine.rs"]
mod sine;

fn main() -> Result<(), flipbook::Error> {
    common::export_gif("sine", &sine::Sine::new(100, 25.0))
}
