// Compares the ratios of several full benchmark runs (the spec asks that three consecutive
// runs agree within 10%): for every ratio the table shows, its value in each run and how far
// the runs lie apart (largest over smallest, minus one).
//
//   node bench/compare.mjs RUN1.json RUN2.json RUN3.json
//
// Each file is a `target/bench/results.json` that `scripts/bench` wrote (copy it away between
// runs). Prints one line per ratio and ends with the number of ratios that differ by more than
// 10%; the exit status is 1 if any does.
import fs from 'node:fs';

const files = process.argv.slice(2);
if (files.length < 2) {
  console.error('usage: node bench/compare.mjs RUN1.json RUN2.json [RUN3.json ...]');
  process.exit(2);
}
const runs = files.map((f) => JSON.parse(fs.readFileSync(f, 'utf8')));

/** The ratios of one run, as its table showed them (`scripts/bench` stores each in the peer's,
 * or the traced run's, entry): `workload | runner` to a number. */
function ratios(run) {
  const find = (workload, runner) => run.results.find((r) => r.workload === workload && r.runner === runner)?.value;
  const out = new Map();
  for (const r of run.results) {
    if (r.unit !== 'ms') continue;
    if (r.runner === 'looplab traced') {
      const untraced = find(r.workload.replace('trace-cost ', ''), 'looplab');
      if (r.ratio !== undefined || untraced) out.set(`${r.workload} | traced/untraced`, r.ratio ?? r.value / untraced);
    } else if (!r.runner.startsWith('looplab')) {
      const mine = find(r.workload, 'looplab');
      if (r.ratio !== undefined || mine !== undefined) out.set(`${r.workload} | looplab/${r.runner}`, r.ratio ?? mine / r.value);
    }
  }
  return out;
}

const all = runs.map(ratios);
const keys = [...new Set(all.flatMap((m) => [...m.keys()]))];
const width = Math.max(...keys.map((k) => k.length));
let apart = 0;
console.log(`${'ratio'.padEnd(width)}  ${runs.map((r, i) => `run ${i + 1}`.padStart(9)).join('')}   apart`);
for (const key of keys) {
  const values = all.map((m) => m.get(key));
  const present = values.filter((v) => v !== undefined);
  const spread = present.length > 1 ? Math.max(...present) / Math.min(...present) - 1 : 0;
  const flag = spread > 0.1 ? '  > 10%' : '';
  if (spread > 0.1) apart += 1;
  const cells = values.map((v) => (v === undefined ? '-' : v.toFixed(3)).padStart(9)).join('');
  console.log(`${key.padEnd(width)}  ${cells}  ${(100 * spread).toFixed(1).padStart(5)}%${flag}`);
}
console.log(`${keys.length} ratios, ${apart} of them more than 10% apart across ${runs.length} runs`);
process.exit(apart > 0 ? 1 : 0);
