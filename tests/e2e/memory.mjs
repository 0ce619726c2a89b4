// Does the page's memory stay flat when a demo is run again and again? Reruns a demo in the
// built site and measures, after a warm-up and then every so many reruns: the WebAssembly
// module's linear memory (it only grows, so a leak shows as growth), the JavaScript heap after
// a forced garbage collection, the DOM's nodes and the event listeners.
//
//   node tests/e2e/memory.mjs [RERUNS] [DEMO]     (default: 1000 reruns of semaphore-limit)
//
// needs the built site (`trunk build --release`); prints one row per measurement and exits 1 if
// a bound below is exceeded. `memory.test.mjs` runs a shorter check in the test command.
import { serve, launch } from './support.mjs';

/** What "flat" allows, from the measurement after the warm-up to the last one. */
// (Measured on 1,000 reruns of semaphore-limit: wasm memory +0 to 64 KiB, one page, once; the
// JS heap +100 KiB in the first few hundred reruns, then level; nodes and listeners unchanged.
// A run's trace kept by mistake would add some kilobytes a rerun.)
export const BOUNDS = {
  // Linear memory grows in 64 KiB pages; allocator fragmentation may take one or two.
  wasmBytes: 4 * 64 * 1024,
  // A garbage-collected heap wanders by some tens of kilobytes (V8's own caches warm up).
  jsHeapBytes: 512 * 1024,
  nodes: 50,
  listeners: 0,
};

const WARM_UP = 20;

/** Two animation frames: the page shows a finished run a frame later. */
const settle = (page) => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));

async function measure(page, cdp) {
  await settle(page);
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  const { metrics } = await cdp.send('Performance.getMetrics');
  const metric = (name) => metrics.find((m) => m.name === name)?.value ?? NaN;
  return {
    wasmBytes: await page.evaluate(() => window.looplab.wasm_memory_bytes()),
    jsHeapBytes: usedSize,
    nodes: metric('Nodes'),
    listeners: metric('JSEventListeners'),
  };
}

/** Clicks Run `count` times, each time waiting until the run is over and shown. */
async function rerun(page, count) {
  await page.evaluate(async (count) => {
    const idle = () => new Promise((resolve) => {
      const check = () => {
        const status = document.querySelector('#status')?.textContent ?? '';
        if (window.looplab.page_idle() && /^Done/.test(status)) {
          // Shown a frame later: let it be drawn before the next run.
          requestAnimationFrame(() => requestAnimationFrame(resolve));
        } else setTimeout(check, 1);
      };
      check();
    });
    for (let i = 0; i < count; i += 1) {
      document.querySelector('#status').textContent = '';
      document.querySelector('#run').click();
      await idle();
    }
  }, count);
}

/**
 * Opens `demo`, reruns it `reruns` times (measuring every `every`), and returns the rows and
 * the growth from the first measurement (after the warm-up) to the last.
 */
export async function rerunMemory(browser, base, { reruns, demo = 'semaphore-limit', every = 100 }) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  await page.goto(`${base}?demo=${demo}`);
  await page.waitForFunction(() => window.looplab?.page_idle?.() && /^Done/.test(document.querySelector('#status')?.textContent ?? ''));
  await rerun(page, WARM_UP);
  const rows = [{ runs: 0, ...(await measure(page, cdp)) }];
  for (let done = 0; done < reruns;) {
    const n = Math.min(every, reruns - done);
    await rerun(page, n);
    done += n;
    rows.push({ runs: done, ...(await measure(page, cdp)) });
  }
  await page.close();
  const first = rows[0];
  const last = rows[rows.length - 1];
  const growth = Object.fromEntries(Object.keys(BOUNDS).map((k) => [k, last[k] - first[k]]));
  const exceeded = Object.keys(BOUNDS).filter((k) => !(growth[k] <= BOUNDS[k]));
  return { rows, growth, exceeded, errors };
}

function table(rows) {
  const kb = (b) => `${(b / 1024).toFixed(0)} KiB`;
  const lines = ['reruns   wasm memory   JS heap (after GC)   DOM nodes   listeners'];
  for (const r of rows) {
    lines.push(`${String(r.runs).padStart(6)}   ${kb(r.wasmBytes).padStart(11)}   ${kb(r.jsHeapBytes).padStart(18)}   ${String(r.nodes).padStart(9)}   ${String(r.listeners).padStart(9)}`);
  }
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const reruns = Number(process.argv[2] ?? 1000);
  const demo = process.argv[3] ?? 'semaphore-limit';
  const server = await serve();
  const browser = await launch();
  const started = Date.now();
  try {
    const result = await rerunMemory(browser, server.url, { reruns, demo, every: Math.max(1, Math.round(reruns / 10)) });
    console.log(`${demo}: ${reruns} reruns after ${WARM_UP} to warm up, in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    console.log(table(result.rows));
    console.log(`growth: ${JSON.stringify(result.growth)}; bounds: ${JSON.stringify(BOUNDS)}`);
    if (result.errors.length) console.log(`page errors: ${result.errors.join('; ')}`);
    if (result.exceeded.length || result.errors.length) {
      console.log(`NOT FLAT: ${result.exceeded.join(', ')}`);
      process.exitCode = 1;
    } else {
      console.log('flat');
    }
  } finally {
    await browser.close();
    await server.close();
  }
}
