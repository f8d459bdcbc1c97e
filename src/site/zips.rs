//! The site's zips, reusing the previous build's where nothing that goes
//! into one has changed.
//!
//! Compressing is two thirds of a build's work, and between two builds
//! most connectors are untouched. Each build writes an index beside its
//! zips ([`INDEX`]): per zip, a 128-bit hash of everything that decides its
//! bytes (the tool's version, [`pack::ZIP_LAYOUT`], and every entry's name
//! and contents) and a hash of the zip itself. The next build into the same
//! folder reads every input anyway, and where the key is the same and the
//! previous zip still hashes to what the index says, takes that zip's bytes
//! instead of compressing again. Anything else (no index, a line it cannot
//! read, a zip edited or missing since, a link where the zip was) means
//! compressing as usual, so the result is always the bytes a fresh build
//! writes; a test holds that.
//!
//! The previous site is trusted as this tool's own output, the way a build
//! cache is: the hashes catch accidental edits, not someone who can write
//! into `--out` and forge both a zip and its line. Where the output folder
//! is shared with less trusted hands, build into a new folder each time;
//! nothing is then reused.

use crate::pack::{self, PackError, Packed};
use crate::scan::Connector;
use crate::site::output::{OutFile, MARKER};
use crate::site::view;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use xxhash_rust::xxh3::{xxh3_128, Xxh3};

/// The index's name in the site: hidden, as the marker is.
pub const INDEX: &str = ".connector-catalog-zips";

/// An index longer than this is not read: a line is about 100 bytes, so
/// this is room for over 150,000 connectors.
const MAX_INDEX: u64 = 16 * 1024 * 1024;

/// One zip as the index records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Record {
    key: u128,
    zip: u128,
}

/// The previous build's zips, where they may be reused from.
pub struct Previous {
    site: PathBuf,
    records: HashMap<String, Record>,
}

impl Previous {
    /// The index of the site at `out`, if `out` holds a site this tool
    /// built; an unreadable index reuses nothing.
    pub fn load(out: &Path) -> Previous {
        let mut records = HashMap::new();
        // Only a plain index of a sane size, beside a plain `downloads`
        // folder, is read: a link could lead anywhere, a FIFO would block
        // the build and `/dev/zero` would never end.
        let plain = |path: &Path, is: fn(&std::fs::Metadata) -> bool| {
            std::fs::symlink_metadata(path).is_ok_and(|m| is(&m))
        };
        let index = out.join(INDEX);
        let usable = out.join(MARKER).is_file()
            && plain(&out.join("downloads"), |m| m.file_type().is_dir())
            && plain(&index, |m| m.file_type().is_file() && m.len() <= MAX_INDEX);
        if usable {
            if let Ok(text) = std::fs::read_to_string(&index) {
                for line in text.lines() {
                    let mut fields = line.split('\t');
                    let (Some(name), Some(key), Some(zip), None) =
                        (fields.next(), fields.next(), fields.next(), fields.next())
                    else {
                        continue;
                    };
                    let hex = |h: &str| u128::from_str_radix(h, 16).ok();
                    if let (Some(key), Some(zip)) = (hex(key), hex(zip)) {
                        records.insert(name.to_string(), Record { key, zip });
                    }
                }
            }
        }
        Previous {
            site: out.to_path_buf(),
            records,
        }
    }

    /// The zip of `connector`: the previous build's when its inputs are
    /// the same and it is intact, else a new one. Also says whether it was
    /// reused and gives the line the next build's index needs.
    pub fn pack(&self, repo_root: &Path, connector: &Connector) -> Result<Zipped, PackError> {
        let inputs = pack::read_inputs(repo_root, connector)?;
        let key = key(&inputs);
        if let Some((bytes, record)) = self.reusable(&connector.name, key) {
            let packed = Packed {
                name: connector.name.clone(),
                file_name: format!("{}.zip", connector.name),
                bytes,
                entries: inputs.into_iter().map(|(entry, _)| entry).collect(),
            };
            return Ok(Zipped {
                packed,
                reused: true,
                record,
            });
        }
        let packed = pack::zip_inputs(connector, &inputs)?;
        let zip = xxh3_128(&packed.bytes);
        Ok(Zipped {
            packed,
            reused: false,
            record: Record { key, zip },
        })
    }

    /// The previous zip's bytes and record, when it may be reused.
    fn reusable(&self, name: &str, key: u128) -> Option<(Vec<u8>, Record)> {
        let record = self.records.get(name).filter(|r| r.key == key)?;
        let path = self.site.join(view::zip_url(name));
        // A link is never read: it could lead to any file on the machine,
        // which would then be published as the zip. (`downloads` itself was
        // checked to be a plain folder when the index was read.)
        let plain = std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_file());
        if !plain {
            return None;
        }
        let bytes = std::fs::read(&path).ok()?;
        (xxh3_128(&bytes) == record.zip).then_some((bytes, *record))
    }
}

/// A connector's zip and what the index says of it.
pub struct Zipped {
    pub packed: Packed,
    pub reused: bool,
    record: Record,
}

/// Everything that decides a zip's bytes, hashed: the tool's version, the
/// zip layout, and each entry's name, length and contents.
fn key(inputs: &[(String, Vec<u8>)]) -> u128 {
    let mut hasher = Xxh3::new();
    hasher.update(env!("CARGO_PKG_VERSION").as_bytes());
    hasher.update(&pack::ZIP_LAYOUT.to_le_bytes());
    for (entry, data) in inputs {
        hasher.update(&(entry.len() as u64).to_le_bytes());
        hasher.update(entry.as_bytes());
        hasher.update(&(data.len() as u64).to_le_bytes());
        hasher.update(&xxh3_128(data).to_le_bytes());
    }
    hasher.digest128()
}

/// The index of `zips` for the next build, sorted by name.
pub fn index(zips: &[Zipped]) -> OutFile {
    let mut lines: Vec<String> = zips
        .iter()
        .map(|z| {
            format!(
                "{}\t{:032x}\t{:032x}\n",
                z.packed.name, z.record.key, z.record.zip
            )
        })
        .collect();
    lines.sort();
    OutFile {
        path: INDEX.into(),
        source: "zip index".into(),
        bytes: lines.concat().into_bytes(),
    }
}
