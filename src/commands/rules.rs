//! `rules`: the breaking-change rules, for people and for scripts.

use crate::cli::{Format, RulesArgs};
use crate::commands::{print, RunError};
use crate::plan::{render, rules::RULES};

pub fn run(args: &RulesArgs) -> Result<u8, RunError> {
    let text = match args.format {
        Format::Text => render::text::rules(),
        Format::Json => {
            let mut t = serde_json::to_string_pretty(RULES).expect("rules serialize");
            t.push('\n');
            t
        }
    };
    print(&text)?;
    Ok(0)
}
