// The defects of issue 9 stay fixed: each test names the behaviour it holds.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, watchErrors, summary, open } from './support.mjs';

let server;
let browser;

before(async () => {
  server = await serve();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

test('a blocking step is drawn as wide as the time it held the loop', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = watchErrors(page);
  await open(page, server.url, '?demo=blocking-the-loop');
  const drawn = await summary(page);
  const perSecond = (drawn.view.right - drawn.view.left) / (drawn.view.end - drawn.view.start);
  const cruncher = drawn.steps_drawn.filter((s) => s.end_time - s.time > 0.4);
  assert.equal(cruncher.length, 1, 'one step blocks the loop');
  const [step] = cruncher;
  assert.ok(Math.abs(step.time - 0.15) < 1e-9 && Math.abs(step.end_time - 0.65) < 1e-9, `the step runs from ${step.time} to ${step.end_time}`);
  assert.ok(Math.abs(step.w - 0.5 * perSecond) < 1, `drawn ${step.w} px wide for 0.5 s at ${perSecond} px/s`);
  // The paint agrees: the middle of the blocking step is painted, not background.
  const pixel = await page.$eval('#timeline-canvas', (c, { x, y }) => {
    const r = devicePixelRatio;
    const d = c.getContext('2d').getImageData(Math.round(x * r), Math.round(y * r), 1, 1).data;
    return d[0] + d[1] + d[2];
  }, { x: step.x + step.w / 2, y: step.y });
  assert.ok(pixel < 600, `the middle of the blocking step is painted (${pixel})`);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the Python line is marked beside the Rust line', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = watchErrors(page);
  await open(page, server.url, '?demo=gather');
  await page.waitForSelector('#code-python .line');
  await page.click('#timeline-canvas');
  await page.keyboard.press('Home');
  let marked = 0;
  const total = (await summary(page)).events;
  for (let i = 0; i < total; i++) {
    if (await page.$('#code-python .line.current')) marked++;
    await page.keyboard.press('ArrowRight');
  }
  assert.ok(marked >= total / 2, `the Python line is marked at ${marked} of ${total} events`);
  assert.deepEqual(errors, []);
  await page.close();
});

test('Space on a focused button presses that button, not play', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await open(page, server.url, '?demo=gather');
  const before = (await summary(page)).view;
  await page.focus('#zoom-in');
  await page.keyboard.press(' ');
  const after = (await summary(page)).view;
  assert.ok(after.end - after.start < (before.end - before.start) * 0.75, 'Space on "+" zoomed in');
  assert.equal(await page.getAttribute('#play', 'aria-pressed'), 'false', 'and did not start playback');
  await page.focus('.demo-link[data-demo="wait"]');
  await page.keyboard.press(' ');
  await page.waitForFunction(() => JSON.parse(window.looplab.page_summary()).demo === 'wait');
  await page.close();
});

test('real time can be stopped, and does not leak into the next demo', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = watchErrors(page);
  await open(page, server.url, '?demo=sequential-vs-concurrent&p.a=2&p.b=2&p.c=2');
  await page.check('#real-time');
  await page.click('#run');
  await page.waitForFunction(() => /^Running in real time/.test(document.querySelector('#status').textContent));
  assert.equal(await page.isVisible('#stop'), true, 'a Stop button shows while it runs');
  const started = Date.now();
  await page.click('#stop');
  await page.waitForFunction(() => /^Stopped/.test(document.querySelector('#status').textContent));
  assert.ok(Date.now() - started < 1500, 'the run stopped at once');
  assert.equal(await page.isVisible('#stop'), false);
  assert.equal(await page.isEnabled('#run'), true);
  await page.check('#real-time');
  await page.click('#run');
  await page.waitForFunction(() => /^Running in real time/.test(document.querySelector('#status').textContent));
  await page.click('.demo-link[data-demo="gather"]');
  await page.waitForFunction(() => /^Done/.test(document.querySelector('#status').textContent));
  assert.equal(await page.isChecked('#real-time'), false);
  assert.equal((await summary(page)).demo, 'gather');
  assert.deepEqual(errors, []);
  await page.close();
});

test('a share link restores the exact event, on either axis', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = watchErrors(page);
  await open(page, server.url, '?demo=gather&axis=iteration');
  await page.click('#timeline-canvas');
  await page.keyboard.press('Home');
  for (let i = 0; i < 31; i++) await page.keyboard.press('ArrowRight');
  assert.equal((await summary(page)).moment, 31);
  const link = await page.inputValue('#share-link');
  assert.match(link, /[?&]e=31(&|$)/);
  const other = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await open(other, server.url, link.slice(link.indexOf('?')));
  assert.equal((await summary(other)).moment, 31);
  assert.equal(await other.textContent('#moment'), await page.textContent('#moment'));
  await other.close();
  assert.deepEqual(errors, []);
  await page.close();
});

test('a keyboard user skips the catalog in one step', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await open(page, server.url, '?demo=gather');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Skip to the demo');
  await page.keyboard.press('Enter');
  // The demo's own controls: Edit the Python (beside its title), then its parameters.
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'edit-python');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'param-first');
  await page.close();
});

test('bad links are named: a second demo, a strange embed value, a moment past the end', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = watchErrors(page);
  await open(page, server.url, '?demo=gather&demo=wait&embed=maybe&t=9999&p.first=1&p.first=abc');
  const notes = await page.$$eval('#notice p', (p) => p.map((x) => x.textContent));
  assert.ok(notes.some((n) => /more than one demo/.test(n)), notes.join('\n'));
  assert.ok(notes.some((n) => /embed must be 1 or 0/.test(n)), notes.join('\n'));
  assert.ok(notes.some((n) => /using the default/.test(n)), notes.join('\n'));
  assert.equal(await page.inputValue('#param-first'), '2.0', 'the default it announced');
  await page.waitForFunction(() => /before t = 9999/.test(document.querySelector('#notice').textContent));
  // Fixing a value and running clears the link's warnings.
  await page.fill('#param-first', '1');
  await page.click('#run');
  await page.waitForFunction(() => document.querySelector('#notice').hidden);
  assert.match(await page.title(), /^gather: looplab$/);
  assert.deepEqual(errors, []);
  await page.close();
});
