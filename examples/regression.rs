//! The `regression` scene: a line fitted by gradient descent, with its cost on a twin axis.
//!
//! The scene lives in `src/scenes/regression.rs`, written only against flipbook's public API
//! (this example compiles that very file): a [`FrameGenerator`](flipbook::FrameGenerator) that
//! does its work once in `new` and builds any frame on request, sharing unchanging data
//! between frames through `Arc`s. Read it as the tutorial; `custom_scene.rs` starts from zero.
//!
//! Run with `cargo run --release --example regression`; it writes `regression.gif`.

mod common;
// The scene's helpers for tests and other users go unused here.
#[allow(dead_code)]
#[path = "../src/scenes/regression.rs"]
mod regression;

fn main() -> Result<(), flipbook::Error> {
    common::export_gif("regression", &regression::Regression::new(90, 10.0))
}
