//! The `fooling` scene: an image altered until a classifier is fooled.
//!
//! The scene lives in `src/scenes/fooling.rs`, written only against flipbook's public API
//! (this example compiles that very file): a [`FrameGenerator`](flipbook::FrameGenerator) that
//! does its work once in `new` and builds any frame on request, sharing unchanging data
//! between frames through `Arc`s. Read it as the tutorial; `custom_scene.rs` starts from zero.
//!
//! Run with `cargo run --release --example fooling`; it writes `fooling.gif`.

mod common;
// The scene's helpers for tests and other users go unused here.
#[allow(dead_code)]
#[path = "../src/scenes/fooling.rs"]
mod fooling;

fn main() -> Result<(), flipbook::Error> {
    common::export_gif("fooling", &fooling::Fooling::new(40, 8.0))
}
