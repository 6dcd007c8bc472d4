//! The `boundary` scene: a network's decision boundary forming.
//!
//! The scene lives in `src/scenes/boundary.rs`, written only against flipbook's public API
//! (this example compiles that very file): a [`FrameGenerator`](flipbook::FrameGenerator) that
//! does its work once in `new` and builds any frame on request, sharing unchanging data
//! between frames through `Arc`s. Read it as the tutorial; `custom_scene.rs` starts from zero.
//!
//! Run with `cargo run --release --example boundary`; it writes `boundary.gif`.

mod common;
// The scene's helpers for tests and other users go unused here.
#[allow(dead_code)]
#[path = "../src/scenes/boundary.rs"]
mod boundary;

fn main() -> Result<(), flipbook::Error> {
    common::export_gif("boundary", &boundary::Boundary::new(150, 15.0))
}
