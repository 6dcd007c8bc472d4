//! The binary's own modules: the benchmark and the environment set-up, which library users do
//! not link.

pub mod bench;
pub mod env;
