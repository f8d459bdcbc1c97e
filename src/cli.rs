//! Command-line arguments: every subcommand, its options and its help text.
//!
//! Only parsing lives here; each subcommand's work is in `commands/`.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "connector-catalog",
    version,
    about = "Scan an Appmixer-style connectors repository, publish a static catalog of it, and plan tenant upgrades.",
    after_help = "Examples:\n  connector-catalog check                 # scan ./connectors\n  connector-catalog check ../repo --format json\n  connector-catalog build                 # catalog website of ./connectors into ./site\n\nExit codes (check, build): 0 clean, 1 problems of error severity (or warnings with --deny-warnings), 2 could not run.\nRun `connector-catalog <COMMAND> --help` for each command's options and exit codes."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Scan a repository and report every problem with file, line and column.
    #[command(after_help = concat!(
        "Output (text): one line per problem, `path:line:column: severity[code]: message`, then a summary.\n",
        "Output (json): {\"connectors\", \"components\", \"failed\", \"auth_types\", \"summary\", \"diagnostics\": [{\"code\", \"severity\", \"path\", \"line\", \"column\", \"message\"}]}\n\n",
        "Examples:\n  connector-catalog check\n  connector-catalog check ../shared/corpus/appmixer-connectors --format json > report.json\n  connector-catalog check --deny-warnings\n\n",
        "Exit codes:\n",
        "  0  clean: no problem of error severity (and no warning with --deny-warnings)\n",
        "  1  problems of error severity were found (or warnings, with --deny-warnings)\n",
        "  2  the tool could not run: bad arguments, unreadable repository folder"
    ))]
    Check(CheckArgs),
}

#[derive(Debug, Args)]
pub struct RepoArg {
    /// The connectors repository (the folder holding vendor folders such as `appmixer/`).
    #[arg(default_value = "./connectors")]
    pub repo: PathBuf,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub repo: RepoArg,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Fail (exit 1) on warnings too.
    #[arg(long)]
    pub deny_warnings: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
}
