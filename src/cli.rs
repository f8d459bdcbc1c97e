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
    after_help = "Examples:\n  connector-catalog check                 # scan ./connectors\n  connector-catalog check ../repo --format json\n  connector-catalog build                 # catalog website of ./connectors into ./site\n  connector-catalog plan --tenant tenant/sample-snapshot.json\n\nExit codes: check: 0 clean, 1 errors (or warnings with --deny-warnings), 2 could not run. build: 0 built (failed connectors left out), 1 not built (no connector, or problems with --deny-warnings), 2 could not run. pack: 0 every zip written, 1 a connector could not be packed, 2 could not run. rules: 0.\nExit codes (plan, diff): 0 nothing to do, 1 error, 2 changes without a break (plan), 3 breaking or under-declared changes.\nRun `connector-catalog <COMMAND> --help` for each command's options and exit codes."
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
    /// Build the static catalog website.
    #[command(after_help = concat!(
        "Writes every connector and component page, icons, one zip per connector, catalog.json,\n",
        "a search index and (with --base-url) sitemap.xml. The previous site is replaced only when\n",
        "the new one is complete; a connector that failed the scan, or whose zip cannot be made, is\n",
        "left out and noted on the index page. --out may not hold the repository, --templates or\n",
        "--tenant, nor lie inside the repository.\n\n",
        "Examples:\n  connector-catalog build\n",
        "  connector-catalog build ../shared/corpus/appmixer-connectors --out /tmp/catalog --timings\n",
        "  connector-catalog build --base-url https://catalog.example.test --templates my-templates\n",
        "  connector-catalog build ./connectors --tenant snapshot.json   # with installed versions and the upgrade report\n\n",
        "Exit codes:\n",
        "  0  the site was built (connectors that failed the scan or could not be zipped are left\n",
        "     out and noted)\n",
        "  1  not built: no connector at all, or problems found (or connectors left out) with\n",
        "     --deny-warnings\n",
        "  2  the tool could not run: bad arguments (such as a --base-url that is not an http or\n",
        "     https URL), unreadable repository or snapshot, output not writable, --out overlapping\n",
        "     an input, an output path outside the site"
    ))]
    Build(BuildArgs),
    /// Pack connectors into installable zips.
    #[command(after_help = concat!(
        "One `<name>.zip` per connector: the vendor folder at the root, a module's parent service\n",
        "files included, node_modules/, artifacts/, package-lock.json, test-flow*.json and hidden\n",
        "files left out. Symbolic links are never stored. The same input gives the same bytes.\n\n",
        "Examples:\n  connector-catalog pack --out dist\n",
        "  connector-catalog pack ./connectors acme.chatter acme.notebook --out dist\n\n",
        "Exit codes:\n",
        "  0  every zip was written\n",
        "  1  a connector could not be packed (failed the scan, unreadable file, or a file or zip\n",
        "     name that is refused)\n",
        "  2  the tool could not run: bad arguments, unknown connector name, unreadable repository,\n",
        "     --out inside the repository"
    ))]
    Pack(PackArgs),
    /// Plan the upgrade of a tenant to the repository: what changes, what breaks, whom it hits.
    #[command(after_help = concat!(
        "Compares the repository with a tenant snapshot (see README, schemas/tenant-snapshot.schema.json).\n",
        "Per connector: up to date, patch/minor/major upgrade, downgrade (refused unless\n",
        "--allow-downgrade), install or orphan; the changelog entries in between; the findings of\n",
        "the breaking-change rules (exact when the snapshot holds the installed manifests, else by\n",
        "version and changelog); the running flows a breaking upgrade stops, their owners, and one\n",
        "flow-stopped notification per flow. JSON is documented by schemas/plan.schema.json.\n\n",
        "Examples:\n  connector-catalog plan --tenant tenant/sample-snapshot.json\n",
        "  connector-catalog plan ./connectors --tenant snapshot.json --format markdown > plan.md\n",
        "  connector-catalog plan --tenant snapshot.json --out plan.json --lockdown\n\n",
        "Exit codes:\n",
        "  0  nothing to do: no upgrade, install or orphan (refused downgrades change nothing)\n",
        "  1  error: bad arguments, unreadable repository or snapshot, --out refused, or a\n",
        "     connector that failed the scan (the plan is still printed)\n",
        "  2  changes, none of them breaking\n",
        "  3  breaking changes: running flows would be stopped"
    ))]
    Plan(PlanArgs),
    /// Compare two states of a repository with the breaking-change rules.
    #[command(after_help = concat!(
        "For connector authors on pull requests: per changed connector, the old and new version,\n",
        "the bump the version declares, the bump the findings require, and the findings.\n",
        "JSON is documented by schemas/diff.schema.json.\n\n",
        "Examples:\n  connector-catalog diff ../main/connectors ./connectors\n",
        "  connector-catalog diff old new --format markdown > diff.md\n\n",
        "Exit codes:\n",
        "  0  every version bump declares what the changes require\n",
        "  1  error: bad arguments, unreadable repository, or a connector that failed the scan\n",
        "  3  a declared bump is lower than the required one"
    ))]
    Diff(DiffArgs),
    /// List the breaking-change rules.
    #[command(after_help = concat!(
        "Each rule: a stable id (used in findings and fingerprints), the version bump it requires,\n",
        "a one-line summary and an explanation.\n\n",
        "Examples:\n  connector-catalog rules\n  connector-catalog rules --format json\n\n",
        "Exit codes: 0 listed, 2 bad arguments."
    ))]
    Rules(RulesArgs),
}

#[derive(Debug, Args)]
pub struct PlanArgs {
    #[command(flatten)]
    pub repo: RepoArg,
    /// The tenant snapshot (a regular JSON file, format_version 1).
    #[arg(long, value_name = "FILE")]
    pub tenant: PathBuf,
    /// Output format on stdout.
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    pub format: ReportFormat,
    /// Also save the JSON plan (with the snapshot's SHA-256) to this file: a regular file or a
    /// new one; through a symbolic link its target is replaced.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Propose access rules that replace the generic `user *` rule by one rule per installed
    /// connector, so that new connectors stay hidden until an admin grants them.
    #[arg(long)]
    pub lockdown: bool,
    /// Plan installing the repository's version where the tenant has a newer one.
    #[arg(long)]
    pub allow_downgrade: bool,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The repository before the change.
    pub old: PathBuf,
    /// The repository after the change.
    pub new: PathBuf,
    /// Output format on stdout.
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    pub format: ReportFormat,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// Formats of plans and diffs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Text,
    Json,
    Markdown,
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    #[command(flatten)]
    pub repo: RepoArg,
    /// Folder to write the site to; replaced as a whole on success. It may not hold the
    /// repository, --templates or --tenant, nor lie inside the repository.
    #[arg(long, default_value = "./site")]
    pub out: PathBuf,
    /// Folder of templates that replace the built-in ones of the same name.
    #[arg(long)]
    pub templates: Option<PathBuf>,
    /// Absolute http or https URL the site is published at, without query, fragment or
    /// credentials (adds sitemap.xml, canonical links and absolute links on 404.html).
    #[arg(long)]
    pub base_url: Option<String>,
    /// Print the time of each phase to stderr.
    #[arg(long)]
    pub timings: bool,
    /// Do not build when the scan reports warnings or errors.
    #[arg(long)]
    pub deny_warnings: bool,
    /// A tenant snapshot: adds installed versions, update badges and filters, access rules,
    /// flows by stage, an access-control page and an upgrade report. When REPO is the
    /// folder ./connectors (however spelled), tenant/sample-snapshot.json is used when it
    /// exists.
    #[arg(long, value_name = "FILE", conflicts_with = "no_tenant")]
    pub tenant: Option<PathBuf>,
    /// Build without a tenant, even the sample one.
    #[arg(long)]
    pub no_tenant: bool,
}

#[derive(Debug, Args)]
pub struct PackArgs {
    #[command(flatten)]
    pub repo: RepoArg,
    /// Connector names to pack (all when none is given).
    pub names: Vec<String>,
    /// Folder to write the zips to (not inside the repository).
    #[arg(long)]
    pub out: PathBuf,
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
