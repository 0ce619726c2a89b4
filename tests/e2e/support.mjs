// Shared by the end-to-end tests: serve the built site (dist/) on loopback and start the
// system's Chromium through playwright-core. Nothing here downloads a browser.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sirv from 'sirv';
import { chromium } from 'playwright-core';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const shots = path.join(root, 'target', 'e2e');

/** Serves `dir` on 127.0.0.1 at `port` (0: a free one), under `prefix`; resolves to { url, close }.
 *  scripts/serve serves the site with it too. */
export async function serve(dir = path.join(root, 'dist'), prefix = '/', port = 0) {
  if (!fs.existsSync(path.join(dir, 'index.html'))) {
    throw new Error(`${dir}/index.html is missing: build the site first (trunk build --release)`);
  }
  const handler = sirv(dir, { dev: true, etag: true });
  const notFound = (res) => { res.statusCode = 404; res.end('not found'); };
  const server = http.createServer((req, res) => {
    if (!req.url.startsWith(prefix)) return notFound(res);
    req.url = '/' + req.url.slice(prefix.length);
    handler(req, res, () => notFound(res));
  });
  await new Promise((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', resolve));
  const { port: bound } = server.address();
  return { url: `http://127.0.0.1:${bound}${prefix}`, close: () => new Promise((r) => server.close(r)) };
}

/** Starts headless Chromium with the flags this machine needs (no sandbox as root, no network). */
export async function launch() {
  const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
  // Playwright gives every launch a fresh, empty profile directory of its own.
  return chromium.launch({
    executablePath,
    headless: true,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
}

/** Fails the test on any error the page logs or throws. */
export function watchErrors(page) {
  const errors = [];
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console error: ${m.text()}`); });
  return errors;
}

/** What the page shows, from the page's own summary function (a page or a frame). */
export async function summary(page) {
  return JSON.parse(await page.evaluate(() => window.looplab.page_summary()));
}

/** Waits until the service worker's cache holds every one of `urls` (relative to the page), or
 *  fails after `timeout` ms naming the missing ones. Not page.waitForFunction: it takes the
 *  promise an async predicate returns for a true answer, and stops waiting at once. */
export async function waitUntilCached(page, urls, timeout = 20000) {
  await page.evaluate(async ({ urls, timeout }) => {
    const deadline = performance.now() + timeout;
    for (;;) {
      const found = await Promise.all(urls.map((url) => caches.match(url)));
      const missing = urls.filter((_, i) => !found[i]);
      if (missing.length === 0) return;
      if (performance.now() > deadline) throw new Error(`not cached after ${timeout} ms: ${missing.join(', ')}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }, { urls, timeout });
}

/** Opens `query` on the site and waits until the run is over. */
export async function open(page, base, query) {
  await page.goto(`${base}${query}`);
  await page.waitForFunction(() => /^(Done|The run failed|Stopped)/.test(document.querySelector('#status')?.textContent ?? ''));
}
