// The benchmark suite's driver (`scripts/bench` builds what it needs, then runs this).
//
// Runs every part in one go: the native half (looplab, futures' LocalPool, tokio), CPython's
// asyncio, and in the same headless Chromium looplab, wasm-bindgen-futures and Pyodide; then the
// page's figures (timeline drawing, first timeline, long tasks) and sizes. Prints one table and
// writes target/bench/results.json.
//
//   node bench/run.mjs [--smoke] [--only PART,...]
//
// --smoke: tiny sizes, one repetition, to keep the code alive. --only: some of the parts native,
// cpython, browser, pyodide, page, big-run, lab, sizes (for working on one of them; the table shows
// what ran).
// `node bench/compare.mjs A.json B.json C.json` says how far apart the ratios of several full
// runs lie.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { root, launch, serve } from '../tests/e2e/support.mjs';
import { serveWithPyodide } from './lab.mjs';
import { siteSizes } from './site-size.mjs';

const smoke = process.argv.includes('--smoke');
const onlyAt = process.argv.indexOf('--only');
const only = onlyAt > 0 ? process.argv[onlyAt + 1].split(',') : null;
const part = (name) => !only || only.includes(name);
// Repetitions per figure (after a warm-up run of each): the runs are short (a few milliseconds
// for some), so enough of them for a median that repeats from one full run to the next;
// CPython's runs are long (a fresh process each, timer-wheel's take seven seconds with the
// warm-up); Pyodide's start a fresh interpreter each.
const reps = smoke ? 1 : 21;
const cpythonReps = smoke ? 1 : 11;
const pyodideReps = smoke ? 1 : 9;
const sizes = smoke
  ? { spawn_join: 1000, yield_tasks: 10, yield_rounds: 10, pingpong: 1000, timers: 1000, fanout: 100 }
  : { spawn_join: 100_000, yield_tasks: 1000, yield_rounds: 100, pingpong: 100_000, timers: 100_000, fanout: 10_000 };
const results = [];
// The machine's load when the run began (the table says it: a busy machine spreads the figures).
const loadAtStart = os.loadavg()[0];
const say = (m) => process.stderr.write(`[bench] ${m}\n`);
// A figure: its value (for timings the median), and for timings the spread of the runs.
// `spread.times`, where given, are the runs in round order (see `ratio`).
const record = (workload, runner, value, unit = 'ms', spread = null) =>
  results.push({
    workload,
    runner,
    value,
    unit,
    ...(spread ? { min: spread.min, max: spread.max, reps: spread.reps } : {}),
    ...(spread?.times ? { times: spread.times } : {}),
    ...(spread?.pairedWith ? { pairedWith: spread.pairedWith } : {}),
    ...(spread?.wallTimes ? { wallTimes: spread.wallTimes } : {}),
  });
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
/** The spread of runs kept in round order, with the runs (`times`), for `record`. */
const inRounds = (times) => {
  const t = [...times].sort((a, b) => a - b);
  return { min: t[0], max: t[t.length - 1], reps: t.length, times };
};

/** The path of the native suite's executable (benches/suite.rs), built if it is not. */
function nativeSuite() {
  const messages = execFileSync('cargo', ['bench', '-q', '--features', 'bench', '--bench', 'suite', '--no-run', '--message-format=json'], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const built = messages
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l))
    .find((m) => m.reason === 'compiler-artifact' && m.target?.name === 'suite' && m.executable);
  if (!built) throw new Error('cargo bench --no-run named no executable for benches/suite.rs');
  return built.executable;
}

/** The ratio of two timed figures `a / b`. Runners that took turns (in one process, in the page,
 * or in processes started one after the other: CPython's rounds with looplab's) have their runs
 * paired by round: the ratio is the median of the rounds' ratios, each of two runs made back to
 * back, so that a slow spell of the shared machine (which lasts longer than a round) cancels
 * out. Other figures (the browser's looplab against CPython: other processes, other moments)
 * are compared by their medians. */
export function ratio(a, b) {
  if (a.times && b.times && a.times.length === b.times.length && a.times.length > 0) {
    const rounds = a.times.map((t, i) => t / b.times[i]).sort((x, y) => x - y);
    return rounds[Math.floor(rounds.length / 2)];
  }
  return a.value / b.value;
}

// ---- native ------------------------------------------------------------------------------------
if (part('native')) {
  say('native: looplab, futures LocalPool, tokio LocalSet');
  const native = execFileSync('cargo', ['bench', '-q', '--features', 'bench', '--bench', 'suite', '--', ...(smoke ? ['--smoke'] : []), '--reps', String(reps)], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  for (const line of native.split('\n').filter((l) => l.startsWith('{'))) {
    const r = JSON.parse(line);
    if (r.bytes !== undefined) record(`${r.workload} (native)`, r.runner, r.bytes, 'B');
    else if (r.allocations !== undefined) record(`${r.workload} (native)`, r.runner, r.allocations, 'allocations');
    else record(`${r.workload} (native)`, r.runner, r.ms, 'ms', r);
  }
}

// ---- CPython ------------------------------------------------------------------------------------
// CPython's figures come from rounds, one per timed run: in each round a fresh CPython process
// runs the workload (a warm-up run at full size, then the timed run; bench/workloads.py says why
// a fresh process and why `gc.collect()` before each run), and right after it a fresh process of
// the native suite runs looplab on the same workload (a warm-up, then three runs, whose median is
// the round's time). The ratio of looplab to CPython is the median of the rounds' ratios, like
// that of runners that take turns in one process: a slow spell of the shared machine, which lasts
// longer than a round, weighs on both runs of a round alike. Both are timed in CPU time (the
// process's, the thread's: each runs on one thread), which leaves out the time that other
// processes held the core: with more runnable processes than cores, a CPython run of a tenth of
// a second to seconds is preempted for a share of its wall-clock time that varies from run to
// run (two to three times its CPU time when the load average was 3 to 5), where looplab's runs
// of a few milliseconds mostly are not. The wall-clock times are kept in results.json
// (`wallTimes`).
if (part('cpython')) {
  say('CPython asyncio (looptime for the timer workloads), round by round with looplab natively');
  const python = process.env.LOOPLAB_PYTHON || path.join(root, 'target', 'venv', 'bin', 'python');
  const suite = nativeSuite();
  const jsonLines = (text) => text.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
  for (const workload of ['spawn-join', 'yield-storm', 'queue-pingpong', 'timer-wheel', 'gather-fanout']) {
    const rounds = [];
    let runner = null;
    for (let i = 0; i < cpythonReps; i++) {
      const [py] = jsonLines(execFileSync(python, [path.join(root, 'bench', 'workloads.py'), ...(smoke ? ['--smoke'] : []), '--only', workload, '--reps', '1'], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
      }));
      const mine = jsonLines(execFileSync(suite, [...(smoke ? ['--smoke'] : []), '--only', `looplab on ${workload}`, '--reps', smoke ? '1' : '3'], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
      })).find((r) => r.workload === workload && r.runner === 'looplab');
      runner = py.runner;
      rounds.push({ mine: median(mine.cpu_times), mineWall: mine.ms, py: py.cpu_times[0], pyWall: py.times[0] });
    }
    const looplabTimes = rounds.map((r) => r.mine);
    const cpythonTimes = rounds.map((r) => r.py);
    record(`${workload} (native)`, 'looplab, in the rounds with CPython (CPU time)', median(looplabTimes), 'ms', { ...inRounds(looplabTimes), wallTimes: rounds.map((r) => r.mineWall) });
    record(`${workload} (native)`, `${runner} (CPU time)`, median(cpythonTimes), 'ms', {
      ...inRounds(cpythonTimes),
      wallTimes: rounds.map((r) => r.pyWall),
      pairedWith: 'looplab, in the rounds with CPython (CPU time)',
    });
  }
}

// ---- the browser ----------------------------------------------------------------------------------
const benchSite = path.join(root, 'target', 'bench-site');
const pyodideDir = path.join(root, 'node_modules', 'pyodide');
const server = await serveWithPyodide(benchSite);
const benchUrl = server.url;
const browser = await launch();
const browserName = `Chromium ${browser.version()}`;
// The pages over which each browser group's rounds are spread (see below).
const browserPages = smoke ? 1 : 3;
/** A fresh page (a context of its own: a fresh renderer, a fresh V8) with the benchmark page loaded. */
async function benchPage() {
  const fresh = await browser.newPage();
  fresh.on('pageerror', (e) => say(`page error: ${e.message}`));
  fresh.on('console', (m) => m.text().startsWith('[bench]') && say(m.text().slice(8)));
  await fresh.goto(benchUrl);
  await fresh.waitForFunction(() => document.getElementById('status')?.textContent === 'ready', null, { timeout: 60000 });
  return fresh;
}
const page = await benchPage();

const inPage = (expr) => page.evaluate(expr);
if (part('browser')) {
  // Memory first, while the page is fresh: the growth of wasm memory only shows what a run
  // needs beyond what earlier runs left free. A small run first uses up the initial heap.
  await inPage('looplab.looplab_bytes_per_waiting_task(1000)');
  record('bytes per waiting task (browser)', 'looplab', await inPage(`looplab.looplab_bytes_per_waiting_task(${smoke ? 10000 : 100000})`), 'B');
  record('trace bytes per event: spawn-join (browser)', 'looplab', await inPage(`looplab.looplab_trace_bytes_per_event(${sizes.spawn_join})`), 'B');
  say('browser: looplab and wasm-bindgen-futures');
  const s = sizes;
  // Each group is measured together, its runs taking turns.
  const browserGroups = [
    ['spawn-join', [
      ['looplab', `looplab.looplab_spawn_join(${s.spawn_join}, false)`],
      ['wasm-bindgen-futures', `looplab.wbg_spawn_join(${s.spawn_join})`],
      ['looplab traced', `looplab.looplab_spawn_join(${s.spawn_join}, true)`],
    ]],
    ['yield-storm', [
      ['looplab', `looplab.looplab_yield_storm(${s.yield_tasks}, ${s.yield_rounds}, false)`],
      ['wasm-bindgen-futures', `looplab.wbg_yield_storm(${s.yield_tasks}, ${s.yield_rounds})`],
      ['looplab traced', `looplab.looplab_yield_storm(${s.yield_tasks}, ${s.yield_rounds}, true)`],
    ]],
    ['queue-pingpong', [
      ['looplab', `looplab.looplab_queue_pingpong(${s.pingpong}, false)`],
      ['wasm-bindgen-futures', `looplab.wbg_queue_pingpong(${s.pingpong})`],
      ['looplab traced', `looplab.looplab_queue_pingpong(${s.pingpong}, true)`],
    ]],
    // The peers sleep on real timers: timer-wheel's delays become milliseconds (see bench.rs).
    ['timer-wheel', [
      ['looplab', `looplab.looplab_timer_wheel(${s.timers})`],
      ['wasm-bindgen-futures + setTimeout (delays in ms)', `looplab.wbg_timer_wheel(${s.timers})`],
    ]],
    ['gather-fanout', [
      ['looplab', `looplab.looplab_gather_fanout(${s.fanout})`],
      ['wasm-bindgen-futures + setTimeout', `looplab.wbg_gather_fanout(${s.fanout})`],
    ]],
  ];
  // Each group's rounds are spread over fresh pages: V8 compiles the module anew in every page
  // and tiers it up as it runs, and a page keeps the level it reached (one page of three may run
  // looplab's yield-storm a quarter slower than the others, all its rounds alike). The median
  // of the rounds of three pages is that of the pages most alike.
  for (const [workload, runs] of browserGroups) {
    const times = runs.map(() => []);
    for (let p = 0; p < browserPages; p++) {
      const fresh = await benchPage();
      const perPage = await fresh.evaluate(`medians(${Math.ceil(reps / browserPages)}, [${runs.map(([, call]) => `() => ${call}`).join(', ')}])`);
      perPage.forEach((t, i) => times[i].push(...t.times));
      await fresh.close();
    }
    runs.forEach(([runner], i) => {
      const name = runner === 'looplab traced' ? `trace-cost ${workload} (browser)` : `${workload} (browser)`;
      record(name, runner, median(times[i]), 'ms', inRounds(times[i]));
    });
  }
  say('browser: long tasks during a real-time yield-storm');
  record('long-tasks', 'looplab', await inPage(`longTasksDuring(() => looplab.looplab_yield_storm_real_time(${s.yield_tasks}, ${s.yield_rounds}))`), 'tasks');
}

let pyodideVersion = null;
if (part('pyodide')) {
  say('browser: Pyodide (loads in a few seconds)');
  // Pyodide runs spawn-join at a tenth of the size and ping-pong at a fifth, scaled up in the
  // table: ping-pong is slow, and 100,000 tasks kill even a fresh interpreter (see bench.js). Both
  // scale linearly at these sizes (spawn-join measured from 1,000 to 64,000 tasks).
  const pyodideSizes = smoke ? sizes : { ...sizes, spawn_join: 10_000, pingpong: 20_000 };
  const scaledBy = { 'spawn-join': sizes.spawn_join / pyodideSizes.spawn_join, 'queue-pingpong': sizes.pingpong / pyodideSizes.pingpong };
  const fatal = new Promise((resolve) => page.on('console', (m) => m.text().includes('Pyodide has suffered a fatal error') && resolve('fatal')));
  const py = await Promise.race([inPage(`pyodideRun(${JSON.stringify(pyodideSizes)}, ${pyodideReps}, ${JSON.stringify(sizes)})`), fatal]);
  if (py === 'fatal') say('Pyodide died of a fatal error; its rows are left out');
  if (py && py !== 'fatal') {
    pyodideVersion = JSON.parse(fs.readFileSync(path.join(pyodideDir, 'package.json'), 'utf8')).version;
    record('pyodide start-up', `Pyodide ${pyodideVersion}`, py.startup);
    // Each Pyodide run took turns with a run of looplab in the same page: the ratio pairs them.
    for (const r of py.results) {
      const scale = scaledBy[r.workload] ?? 1;
      const runner = scale === 1 ? 'Pyodide asyncio' : `Pyodide asyncio (run at 1/${scale} size, ×${scale})`;
      const theirs = r.times.map((t) => t * scale);
      record(`${r.workload} (browser)`, 'looplab, in the rounds with Pyodide', median(r.mine), 'ms', inRounds(r.mine));
      record(`${r.workload} (browser)`, runner, median(theirs), 'ms', { ...inRounds(theirs), pairedWith: 'looplab, in the rounds with Pyodide' });
    }
  }
}
// The 10,000-task timeline is drawn on the benchmark page (the function is not in the site).
const draws = part('page')
  ? await inPage(`[0, 1, 2, 3, 4, 5].map(() => looplab.bench_timeline_draw(${smoke ? 1000 : 10_000}))`)
  : null;
await page.close();
server.close();

// ---- the page itself ------------------------------------------------------------------------------
if (part('page')) {
  say('page: first timeline and a 10,000-task timeline');
  const { firstTimeline } = await import('./page.mjs');
  // In a browser of its own: the one above has opened and closed some twenty pages and run
  // Pyodide by now, and a visitor's first load meets no such browser.
  const fresh = await launch();
  for (const r of await firstTimeline(fresh, '?demo=mental-model', smoke ? 3 : 15)) record(r.workload, 'looplab', r.value, r.unit, r.spread);
  await fresh.close();
  const timed = draws.slice(1).sort((a, b) => a - b);
  record(`ui-render ${smoke ? '1,000' : '10,000'}-task timeline draw`, 'looplab', timed[2], 'ms', { min: timed[0], max: timed[timed.length - 1], reps: timed.length });
}
// ---- the page with the largest run (bench/page.mjs) ------------------------------------------------
if (part('big-run')) {
  say('page: the largest performance-patterns run (long tasks, step, scrub, zoom)');
  const { bigRun } = await import('./page.mjs');
  for (const r of await bigRun(browser, smoke)) record(r.workload, 'looplab', r.value, r.unit);
}
// ---- the Python lab (bench/lab.mjs) ----------------------------------------------------------------
if (part('lab')) {
  say('the Python lab: start-up and workloads against Pyodide in the page, and natively against CPython');
  const { labBench } = await import('./lab.mjs');
  for (const r of await labBench(browser, smoke)) record(r.workload, r.runner, r.value, r.unit, r);
}
await browser.close();

// ---- sizes ------------------------------------------------------------------------------------------
if (part('sizes')) {
  const { site, lab } = siteSizes(path.join(root, 'dist'));
  record('site wasm + JS + CSS, raw', 'looplab', site.raw / 1024, 'KB');
  record('site wasm + JS + CSS, gzipped', 'looplab', site.gz / 1024, 'KB');
  record('Python lab (worker, editor, script), raw', 'looplab', lab.raw / 1024, 'KB');
  record('Python lab (worker, editor, script), gzipped', 'looplab', lab.gz / 1024, 'KB');
}

// The browser's looplab against CPython too (the spec's targets compare them): the CPython
// figures of the native part, shown again beside the browser rows.
for (const workload of ['spawn-join', 'yield-storm', 'queue-pingpong']) {
  const cpython = results.find((r) => r.workload === `${workload} (native)` && r.runner === 'CPython asyncio (CPU time)');
  if (cpython && results.some((r) => r.workload === `${workload} (browser)`)) {
    record(`${workload} (browser)`, 'CPython asyncio (native, above, CPU time)', cpython.value, 'ms', { min: cpython.min, max: cpython.max, reps: cpython.reps });
  }
}

// ---- the table ------------------------------------------------------------------------------------
const find = (workload, runner) => results.find((r) => r.workload === workload && r.runner === runner);
const rows = [];
for (const workload of [...new Set(results.map((r) => r.workload))]) {
  const mine = find(workload, 'looplab') ?? find(workload, 'looplab lab');
  for (const r of results.filter((x) => x.workload === workload)) {
    let text = '';
    if (r.runner === 'looplab traced') {
      const untraced = find(workload.replace('trace-cost ', ''), 'looplab');
      if (untraced) {
        r.ratio = ratio(r, untraced);
        text = `traced/untraced ${r.ratio.toFixed(2)}`;
      }
    } else if (!r.runner.startsWith('looplab') && (r.pairedWith ? find(workload, r.pairedWith) : mine) !== undefined && r.unit === 'ms') {
      // A peer measured in rounds with a looplab run of its own is compared with that.
      r.ratio = ratio(r.pairedWith ? find(workload, r.pairedWith) : mine, r);
      text = `looplab/peer ${r.ratio.toFixed(3)} (peer/looplab ${(1 / r.ratio).toFixed(1)}×)`;
    }
    const digits = r.unit === 'ms' ? 2 : 1;
    const spread = r.min !== undefined ? `${r.min.toFixed(digits)}–${r.max.toFixed(digits)}` : '';
    rows.push([workload, r.runner, `${r.value.toFixed(digits)} ${r.unit}`, spread, text]);
  }
}
const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
const widths = [0, 1, 2, 3, 4].map((i) => Math.max(...rows.map((r) => r[i].length), 8));
const line = (r) => r.map((c, i) => c.padEnd(widths[i])).join('  ');
console.log(
  `looplab benchmarks${smoke ? ' (smoke run: tiny sizes, one repetition)' : ''}: ${browserName}, ${cpu} (${os.cpus().length} cores); ` +
    `each time the median of ${reps} runs (CPython ${cpythonReps}, each in a fresh process after a warm-up and gc.collect(), in CPU time as looplab's runs of its rounds; Pyodide ${pyodideReps}, each in a fresh interpreter; in the browser the rounds spread over ${browserPages} fresh page${browserPages > 1 ? 's' : ''}, each with its warm-up) after a warm-up, with their spread (min–max); ` +
    'runners that took turns are compared round by round (the median of the rounds\' ratios): CPython with looplab run natively in a fresh process right after it, Pyodide with looplab in the same page right before it ("looplab, in the rounds with ..."), the lab with Pyodide and with CPython; ' +
    `load average ${loadAtStart.toFixed(2)} at the start, ${os.loadavg()[0].toFixed(2)} at the end`,
);
console.log(line(['workload', 'runner', 'time', 'spread', 'ratio']));
for (const r of rows) console.log(line(r));
const out = path.join(root, 'target', 'bench');
fs.mkdirSync(out, { recursive: true });
fs.writeFileSync(
  path.join(out, smoke ? 'smoke.json' : 'results.json'),
  JSON.stringify({ date: new Date().toISOString(), smoke, browser: browserName, cpu, cores: os.cpus().length, load: os.loadavg(), reps, sizes, pyodide: pyodideVersion, results }, null, 2),
);
say(`wrote target/bench/${smoke ? 'smoke' : 'results'}.json`);
