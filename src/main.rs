//! The `connector-catalog` binary: parse arguments, run one command, map the
//! outcome to an exit code. Everything else is in the library.

use clap::Parser;
use connector_catalog::cli::Cli;
use connector_catalog::commands;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            if !e.use_stderr() {
                // --help and --version.
                return ExitCode::SUCCESS;
            }
            let subcommand = std::env::args().skip(1).find(|a| !a.starts_with('-'));
            return ExitCode::from(commands::usage_error_code(subcommand.as_deref()));
        }
    };
    let code = cli.command.error_code();
    match commands::run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(code)
        }
    }
}
