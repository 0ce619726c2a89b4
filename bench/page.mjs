// The page's big-run benchmark (`scripts/bench --only big-run`): the largest performance-patterns
// run (items=10000, batch=1, workers=1: about 260,000 events, 20,000 tasks) in the built site.
// The page is loaded first; then the run is started from the form, as a visitor would, and the
// main-thread tasks over 50 ms (the Long Tasks API) are counted from the click until the
// timeline is shown. Then it times a step, a scrub (a far jump) and a zoom, each through the
// page's own functions (`page_go_to`, `page_zoom`), and counts long tasks during them too.
//
// Targets (../shared/spec/benchmarks.md): no long task; a step, a scrub and a zoom each within one
// frame (16 ms).
import { serve } from '../tests/e2e/support.mjs';

export const BIG_RUN = { items: '10000', batch: '1', workers: '1' };
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

/** Opens `url` in `page` and resolves to the page's own figure: when (since navigation) its
 * first timeline was drawn. */
async function firstDrawn(page, url) {
  await page.goto(url);
  await page.waitForFunction(() => JSON.parse(window.looplab?.page_summary() ?? '{}').first_drawn_ms > 0, null, { polling: 20 });
  return JSON.parse(await page.evaluate(() => window.looplab.page_summary())).first_drawn_ms;
}

/** The main thread's CPU time (not wall time) from navigation to the first timeline, from a
 * trace of the page's load: on a busy machine the wall time is this stretched by the wait for
 * a core, so the two together say how much is the page's own work. */
async function mainThreadCpu(browser, page, url) {
  await browser.startTracing(page, { categories: ['toplevel', 'devtools.timeline', 'blink.user_timing'] });
  const first = await firstDrawn(page, url);
  const events = JSON.parse((await browser.stopTracing()).toString()).traceEvents;
  // The page's renderer thread: the one that parsed its HTML; its navigation's start.
  const parse = events.find((e) => e.name === 'ParseHTML');
  const start = events.find((e) => e.name === 'navigationStart' && e.pid === parse?.pid)?.ts ?? parse?.ts;
  const end = start + first * 1000;
  const slices = events
    .filter((e) => e.pid === parse?.pid && e.tid === parse?.tid && e.ph === 'X' && e.ts >= start && e.ts < end)
    .sort((a, b) => a.ts - b.ts);
  // The outermost slices only (a slice inside another is counted in it).
  let cpu = 0;
  let wall = 0;
  let until = -Infinity;
  for (const e of slices) {
    if (e.ts < until) continue;
    cpu += e.tdur ?? 0;
    wall += e.dur;
    until = e.ts + e.dur;
  }
  return { first, cpu: cpu / 1000, wall: wall / 1000 };
}

/** The first timeline after navigation (`ui-render`), on `query`: cold (a fresh browser context:
 * nothing cached, no service worker) and warm (the same page navigated again, with its HTTP cache
 * and service worker), each the median of `n` navigations, and the main thread's CPU time of a
 * cold load, from three more cold loads of their own: a load recorded by the browser's tracing
 * is slower than one that is not, so those are not among the timed ones. Rows of { workload,
 * value, unit, spread }. */
export async function firstTimeline(browser, query, n) {
  const site = await serve();
  const url = `${site.url}${query}`;
  const options = { viewport: { width: 1400, height: 1000 } };
  const cold = [];
  const cpu = [];
  const traced = Math.min(3, n);
  for (let i = 0; i < n + traced; i++) {
    const context = await browser.newContext(options);
    const page = await context.newPage();
    // The traced loads take turns with the timed ones, so both see the machine alike.
    if (i % 2 === 1 && cpu.length < traced) {
      cpu.push((await mainThreadCpu(browser, page, url)).cpu);
    } else {
      cold.push(await firstDrawn(page, url));
    }
    await context.close();
  }
  const context = await browser.newContext(options);
  const page = await context.newPage();
  await firstDrawn(page, url);
  await page.waitForTimeout(500);
  const warm = [];
  for (let i = 0; i < n; i++) warm.push(await firstDrawn(page, url));
  await context.close();
  await site.close();
  const spread = (xs) => ({ min: Math.min(...xs), max: Math.max(...xs), reps: xs.length });
  return [
    { workload: 'ui-render first timeline after navigation (warm)', value: median(warm), unit: 'ms', spread: spread(warm) },
    { workload: 'ui-render first timeline after navigation (cold)', value: median(cold), unit: 'ms', spread: spread(cold) },
    { workload: 'ui-render first timeline, main-thread CPU of a cold load', value: median(cpu), unit: 'ms', spread: spread(cpu) },
  ];
}

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
  const size = smoke ? 'items=2000' : 'items=10000';
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
