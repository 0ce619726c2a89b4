// The benchmark page's side: loads the module and exposes it; Playwright calls the functions.
import init, * as looplab from './looplab.js';

await init({ module_or_path: new URL('./looplab_bg.wasm', import.meta.url) });
window.looplab = looplab;

/** The median of `reps` runs of each function in `fs`, after a warm-up of each, with the spread:
 * `[{ms, min, max}, ...]`. The runs take turns (a b a b ...), so that what one leaves behind (a
 * grown heap, garbage to collect) and a slow spell of the machine weigh on all of them alike.
 * `times` keeps every run's time in round order, so that runs of one round can be paired. */
window.medians = async (reps, fs) => {
  for (const f of fs) await f();
  const times = fs.map(() => []);
  for (let i = 0; i < reps; i++) {
    for (const [j, f] of fs.entries()) times[j].push(await f());
  }
  return times.map((rounds) => {
    const t = [...rounds].sort((a, b) => a - b);
    return { ms: t[Math.floor(t.length / 2)], min: t[0], max: t[t.length - 1], times: rounds };
  });
};

/** Long tasks (over 50 ms) on the main thread while `f` runs. */
window.longTasksDuring = async (f) => {
  const seen = [];
  const observer = new PerformanceObserver((list) => seen.push(...list.getEntries()));
  observer.observe({ type: 'longtask', buffered: false });
  await f();
  await new Promise((r) => setTimeout(r, 200));
  observer.disconnect();
  return seen.filter((e) => e.duration > 50).length;
};

/** looplab's run of each workload that Pyodide runs too (at the full `sizes`), untraced. */
const looplabRuns = {
  'spawn-join': (s) => looplab.looplab_spawn_join(s.spawn_join, false),
  'yield-storm': (s) => looplab.looplab_yield_storm(s.yield_tasks, s.yield_rounds, false),
  'queue-pingpong': (s) => looplab.looplab_queue_pingpong(s.pingpong, false),
};

/** Pyodide's asyncio on the same workloads at `sizes`, or null if it is not served here. Each
 * workload runs in `reps` rounds: looplab's run at `fullSizes` (after a warm-up), then Pyodide's,
 * so that each round pairs two runs made moments apart in the same page; gives each workload's
 * times in round order, Pyodide's (`times`) and looplab's (`mine`). Every Pyodide run gets a
 * fresh Pyodide: one interpreter dies of a fatal error ("memory access out of bounds", then
 * "table index is out of bounds") after a few hundred thousand callbacks in all (three
 * yield-storms of 100,000 steps, or four spawn-joins of 20,000 tasks). */
window.pyodideRun = async (sizes, reps, fullSizes) => {
  let module;
  try {
    module = await import('./pyodide/pyodide.mjs');
  } catch {
    return null;
  }
  const code = (await (await fetch('./workloads.py')).text()).replace(/if __name__ == "__main__":[\s\S]*$/, '');
  const load = async () => {
    const pyodide = await module.loadPyodide({ indexURL: new URL('./pyodide/', location.href).href });
    pyodide.runPython(code);
    pyodide.globals.set('sizes', pyodide.toPy(sizes));
    return pyodide;
  };
  const started = performance.now();
  let pyodide = await load();
  const startup = performance.now() - started;
  const results = [];
  for (const workload of pyodide.globals.get('BROWSER_WORKLOADS').toJs()) {
    console.log(`[bench] Pyodide: ${workload}`);
    const times = [];
    const mine = [];
    await looplabRuns[workload](fullSizes);
    for (let i = 0; i < reps; i++) {
      mine.push(await looplabRuns[workload](fullSizes));
      if (!pyodide) pyodide = await load();
      times.push(await pyodide.runPythonAsync(`await run_browser(sizes, ${JSON.stringify(workload)})`));
      pyodide = null;
    }
    results.push({ workload, times, mine });
  }
  return { startup, results };
};

document.getElementById('status').textContent = 'ready';
