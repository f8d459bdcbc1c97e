// How wide each page of a site is at a phone's width.
//
// Usage: node widths.mjs <base-url> <page>...
//
// Prints one JSON object, page to width in CSS pixels, and judges nothing:
// tests/browser.rs holds the expected widths. Exits 1 when a page asks for
// anything that is not on 127.0.0.1, 2 when the walk fails.

import { launch, phoneWidths } from "./chromium.mjs";

const [base, ...pages] = process.argv.slice(2);
if (!base || !pages.length) {
  process.stderr.write("usage: node widths.mjs <base-url> <page>...\n");
  process.exit(64);
}
const root = base.endsWith("/") ? base : base + "/";
const outside = [];

async function fence(context) {
  await context.route("**/*", (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === "127.0.0.1") return route.continue();
    outside.push(url.href);
    return route.abort("blockedbyclient");
  });
}

const browser = await launch();
try {
  const widths = await phoneWidths(browser, root, pages, fence);
  process.stdout.write(JSON.stringify(widths) + "\n");
} catch (e) {
  process.stderr.write(`widths: ${e && e.stack ? e.stack : e}\n`);
  process.exitCode = 2;
} finally {
  await browser.close().catch(() => {});
}
if (outside.length) {
  process.stderr.write(`widths: requests outside 127.0.0.1:\n  ${outside.join("\n  ")}\n`);
  process.exitCode = 1;
}
