//! Reading a tenant: the snapshot file an export step writes, as plain
//! data, and what its parts mean (installed manifests, access rules).
//!
//! This module never talks to a tenant; fetching a snapshot over HTTP and
//! applying a plan are separate steps. It only reads a file and refuses a
//! malformed one with the JSON path of the problem.

pub mod acl;
pub mod installed;
mod load;
pub mod model;

pub use load::{file_kind, load, parse, sha256_hex, SnapshotError, SnapshotFile};
pub use model::*;
