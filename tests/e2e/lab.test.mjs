// The Python lab in headless Chromium: editing a demo's twin and running it, "Your code" with
// its examples, a syntax error marked in the editor, a runaway program stopped (by Stop, by the
// time budget, by the step budget) with the page still working, a share link reopened, the lab
// offline once loaded, and the lab's screens at three widths and pixel ratios.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { serve, launch, watchErrors, shots, root, summary, waitUntilCached } from './support.mjs';

let server;
let browser;
const axeSource = fs.readFileSync(path.join(root, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

before(async () => {
  fs.mkdirSync(shots, { recursive: true });
  server = await serve();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

const FINISHED = /^The program (finished|raised|exited|was stopped|ended)/;

/** Clicks (or presses) `start`, then waits until that run is over; returns its status line. */
async function runBy(page, start) {
  await page.evaluate(() => { document.getElementById('lab-status').textContent = ''; });
  await start();
  return ran(page);
}

/** Waits until the lab's run is over; returns its status line. */
async function ran(page) {
  await page.waitForFunction(
    () => /^(The program|Nothing ran|Stopped|The lab)/.test(document.getElementById('lab-status')?.textContent ?? ''),
    null,
    { timeout: 30000 },
  );
  return page.textContent('#lab-status');
}

/** The editor's text (as the lab reads it to run it), and a way to replace it by typing. */
const editorText = (page) => page.evaluate(async () => (await import('./lab.js')).code());

async function typeCode(page, code) {
  await page.evaluate(() => {
    const content = document.querySelector('#lab-editor').shadowRoot.querySelector('.cm-content');
    content.focus();
  });
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  // insertText types it as one edit (CodeMirror indents typed newlines itself).
  await page.keyboard.insertText(code);
}

test('Edit the Python opens the demo\'s twin with its parameters; an edit runs and redraws the timeline', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  const errors = watchErrors(page);
  await page.goto(`${server.url}?demo=gather&p.first=1.5`);
  await page.waitForFunction(() => /^Done/.test(document.querySelector('#status')?.textContent ?? ''));
  await page.click('#edit-python');
  assert.match(await ran(page), FINISHED);
  assert.match(await editorText(page), /params\(first=1\.5, second=1\.0, third=0\.5\)/);
  assert.match(await page.textContent('#lab-output'), /1\.500 Task-2 first finishes/);
  const before = await summary(page);
  // Make the first call the slowest by far, and run again with Ctrl+Enter.
  const edited = (await editorText(page)).replace('first=1.5', 'first=4.0');
  await typeCode(page, edited);
  assert.match(await runBy(page, () => page.keyboard.press('Control+Enter')), FINISHED);
  assert.match(await page.textContent('#lab-output'), /4\.000 Task-2 first finishes/);
  assert.match(await page.textContent('#transcript'), /4\.000 Task-1 gather returns/);
  const after = await summary(page);
  assert.notDeepEqual(after, before);
  // The code view shows the edited program and marks the Python line that ran.
  assert.match(await page.textContent('#code-python'), /first=4\.0/);
  // At the end the last line printed is marked: the program's own line.
  await page.$eval('#scrub', (el) => {
    el.value = el.max;
    el.dispatchEvent(new Event('input', { bubbles: true }));
  });
  assert.match(await page.textContent('#code-python .current'), /log\(f"gather returns/);
  // At the first sleep, the line that set its timer.
  await page.click('#to-start');
  for (let i = 0; i < 40; i++) {
    if (/sleep/.test(await page.$eval('#code-python .current', (el) => el.textContent).catch(() => ''))) break;
    await page.click('#step-forward');
  }
  assert.match(await page.textContent('#code-python .current'), /await asyncio\.sleep\(seconds\)/);
  await page.screenshot({ path: path.join(shots, 'lab-edit-gather.png') });
  assert.deepEqual(errors, []);
  await page.close();
});

test('Edit the Python writes a choice parameter as a string, and the twin runs with it', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  const errors = watchErrors(page);
  await page.goto(`${server.url}?demo=task-names-and-callbacks&p.fails=llm&p.delay=0.5`);
  await page.waitForFunction(() => /^Done/.test(document.querySelector('#status')?.textContent ?? ''));
  const demo = await page.textContent('#transcript');
  await page.click('#edit-python');
  assert.match(await ran(page), /^The program finished/);
  assert.match(await editorText(page), /params\(delay=0\.5, fails="llm"\)/);
  // The twin prints what the demo did with the same parameters.
  const printed = (await page.textContent('#lab-output')).trim().split('\n');
  assert.ok(printed.length >= 4, printed.join('\n'));
  for (const line of printed) assert.ok(demo.includes(line), `the demo did not print: ${line}`);
  assert.deepEqual(errors, []);
  await page.close();
});

test('Your code starts from an example, and every example runs', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  const errors = watchErrors(page);
  await page.goto(`${server.url}?demo=gather`);
  await page.waitForFunction(() => /^Done/.test(document.querySelector('#status')?.textContent ?? ''));
  await page.click('#your-code');
  assert.match(await ran(page), FINISHED);
  assert.match(await page.textContent('#lab-output'), /\['fast', 'slow', 'medium'\]/);
  const count = await page.$$eval('#lab-examples option', (o) => o.length);
  assert.ok(count >= 4, `${count} examples`);
  for (let i = 1; i < count; i++) {
    assert.match(await runBy(page, () => page.selectOption('#lab-examples', String(i))), /^The program finished/, `example ${i}`);
  }
  assert.match(await page.textContent('#lab-output'), /blocking call is over/);
  // Its trace exports like a demo's: the program's own output and lines are in it.
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-json')]);
  assert.equal(download.suggestedFilename(), 'looplab-lab.json');
  const exported = JSON.parse(fs.readFileSync(await download.path(), 'utf8'));
  const logs = exported.events.filter((e) => e.event === 'log').length;
  assert.equal(logs, (await page.textContent('#lab-output')).trim().split('\n').length);
  assert.ok(exported.sources.some((s) => s.startsWith('main.py:')), 'the trace points at main.py');
  // Back to the demos: the demo runs again.
  await page.click('#lab-close');
  await page.waitForFunction(() => /^Done/.test(document.querySelector('#status')?.textContent ?? ''));
  assert.equal(await page.getAttribute('#lab', 'hidden'), '');
  assert.deepEqual(errors, []);
  await page.close();
});

test('a syntax error is marked at its line and column and nothing runs', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  const errors = watchErrors(page);
  await page.goto(`${server.url}?lab`);
  await ran(page);
  await typeCode(page, 'import asyncio\n\nasync def main(:\n    print("never")\n');
  assert.equal(await runBy(page, () => page.click('#lab-run')), 'Nothing ran.');
  assert.match(await page.textContent('#lab-message'), /Syntax error at line 3, column \d+/);
  const marked = await page.evaluate(() => {
    const root = document.querySelector('#lab-editor').shadowRoot;
    const range = root.querySelector('.cm-lintRange-error');
    const line = range?.closest('.cm-line');
    const lines = [...root.querySelectorAll('.cm-content .cm-line')];
    return { marker: !!root.querySelector('.cm-lint-marker-error'), line: lines.indexOf(line) + 1 };
  });
  assert.equal(marked.marker, true);
  assert.equal(marked.line, 3);
  // Nothing printed: stderr has the syntax error as CPython writes it, stdout nothing.
  assert.doesNotMatch(await page.textContent('#lab-output'), /never/);
  assert.match(await page.textContent('#lab-output .stderr'), /SyntaxError/);
  await page.screenshot({ path: path.join(shots, 'lab-syntax-error.png') });
  assert.deepEqual(errors, []);
  await page.close();
});

test('a runaway program is stopped (Stop within 100 ms, the time and step budgets), and the page keeps working', async (t) => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  const errors = watchErrors(page);
  await page.goto(`${server.url}?lab`);
  await ran(page);
  // Stop: a step that never yields.
  await typeCode(page, 'import asyncio\n\nasync def main():\n    while True:\n        pass\n\nasyncio.run(main())\n');
  await page.click('#lab-run');
  await page.waitForFunction(() => document.getElementById('lab-status').textContent === 'Running…');
  await page.waitForTimeout(300);
  const took = await page.evaluate(async () => {
    const started = performance.now();
    document.getElementById('lab-stop').click();
    while (document.getElementById('lab-status').textContent !== 'Stopped.') await new Promise((r) => setTimeout(r, 1));
    return performance.now() - started;
  });
  t.diagnostic(`Stop took ${took.toFixed(1)} ms`);
  assert.ok(took < 100, `Stop took ${took} ms`);
  assert.match(await page.textContent('#lab-message'), /Stop/);
  // The page keeps working meanwhile and after: playback responds.
  await page.click('#to-start');
  // The time budget (made short here).
  await page.evaluate(async () => (await import('./lab.js')).setBudgets({ seconds: 1.5 }));
  assert.equal(await runBy(page, () => page.click('#lab-run')), 'Stopped.');
  assert.match(await page.textContent('#lab-message'), /stopped after 1\.5 s \(the time budget\)/);
  // The step budget: a sleep(0) spinner.
  await page.evaluate(async () => (await import('./lab.js')).setBudgets({ seconds: 20, steps: 3000 }));
  await typeCode(page, 'import asyncio\n\nasync def main():\n    while True:\n        await asyncio.sleep(0)\n\nasyncio.run(main())\n');
  assert.match(await runBy(page, () => page.click('#lab-run')), /^The program was stopped/);
  assert.match(await page.textContent('#lab-message'), /3000 loop iterations \(the step budget\)/);
  // A fresh lab runs the next program.
  await page.evaluate(async () => (await import('./lab.js')).setBudgets({ seconds: 10, steps: 1000000 }));
  await typeCode(page, 'import asyncio\n\nasync def main():\n    await asyncio.sleep(1)\n    print("fine")\n\nasyncio.run(main())\n');
  assert.match(await runBy(page, () => page.click('#lab-run')), /^The program finished/);
  assert.equal(await page.textContent('#lab-output'), 'fine\n');
  assert.deepEqual(errors, []);
  await page.close();
});

test('a program that asks for too much memory or recurses without end raises Python\'s error, and the lab goes on', async () => {
  const page = await browser.newPage();
  const errors = watchErrors(page);
  await page.goto(`${server.url}?lab`);
  await ran(page);
  await typeCode(page, 'items = [0] * 10**9\nprint(len(items))\n');
  assert.match(await runBy(page, () => page.click('#lab-run')), /^The program raised MemoryError/);
  // CPython 3.11's message and its traceback, three entries of a repeated line and then their
  // count, as CPython prints them at the page's recursion limit, 400 (sys.setrecursionlimit(400):
  // the browser's stack holds no more; the page has no file to print source lines from).
  await typeCode(page, 'def deeper(n):\n    return deeper(n + 1)\n\ndeeper(0)\n');
  assert.match(await runBy(page, () => page.click('#lab-run')), /^The program raised RecursionError: maximum recursion depth exceeded \(/);
  assert.equal(await page.textContent('#lab-output .stderr'), [
    'Traceback (most recent call last):',
    '  File "main.py", line 4, in <module>',
    '  File "main.py", line 2, in deeper',
    '  File "main.py", line 2, in deeper',
    '  File "main.py", line 2, in deeper',
    '  [Previous line repeated 396 more times]',
    'RecursionError: maximum recursion depth exceeded',
    '',
  ].join('\n'));
  // A coroutine awaiting itself in a task stops as deep as on CPython, under asyncio.run's frames.
  await typeCode(page, 'import asyncio\n\nasync def down(n):\n    return await down(n + 1)\n\nasync def main():\n    await down(0)\n\nasyncio.run(main())\n');
  assert.match(await runBy(page, () => page.click('#lab-run')), /^The program raised RecursionError: maximum recursion depth exceeded \(/);
  assert.equal(await page.textContent('#lab-output .stderr'), [
    'Traceback (most recent call last):',
    '  File "main.py", line 9, in <module>',
    '  File "main.py", line 7, in main',
    '  File "main.py", line 4, in down',
    '  File "main.py", line 4, in down',
    '  File "main.py", line 4, in down',
    '  [Previous line repeated 387 more times]',
    'RecursionError: maximum recursion depth exceeded',
    '',
  ].join('\n'));
  // A recursion through __getattr__ exhausts the browser's stack before the limit: the page says so.
  await typeCode(page, 'class A:\n    def __getattr__(self, name):\n        return self.missing\n\nA().x\n');
  assert.equal(await runBy(page, () => page.click('#lab-run')), 'The lab stopped.');
  assert.match(await page.textContent('#lab-message'), /recursed deeper than the browser's stack allows/);
  await typeCode(page, 'import asyncio\n\nasync def main():\n    print("still here")\n\nasyncio.run(main())\n');
  assert.match(await runBy(page, () => page.click('#lab-run')), /^The program finished/);
  assert.equal(await page.textContent('#lab-output'), 'still here\n');
  assert.deepEqual(errors, []);
  await page.close();
});

test('an unsupported import names the module and what the lab has', async () => {
  const page = await browser.newPage();
  await page.goto(`${server.url}?lab`);
  await ran(page);
  await typeCode(page, 'import numpy\n');
  assert.match(await runBy(page, () => page.click('#lab-run')), /raised ModuleNotFoundError/);
  assert.match(await page.textContent('#lab-message'), /No module named 'numpy'.*asyncio/);
  await page.close();
});

test('a share link opens the same code; one past the size limit is refused with a message', async () => {
  const context = await browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(`${server.url}?lab`);
  await ran(page);
  const code = 'import asyncio\n\nasync def main():\n    await asyncio.sleep(2)\n    print("shared \u00e9t\u00e9 \u2713")\n\nasyncio.run(main())\n';
  await typeCode(page, code);
  await page.click('#lab-share');
  await page.waitForFunction(() => /code=/.test(location.search));
  const link = page.url();
  assert.match(await page.inputValue('#share-link'), /\?lab&code=/);
  const other = await context.newPage();
  await other.goto(link);
  assert.match(await ran(other), /^The program finished/);
  assert.equal(await editorText(other), code);
  assert.equal(await other.textContent('#lab-output'), 'shared \u00e9t\u00e9 \u2713\n');
  // A damaged link says so and shows an example.
  await other.goto(`${server.url}?lab&code=%%%not-deflate`);
  await ran(other);
  assert.match(await other.textContent('#lab-message'), /could not be read/);
  // Too long to share: random text does not compress.
  let seed = 12345;
  const noise = Array.from({ length: 12000 }, () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return String.fromCharCode(33 + (seed >> 8) % 90);
  }).join('').replaceAll('\\', '/');
  await typeCode(page, `# ${noise}\n`);
  await page.click('#lab-share');
  await page.waitForFunction(() => /too long to share/.test(document.getElementById('lab-message').textContent));
  assert.deepEqual(errors, []);
  await context.close();
});

test('the lab works offline once it has been loaded', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${server.url}?lab`);
  await ran(page);
  await page.evaluate(() => navigator.serviceWorker.ready);
  await waitUntilCached(page, ['./looplab-lab_bg.wasm', './lab-editor.js']);
  await context.setOffline(true);
  await page.goto(`${server.url}?lab`);
  assert.match(await ran(page), /^The program finished/);
  await context.setOffline(false);
  await context.close();
});

for (const width of [390, 800, 1440]) {
  for (const ratio of [1, 2, 3]) {
    test(`the lab at ${width} px, pixel ratio ${ratio}: no sideways scroll, controls reachable, no serious axe violation`, async () => {
      const context = await browser.newContext({ viewport: { width, height: 900 }, deviceScaleFactor: ratio, bypassCSP: true });
      const page = await context.newPage();
      await page.goto(`${server.url}?demo=task-group&edit=1`);
      assert.match(await ran(page), FINISHED);
      const wide = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(wide <= 1, `the page scrolls sideways by ${wide} px`);
      for (const control of ['#lab-run', '#lab-share', '#lab-close']) {
        const reachable = await page.$eval(control, (el) => {
          el.scrollIntoView({ block: 'center' });
          const r = el.getBoundingClientRect();
          const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
          return hit === el || el.contains(hit);
        });
        assert.ok(reachable, `${control} is covered`);
      }
      await page.$eval('#lab', (el) => el.scrollIntoView({ block: 'start' }));
      await page.screenshot({ path: path.join(shots, `lab-${width}-x${ratio}.png`) });
      await page.addScriptTag({ content: axeSource });
      const result = await page.evaluate(() => window.axe.run(document.querySelector('#lab'), { resultTypes: ['violations'] }));
      const serious = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id);
      assert.deepEqual(serious, []);
      await context.close();
    });
  }
}
