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
///
/// Only a regular file is replaced: a rename would turn a device, a FIFO
/// or a socket at `path` into a plain file (as root, `/dev/null` itself).
/// A symbolic link is followed and its target replaced, so the link stays
/// a link, as with a shell's `>`. The new file keeps the permissions of
/// the one it replaces, or gets 0644 (readable by all, like any output) when
/// there was none. A hard link to the old file keeps the old content: the
/// rename gives `path` a new file rather than rewriting the old one.
pub fn write_atomically(path: &std::path::Path, bytes: &[u8]) -> Result<(), RunError> {
    let target = output_target(path)?;
    let fail = |why: String| RunError::Other(format!("cannot write `{}`: {why}", path.display()));
    let dir = match target.path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => std::path::Path::new("."),
    };

    let mut tmp = tempfile::Builder::new()
        .prefix(".connector-catalog-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(|e| fail(io_reason(&e)))?;
    std::io::Write::write_all(&mut tmp, bytes).map_err(|e| fail(io_reason(&e)))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::Permissions::from_mode(target.mode);
        tmp.as_file()
            .set_permissions(mode)
            .map_err(|e| fail(io_reason(&e)))?;
    }
    tmp.as_file().sync_all().map_err(|e| fail(io_reason(&e)))?;
    tmp.persist(&target.path)
        .map_err(|e| fail(io_reason(&e.error)))?;
    Ok(())
}

/// Where [`write_atomically`] puts the file and with which permissions.
pub struct OutputTarget {
    /// `path` itself, or the file its symbolic link leads to.
    pub path: std::path::PathBuf,
    /// Permission bits (Unix).
    pub mode: u32,
}

/// Checks that `path` can take a written file, before any work is done
/// for it and again when writing: nothing there yet in an existing
/// folder, a regular file, or a link to one. Messages name `path` as the
/// user wrote it.
pub fn output_target(path: &std::path::Path) -> Result<OutputTarget, RunError> {
    use std::io::ErrorKind;
    let fail = |why: String| RunError::Other(format!("cannot write `{}`: {why}", path.display()));
    let refuse = |kind: &str| {
        fail(format!(
            "it is {kind}, not a regular file; give the path of a file to save the plan in"
        ))
    };

    let meta = match std::fs::symlink_metadata(path) {
        Ok(meta) => meta,
        // ENOTDIR: a component of the folder part is a file.
        Err(e) if matches!(e.kind(), ErrorKind::NotFound | ErrorKind::NotADirectory) => {
            let folder = match path.parent() {
                Some(p) if !p.as_os_str().is_empty() => p,
                _ => std::path::Path::new("."),
            };
            return match std::fs::metadata(folder) {
                Ok(meta) if meta.is_dir() => Ok(OutputTarget {
                    path: path.to_path_buf(),
                    mode: 0o644,
                }),
                Ok(_) => Err(fail(format!("`{}` is not a folder", folder.display()))),
                Err(e) if e.kind() == ErrorKind::NotFound => Err(fail(format!(
                    "the folder `{}` does not exist",
                    folder.display()
                ))),
                Err(e) => Err(fail(io_reason(&e))),
            };
        }
        Err(e) => return Err(fail(io_reason(&e))),
    };

    let (resolved, meta) = if meta.file_type().is_symlink() {
        let resolved = std::fs::canonicalize(path).map_err(|e| match e.kind() {
            ErrorKind::NotFound => fail(format!(
                "it is a symbolic link to `{}`, which does not exist",
                std::fs::read_link(path)
                    .map(|p| p.display().to_string())
                    .unwrap_or_default()
            )),
            _ => fail(io_reason(&e)),
        })?;
        let meta = std::fs::metadata(&resolved).map_err(|e| fail(io_reason(&e)))?;
        if !meta.is_file() {
            return Err(fail(format!(
                "it is a symbolic link to {} (`{}`), not to a regular file",
                crate::tenant::file_kind(&meta.file_type()),
                resolved.display()
            )));
        }
        (resolved, meta)
    } else if meta.is_file() {
        (path.to_path_buf(), meta)
    } else {
        return Err(refuse(crate::tenant::file_kind(&meta.file_type())));
    };

    #[cfg(unix)]
    let mode = {
        use std::os::unix::fs::PermissionsExt;
        // Set-id and sticky bits have no business on a data file.
        meta.permissions().mode() & 0o777
    };
    #[cfg(not(unix))]
    let mode = {
        let _ = &meta;
        0o644
    };
    Ok(OutputTarget {
        path: resolved,
        mode,
    })
}

/// An I/O error in words, without the temporary file's name that
/// `tempfile` adds to its errors: the user never named that file.
fn io_reason(e: &std::io::Error) -> String {
    match e.raw_os_error() {
        Some(code) => std::io::Error::from_raw_os_error(code).to_string(),
        None => std::io::Error::from(e.kind()).to_string(),
    }
}

/// Scans a repository, turning a failure to read its root into a `RunError`.
pub fn scan_repo(path: &std::path::Path) -> Result<crate::scan::Repository, RunError> {
    crate::scan::scan(path).map_err(|source| RunError::Repository {
        path: path.display().to_string(),
        source,
    })
}
