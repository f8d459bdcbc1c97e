// End-to-end walk through a built catalog site in Debian's Chromium.
//
// Usage: node e2e.mjs <base-url> <screenshot-dir>
//
// It searches and filters the index, reloads a filtered URL, asks for a
// page that does not exist, follows a card to a connector page and a
// component link to a component page, takes screenshots, and prints one
// JSON object of everything it observed to stdout. It judges nothing about
// the catalog's content: tests/browser.rs holds the expected values, and
// the inputs typed and chosen (INPUTS) are echoed in the report so the two
// files cannot drift apart unnoticed. It does fail by itself (exit 1) when
// a page throws, logs a console error, gets an unexpected HTTP error, or
// asks for anything that is not on 127.0.0.1, because those are wrong for
// any catalog; any other failure (a selector that never appears, a crash)
// exits 2. Either way the JSON is still printed, with what was seen up to
// that point.
//
// It uses playwright-core, which never downloads a browser, and launches
// the Chromium the system has.

import { phoneWidths, runWalk } from "./chromium.mjs";
import { mkdirSync } from "node:fs";
import { join } from "node:path";

// A hung page must not hang CI: the whole walk gets this long.
const WALK_TIMEOUT_MS = 90_000;
const STEP_TIMEOUT_MS = 15_000;

// What the walk types and picks. Chosen for the sample repository: the
// query matches two connectors only through component names, and the two
// filters each keep three connectors but together two, so a filter that is
// ignored changes the result.
const INPUTS = {
  query: "archive",
  auth: "oauth2",
  category: "communication",
  missing_page: "no-such-page.html",
  // "community-maintained" (Weatherly's description) with an accent and
  // an en dash: search folds both away.
  folded_query: "Comm\u00fanity\u2013maintained",
  phone_pages: [
    "index.html",
    "connectors/acme.cloudsuite.mail.html",
    "components/acme.cloudsuite.mail.SendEmail.html",
  ],
};

const [base, shotDir] = process.argv.slice(2);
if (!base || !shotDir) {
  process.stderr.write("usage: node e2e.mjs <base-url> <screenshot-dir>\n");
  process.exit(64);
}
const root = base.endsWith("/") ? base : base + "/";

const report = {
  base: root,
  inputs: INPUTS,
  page_errors: [],
  console_errors: [],
  outside_requests: [],
  http_errors: [],
  screenshots: [],
};

// The one URL that is meant to answer 404; its status and the console line
// Chromium logs for it are not errors.
const missingUrl = root + INPUTS.missing_page;

function watch(page) {
  page.on("pageerror", (e) => report.page_errors.push(`${page.url()}: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() !== "error") return;
    if (m.location().url === missingUrl && m.text().includes("404")) return;
    report.console_errors.push(`${page.url()}: ${m.text()}`);
  });
  page.on("response", (r) => {
    if (r.status() === 404 && r.url() === missingUrl) return;
    if (r.status() >= 400) report.http_errors.push(`${r.status()} ${r.url()}`);
  });
}

// Only loopback is allowed: a static catalog that fetches fonts, scripts
// or analytics from elsewhere breaks offline and leaks who reads it.
async function fenceToLoopback(context) {
  await context.route("**/*", (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === "127.0.0.1") return route.continue();
    report.outside_requests.push(route.request().url());
    return route.abort("blockedbyclient");
  });
}

// What the index shows right now: the count, the visible cards in page
// order, the query string and what the controls hold.
async function indexState(page) {
  return page.evaluate(() => ({
    count: document.getElementById("result-count").textContent.trim(),
    visible: Array.from(document.querySelectorAll("li.card[data-name]"))
      .filter((li) => !li.hidden)
      .map((li) => li.dataset.name),
    query: window.location.search,
    controls: {
      q: document.getElementById("search").value,
      category: document.getElementById("filter-category").value,
      auth: document.getElementById("filter-auth").value,
      triggers: document.getElementById("filter-triggers").checked,
    },
    no_results_visible: !document.getElementById("no-results").hidden,
  }));
}

// The script updates the count on every input event; wait until it has
// said something other than `before` and the URL has caught up.
async function waitForChange(page, before) {
  await page.waitForFunction(
    (prev) => {
      const now =
        document.getElementById("result-count").textContent.trim() + "|" + window.location.search;
      return now !== prev;
    },
    before.count + "|" + before.query,
    { timeout: STEP_TIMEOUT_MS },
  );
  return indexState(page);
}

async function shoot(page, name) {
  const path = join(shotDir, name);
  await page.screenshot({ path, fullPage: true });
  report.screenshots.push(path);
}

async function walk(browser) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(STEP_TIMEOUT_MS);
  await fenceToLoopback(context);
  const page = await context.newPage();
  watch(page);

  // The index as it loads: the script un-hides the filter form.
  await page.goto(root + "index.html", { waitUntil: "load" });
  await page.locator("form#filters").waitFor({ state: "visible" });
  const loaded = await indexState(page);
  report.index = {
    title: await page.title(),
    h1: (await page.locator("h1").first().textContent()).trim(),
    form_visible: await page.locator("form#filters").isVisible(),
    all_names: await page.locator("li.card[data-name]").evaluateAll((els) =>
      els.map((e) => e.dataset.name),
    ),
    count: loaded.count,
    query: loaded.query,
  };

  // Search, typed key by key as a person would.
  await page.locator("#search").pressSequentially(INPUTS.query);
  report.search = await waitForChange(page, loaded);

  // The searched URL, reloaded, restores the same view.
  await page.reload({ waitUntil: "load" });
  await page.locator("form#filters").waitFor({ state: "visible" });
  report.search_reload = { url: page.url(), ...(await indexState(page)) };

  // An authentication type alone.
  let before = await indexState(page);
  await page.locator("#search").fill("");
  before = await waitForChange(page, before);
  report.cleared = before;
  await page.locator("#filter-auth").selectOption(INPUTS.auth);
  report.auth = await waitForChange(page, before);

  // A category on top of it.
  before = report.auth;
  await page.locator("#filter-category").selectOption(INPUTS.category);
  report.auth_category = await waitForChange(page, before);

  // Both filters, reloaded, are restored from the URL.
  await page.reload({ waitUntil: "load" });
  await page.locator("form#filters").waitFor({ state: "visible" });
  report.filter_reload = { url: page.url(), ...(await indexState(page)) };

  // Nothing matches: the empty note shows.
  before = report.filter_reload;
  await page.locator("#search").fill("zzzz-no-such-connector");
  report.empty = await waitForChange(page, before);

  // Accents and typographic dashes do not stop a match.
  before = report.empty;
  await page.locator("#search").fill("");
  before = await waitForChange(page, before);
  await page.locator("#filter-auth").selectOption("");
  await page.locator("#filter-category").selectOption("");
  before = await waitForChange(page, before);
  await page.locator("#search").fill(INPUTS.folded_query);
  report.folded = await waitForChange(page, before);

  // Back to the unfiltered index for the picture.
  before = report.folded;
  await page.locator("#search").fill("");
  await page.locator("#filter-auth").selectOption("");
  await page.locator("#filter-category").selectOption("");
  report.reset = await waitForChange(page, before);
  await shoot(page, "index.png");

  // The same page in dark mode.
  await page.emulateMedia({ colorScheme: "dark" });
  report.colors = {
    light_background: null,
    dark_background: await page.evaluate(() => getComputedStyle(document.body).backgroundColor),
  };
  await shoot(page, "index-dark.png");
  await page.emulateMedia({ colorScheme: "light" });
  report.colors.light_background = await page.evaluate(
    () => getComputedStyle(document.body).backgroundColor,
  );

  // A page that does not exist gets the 404 page, with its status.
  const missing = await page.goto(missingUrl, { waitUntil: "load" });
  report.missing = {
    status: missing.status(),
    title: await page.title(),
    h1: (await page.locator("h1").textContent()).trim(),
  };

  // From a search to a connector page by clicking the first visible card.
  await page.goto(root + "index.html?q=" + encodeURIComponent(INPUTS.query), {
    waitUntil: "load",
  });
  await page.locator("form#filters").waitFor({ state: "visible" });
  const card = page.locator("li.card:not([hidden]) a.card-link").first();
  const cardName = await page
    .locator("li.card:not([hidden])")
    .first()
    .getAttribute("data-name");
  await Promise.all([page.waitForURL("**/connectors/*.html"), card.click()]);
  await page.locator("h1").waitFor();
  report.connector = {
    clicked_card: cardName,
    path: new URL(page.url()).pathname,
    title: await page.title(),
    h1: (await page.locator("h1").textContent()).trim(),
    triggers: await page
      .locator('section[aria-labelledby="triggers"] ul.components > li > a')
      .allTextContents(),
    actions: await page
      .locator('section[aria-labelledby="actions"] ul.components > li > a')
      .allTextContents(),
    download: await page.locator("a.button[download]").getAttribute("href"),
  };
  await shoot(page, "connector.png");

  // From the connector page to its first action.
  const link = page.locator('section[aria-labelledby="actions"] ul.components > li > a').first();
  await Promise.all([page.waitForURL("**/components/*.html"), link.click()]);
  await page.locator("h1").waitFor();
  const inputs = page.locator('section[aria-labelledby="inputs"]');
  report.component = {
    path: new URL(page.url()).pathname,
    title: await page.title(),
    h1: (await page.locator("h1").textContent()).trim(),
    breadcrumbs: (await page.locator("nav.crumbs li").allTextContents()).map((s) => s.trim()),
    input_ports: (await inputs.locator("h3").allTextContents()).map((s) => s.trim()),
    input_tables: await inputs.locator("table").count(),
    input_columns: (await inputs.locator("table thead th").allTextContents()).map((s) =>
      s.trim(),
    ),
    input_rows: await inputs.locator("table tbody tr").evaluateAll((rows) =>
      rows.map((tr) => Array.from(tr.children).map((td) => td.textContent.trim())),
    ),
  };
  await shoot(page, "component.png");
  await context.close();

  report.phone_widths = await phoneWidths(browser, root, INPUTS.phone_pages, fenceToLoopback);

  // Without JavaScript every card is listed, and the search form, which
  // could do nothing, stays hidden.
  const still = await browser.newContext({
    javaScriptEnabled: false,
    viewport: { width: 1280, height: 900 },
  });
  await fenceToLoopback(still);
  const plain = await still.newPage();
  watch(plain);
  await plain.goto(root + "index.html", { waitUntil: "load" });
  report.no_script = {
    form_visible: await plain.locator("form#filters").isVisible(),
    visible_cards: await plain.locator("li.card").evaluateAll(
      (cards) => cards.filter((c) => c.getClientRects().length > 0).length,
    ),
  };
  await still.close();
}

mkdirSync(shotDir, { recursive: true });
runWalk("e2e", report, WALK_TIMEOUT_MS, walk, (r) => [
  ...r.page_errors,
  ...r.console_errors,
  ...r.outside_requests.map((u) => `request outside 127.0.0.1: ${u}`),
  ...r.http_errors,
]);
