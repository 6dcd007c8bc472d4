//! The `flipbook` command line; see [`flipbook::cli`].

fn main() -> std::process::ExitCode {
    std::process::ExitCode::from(flipbook::cli::main(std::env::args_os()))
}
