// The page's big-run benchmark (`scripts/bench --only big-run`): the largest performance-patterns
// run (items=20000, batch=1, workers=1: about 520,000 events, 40,000 tasks) in the built site.
// The page is loaded first; then the run is started from the form, as a visitor would, and the
// main-thread tasks over 50 ms (the Long Tasks API) are counted from the click until the
// timeline is shown. Then it times a step, a scrub (a far jump) and a zoom, each through the
// page's own functions (`page_go_to`, `page_zoom`), and counts long tasks during them too.
//
// Targets (../shared/spec/benchmarks.md): no long task; a step, a scrub and a zoom each within one
// frame (16 ms).
import { serve } from '../tests/e2e/support.mjs';

export const BIG_RUN = { items: '20000', batch: '1', workers: '1' };
const SMOKE_RUN = { items: '2000', batch: '1', workers: '1' };

/** Counts long tasks from the very start of every document the page opens. */
export async function watchLongTasks(page) {
  await page.addInitScript(() => {
    window.__longTasks = [];
    new PerformanceObserver((list) => window.__longTasks.push(...list.getEntries().map((e) => e.duration)))
      .observe({ type: 'longtask', buffered: true });
  });
}

/** Waits until the run is over and its timeline shown. */
export async function shown(page, timeout = 120000) {
  await page.waitForFunction(
    () => /^(Done|The run failed)/.test(document.querySelector('#status')?.textContent ?? '') && window.looplab?.page_idle(),
    null,
    { timeout, polling: 200 },
  );
  // Let the last frames settle.
  await page.waitForTimeout(300);
}

/** Opens `query` and waits until the run is over and its timeline shown. */
export async function openBig(page, base, query, timeout = 120000) {
  await page.goto(`${base}${query}`);
  await shown(page, timeout);
}

/** With the page loaded, sets `params` in the form and runs: the long tasks of the run alone. */
export async function runFromForm(page, params, timeout = 120000) {
  for (const [name, value] of Object.entries(params)) await page.fill(`#param-${name}`, value);
  await page.evaluate(() => {
    window.__longTasks.length = 0;
    document.querySelector('#status').textContent = '';
  });
  await page.click('#run');
  await shown(page, timeout);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Runs the benchmark on `browser`; returns rows of { workload, value, unit }. */
export async function bigRun(browser, smoke) {
  const site = await serve();
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  await watchLongTasks(page);
  await openBig(page, site.url, '?demo=performance-patterns');
  const started = Date.now();
  await runFromForm(page, smoke ? SMOKE_RUN : BIG_RUN);
  const shownAfter = Date.now() - started;
  const loading = await page.evaluate(() => window.__longTasks.slice());
  const events = JSON.parse(await page.evaluate(() => window.looplab.page_summary())).events;
  await page.evaluate(() => { window.__longTasks.length = 0; });
  // A step: one event forward, from a few places in the run.
  const steps = await page.evaluate((n) => {
    const out = [];
    for (let k = 1; k <= 20; k++) {
      const m = Math.floor((n * k) / 21);
      window.looplab.page_go_to(m);
      out.push(window.looplab.page_go_to(m + 1));
    }
    return out;
  }, events);
  // A scrub: far jumps back and forth across the run.
  const scrubs = await page.evaluate((n) => {
    const out = [];
    for (let k = 0; k < 20; k++) out.push(window.looplab.page_go_to(Math.floor(((k * 7919) % 20) * n / 20)));
    return out;
  }, events);
  const zooms = await page.evaluate(() => {
    const out = [];
    for (let k = 0; k < 10; k++) out.push(window.looplab.page_zoom(k % 2 ? 0.5 : 2));
    return out;
  });
  await page.waitForTimeout(200);
  const during = await page.evaluate(() => window.__longTasks.slice());
  await page.close();
  await site.close();
  const size = smoke ? 'items=2000' : 'items=20000';
  return [
    { workload: `big-run events (performance-patterns ${size}, batch=1, workers=1)`, value: events, unit: 'events' },
    { workload: 'big-run long tasks, Run to shown timeline', value: loading.length, unit: 'tasks' },
    { workload: 'big-run longest main-thread task while loading', value: Math.max(0, ...loading), unit: 'ms' },
    { workload: 'big-run Run to shown timeline', value: shownAfter, unit: 'ms' },
    { workload: 'big-run step (median of 20)', value: median(steps), unit: 'ms' },
    { workload: 'big-run step (slowest of 20)', value: Math.max(...steps), unit: 'ms' },
    { workload: 'big-run scrub (median of 20)', value: median(scrubs), unit: 'ms' },
    { workload: 'big-run scrub (slowest of 20)', value: Math.max(...scrubs), unit: 'ms' },
    { workload: 'big-run zoom (median of 10)', value: median(zooms), unit: 'ms' },
    { workload: 'big-run long tasks during steps, scrubs and zooms', value: during.length, unit: 'tasks' },
  ];
}
