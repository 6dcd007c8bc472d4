//! The binary's own modules: the benchmark, the environment set-up and what a SCENE argument
//! names (a built-in scene, a data file or a scene file), which library users do not link.

pub mod bench;
pub mod env;
pub mod source;
