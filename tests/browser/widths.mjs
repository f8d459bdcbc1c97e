// How wide each page of a site is at a phone's width.
//
// Usage: node widths.mjs <base-url> <page>...
//
// Prints one JSON object whose `widths` maps each page to its width in CSS
// pixels, and judges nothing: tests/browser.rs holds the expected widths.
// Exits 1 when a page asks for anything that is not on 127.0.0.1, 2 when
// the walk fails.

import { phoneWidths, runWalk } from "./chromium.mjs";

const WALK_TIMEOUT_MS = 300_000;

const [base, ...pages] = process.argv.slice(2);
if (!base || !pages.length) {
  process.stderr.write("usage: node widths.mjs <base-url> <page>...\n");
  process.exit(64);
}
const root = base.endsWith("/") ? base : base + "/";
const report = { widths: {}, outside: [] };

async function fence(context) {
  await context.route("**/*", (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === "127.0.0.1") return route.continue();
    report.outside.push(url.href);
    return route.abort("blockedbyclient");
  });
}

runWalk(
  "widths",
  report,
  WALK_TIMEOUT_MS,
  async (browser) => {
    report.widths = await phoneWidths(browser, root, pages, fence);
  },
  (r) => r.outside.map((u) => `request outside 127.0.0.1: ${u}`),
);
