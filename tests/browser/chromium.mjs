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
