//! The `lorenz` scene: three Lorenz trajectories diverging in 3D.
//!
//! The scene lives in `src/scenes/lorenz.rs`, written only against flipbook's public API
//! (this example compiles that very file): a [`FrameGenerator`](flipbook::FrameGenerator) that
//! does its work once in `new` and builds any frame on request, sharing unchanging data
//! between frames through `Arc`s. Read it as the tutorial; `custom_scene.rs` starts from zero.
//!
//! Run with `cargo run --release --example lorenz`; it writes `lorenz.gif`.

mod common;
// The scene's helpers for tests and other users go unused here.
#[allow(dead_code)]
#[path = "../src/scenes/lorenz.rs"]
mod lorenz;

fn main() -> Result<(), flipbook::Error> {
    common::export_gif("lorenz", &lorenz::Lorenz::new(240, 24.0))
}
