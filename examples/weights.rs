//! The `weights` scene: a layer's weights during training as an annotated heatmap.
//!
//! The scene lives in `src/scenes/weights.rs`, written only against flipbook's public API
//! (this example compiles that very file): a [`FrameGenerator`](flipbook::FrameGenerator) that
//! does its work once in `new` and builds any frame on request, sharing unchanging data
//! between frames through `Arc`s. Read it as the tutorial; `custom_scene.rs` starts from zero.
//!
//! Run with `cargo run --release --example weights`; it writes `weights.gif`.

mod common;
// The scene's helpers for tests and other users go unused here.
#[allow(dead_code)]
#[path = "../src/scenes/weights.rs"]
mod weights;

fn main() -> Result<(), flipbook::Error> {
    common::export_gif("weights", &weights::Weights::new(60, 8.0))
}
