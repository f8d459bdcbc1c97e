//! One module per subcommand. Each returns the process exit code; `main`
//! maps a failure to run at all onto the command's error code.

pub mod build;
pub mod check;
pub mod diff;
pub mod pack;
pub mod plan;
pub mod rules;

use crate::cli::{Cli, Command};

/// Why a command could not run at all (exit code 2, or 1 for `plan` and
/// `diff`, whose 2 and 3 mean "changes" and "breaking changes").
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
        Command::Plan(args) => plan::run(&args),
        Command::Diff(args) => diff::run(&args),
        Command::Rules(args) => rules::run(&args),
    }
}

impl Command {
    /// The exit code of a failure to run this command.
    pub fn error_code(&self) -> u8 {
        match self {
            Command::Plan(_) | Command::Diff(_) => 1,
            _ => 2,
        }
    }
}

/// The exit code of bad arguments to `subcommand` (the first argument that
/// is not an option), so that CI never reads a typo as "changes found".
pub fn usage_error_code(subcommand: Option<&str>) -> u8 {
    match subcommand {
        Some("plan" | "diff") => 1,
        _ => 2,
    }
}

/// Writes `text` to stdout; a closed pipe (`| head`) is not a failure.
pub fn print(text: &str) -> Result<(), RunError> {
    use std::io::Write;
    match std::io::stdout().lock().write_all(text.as_bytes()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(RunError::Other(format!("cannot write to stdout: {e}")))
        }
        _ => Ok(()),
    }
}

/// Writes a file whole or not at all: a temporary file beside it, then a
/// rename, so a reader never sees half a plan.
pub fn write_atomically(path: &std::path::Path, bytes: &[u8]) -> Result<(), RunError> {
    let fail =
        |e: std::io::Error| RunError::Other(format!("cannot write `{}`: {e}", path.display()));
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => std::path::Path::new("."),
    };
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(fail)?;
    std::io::Write::write_all(&mut tmp, bytes).map_err(fail)?;
    tmp.persist(path).map_err(|e| fail(e.error))?;
    Ok(())
}

/// Scans a repository, turning a failure to read its root into a `RunError`.
pub fn scan_repo(path: &std::path::Path) -> Result<crate::scan::Repository, RunError> {
    crate::scan::scan(path).map_err(|source| RunError::Repository {
        path: path.display().to_string(),
        source,
    })
}
