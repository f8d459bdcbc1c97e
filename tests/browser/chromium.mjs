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
