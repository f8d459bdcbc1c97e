// The catalog built with a tenant, in Debian's Chromium: the installation
// and update filters, their state in the URL across a reload, and the
// upgrade report and access-control pages reached from the navigation.
//
// Usage: node tenant.mjs <base-url> <screenshot-dir>
//
// Prints one JSON object of what it saw; tests/browser.rs holds the
// expected values. Exits 1 when a page throws, logs a console error, gets
// an HTTP error or asks for anything off 127.0.0.1; 2 on any other
// failure. Chromium is started by ./chromium.mjs.

import { phoneWidths, runWalk } from "./chromium.mjs";
import { mkdirSync } from "node:fs";
import { join } from "node:path";

const STEP_TIMEOUT_MS = 15_000;
const WALK_TIMEOUT_MS = 60_000;

const [base, shotDir] = process.argv.slice(2);
if (!base || !shotDir) {
  process.stderr.write("usage: node tenant.mjs <base-url> <screenshot-dir>\n");
  process.exit(64);
}
const root = base.endsWith("/") ? base : base + "/";
const report = { problems: [], screenshots: [] };

function visible(page) {
  return page.evaluate(() => ({
    count: document.getElementById("result-count").textContent.trim(),
    visible: Array.from(document.querySelectorAll("li.card[data-name]"))
      .filter((li) => !li.hidden)
      .map((li) => li.dataset.name),
    query: window.location.search,
  }));
}

async function choose(page, select, value) {
  const before = await visible(page);
  await page.locator(select).selectOption(value);
  await page.waitForFunction(
    (prev) => window.location.search !== prev,
    before.query,
    { timeout: STEP_TIMEOUT_MS },
  );
  return visible(page);
}

// Only loopback is allowed; anything else is a problem of the page.
async function fence(context) {
  await context.route("**/*", (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === "127.0.0.1") return route.continue();
    report.problems.push(`request outside 127.0.0.1: ${url}`);
    return route.abort("blockedbyclient");
  });
}

async function walk(browser) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(STEP_TIMEOUT_MS);
  await fence(context);
  const page = await context.newPage();
  page.on("pageerror", (e) => report.problems.push(`${page.url()}: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error") report.problems.push(`${page.url()}: ${m.text()}`);
  });
  page.on("response", (r) => {
    if (r.status() >= 400) report.problems.push(`${r.status()} ${r.url()}`);
  });

  await page.goto(root + "index.html", { waitUntil: "load" });
  await page.locator("form#filters").waitFor({ state: "visible" });
  report.breaking = await choose(page, "#filter-update", "breaking");
  await page.reload({ waitUntil: "load" });
  await page.locator("form#filters").waitFor({ state: "visible" });
  report.breaking_reload = {
    ...(await visible(page)),
    update: await page.locator("#filter-update").inputValue(),
  };
  await shoot(page, "tenant-index.png");
  await choose(page, "#filter-update", "");
  report.not_installed = await choose(page, "#filter-installed", "not-installed");

  await Promise.all([
    page.waitForURL("**/upgrade.html"),
    page.locator('nav a[href$="upgrade.html"]').click(),
  ]);
  report.upgrade = {
    h1: (await page.locator("h1").textContent()).trim(),
    sections: await page.locator("section.plan-item").evaluateAll((s) => s.map((e) => e.id)),
  };
  await shoot(page, "tenant-upgrade.png");
  await Promise.all([
    page.waitForURL("**/access.html"),
    page.locator('nav a[href$="access.html"]').click(),
  ]);
  report.access = {
    h1: (await page.locator("h1").textContent()).trim(),
    generic_rows: await page.locator("tr.generic").count(),
  };
  await context.close();

  // The tenant's tables fit a phone, scrolling in their own box.
  report.phone_widths = await phoneWidths(
    browser,
    root,
    ["access.html", "upgrade.html", "connectors/acme.chatter.html"],
    fence,
  );
}

async function shoot(page, name) {
  const path = join(shotDir, name);
  await page.screenshot({ path, fullPage: true });
  report.screenshots.push(name);
}

mkdirSync(shotDir, { recursive: true });
runWalk("tenant", report, WALK_TIMEOUT_MS, walk, (r) => r.problems);
