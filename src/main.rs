//! The `connector-catalog` binary: parse arguments, run one command, map the
//! outcome to an exit code. Everything else is in the library.

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = connector_catalog::cli::Cli::parse();
    match connector_catalog::commands::run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}
