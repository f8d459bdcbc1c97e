// How the browser tests start Chromium: Debian's binary (or CHROMIUM_PATH),
// through playwright-core, which never downloads a browser of its own.
// One place, so that every walk runs under the same fence.

import { chromium } from "playwright-core";

export const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
// Everything that would make Chromium talk to the outside on its own
// (updates, sync, safe browsing lists, QUIC probes, a proxy from the
// environment) is off, and no host name but 127.0.0.1 resolves, so the only
// traffic is the pages' own, and each walk checks that. (`headless: true`
// in launch() adds the headless switch itself.)
export const ARGS = [
  "--no-sandbox",
  "--no-proxy-server",
  "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export function launch() {
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
}

// How wide each of `paths` (relative to `root`) is at a phone's width of
// 375 CSS pixels: anything wider makes the reader scroll sideways. The
// pages load in a context of their own, fenced by `fence` as the walk's is.
export async function phoneWidths(browser, root, paths, fence) {
  const context = await browser.newContext({ viewport: { width: 375, height: 740 } });
  await fence(context);
  const page = await context.newPage();
  const widths = {};
  for (const path of paths) {
    await page.goto(root + path, { waitUntil: "load" });
    widths[path] = await page.evaluate(() => document.documentElement.scrollWidth);
  }
  await context.close();
  return widths;
}

// Runs `walk(browser)` in a fresh Chromium within `timeoutMs`, prints
// `report` as JSON whatever happened (with `failure` set when the walk
// threw or ran out of time), and exits: 2 on a failure, 1 when
// `problems(report)` lists any, 0 otherwise. `name` prefixes what goes to
// stderr. playwright's launch() starts Chromium on a fresh temporary
// profile and deletes it on close.
export function runWalk(name, report, timeoutMs, walk, problems) {
  async function main() {
    const browser = await launch();
    report.browser = browser.version();
    let failure = null;
    const timer = setTimeout(() => {
      failure = `the walk took longer than ${timeoutMs} ms`;
      browser.close().catch(() => {});
    }, timeoutMs);
    try {
      await walk(browser);
    } catch (e) {
      failure = failure || String(e && e.stack ? e.stack : e);
    } finally {
      clearTimeout(timer);
      await browser.close().catch(() => {});
    }
    if (failure) report.failure = failure;
    process.stdout.write(JSON.stringify(report, null, 2) + "\n");
    if (failure) {
      process.stderr.write(`${name}: ${failure}\n`);
      return 2;
    }
    const bad = problems(report);
    if (bad.length) {
      process.stderr.write(`${name}: ${bad.length} problem(s):\n  ${bad.join("\n  ")}\n`);
      return 1;
    }
    return 0;
  }
  main().then(
    (code) => process.exit(code),
    (e) => {
      process.stderr.write(`${name}: ${e && e.stack ? e.stack : e}\n`);
      process.exit(2);
    },
  );
}
