//! The `channels` scene: an image whose red channel moves across.
//!
//! The scene lives in `src/scenes/channels.rs`, written only against flipbook's public API
//! (this example compiles that very file): a [`FrameGenerator`](flipbook::FrameGenerator) that
//! does its work once in `new` and builds any frame on request, sharing unchanging data
//! between frames through `Arc`s. Read it as the tutorial; `custom_scene.rs` starts from zero.
//!
//! Run with `cargo run --release --example channels`; it writes `channels.gif`.

mod common;
// The scene's helpers for tests and other users go unused here.
#[allow(dead_code)]
#[path = "../src/scenes/channels.rs"]
mod channels;

fn main() -> Result<(), flipbook::Error> {
    common::export_gif("channels", &channels::Channels::new(24, 6.0))
}
