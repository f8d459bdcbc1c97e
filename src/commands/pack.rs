//! `pack`: write one installable zip per connector. Each zip is written to a
//! temporary name and renamed, so an interrupted run leaves no half zip.

use crate::cli::PackArgs;
use crate::commands::{scan_repo, RunError};
use crate::pack;

pub fn run(args: &PackArgs) -> Result<u8, RunError> {
    let repo = scan_repo(&args.repo.repo)?;
    let selected: Vec<_> = if args.names.is_empty() {
        repo.connectors.iter().collect()
    } else {
        let mut picked = Vec::new();
        for name in &args.names {
            match repo.connector(name) {
                Some(c) => picked.push(c),
                None => {
                    return Err(RunError::Other(format!(
                        "no connector named `{name}` in `{}`",
                        args.repo.repo.display()
                    )))
                }
            }
        }
        picked
    };
    std::fs::create_dir_all(&args.out)
        .map_err(|e| RunError::Other(format!("cannot create `{}`: {e}", args.out.display())))?;

    let mut failures = 0;
    for connector in selected {
        if connector.failed {
            eprintln!(
                "error: {}: bundle.json could not be read; not packed (run `check` for details)",
                connector.path
            );
            failures += 1;
            continue;
        }
        let packed = match pack::pack(&args.repo.repo, connector) {
            Ok(p) => p,
            Err(e) => {
                eprintln!("error: {e}");
                failures += 1;
                continue;
            }
        };
        let target = args.out.join(&packed.file_name);
        let temp = args.out.join(format!(".{}.partial", packed.file_name));
        std::fs::write(&temp, &packed.bytes)
            .and_then(|_| std::fs::rename(&temp, &target))
            .map_err(|e| RunError::Other(format!("cannot write `{}`: {e}", target.display())))?;
        if packed.bytes.len() > pack::TENANT_LIMIT {
            eprintln!(
                "warning: {} is {} bytes; tenants refuse archives over 10 MiB",
                target.display(),
                packed.bytes.len()
            );
        }
        println!(
            "{}\t{} bytes\t{} files",
            target.display(),
            packed.bytes.len(),
            packed.entries.len()
        );
    }
    Ok(u8::from(failures > 0))
}
