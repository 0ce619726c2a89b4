// The built site in headless Chromium: the catalog, runs of many demos checked against their
// traces, playback and panels, sharing by URL, bad URLs, the form, export, embed, offline, and
// the size of what a first visit loads.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { serve, launch, watchErrors, shots, root, summary, waitUntilCached } from './support.mjs';
import { siteSizes } from '../../bench/site-size.mjs';
import { IMPORT, imports, sections } from '../../scripts/wasm-module.mjs';

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

/** The trace of a demo, from the CLI (the native build), to check the page against. */
function cliTrace(id) {
  const bin = path.join(root, 'target', 'debug', 'looplab');
  return JSON.parse(execFileSync(bin, ['run', id, '--format', 'json'], { encoding: 'utf8' }));
}

/** What the page drew: the summary the page computes when asked (`looplab.page_summary()`). */
async function scene(page) {
  return summary(page);
}

async function openDemo(page, query) {
  await page.goto(`${server.url}${query}`);
  await page.waitForFunction(() => /^(Done|The run failed)/.test(document.querySelector('#status')?.textContent ?? ''));
}

const near = (a, b) => Math.abs(a - b) < 0.02;

test('the catalog lists all 36 demos by section and selecting one runs it', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = watchErrors(page);
  await openDemo(page, '');
  const ids = await page.$$eval('.demo-link', (links) => links.map((l) => l.dataset.demo));
  assert.equal(ids.length, 36);
  assert.deepEqual(ids.slice(0, 2), ['mental-model', 'coroutine-objects']);
  const sections = await page.$$eval('.section-title', (h) => h.map((x) => x.textContent));
  assert.deepEqual(sections, ['Core concepts', 'Advanced topics']);
  await page.click('.demo-link[data-demo="task-group"]');
  await page.waitForFunction(() => JSON.parse(window.looplab?.page_summary() ?? '{}').demo === 'task-group');
  assert.equal(await page.textContent('#demo-title'), 'Task groups');
  // The address bar follows in a task of its own.
  await page.waitForURL(/[?&]demo=task-group/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('sequential-vs-concurrent: A, B and C overlap and end 2.0 s after they start; sequential takes 4.5 s', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  const errors = watchErrors(page);
  await openDemo(page, '?demo=sequential-vs-concurrent');
  const drawn = await scene(page);
  const lane = (name) => drawn.lanes.find((l) => l.name === name);
  const [main, a, b, c] = ['Task-1', 'A', 'B', 'C'].map(lane);
  assert.ok(main && a && b && c, JSON.stringify(drawn.lanes));
  for (const t of [a, b, c]) assert.ok(near(t.start, 4.5), `${t.name} starts at ${t.start}, when the sequential part (4.5 s) ends`);
  for (const [x, y] of [[a, b], [a, c], [b, c]]) assert.ok(x.start < y.end && y.start < x.end, `${x.name} and ${y.name} overlap`);
  assert.ok(near(b.end - b.start, 1.0) && near(c.end - c.start, 1.5) && near(a.end - a.start, 2.0));
  assert.ok(near(Math.max(a.end, b.end, c.end) - a.start, 2.0), 'the concurrent part takes 2.0 s');
  assert.ok(near(drawn.total_time, 6.5));
  const transcript = await page.textContent('#transcript');
  assert.match(transcript, /^4\.500 Task-1 sequential total 4\.5 s$/m);
  assert.match(transcript, /^6\.500 Task-1 concurrent total 2\.0 s$/m);
  await page.screenshot({ path: path.join(shots, 'sequential-vs-concurrent.png'), fullPage: true });
  assert.deepEqual(errors, []);
  await page.close();
});

const TEN = ['mental-model', 'gather', 'gather-errors', 'wait', 'task-group', 'timeouts', 'cancellation',
  'semaphore-limit', 'queues', 'generator-cleanup', 'agent-patterns', 'fire-and-forget'];

test('twelve demos: the timeline draws the trace\'s lanes, steps, wake-up arrows and total time', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = watchErrors(page);
  for (const id of TEN) {
    await openDemo(page, `?demo=${id}`);
    const drawn = await scene(page);
    const trace = cliTrace(id);
    assert.equal(drawn.demo, id);
    assert.deepEqual(drawn.lanes.map((l) => l.name), trace.tasks.map((t) => t.name).slice(0, 200), `${id}: one lane per task`);
    assert.ok(near(drawn.total_time, trace.end_time), `${id}: total ${drawn.total_time} vs ${trace.end_time}`);
    assert.equal(drawn.iterations, trace.iterations, `${id}: iterations`);
    const steps = trace.events.filter((e) => e.event === 'step_begin').length;
    assert.equal(drawn.steps, steps, `${id}: one block per step`);
    drawn.lanes.forEach((l, i) => {
      const own = trace.events.filter((e) => e.event === 'step_begin' && e.task === i).length;
      assert.equal(l.steps, own, `${id}: ${l.name}'s steps`);
    });
    // An arrow for every wake-up by another task or the loop that led to a step.
    const wakes = trace.events.filter((e) => e.event === 'scheduled' && !(e.by.kind === 'task' && e.by.id === e.task));
    assert.ok(drawn.arrows_total > 0 && drawn.arrows_total <= wakes.length, `${id}: ${drawn.arrows_total} arrows of ${wakes.length} wake-ups`);
  }
  assert.deepEqual(errors, []);
  await page.close();
});

test('stepping back and forth updates the moment, the panels, the transcript and the code', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  const errors = watchErrors(page);
  await openDemo(page, '?demo=sequential-vs-concurrent');
  await page.click('#timeline-canvas');
  await page.keyboard.press('Home');
  assert.match(await page.textContent('#moment'), /t = 0\.000 s · iteration 0 · event 1 of \d+/);
  assert.equal(await page.textContent('#now'), 'Task-1: created');
  await page.keyboard.press('ArrowRight');
  assert.equal(await page.textContent('#now'), 'Task-1: put on the ready queue');
  assert.match(await page.textContent('#narration'), /Task-1 is put on the ready queue/);
  assert.deepEqual(await page.$$eval('#panel-ready-list li', (li) => li.map((x) => x.textContent)), ['Task-1']);
  await page.keyboard.press('ArrowRight');
  assert.equal(await page.textContent('#now'), 'Task-1: runs a step');
  assert.deepEqual(await page.$$eval('#panel-tasks-list li', (li) => li.map((x) => x.textContent)), ['Task-1: running']);
  // Forward to the first timer: the pending-timers panel shows A's 2 s sleep.
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
  assert.deepEqual(await page.$$eval('#panel-timers-list li', (li) => li.map((x) => x.textContent)), ['2.000 s: timer 0 (Task-1)']);
  // The code view marks the line that set it; the transcript has printed two lines so far.
  assert.match(await page.textContent('#code-rust .line.current'), /sleep\(seconds\)\.await\?/);
  assert.equal(await page.$$eval('#transcript .tline:not(.future)', (l) => l.length), 2);
  await page.keyboard.press('ArrowLeft');
  assert.deepEqual(await page.$$eval('#panel-timers-list li', (li) => li.map((x) => x.textContent)), ['none']);
  // Next iteration jumps over the rest of this one.
  const before = await page.textContent('#moment');
  await page.keyboard.press('Shift+ArrowRight');
  const iteration = (text) => Number(/iteration (\d+)/.exec(text)[1]);
  assert.equal(iteration(await page.textContent('#moment')), iteration(before) + 1);
  // Space plays; the moment moves on by itself.
  await page.keyboard.press('Home');
  await page.keyboard.press(' ');
  assert.equal(await page.getAttribute('#play', 'aria-pressed'), 'true');
  await page.waitForFunction(() => !/event 1 of/.test(document.querySelector('#moment').textContent));
  await page.keyboard.press(' ');
  assert.equal(await page.getAttribute('#play', 'aria-pressed'), 'false');
  assert.deepEqual(errors, []);
  await page.close();
});

test('a shared URL restores the demo, parameters, seed, axis and moment', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = watchErrors(page);
  await openDemo(page, '?demo=gather&p.first=3&seed=7&t=1&axis=iteration');
  assert.equal(await page.inputValue('#param-first'), '3.0');
  assert.equal(await page.inputValue('#param-seed'), '7');
  assert.equal(await page.getAttribute('#axis-iteration', 'aria-pressed'), 'true');
  assert.equal((await scene(page)).axis, 'iteration');
  // With seed 7 the timers are perturbed: the moment is the last event at or before t = 1.
  const t = Number(/^t = ([0-9.]+) s/.exec(await page.textContent('#moment'))[1]);
  assert.ok(t <= 1.0 && t > 0.5, `moment at ${t}`);
  const link = await page.inputValue('#share-link');
  assert.match(link, /\?demo=gather&p\.first=3\.0&seed=7&t=1&axis=iteration$/);
  // The same link in a fresh page gives the same moment and the same current line.
  const other = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await openDemo(other, link.slice(link.indexOf('?')));
  assert.equal(await other.textContent('#moment'), await page.textContent('#moment'));
  assert.equal(await other.textContent('#transcript .current'), await page.textContent('#transcript .current'));
  await other.screenshot({ path: path.join(shots, 'gather-iterations.png'), fullPage: true });
  assert.deepEqual(errors, []);
  await other.close();
  await page.close();
});

test('bad URL values give visible messages and defaults, never a blank page', async () => {
  const page = await browser.newPage();
  const errors = watchErrors(page);
  await openDemo(page, '?demo=gather&p.first=abc&p.nope=1&seed=x&t=-4&axis=sideways&junk=%3Cscript%3E');
  const notes = await page.$$eval('#notice p', (p) => p.map((x) => x.textContent));
  assert.equal(notes.length, 6, notes.join('\n'));
  assert.ok(notes.some((n) => n.includes("parameter 'first' must be a number of seconds from 0 to 60, not 'abc'")));
  assert.ok(notes.some((n) => n.includes('Ignoring the unknown setting “junk”')));
  assert.equal(await page.$('#notice script'), null, 'URL text is shown as text');
  assert.equal(await page.inputValue('#param-first'), '2.0');
  assert.ok((await scene(page)).steps > 0, 'the demo still ran and drew');
  await openDemo(page, '?demo=%3Cb%3Enope%3C/b%3E');
  assert.match(await page.textContent('#notice'), /There is no demo called “<b>nope<\/b>”; showing mental-model instead\./);
  assert.equal(await page.$('#notice b'), null);
  assert.equal(await page.textContent('#demo-title'), 'The mental model');
  assert.deepEqual(errors, []);
  await page.close();
});

test('bad parameter values are explained next to their input and nothing runs', async () => {
  const page = await browser.newPage();
  const errors = watchErrors(page);
  await openDemo(page, '?demo=semaphore-limit');
  const before = JSON.stringify((await scene(page)).lanes);
  await page.fill('#param-requests', '100000');
  await page.fill('#param-seed', 'soon');
  await page.click('#run');
  assert.match(await page.textContent('#param-requests-error'), /must be a whole number from 0 to 1000, not '100000'/);
  assert.equal(await page.getAttribute('#param-requests', 'aria-invalid'), 'true');
  assert.match(await page.textContent('#param-seed-error'), /whole number/);
  assert.match(await page.textContent('#status'), /Nothing ran/);
  assert.equal(JSON.stringify((await scene(page)).lanes), before);
  await page.fill('#param-requests', '4');
  await page.fill('#param-seed', '');
  await page.click('#run');
  await page.waitForFunction(() => /^Done/.test(document.querySelector('#status').textContent));
  assert.equal((await scene(page)).tasks, 5);
  assert.deepEqual(errors, []);
  await page.close();
});

test('real-time mode runs on the real clock, growing the timeline as it goes', async () => {
  const page = await browser.newPage();
  const errors = watchErrors(page);
  await openDemo(page, '?demo=sequential-vs-concurrent&p.a=0.3&p.b=0.2&p.c=0.1');
  await page.check('#real-time');
  const started = Date.now();
  await page.click('#run');
  await page.waitForFunction(() => /^Running in real time/.test(document.querySelector('#status').textContent));
  await page.waitForFunction(() => /^Done/.test(document.querySelector('#status').textContent), null, { timeout: 10000 });
  assert.ok(Date.now() - started >= 800, 'the run took real time (0.6 s sequential, 0.3 s concurrent)');
  assert.match(await page.textContent('#transcript'), /concurrent total 0\.3 s/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('export downloads the trace, the Chrome trace and the SVG timeline', async () => {
  const page = await browser.newPage();
  const errors = watchErrors(page);
  await openDemo(page, '?demo=gather');
  for (const [button, check] of [
    ['#export-json', (text) => assert.equal(JSON.parse(text).version, 1)],
    ['#export-chrome', (text) => assert.ok(JSON.parse(text).traceEvents.length > 10)],
    ['#export-svg', (text) => assert.match(text, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/)],
  ]) {
    const [download] = await Promise.all([page.waitForEvent('download'), page.click(button)]);
    check(fs.readFileSync(await download.path(), 'utf8'));
  }
  assert.deepEqual(errors, []);
  await page.close();
});

test('the embed mode and the <looplab-demo> element show one demo compactly', async () => {
  const page = await browser.newPage({ viewport: { width: 900, height: 700 } });
  const errors = watchErrors(page);
  await openDemo(page, '?demo=as-completed&embed=1');
  assert.equal(await page.isVisible('.catalog'), false);
  assert.equal(await page.isVisible('.site-header'), false);
  assert.equal(await page.isVisible('#timeline-canvas'), true);
  assert.equal((await scene(page)).demo, 'as-completed');
  await page.goto(`${server.url}embed-example.html`);
  const frame = await (await page.waitForSelector('looplab-demo iframe')).contentFrame();
  await frame.waitForFunction(() => /^Done/.test(document.querySelector('#status')?.textContent ?? ''));
  assert.equal((await summary(frame)).demo, 'gather');
  await page.screenshot({ path: path.join(shots, 'embed.png') });
  assert.deepEqual(errors, []);
  await page.close();
});

test('after one visit the site works offline, from any sub-path', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = watchErrors(page);
  await openDemo(page, '?demo=wait');
  await page.evaluate(() => navigator.serviceWorker.ready);
  // The worker keeps every demo's sources, not only the ones opened: wait until it has them.
  await waitUntilCached(page, ['./sources/python/queues.py', './sources/rust/queues.rs']);
  await context.setOffline(true);
  await page.reload();
  await page.waitForFunction(() => /^Done/.test(document.querySelector('#status')?.textContent ?? ''));
  assert.equal((await scene(page)).demo, 'wait');
  // A demo never opened before shows its code offline.
  await page.click('.demo-link[data-demo="queues"]');
  await page.waitForFunction(() => document.querySelector('#code-python').textContent.includes('asyncio'));
  assert.match(await page.textContent('#code-rust'), /pub fn main|async fn/);
  // The embedding example works offline too.
  await page.goto(`${server.url}embed-example.html`);
  const frame = await (await page.waitForSelector('looplab-demo iframe')).contentFrame();
  await frame.waitForFunction(() => /^Done/.test(document.querySelector('#status')?.textContent ?? ''));
  await context.setOffline(false);
  assert.deepEqual(errors.filter((e) => !/Failed to load resource/.test(e)), []);
  await context.close();
  // Every path in the page is relative: the site served under /sub/path/ works the same.
  const nested = await serve(undefined, '/sub/path/');
  const other = await browser.newPage();
  const otherErrors = watchErrors(other);
  await other.goto(`${nested.url}?demo=task-group`);
  await other.waitForFunction(() => /^Done/.test(document.querySelector('#status')?.textContent ?? ''));
  await other.screenshot({ path: path.join(shots, 'task-group.png'), fullPage: true });
  assert.deepEqual(otherErrors, []);
  await other.close();
  await nested.close();
});

test('text colours pass WCAG AA contrast, and the content security policy refuses inline scripts', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await openDemo(page, '?demo=gather');
  await page.waitForSelector('#code-rust .line');
  await page.keyboard.press('Home');
  const failures = await page.evaluate(() => {
    const rgb = (c) => (c.match(/[\d.]+/g) || []).slice(0, 4).map(Number);
    const lum = ([r, g, b]) => {
      const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const background = (el) => {
      for (let e = el; e; e = e.parentElement) {
        const c = rgb(getComputedStyle(e).backgroundColor);
        if (c.length === 3 || (c.length === 4 && c[3] > 0.5)) return c.slice(0, 3);
      }
      return [255, 255, 255];
    };
    const out = [];
    const selectors = ['.demo-title', '.demo-concept', '.stage-concept', '.status', '.field-hint', '.field-name', '.tool', '.moment',
      '.panel h3', '.panel .items li', '#now', '.transcript .tline', '.transcript .future', '.tok-kw', '.tok-str', '.tok-com',
      '.tok-num', '.source .line', '.run', 'figcaption', '.section-title'];
    for (const sel of selectors) {
      const el = document.querySelector(sel);
      if (!el) { out.push(`${sel}: not found`); continue; }
      const fg = rgb(getComputedStyle(el).color).slice(0, 3);
      const [a, b] = [lum(fg), lum(background(el))].sort((x, y) => y - x);
      const ratio = (a + 0.05) / (b + 0.05);
      if (ratio < 4.5) out.push(`${sel}: ${ratio.toFixed(2)}:1`);
    }
    return out;
  });
  assert.deepEqual(failures, []);
  const blocked = await page.evaluate(() => new Promise((resolve) => {
    document.addEventListener('securitypolicyviolation', (e) => resolve(e.violatedDirective), { once: true });
    const s = document.createElement('script');
    s.textContent = 'window.__inline = true';
    document.body.appendChild(s);
    setTimeout(() => resolve(window.__inline ? 'ran' : 'no event'), 500);
  }));
  assert.match(blocked, /^script-src/);
  // Focus is visible on the controls.
  await page.focus('#play');
  const outline = await page.$eval('#play', (e) => getComputedStyle(e).outlineStyle);
  assert.notEqual(outline, 'none');
  await page.close();
});

test('the page\'s wasm imports its functions from the glue under short names', () => {
  // scripts/short-imports.mjs renames them in the module and its glue alike (the page's own tests
  // above run on the renamed pair): wasm-bindgen's names end in 16 hex digits each.
  const wasm = fs.readFileSync(path.join(root, 'dist', 'looplab_bg.wasm'));
  const glue = fs.readFileSync(path.join(root, 'dist', 'looplab.js'), 'utf8');
  const entries = imports(wasm, sections(wasm, 'looplab_bg.wasm').find((s) => s.id === IMPORT));
  assert.ok(entries.length > 50, `${entries.length} imports`);
  const long = entries.filter((e) => e.field.length > 4).map((e) => e.field);
  assert.deepEqual(long, []);
  for (const { field } of entries) assert.ok(glue.includes(`${field}:`), `the glue defines ${field}`);
  assert.doesNotMatch(glue, /__wbg_\w+_[0-9a-f]{16}/);
});

test('the demos\' site (its wasm, JavaScript and CSS) is within 250 KB gzipped', () => {
  // What a visitor's first load fetches (bench/site-size.mjs says which files, for the benchmark
  // table too); KB as the table counts them (1,024 bytes).
  const { site } = siteSizes(path.join(root, 'dist'));
  assert.ok(site.files.some((f) => f.endsWith('.wasm')), 'a wasm module in dist/');
  assert.ok(site.gz <= 250 * 1024, `the site is ${(site.gz / 1024).toFixed(1)} KB gzipped (${site.files.join(', ')})`);
});
