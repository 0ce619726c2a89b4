// The Python lab's benchmark (`scripts/bench --only lab`): the lab against Pyodide in the same
// page of the built site (dist/, with Pyodide's npm package served beside it under /pyodide/),
// and `looplab py` against CPython natively.
//
// - start-up, cold (a fresh browser context for every repetition of both runners: empty HTTP
//   cache, no compiled-code cache, no service worker): a new lab worker until its interpreter is
//   ready (its wasm fetched, compiled and instantiated, and the interpreter of its first run
//   built) and until it answered a small program, against `loadPyodide()` and the same program
//   in Pyodide; and the whole of opening the lab, from the click on "Your code" until its first
//   program's timeline is drawn (the lab's script, editor and worker fetched, compiled and run),
//   then a second run of it (warm).
// - workloads: bench/workloads.py's spawn-join, yield-storm and queue-pingpong, as one Python
//   program each (the workload's functions as they are in workloads.py, then a warm-up at tiny
//   size and the timed run on the real clock, which prints its milliseconds). In the page the lab
//   runs it in its worker, Pyodide on its own loop (a fresh interpreter per run for both);
//   natively `looplab py --real-time` and CPython run the same file.
//
// Targets (../shared/spec/python-lab.md): the lab starts at least 10 times sooner than Pyodide
// and is faster on each workload.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import sirv from 'sirv';
import { root } from '../tests/e2e/support.mjs';

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const spread = (xs) => ({ min: Math.min(...xs), max: Math.max(...xs), reps: xs.length });
/** A figure whose runs are kept in round order (`times`), to be paired with a peer's runs of the
 * same rounds (bench/run.mjs's `ratio`). */
const paired = (xs) => ({ ...spread(xs), times: xs });

/** The three workloads at a size (`smoke` tiny): name, the call that is timed, its warm-up. */
function workloads(smoke) {
  return smoke
    ? [
        ['spawn-join', 'spawn_join(200)', 'spawn_join(10)'],
        ['yield-storm', 'yield_storm(10, 10)', 'yield_storm(2, 2)'],
        ['queue-pingpong', 'queue_pingpong(200)', 'queue_pingpong(10)'],
      ]
    : [
        ['spawn-join', 'spawn_join(10_000)', 'spawn_join(100)'],
        ['yield-storm', 'yield_storm(1000, 100)', 'yield_storm(10, 10)'],
        ['queue-pingpong', 'queue_pingpong(20_000)', 'queue_pingpong(100)'],
      ];
}

/** The Python program of one workload: `main()` returns the timed run's milliseconds; `tail`
 * ends the program (natively and in the lab it prints them; Pyodide awaits `main()` itself). */
export function program(call, warmup, tail = 'print(asyncio.run(main()))\n') {
  const source = fs.readFileSync(path.join(root, 'bench', 'workloads.py'), 'utf8');
  const defs = ['_noop', 'spawn_join', 'yield_storm', 'queue_pingpong'].map((name) => {
    const found = source.match(new RegExp(`^async def ${name}\\(.*?(?=^\\S)`, 'ms'));
    if (!found) throw new Error(`bench/workloads.py has no async def ${name}`);
    return found[0];
  });
  return `import asyncio\nimport time\n\n\n${defs.join('')}
async def main():
    await ${warmup}
    started = time.perf_counter()
    await ${call}
    return round((time.perf_counter() - started) * 1000, 4)


${tail}`;
}

/** Serves `dir` on loopback, with Pyodide's npm package under /pyodide/; resolves to
 * { url, close }. */
export async function serveWithPyodide(dir) {
  const site = sirv(dir, { dev: true });
  const pyodide = sirv(path.join(root, 'node_modules', 'pyodide'), { dev: true });
  const server = http.createServer((req, res) => {
    const notFound = () => { res.statusCode = 404; res.end(); };
    if (req.url.startsWith('/pyodide/')) {
      req.url = req.url.slice('/pyodide'.length);
      return pyodide(req, res, notFound);
    }
    return site(req, res, notFound);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${server.address().port}/`, close: () => new Promise((r) => server.close(r)) };
}

/** In the page: clicks `selector` and resolves to the milliseconds until the lab's status says
 * the program finished (its timeline is drawn in the same task as that status). */
function timeLabRun(page, selector) {
  return page.evaluate((selector) => new Promise((resolve, reject) => {
    const status = () => document.getElementById('lab-status')?.textContent ?? '';
    document.getElementById('lab-status') && (document.getElementById('lab-status').textContent = '');
    const started = performance.now();
    document.querySelector(selector).click();
    const poll = () => {
      const text = status();
      if (/^The program finished/.test(text)) resolve(performance.now() - started);
      else if (/^(The program|Nothing ran|Stopped|The lab)/.test(text)) reject(new Error(text));
      else setTimeout(poll, 1);
    };
    poll();
  }), selector);
}

/** A small asyncio program (three tasks, a gather): what a first run does. */
const FIRST = `import asyncio


async def worker(name, seconds):
    await asyncio.sleep(seconds)
    return name


async def main():
    tasks = [asyncio.create_task(worker(n, s)) for n, s in [("a", 0.5), ("b", 1.5), ("c", 1.0)]]
    return await asyncio.gather(*tasks)


`;

/** In the page: a fresh lab worker; resolves to the milliseconds until it is ready (its wasm
 * fetched, compiled and started) and until it answered a first program. */
function labWorkerStart(page, source) {
  return page.evaluate((source) => new Promise((resolve, reject) => {
    const started = performance.now();
    let ready = 0;
    const worker = new Worker('./looplab-lab_loader.js', { type: 'module' });
    worker.onerror = (e) => { worker.terminate(); reject(new Error(e.message || 'the lab worker failed')); };
    worker.onmessage = (event) => {
      if (event.data.ready) {
        ready = performance.now() - started;
        worker.postMessage(JSON.stringify({ source }));
        return;
      }
      worker.terminate();
      resolve({ ready, answered: performance.now() - started });
    };
  }), source);
}

/** In the page: runs `source` in a fresh lab worker and resolves to what it printed. */
function inLabWorker(page, source) {
  return page.evaluate((source) => new Promise((resolve, reject) => {
    const worker = new Worker('./looplab-lab_loader.js', { type: 'module' });
    worker.onerror = (e) => { worker.terminate(); reject(new Error(e.message || 'the lab worker failed')); };
    worker.onmessage = (event) => {
      if (event.data.ready) {
        worker.postMessage(JSON.stringify({ source, clock: 'real', budgets: { steps: 1e12 } }));
        return;
      }
      worker.terminate();
      const answer = JSON.parse(event.data.answer);
      if (answer.status !== 0) reject(new Error(`the lab: ${answer.stderr || JSON.stringify(answer.exit)}`));
      else resolve(answer.stdout);
    };
  }), source);
}

/** In the page: a fresh Pyodide runs `source` (whose last expression is the timed run's
 * milliseconds); resolves to them. */
function inFreshPyodide(page, source) {
  return page.evaluate(async (source) => {
    const module = await import('./pyodide/pyodide.mjs');
    const pyodide = await module.loadPyodide({ indexURL: new URL('./pyodide/', location.href).href });
    return pyodide.runPythonAsync(source);
  }, source);
}

/** A fresh browser context (empty cache, no service worker) with the gather demo open. */
async function freshDemo(browser, url, options = {}) {
  const context = await browser.newContext({ serviceWorkers: 'block', ...options });
  const page = await context.newPage();
  await page.goto(`${url}?demo=gather`);
  await page.waitForFunction(() => /^Done/.test(document.querySelector('#status')?.textContent ?? ''));
  return { context, page };
}

/** Runs the benchmark; resolves to rows { workload, runner, value, unit, min, max, reps }. */
export async function labBench(browser, smoke) {
  const rows = [];
  // Cold start-ups: the lab's whole opening, and the rounds of the interpreters' start-ups (the
  // lab's and Pyodide's taking turns; a round takes about five seconds, most of it Pyodide's).
  const reps = smoke ? 1 : 5;
  const startupRounds = smoke ? 1 : 11;
  // Rounds of the workloads, in the page (the lab and Pyodide) and natively (the lab and CPython).
  const rounds = smoke ? 1 : 7;
  const { url, close } = await serveWithPyodide(path.join(root, 'dist'));
  const pyodideVersion = JSON.parse(fs.readFileSync(path.join(root, 'node_modules', 'pyodide', 'package.json'), 'utf8')).version;
  const pyodideName = `Pyodide ${pyodideVersion}`;
  try {
    // Start-up, cold: each time a fresh context (no cache, no service worker).
    const cold = [];
    const warm = [];
    for (let i = 0; i < reps; i++) {
      const { context, page } = await freshDemo(browser, url);
      cold.push(await timeLabRun(page, '#your-code'));
      warm.push(await timeLabRun(page, '#lab-run'));
      await context.close();
    }
    rows.push({ workload: 'lab start-up, cold: click to drawn timeline (editor and all)', runner: 'looplab lab', value: median(cold), unit: 'ms', ...spread(cold) });
    rows.push({ workload: 'lab second run (click to drawn timeline)', runner: 'looplab lab', value: median(warm), unit: 'ms', ...spread(warm) });

    // The interpreter alone, cold: a fresh worker until it is ready, and until it answered a
    // first program; and Pyodide's start-up, cold like the lab's (a fresh context each time:
    // loaded again in one page, Pyodide finds its files in the HTTP cache and its compiled code
    // in V8's cache, and starts two to three times sooner, which is a warm start). The two take
    // turns, round by round, so that each ratio pairs starts made moments apart (`times`, in
    // round order) and a change in the machine's load weighs on both alike.
    const ready = [];
    const answered = [];
    const startups = [];
    const firsts = [];
    for (let i = 0; i < startupRounds; i++) {
      {
        const { context, page } = await freshDemo(browser, url);
        const start = await labWorkerStart(page, `${FIRST}print(asyncio.run(main()))\n`);
        ready.push(start.ready);
        answered.push(start.answered);
        await context.close();
      }
      const { context, page } = await freshDemo(browser, url, { bypassCSP: true });
      const start = await page.evaluate(async (first) => {
        const module = await import('./pyodide/pyodide.mjs');
        const started = performance.now();
        const py = await module.loadPyodide({ indexURL: new URL('./pyodide/', location.href).href });
        const ready = performance.now() - started;
        await py.runPythonAsync(first);
        return { ready, answered: performance.now() - started };
      }, `${FIRST}await main()\n`);
      startups.push(start.ready);
      firsts.push(start.answered);
      await context.close();
    }
    rows.push({ workload: 'lab start-up, cold: interpreter ready', runner: 'looplab lab', value: median(ready), unit: 'ms', ...paired(ready) });
    rows.push({ workload: 'lab start-up, cold: first program run', runner: 'looplab lab', value: median(answered), unit: 'ms', ...paired(answered) });
    rows.push({ workload: 'lab start-up, cold: interpreter ready', runner: `${pyodideName} loadPyodide()`, value: median(startups), unit: 'ms', ...paired(startups) });
    rows.push({ workload: 'lab start-up, cold: first program run', runner: pyodideName, value: median(firsts), unit: 'ms', ...paired(firsts) });

    // The same page for the workloads, the lab's and Pyodide's (Pyodide needs `eval`, which
    // the site's content security policy forbids). They take turns, round by round (a fresh lab
    // worker, then a fresh Pyodide), and each ratio is the median of the rounds' ratios.
    const { context, page } = await freshDemo(browser, url, { bypassCSP: true });
    for (const [workload, call, warmup] of workloads(smoke)) {
      const mine = [];
      const theirs = [];
      for (let i = 0; i < rounds; i++) {
        mine.push(Number(await inLabWorker(page, program(call, warmup))));
        theirs.push(await inFreshPyodide(page, program(call, warmup, 'await main()\n')));
      }
      rows.push({ workload: `lab ${workload} ${call} (browser)`, runner: 'looplab lab', value: median(mine), unit: 'ms', ...paired(mine) });
      rows.push({ workload: `lab ${workload} ${call} (browser)`, runner: pyodideName, value: median(theirs), unit: 'ms', ...paired(theirs) });
    }
    await context.close();
  } finally {
    await close();
  }

  // Natively: `looplab py` (built with the lab's profile) and CPython on the same files.
  if (!smoke) {
    execFileSync('cargo', ['build', '-q', '--profile', 'lab', '--features', 'python', '--bin', 'looplab'], { cwd: root, stdio: 'inherit' });
    const python = process.env.LOOPLAB_PYTHON || path.join(root, 'target', 'venv', 'bin', 'python');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'looplab-lab-bench-'));
    for (const [workload, call, warmup] of workloads(false)) {
      const file = path.join(dir, `${workload}.py`);
      fs.writeFileSync(file, program(call, warmup));
      // The two take turns, round by round, as in the page.
      const runners = [
        ['looplab lab', path.join(root, 'target', 'lab', 'looplab'), ['py', '--real-time', file]],
        ['CPython asyncio', python, [file]],
      ];
      const times = runners.map(() => []);
      for (let i = 0; i < rounds; i++) {
        runners.forEach(([, command, args], j) => times[j].push(Number(execFileSync(command, args, { encoding: 'utf8' }).trim())));
      }
      runners.forEach(([runner], j) => {
        rows.push({ workload: `lab ${workload} ${call} (native)`, runner, value: median(times[j]), unit: 'ms', ...paired(times[j]) });
      });
    }
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}
