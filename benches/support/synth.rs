//! A synthetic connectors repository, a whole number of times the size of a
//! real one, for benchmarks that need more data than the real corpus holds.
//!
//! Copy `i` replicates every top-level vendor folder of the real repository
//! under a new vendor name ([`vendor_name`]: `appmixer` becomes `synth3` in
//! copy 3) and rewrites, in every `.json` file, the strings that are named
//! after the vendor: component, bundle and descriptor names
//! (`"appmixer.slack.list.Send"`), auth services (`"appmixer:slack"`) and
//! component paths in `source` URLs (`/appmixer/slack/`). Names thus stay
//! consistent with folders, and each copy keeps the original's mix of clean
//! and broken files, so a scan of `n` copies finds `n` times everything the
//! real scan finds. Icon data URIs get a media-type parameter naming the
//! copy (`data:image/png;synth=3;base64,...`): the image is unchanged, but
//! each copy's icons are distinct strings, as separate connectors' icons
//! are, so the scan cannot share one stored icon across copies. Other files
//! (`auth.js`, image files, readmes) are copied as they are.
//!
//! The result lives under `target/` and is generated once: a marker file
//! beside it records the generator's format and the number of files
//! written, and a later run reuses the folder while both still match.
//! It is not a fixture and is never committed. Files at the top level of the
//! real repository (there are none in the Appmixer one) are not copied,
//! because every copy would write them to the same place; neither are
//! top-level folders the scan skips (`.git`, `.github`, `node_modules`),
//! which renamed would no longer be hidden.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;
use walkdir::WalkDir;

/// The synthetic corpus of `copies` times `real`, generated once under
/// `target/bench-corpus/` and reused while complete.
pub fn synthetic_corpus(real: &Path, copies: usize) -> Result<Synthetic, ExitCode> {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dest = manifest_dir.join(format!("target/bench-corpus/synthetic-x{copies}"));
    let started = Instant::now();
    let synthetic = ensure(real, &dest, copies).map_err(|e| {
        eprintln!("error: cannot generate {}: {e}", dest.display());
        ExitCode::from(2)
    })?;
    eprintln!(
        "synthetic corpus: {} files at {} ({} in {:.1?})",
        synthetic.files,
        synthetic.root.display(),
        if synthetic.reused {
            "reused"
        } else {
            "generated"
        },
        started.elapsed()
    );
    Ok(synthetic)
}

/// A generated repository.
pub struct Synthetic {
    pub root: PathBuf,
    /// Files (and symbolic links) in it.
    pub files: usize,
    /// It was already complete and not written again.
    pub reused: bool,
}

/// The vendor folder name of `vendor` in copy `copy`. `appmixer` becomes
/// `synth<copy>`; another vendor keeps its name after that prefix and an
/// underscore (`synth3_examples`), which ends the copy number, so no two
/// vendors of any two copies collide.
pub fn vendor_name(vendor: &str, copy: usize) -> String {
    if vendor == "appmixer" {
        format!("synth{copy}")
    } else {
        format!("synth{copy}_{vendor}")
    }
}

/// Makes sure `dest` holds `copies` copies of the repository at `real`,
/// generating it when it is missing or incomplete.
pub fn ensure(real: &Path, dest: &Path, copies: usize) -> io::Result<Synthetic> {
    let vendors = vendors(real)?;
    let per_copy = files_below(real, &vendors)?;
    let expected = per_copy * copies;
    let marker = marker_path(dest);
    let stamp = format!("{FORMAT} {expected}");
    let recorded = fs::read_to_string(&marker).ok();
    if recorded.as_deref().map(str::trim) == Some(stamp.as_str()) && dest.is_dir() {
        return Ok(Synthetic {
            root: dest.to_path_buf(),
            files: expected,
            reused: true,
        });
    }

    // A partial folder (an interrupted run, a changed corpus) is rebuilt
    // from scratch rather than patched.
    let _ = fs::remove_file(&marker);
    if dest.exists() {
        fs::remove_dir_all(dest)?;
    }
    fs::create_dir_all(dest)?;
    let mut files = 0;
    for copy in 0..copies {
        let renames: Vec<(String, String)> = vendors
            .iter()
            .map(|v| (v.clone(), vendor_name(v, copy)))
            .collect();
        for (vendor, renamed) in &renames {
            files += copy_vendor(&real.join(vendor), &dest.join(renamed), &renames, copy)?;
        }
    }
    if files != expected {
        return Err(io::Error::other(format!(
            "wrote {files} files where {expected} were expected; did {} change meanwhile?",
            real.display()
        )));
    }
    fs::write(&marker, format!("{stamp}\n"))?;
    Ok(Synthetic {
        root: dest.to_path_buf(),
        files,
        reused: false,
    })
}

/// Names what the generator writes; a change to the rewriting changes it,
/// so a folder written by an older generator is not reused.
const FORMAT: &str = "synth-v3";

/// The marker sits beside the folder, not in it, so no scan ever sees it.
fn marker_path(dest: &Path) -> PathBuf {
    let mut name = dest.file_name().unwrap_or_default().to_os_string();
    name.push(".complete");
    dest.with_file_name(name)
}

/// Top-level folders of the real repository that the scan enters, sorted.
fn vendors(real: &Path) -> io::Result<Vec<String>> {
    let mut vendors = Vec::new();
    for entry in fs::read_dir(real)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let skipped = name.starts_with('.') || name == "node_modules" || name == "artifacts";
        if entry.file_type()?.is_dir() && !skipped {
            vendors.push(name);
        }
    }
    vendors.sort();
    Ok(vendors)
}

fn files_below(real: &Path, vendors: &[String]) -> io::Result<usize> {
    let mut count = 0;
    for vendor in vendors {
        for entry in WalkDir::new(real.join(vendor)) {
            if !entry.map_err(io::Error::other)?.file_type().is_dir() {
                count += 1;
            }
        }
    }
    Ok(count)
}

/// Copies one vendor folder, rewriting `.json` files for copy `copy`.
/// Symbolic links are recreated as links, with the same target.
fn copy_vendor(
    from: &Path,
    to: &Path,
    renames: &[(String, String)],
    copy: usize,
) -> io::Result<usize> {
    let icon_parameter = format!(";synth={copy}");
    let mut files = 0;
    for entry in WalkDir::new(from).follow_links(false) {
        let entry = entry.map_err(io::Error::other)?;
        let rel = entry.path().strip_prefix(from).map_err(io::Error::other)?;
        let target = to.join(rel);
        let kind = entry.file_type();
        if kind.is_dir() {
            fs::create_dir_all(&target)?;
            continue;
        }
        files += 1;
        if kind.is_symlink() {
            std::os::unix::fs::symlink(fs::read_link(entry.path())?, &target)?;
        } else if entry.path().extension().is_some_and(|e| e == "json") {
            let text = fs::read(entry.path())?;
            fs::write(&target, rewrite(&text, renames, &icon_parameter))?;
        } else {
            fs::copy(entry.path(), &target)?;
        }
    }
    Ok(files)
}

/// Rewrites the places where a JSON document names a vendor (a string that
/// starts with `vendor.` or `vendor:`, a string that is just `vendor`, and a
/// path segment `/vendor/`) and adds `icon_parameter` to the media type of
/// every string that is an image data URI. Works on bytes in one pass, so a
/// file that is not valid UTF-8 stays exactly as invalid.
pub fn rewrite(text: &[u8], renames: &[(String, String)], icon_parameter: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    let mut at = 0;
    while at < text.len() {
        let opener = text[at];
        out.push(opener);
        at += 1;
        let closers: &[u8] = match opener {
            b'"' => b".:\"",
            b'/' => b"/",
            _ => continue,
        };
        let rest = &text[at..];
        if opener == b'"' && rest.starts_with(b"data:image/") {
            // The media type ends at its first parameter or at the comma
            // before the data; the new parameter goes there.
            let end = rest
                .iter()
                .take(100)
                .position(|b| matches!(b, b';' | b',' | b'"'));
            if let Some(end) = end.filter(|&e| rest[e] != b'"') {
                out.extend_from_slice(&rest[..end]);
                out.extend_from_slice(icon_parameter.as_bytes());
                at += end;
            }
            continue;
        }
        let hit = renames.iter().find(|(old, _)| {
            rest.starts_with(old.as_bytes())
                && rest.get(old.len()).is_some_and(|c| closers.contains(c))
        });
        if let Some((old, new)) = hit {
            out.extend_from_slice(new.as_bytes());
            at += old.len();
        }
    }
    out
}
