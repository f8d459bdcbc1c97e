//! connector-catalog: scan an Appmixer-style connectors repository, publish a
//! static catalog of it, and plan tenant upgrades.
//!
//! The pipeline, one folder each: [`json`] reads manifests with positions,
//! [`scan`] turns a repository into a [`scan::Repository`], and the command
//! modules render what the scan found.

pub mod cli;
pub mod commands;
pub mod diag;
pub mod json;
pub mod pack;
pub mod plan;
pub mod scan;
pub mod site;
pub mod tenant;
pub mod text;
