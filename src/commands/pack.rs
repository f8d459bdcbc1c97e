//! `pack`: write one installable zip per connector. Each zip is written to a
//! temporary name and renamed, so an interrupted run leaves no half zip.

use crate::cli::PackArgs;
use crate::commands::{scan_repo, RunError};
use crate::pack;
use crate::scan::{Connector, Repository};

pub fn run(args: &PackArgs) -> Result<u8, RunError> {
    let repo = scan_repo(&args.repo.repo)?;
    refuse_out_inside_repo(args)?;
    let selected: Vec<&Connector> = if args.names.is_empty() {
        repo.connectors.iter().collect()
    } else {
        let mut picked: Vec<&Connector> = Vec::new();
        for name in &args.names {
            match pick(&repo, name) {
                // A name given twice is packed once.
                Some(c) if picked.iter().any(|p| std::ptr::eq(*p, c)) => {}
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
    if args.out.exists() && !args.out.is_dir() {
        return Err(RunError::Other(format!(
            "cannot write zips into `{}`: it is not a folder",
            args.out.display()
        )));
    }

    // --out is made when the first zip is ready, so a run that packs
    // nothing leaves no empty folder behind.
    let mut made_out = false;
    let mut failures = 0;
    for connector in selected {
        if connector.failed {
            eprintln!(
                "error: {}: {}; not packed",
                crate::text::for_terminal(&connector.path),
                pack::failure_reason(&repo, connector)
            );
            failures += 1;
            continue;
        }
        // The name becomes a file name in --out: `../x` would leave it.
        let file_name = format!("{}.zip", connector.name);
        if let Err(reason) = pack::check_file_name(&file_name) {
            eprintln!(
                "error: {}: refused to write `{}`: {reason}; not packed",
                crate::text::for_terminal(&connector.path),
                file_name.escape_default()
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
        if !made_out {
            std::fs::create_dir_all(&args.out).map_err(|e| {
                RunError::Other(format!("cannot create `{}`: {e}", args.out.display()))
            })?;
            made_out = true;
        }
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

/// The connector called `name`: of several folders with that name, the one
/// that passed the scan (the scan fails all but one of them).
fn pick<'a>(repo: &'a Repository, name: &str) -> Option<&'a Connector> {
    let mut named = repo.connectors.iter().filter(|c| c.name == name);
    let first = named.next()?;
    Some(
        std::iter::once(first)
            .chain(named)
            .find(|c| !c.failed)
            .unwrap_or(first),
    )
}

/// Zips written inside the repository would be packed into the next run's
/// zips, growing each time: refuse before any work.
fn refuse_out_inside_repo(args: &PackArgs) -> Result<(), RunError> {
    let resolve = |p: &std::path::Path| {
        crate::site::output::resolve(p)
            .map_err(|e| RunError::Other(format!("cannot resolve `{}`: {e}", p.display())))
    };
    let (out, repo) = (resolve(&args.out)?, resolve(&args.repo.repo)?);
    if out.starts_with(&repo) {
        return Err(RunError::Other(format!(
            "refusing to write zips to `{}`: it lies inside the repository `{}`, where \
             they would be scanned and, inside a connector folder, packed into later \
             zips; choose an --out folder outside the repository",
            args.out.display(),
            args.repo.repo.display()
        )));
    }
    Ok(())
}
