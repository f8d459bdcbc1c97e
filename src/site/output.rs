//! Writing a built site: refuse output paths that would leave the site and
//! collisions, write everything to a staging folder beside the target, then
//! swap it in. A build that fails on the way leaves the previous site as it
//! was, and files an earlier build wrote that no longer belong disappear
//! with the old folder. On Linux the swap is one `renameat2` exchanging the
//! two folders, so `out` always names a whole site; a build killed before
//! it removed the previous site (by then in the staging folder) leaves
//! clutter that the next build clears. Where the exchange is not supported
//! (another system, or a file system without it) the swap is two renames,
//! and a build killed between them leaves the previous site moved aside for
//! the next build to put back (see [`recover`]).
//!
//! A file whose bytes are the same as in the previous site is hard-linked
//! into the staging folder instead of written: the previous site is never
//! changed, and the new one holds exactly the bytes a full write would
//! give. On file systems where creating and deleting files is expensive
//! (ext4 without a journal scans past every recently deleted inode for each
//! new file) this is most of the cost of a rebuild, and it is why an
//! unchanged file keeps its modification time. Deciding this is not a
//! cache: every file is compared byte for byte with the one it would
//! replace, and anything that is not a plain file in a plain folder with the
//! mode a new file gets (a `chmod` in the old site is not carried over), or
//! cannot be linked, is written.

use rayon::prelude::*;
use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Name of the marker file that says a folder is a site this tool built;
/// only such folders (or empty ones) are ever replaced.
pub const MARKER: &str = ".connector-catalog-site";

/// One file of the site, with what produced it (for collision messages).
#[derive(Debug, Clone)]
pub struct OutFile {
    pub path: String,
    pub source: String,
    pub bytes: Vec<u8>,
}

#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("two sources map to one output path `{path}`: {first} and {second}")]
    Collision {
        path: String,
        first: String,
        second: String,
    },
    #[error("refusing to replace `{0}`: it is not empty and was not built by connector-catalog")]
    Foreign(String),
    #[error(
        "refusing to build: {origin} would write to `{path}`, {reason}; every output path \
         must be a relative path inside the site"
    )]
    UnsafePath {
        path: String,
        origin: String,
        reason: &'static str,
    },
    #[error(
        "cannot build into `{path}`: it is a link{target} that leads nowhere ({source}); \
         create the folder it points to, or give another --out"
    )]
    DeadLink {
        path: String,
        /// ` to `where``, when the link can be read.
        target: String,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot write `{path}`: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
}

/// Two outputs that are the same path, or the same path but for letter case
/// (which collide on case-insensitive file systems and in zips unpacked
/// there), fail the build naming both sources.
pub fn check_collisions(files: &[OutFile]) -> Result<(), OutputError> {
    let mut seen: HashMap<String, &OutFile> = HashMap::with_capacity(files.len());
    for f in files {
        if let Some(earlier) = seen.insert(f.path.to_lowercase(), f) {
            let (first, second) = if earlier.source <= f.source {
                (earlier, f)
            } else {
                (f, earlier)
            };
            return Err(OutputError::Collision {
                path: f.path.clone(),
                first: first.source.clone(),
                second: second.source.clone(),
            });
        }
    }
    Ok(())
}

/// Every output path must be `/`-separated plain names, so that joined to
/// the staging folder it stays inside it: a name such as `../../x` in a
/// manifest would otherwise write anywhere. The scanner's checks come first;
/// this is the last line before the file system.
pub fn check_paths(files: &[OutFile]) -> Result<(), OutputError> {
    for f in files {
        if let Some(reason) = unsafe_path(&f.path) {
            return Err(OutputError::UnsafePath {
                path: crate::text::for_terminal(&f.path).into_owned(),
                origin: crate::text::for_terminal(&f.source).into_owned(),
                reason,
            });
        }
    }
    Ok(())
}

/// Why `path` is not a safe relative output path, if it is not.
fn unsafe_path(path: &str) -> Option<&'static str> {
    if path.is_empty() {
        return Some("an empty path");
    }
    if path.contains('\0') {
        return Some("which holds a NUL character");
    }
    if path.contains('\\') {
        return Some("which holds a backslash");
    }
    if path.starts_with('/') {
        return Some("which is absolute");
    }
    for part in path.split('/') {
        match part {
            "" => return Some("which has an empty part"),
            "." | ".." => return Some("which has a `.` or `..` part"),
            _ => {}
        }
    }
    let plain = Path::new(path)
        .components()
        .all(|c| matches!(c, std::path::Component::Normal(_)));
    (!plain).then_some("which is not a plain relative path")
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> OutputError + '_ {
    move |source| OutputError::Io {
        path: path.display().to_string(),
        source,
    }
}

fn sibling(out: &Path, tag: &str) -> PathBuf {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "site".into());
    out.with_file_name(format!(".{name}.{tag}-{}", std::process::id()))
}

/// `path` made absolute with every link resolved, also when it does not
/// exist yet: its nearest existing ancestor is canonicalized and the rest
/// appended. Two such paths tell whether one folder lies inside another
/// however either is spelled (`site`, `./x/../site`, through a link);
/// `build` and `pack` compare their output folder with their inputs so.
pub fn resolve(path: &Path) -> std::io::Result<PathBuf> {
    use std::io::ErrorKind;
    let mut existing = std::path::absolute(path)?;
    let mut rest = Vec::new();
    let base = loop {
        match std::fs::canonicalize(&existing) {
            Ok(base) => break base,
            Err(e) if matches!(e.kind(), ErrorKind::NotFound | ErrorKind::NotADirectory) => {
                let Some(name) = existing.components().next_back() else {
                    return Err(e);
                };
                rest.push(name.as_os_str().to_os_string());
                if !existing.pop() {
                    return Err(e);
                }
            }
            Err(e) => return Err(e),
        }
    };
    let mut resolved = base;
    for part in rest.iter().rev() {
        match part.to_str() {
            Some("..") => {
                resolved.pop();
            }
            Some(".") => {}
            _ => resolved.push(part),
        }
    }
    Ok(resolved)
}

/// The folder a site at `out` replaces: `out`, or, when `out` is a
/// symbolic link (a `current -> releases/7` deployment, say), the folder it
/// leads to, so that the link stays a link and what it points at is the new
/// site. Replacing the link itself with a folder would leave the old site
/// where the link used to lead.
pub fn site_folder(out: &Path) -> Result<PathBuf, OutputError> {
    let is_link = std::fs::symlink_metadata(out).is_ok_and(|m| m.file_type().is_symlink());
    if !is_link {
        return Ok(out.to_path_buf());
    }
    std::fs::canonicalize(out).map_err(|source| OutputError::DeadLink {
        path: out.display().to_string(),
        target: std::fs::read_link(out)
            .map(|t| format!(" to `{}`", t.display()))
            .unwrap_or_default(),
        source,
    })
}

/// Writes `files` as the whole content of `out` (through a link, see
/// [`site_folder`]), atomically replacing what was there.
pub fn write_site(out: &Path, files: &[OutFile]) -> Result<(), OutputError> {
    write_site_swapping(&site_folder(out)?, files, exchange)
}

/// What swaps two folders in one step: `Ok(false)` where it cannot.
type Exchange = fn(&Path, &Path) -> std::io::Result<bool>;

/// [`write_site`] with the one-step swap given, so tests can take the
/// two-rename way on a system that has the other.
fn write_site_swapping(
    out: &Path,
    files: &[OutFile],
    exchange: Exchange,
) -> Result<(), OutputError> {
    check_paths(files)?;
    check_collisions(files)?;
    recover(out)?;
    let mut previous = None;
    if out.exists() {
        let ours = out.join(MARKER).exists();
        let empty = std::fs::read_dir(out).map_err(io(out))?.next().is_none();
        if !ours && !empty {
            return Err(OutputError::Foreign(out.display().to_string()));
        }
        if ours {
            previous = Some(out);
        }
    }
    if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(io(parent))?;
    }
    let staging = sibling(out, "building");
    if staging.exists() {
        std::fs::remove_dir_all(&staging).map_err(io(&staging))?;
    }
    let result = stage(&staging, files, previous).and_then(|_| swap(out, &staging, exchange));
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&staging);
    }
    result
}

/// Puts back a previous site that a killed build had moved aside (killed
/// between the two renames of the swap, it leaves no `out` at all), and
/// removes the staging and moved-aside folders killed builds left beside
/// `out`. Only folders of processes that no longer run are touched, so a
/// build running at the same time keeps its own; where `/proc` cannot tell
/// which processes run, nothing is touched.
pub fn recover(out: &Path) -> Result<(), OutputError> {
    if !Path::new("/proc/self").is_dir() {
        return Ok(());
    }
    let Some(name) = out.file_name().and_then(|n| n.to_str()) else {
        return Ok(());
    };
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    // A parent that cannot be listed (not there yet) holds nothing stale.
    let Ok(entries) = std::fs::read_dir(parent) else {
        return Ok(());
    };
    let prefix = format!(".{name}.");
    let mut stale: Vec<(bool, u32, PathBuf)> = Vec::new();
    for entry in entries.flatten() {
        let file = entry.file_name();
        let Some((tag, pid)) = file
            .to_str()
            .and_then(|f| f.strip_prefix(&prefix))
            .and_then(|rest| rest.rsplit_once('-'))
        else {
            continue;
        };
        let Ok(pid) = pid.parse::<u32>() else {
            continue;
        };
        let dead = pid != std::process::id() && !Path::new("/proc").join(pid.to_string()).exists();
        let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        if matches!(tag, "building" | "old") && dead && is_dir {
            stale.push((tag == "old", pid, entry.path()));
        }
    }
    // Staging folders first; of several moved-aside sites, the newest
    // process's (the highest pid, short of wrap-around) is put back.
    stale.sort_by_key(|(old, pid, _)| (*old, std::cmp::Reverse(*pid)));
    for (old, _, path) in stale {
        let missing = std::fs::symlink_metadata(out).is_err();
        if old && missing && path.join(MARKER).is_file() {
            std::fs::rename(&path, out).map_err(io(out))?;
        } else {
            // Best effort: a folder that cannot be removed is only clutter.
            let _ = std::fs::remove_dir_all(&path);
        }
    }
    Ok(())
}

fn stage(staging: &Path, files: &[OutFile], previous: Option<&Path>) -> Result<(), OutputError> {
    std::fs::create_dir_all(staging).map_err(io(staging))?;
    // The marker first: a file just created shows the mode every new file
    // gets here (the umask's), which a file linked from the previous site
    // must have too, or a `chmod` there would outlive every rebuild.
    let marker = staging.join(MARKER);
    std::fs::write(
        &marker,
        b"built by connector-catalog; this folder is replaced on each build\n",
    )
    .map_err(io(&marker))?;
    let fresh_mode = mode(&marker);
    let mut dirs: Vec<PathBuf> = files
        .iter()
        .filter_map(|f| Path::new(&f.path).parent().map(|p| staging.join(p)))
        .collect();
    dirs.sort();
    dirs.dedup();
    for dir in &dirs {
        std::fs::create_dir_all(dir).map_err(io(dir))?;
    }
    files.par_iter().try_for_each(|f| {
        let path = staging.join(&f.path);
        if let Some(old) = previous.map(|p| p.join(&f.path)) {
            let linkable = holds(&old, &f.bytes, fresh_mode);
            if linkable && std::fs::hard_link(&old, &path).is_ok() {
                return Ok(());
            }
        }
        std::fs::write(&path, &f.bytes).map_err(io(&path))
    })
}

/// The permission bits of the file at `path` (not following a link), where
/// the system has them.
fn mode(path: &Path) -> Option<u32> {
    std::fs::symlink_metadata(path)
        .ok()
        .and_then(|m| mode_of(&m))
}

fn mode_of(meta: &std::fs::Metadata) -> Option<u32> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        Some(meta.permissions().mode() & 0o7777)
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        None
    }
}

/// Is `path` a plain file (not a link, in a plain folder) with permission
/// bits `mode`, holding exactly `bytes`? Any error reading it means no: the
/// file is then written, not linked.
fn holds(path: &Path, bytes: &[u8], mode: Option<u32>) -> bool {
    let same_size = std::fs::symlink_metadata(path).is_ok_and(|m| {
        m.file_type().is_file() && m.len() == bytes.len() as u64 && mode_of(&m) == mode
    });
    // Site files lie at most one folder deep; a linked folder could lead
    // anywhere.
    let plain_folder = path
        .parent()
        .is_some_and(|p| std::fs::symlink_metadata(p).is_ok_and(|m| m.is_dir()));
    if !same_size || !plain_folder {
        return false;
    }
    let Ok(mut file) = std::fs::File::open(path) else {
        return false;
    };
    // Compared a block at a time, so a difference near the start stops the
    // read there and no copy of a large file is ever held.
    let mut block = [0u8; 16 * 1024];
    let mut rest = bytes;
    loop {
        match file.read(&mut block) {
            Ok(0) => return rest.is_empty(),
            Ok(n) if n <= rest.len() && block[..n] == rest[..n] => rest = &rest[n..],
            Ok(_) => return false,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => return false,
        }
    }
}

fn swap(out: &Path, staging: &Path, exchange: Exchange) -> Result<(), OutputError> {
    if !out.exists() {
        return std::fs::rename(staging, out).map_err(io(out));
    }
    if exchange(staging, out).map_err(io(out))? {
        // The staging folder now holds the previous site.
        return std::fs::remove_dir_all(staging).map_err(io(staging));
    }
    let old = sibling(out, "old");
    std::fs::rename(out, &old).map_err(io(out))?;
    if let Err(e) = std::fs::rename(staging, out) {
        // Put the previous site back before reporting.
        let _ = std::fs::rename(&old, out);
        return Err(io(out)(e));
    }
    std::fs::remove_dir_all(&old).map_err(io(&old))
}

/// Swaps the two paths in one step; `Ok(false)` where this system or file
/// system cannot.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<bool> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    use rustix::io::Errno;
    match renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE) {
        Ok(()) => Ok(true),
        // Kernels before 3.15, and file systems without the flag.
        Err(Errno::INVAL | Errno::NOSYS | Errno::OPNOTSUPP) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> std::io::Result<bool> {
    Ok(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, source: &str) -> OutFile {
        OutFile {
            path: path.into(),
            source: source.into(),
            bytes: b"x".to_vec(),
        }
    }

    #[test]
    fn paths_that_differ_only_in_case_collide() {
        let err = check_collisions(&[
            file("components/a.B.html", "acme/a/B"),
            file("components/a.b.html", "acme/a/b"),
        ])
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "two sources map to one output path `components/a.b.html`: acme/a/B and acme/a/b"
        );
    }

    #[test]
    fn a_foreign_folder_is_never_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        std::fs::create_dir(&out).unwrap();
        std::fs::write(out.join("precious.txt"), "keep").unwrap();
        let err = write_site(&out, &[file("index.html", "index")]).unwrap_err();
        assert!(matches!(err, OutputError::Foreign(_)));
        assert_eq!(
            std::fs::read_to_string(out.join("precious.txt")).unwrap(),
            "keep"
        );
    }

    fn bytes(path: &str, text: &str) -> OutFile {
        OutFile {
            path: path.into(),
            source: path.into(),
            bytes: text.as_bytes().to_vec(),
        }
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn the_exchange_swaps_two_folders_in_place() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a"), dir.path().join("b"));
        std::fs::create_dir(&a).unwrap();
        std::fs::create_dir(&b).unwrap();
        std::fs::write(a.join("f"), "from a").unwrap();
        std::fs::write(b.join("f"), "from b").unwrap();
        assert!(exchange(&a, &b).unwrap());
        assert_eq!(std::fs::read_to_string(a.join("f")).unwrap(), "from b");
        assert_eq!(std::fs::read_to_string(b.join("f")).unwrap(), "from a");
    }

    /// A reader of the site (a web server, say) never finds it missing
    /// while a rebuild swaps the new site in: with two renames it would,
    /// between them.
    #[cfg(target_os = "linux")]
    #[test]
    fn a_rebuild_never_leaves_the_site_missing() {
        use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        write_site(&out, &[bytes("index.html", "0")]).unwrap();
        let done = AtomicBool::new(false);
        let (looks, misses) = (AtomicUsize::new(0), AtomicUsize::new(0));
        std::thread::scope(|s| {
            s.spawn(|| {
                while !done.load(Ordering::Relaxed) {
                    looks.fetch_add(1, Ordering::Relaxed);
                    if std::fs::symlink_metadata(out.join(MARKER)).is_err() {
                        misses.fetch_add(1, Ordering::Relaxed);
                    }
                }
            });
            for i in 1..=100 {
                write_site(&out, &[bytes("index.html", &i.to_string())]).unwrap();
            }
            done.store(true, Ordering::Relaxed);
        });
        assert!(looks.load(Ordering::Relaxed) > 0);
        assert_eq!(misses.load(Ordering::Relaxed), 0);
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "100"
        );
        assert_eq!(names_in(dir.path()), ["site"]);
    }

    #[cfg(unix)]
    #[test]
    fn a_rebuild_links_unchanged_files_and_writes_changed_ones() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        write_site(&out, &[bytes("a.html", "same"), bytes("b/c.html", "old!")]).unwrap();
        let inode = |p: &str| std::fs::metadata(out.join(p)).unwrap().ino();
        let (a, c) = (inode("a.html"), inode("b/c.html"));

        // `b/c.html` keeps its size, so only the bytes tell it changed.
        write_site(&out, &[bytes("a.html", "same"), bytes("b/c.html", "new!")]).unwrap();
        assert_eq!(std::fs::read_to_string(out.join("a.html")).unwrap(), "same");
        assert_eq!(
            std::fs::read_to_string(out.join("b/c.html")).unwrap(),
            "new!"
        );
        assert_eq!(inode("a.html"), a, "the unchanged file was written again");
        assert_ne!(inode("b/c.html"), c, "the changed file was not written");
        // The previous site is gone, so nothing else shares the inode.
        assert_eq!(std::fs::metadata(out.join("a.html")).unwrap().nlink(), 1);
    }

    /// Writing through a link replaces the folder it leads to; the link
    /// stays.
    #[cfg(unix)]
    #[test]
    fn a_site_written_through_a_link_keeps_the_link() {
        let dir = tempfile::tempdir().unwrap();
        let release = dir.path().join("release");
        write_site(&release, &[bytes("old.html", "old")]).unwrap();
        let current = dir.path().join("current");
        std::os::unix::fs::symlink(&release, &current).unwrap();
        write_site(&current, &[bytes("new.html", "new")]).unwrap();
        assert!(std::fs::symlink_metadata(&current)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(names_in(&release), [".connector-catalog-site", "new.html"]);
    }

    /// A file whose mode was changed in the site is written again, not
    /// linked: a `chmod 000` there must not outlive the next build.
    #[cfg(unix)]
    #[test]
    fn a_file_whose_mode_changed_is_written_again_with_a_new_files_mode() {
        use std::os::unix::fs::{MetadataExt, PermissionsExt};
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        write_site(&out, &[bytes("a.html", "same"), bytes("b.html", "same")]).unwrap();
        let fresh = mode(&out.join("b.html"));
        let a = out.join("a.html");
        std::fs::set_permissions(&a, std::fs::Permissions::from_mode(0o600)).unwrap();
        let before = std::fs::metadata(&a).unwrap().ino();

        write_site(&out, &[bytes("a.html", "same"), bytes("b.html", "same")]).unwrap();
        assert_eq!(mode(&a), fresh);
        assert_ne!(std::fs::metadata(&a).unwrap().ino(), before);
        assert_eq!(std::fs::read_to_string(&a).unwrap(), "same");
    }

    #[cfg(unix)]
    #[test]
    fn a_build_that_fails_after_linking_leaves_the_previous_site_and_its_files_alone() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        write_site(&out, &[bytes("a.html", "same"), bytes("b.html", "old")]).unwrap();
        let before = std::fs::metadata(out.join("a.html")).unwrap().ino();

        // A non-empty folder where the two-rename swap moves the previous
        // site makes the swap fail after every file has been staged,
        // `a.html` linked.
        let blocker = sibling(&out, "old");
        std::fs::create_dir(&blocker).unwrap();
        std::fs::write(blocker.join("keep"), "").unwrap();
        let files = [bytes("a.html", "same"), bytes("b.html", "new")];
        let err = write_site_swapping(&out, &files, |_, _| Ok(false)).unwrap_err();
        assert!(matches!(err, OutputError::Io { .. }), "{err}");
        std::fs::remove_dir_all(&blocker).unwrap();

        assert_eq!(std::fs::read_to_string(out.join("a.html")).unwrap(), "same");
        assert_eq!(std::fs::read_to_string(out.join("b.html")).unwrap(), "old");
        let meta = std::fs::metadata(out.join("a.html")).unwrap();
        assert_eq!(
            (meta.ino(), meta.nlink()),
            (before, 1),
            "the staged link was left"
        );
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(leftovers, vec![std::ffi::OsString::from("site")]);
    }

    #[cfg(unix)]
    #[test]
    fn a_link_in_the_previous_site_is_never_carried_over() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        write_site(&out, &[bytes("a.html", "same")]).unwrap();
        let outside = dir.path().join("outside.html");
        std::fs::write(&outside, "same").unwrap();
        std::fs::remove_file(out.join("a.html")).unwrap();
        std::os::unix::fs::symlink(&outside, out.join("a.html")).unwrap();

        write_site(&out, &[bytes("a.html", "same")]).unwrap();
        let kind = std::fs::symlink_metadata(out.join("a.html"))
            .unwrap()
            .file_type();
        assert!(kind.is_file(), "a.html is {kind:?}");
        std::fs::write(out.join("a.html"), "changed").unwrap();
        assert_eq!(std::fs::read_to_string(&outside).unwrap(), "same");
    }

    #[test]
    fn a_rebuild_removes_files_that_no_longer_belong() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        write_site(&out, &[file("index.html", "i"), file("old/page.html", "o")]).unwrap();
        write_site(&out, &[file("index.html", "i")]).unwrap();
        assert!(out.join("index.html").exists());
        assert!(!out.join("old").exists());
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(leftovers, vec![std::ffi::OsString::from("site")]);
    }

    #[test]
    fn an_output_path_that_leaves_the_site_is_refused_naming_its_source() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("a/b/site");
        let files = [
            file("index.html", "index"),
            file("components/../../../escaped/clean.html", "acme/x/clean"),
        ];
        let err = write_site(&out, &files).unwrap_err();
        assert_eq!(
            err.to_string(),
            "refusing to build: acme/x/clean would write to \
             `components/../../../escaped/clean.html`, which has a `.` or `..` part; every \
             output path must be a relative path inside the site"
        );
        let written: Vec<_> = walkdir::WalkDir::new(dir.path())
            .min_depth(1)
            .into_iter()
            .map(|e| e.unwrap().path().to_path_buf())
            .collect();
        assert_eq!(written, Vec::<PathBuf>::new());
    }

    #[test]
    fn only_plain_relative_paths_are_output_paths() {
        let got: Vec<Option<&str>> = [
            "connectors/acme.x.html",
            "",
            "/tmp/x.html",
            "a\\..\\x.html",
            "a//x.html",
            "./x.html",
            "a/\0.html",
            "components/",
        ]
        .iter()
        .map(|p| unsafe_path(p))
        .collect();
        assert_eq!(
            got,
            [
                None,
                Some("an empty path"),
                Some("which is absolute"),
                Some("which holds a backslash"),
                Some("which has an empty part"),
                Some("which has a `.` or `..` part"),
                Some("which holds a NUL character"),
                Some("which has an empty part"),
            ]
        );
    }

    /// The pid of a process that has ended.
    fn dead_pid() -> u32 {
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let pid = child.id();
        child.wait().unwrap();
        pid
    }

    fn names_in(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_site_a_killed_build_moved_aside_is_put_back_and_its_leftovers_removed() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        write_site(&out, &[bytes("a.html", "previous")]).unwrap();
        // Killed between the two renames of its swap: the previous site
        // moved aside, the new one still staged, no `site` at all.
        let pid = dead_pid();
        std::fs::rename(&out, dir.path().join(format!(".site.old-{pid}"))).unwrap();
        let staged = dir.path().join(format!(".site.building-{pid}"));
        std::fs::create_dir(&staged).unwrap();
        std::fs::write(staged.join("a.html"), "half").unwrap();
        // Another folder's leftovers and a live process's staging stay.
        let live = dir
            .path()
            .join(format!(".site.building-{}", std::process::id()));
        std::fs::create_dir(&live).unwrap();
        std::fs::create_dir(dir.path().join(format!(".other.old-{pid}"))).unwrap();

        recover(&out).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("a.html")).unwrap(),
            "previous"
        );
        assert_eq!(
            names_in(dir.path()),
            [
                format!(".other.old-{pid}"),
                format!(".site.building-{}", std::process::id()),
                "site".to_string()
            ]
        );
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_build_after_a_killed_one_leaves_only_the_site() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        write_site(&out, &[bytes("a.html", "previous")]).unwrap();
        let pid = dead_pid();
        std::fs::create_dir(dir.path().join(format!(".site.building-{pid}"))).unwrap();
        let old = dir.path().join(format!(".site.old-{pid}"));
        std::fs::create_dir(&old).unwrap();
        std::fs::write(old.join(MARKER), "").unwrap();

        write_site(&out, &[bytes("a.html", "new")]).unwrap();
        assert_eq!(std::fs::read_to_string(out.join("a.html")).unwrap(), "new");
        assert_eq!(names_in(dir.path()), ["site"]);
    }
}
