// The benchmark page's side: loads the module and exposes it; Playwright calls the functions.
import init, * as looplab from './looplab.js';

await init({ module_or_path: new URL('./looplab_bg.wasm', import.meta.url) });
window.looplab = looplab;

/** Median of `reps` runs of `f` after one warm-up. */
window.median = async (reps, f) => {
  await f();
  const times = [];
  for (let i = 0; i < reps; i++) times.push(await f());
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
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

/** Pyodide's asyncio on the same workloads, or null if it is not served here. */
window.pyodideRun = async (sizes, reps) => {
  let module;
  try {
    module = await import('./pyodide/pyodide.mjs');
  } catch {
    return null;
  }
  const started = performance.now();
  const pyodide = await module.loadPyodide({ indexURL: new URL('./pyodide/', location.href).href });
  const startup = performance.now() - started;
  const code = await (await fetch('./workloads.py')).text();
  pyodide.runPython(code.replace(/if __name__ == "__main__":[\s\S]*$/, ''));
  pyodide.globals.set('sizes', pyodide.toPy(sizes));
  const results = JSON.parse(await pyodide.runPythonAsync(`await run_browser(sizes, ${reps})`));
  return { startup, results };
};

document.getElementById('status').textContent = 'ready';
