//! One module per subcommand. Each returns the process exit code; `main`
//! only maps a failure to run at all onto exit code 2.

pub mod build;
pub mod check;
pub mod pack;

use crate::cli::{Cli, Command};

/// Why a command could not run at all (exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error("cannot read repository `{path}`: {source}")]
    Repository {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{0}")]
    Other(String),
}

pub fn run(cli: Cli) -> Result<u8, RunError> {
    match cli.command {
        Command::Check(args) => check::run(&args),
        Command::Build(args) => build::run(&args),
        Command::Pack(args) => pack::run(&args),
    }
}

/// Scans a repository, turning a failure to read its root into a `RunError`.
pub fn scan_repo(path: &std::path::Path) -> Result<crate::scan::Repository, RunError> {
    crate::scan::scan(path).map_err(|source| RunError::Repository {
        path: path.display().to_string(),
        source,
    })
}
