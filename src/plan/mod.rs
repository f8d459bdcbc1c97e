//! Planning: what moving a tenant (or an older repository) to the
//! repository's state means, connector by connector.
//!
//! [`compare`] runs the [`rules`] over two sets of components; [`flows`]
//! finds the flows a finding hits; [`build`] puts it together into a
//! [`model::Plan`], and [`diff`] into a [`model::Diff`] between two
//! repositories. Rendering lives in [`render`].

pub mod compare;
pub mod diff;
pub mod flows;
pub mod model;
pub mod planner;
pub mod render;
pub mod rules;

pub use diff::diff;
pub use planner::plan;
