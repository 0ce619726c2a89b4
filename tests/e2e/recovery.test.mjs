// A panic kills the WebAssembly module. The page must say so (on the page and in the console)
// and come back with a fresh module at the same view, so the visitor can go on; a module that
// fails again as it restarts must not restart forever.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { serve, launch, shots, open, summary } from './support.mjs';

let server;
let browser;

before(async () => {
  fs.mkdirSync(shots, { recursive: true });
  server = await serve();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

const bannerText = (page) => page.evaluate(() => {
  const b = document.querySelector('#error-banner');
  return b && !b.hidden ? b.textContent : '';
});

test('a forced panic is reported on the page and in the console, and a fresh module takes over at the same view', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const consoleErrors = [];
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  await open(page, server.url, '?demo=gather&p.first=0.25&seed=3');
  const before = await summary(page);

  const reloaded = page.waitForEvent('load');
  // The panic traps out of the call, as it would out of any event handler.
  await page.evaluate(() => { try { window.looplab.panic_for_tests('forced for the test'); } catch { /* trapped */ } });
  const reported = await bannerText(page);
  assert.match(reported, /internal error and restarts: .*forced for the test/s);
  assert.ok(consoleErrors.some((e) => e.includes('forced for the test')), consoleErrors.join('\n'));
  await page.screenshot({ path: path.join(shots, 'panic-reported.png') });

  await reloaded;
  await page.waitForFunction(() => /^Done/.test(document.querySelector('#status')?.textContent ?? ''));
  assert.match(await bannerText(page), /restarted after an internal error: .*forced for the test/s);
  const after = await summary(page);
  assert.equal(after.demo, 'gather', 'the same demo');
  assert.match(page.url(), /p\.first=0\.25/);
  assert.match(page.url(), /seed=3/);
  assert.deepEqual(after.lanes.map((l) => l.name), before.lanes.map((l) => l.name), 'the same run, drawn again');
  await page.screenshot({ path: path.join(shots, 'panic-recovered.png') });

  // The fresh module works: another demo runs.
  await page.click('.demo-link[data-demo="task-group"]');
  await page.waitForFunction(() => JSON.parse(window.looplab?.page_summary() ?? '{}').demo === 'task-group');
  await page.waitForFunction(() => /^Done/.test(document.querySelector('#status')?.textContent ?? ''));
  // And the banner can be dismissed.
  await page.click('#error-banner .banner-action');
  assert.equal(await bannerText(page), '');
  await page.close();
});

test('a module that panics again right after restarting offers a way on instead of restarting forever', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await open(page, server.url, '?demo=gather');
  let loads = 0;
  page.on('load', () => { loads += 1; });
  const reloaded = page.waitForEvent('load');
  await page.evaluate(() => { try { window.looplab.panic_for_tests('first'); } catch { /* trapped */ } });
  await reloaded;
  await page.waitForFunction(() => window.looplab?.page_summary);
  // Fails again at once: no second restart, but buttons to reload or start over.
  await page.evaluate(() => { try { window.looplab.panic_for_tests('second'); } catch { /* trapped */ } });
  await page.waitForTimeout(2000);
  assert.equal(loads, 1, 'one restart, not a loop');
  assert.match(await bannerText(page), /again as it restarted: .*second/s);
  const actions = await page.$$eval('#error-banner .banner-action', (b) => b.map((x) => x.textContent));
  assert.deepEqual(actions, ['Reload', 'Start over', 'Dismiss']);
  // "Start over" goes to the default view.
  const navigated = page.waitForEvent('load');
  await page.click('#error-banner .banner-action:nth-of-type(2)');
  await navigated;
  await page.waitForFunction(() => /^Done/.test(document.querySelector('#status')?.textContent ?? ''));
  assert.equal((await summary(page)).demo, 'mental-model', 'the first demo, at its defaults');
  assert.ok(!page.url().includes('gather'), page.url());
  await page.close();
});
