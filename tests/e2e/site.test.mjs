// The built site, in headless Chromium: the catalog, a run, and its drawing checked against
// what the demo must show.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { serve, launch, watchErrors, shots } from './support.mjs';

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

/** Reads the drawn timeline back from the SVG: lanes and log ticks with their times,
 *  recovered from the drawn geometry through the axis mapping (not from the trace). */
async function readTimeline(page) {
  return page.evaluate(() => {
    const svg = document.querySelector('#drawing svg');
    const left = Number(svg.dataset.axisLeft);
    const right = Number(svg.dataset.axisRight);
    const end = Number(svg.dataset.axisEnd);
    const time = (x) => ((x - left) / (right - left)) * end;
    const lanes = [...svg.querySelectorAll('g.lane')].map((g) => {
      const bar = g.querySelector('rect.life');
      const x = Number(bar.getAttribute('x'));
      const w = Number(bar.getAttribute('width'));
      return { name: g.dataset.task, start: time(x), end: time(x + w), outcome: g.dataset.outcome };
    });
    const logs = [...svg.querySelectorAll('circle.log')].map((c) => ({ text: c.dataset.text, time: time(Number(c.getAttribute('cx'))) }));
    const steps = svg.querySelectorAll('rect.step').length;
    const total = document.querySelector('#timeline-total').textContent;
    return { lanes, logs, steps, total };
  });
}

const near = (a, b) => Math.abs(a - b) < 0.02;

test('the page lists both demos and runs sequential-vs-concurrent', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = watchErrors(page);
  await page.goto(server.url);
  await page.waitForSelector('.demo-link');
  const ids = await page.$$eval('.demo-link', (links) => links.map((l) => l.dataset.demo));
  assert.equal(ids.length, 36);
  assert.deepEqual(ids.slice(0, 2), ['mental-model', 'coroutine-objects']);
  assert.ok(ids.includes('sequential-vs-concurrent'));

  await page.click('.demo-link[data-demo="sequential-vs-concurrent"]');
  assert.equal(await page.textContent('#demo-title'), 'Sequential vs concurrent');
  await page.click('#run');
  await page.waitForSelector('#timeline-total');

  const drawn = await readTimeline(page);
  const lane = (name) => drawn.lanes.find((l) => l.name === name);
  const [a, b, c] = ['A', 'B', 'C'].map(lane);
  assert.ok(a && b && c, `lanes A, B and C are drawn: ${JSON.stringify(drawn.lanes)}`);

  // The sequential part runs in Task-1 alone and takes 4.5 s: it logs its total there.
  const sequential = drawn.logs.find((l) => l.text.startsWith('sequential total'));
  assert.ok(near(sequential.time, 4.5), `sequential total logged at ${sequential.time}`);
  // A, B and C start together when the sequential part ends, and overlap.
  for (const t of [a, b, c]) assert.ok(near(t.start, 4.5), `${t.name} starts at ${t.start}`);
  for (const [x, y] of [[a, b], [a, c], [b, c]]) {
    assert.ok(x.start < y.end && y.start < x.end, `${x.name} and ${y.name} overlap`);
  }
  // B is done after 1.0 s, C after 1.5 s, A after 2.0 s: the concurrent part takes 2.0 s.
  assert.ok(near(b.end - b.start, 1.0), `B took ${b.end - b.start}`);
  assert.ok(near(c.end - c.start, 1.5), `C took ${c.end - c.start}`);
  assert.ok(near(a.end - a.start, 2.0), `A took ${a.end - a.start}`);
  assert.ok(near(Math.max(a.end, b.end, c.end) - a.start, 2.0));
  for (const t of [a, b, c]) assert.equal(t.outcome, 'returned');
  assert.equal(drawn.total, 'total 6.500 s of virtual time');
  assert.ok(drawn.steps >= 10, `${drawn.steps} steps drawn`);

  const transcript = await page.textContent('#transcript');
  assert.match(transcript, /^0\.000 Task-1 sequential: await each in turn$/m);
  assert.match(transcript, /^6\.500 Task-1 concurrent total 2\.0 s$/m);
  assert.match(await page.textContent('#status'), /^Done: \d+ loop iterations ran in \d+ microtasks/);

  await page.screenshot({ path: path.join(shots, 'sequential-vs-concurrent.png'), fullPage: true });
  assert.deepEqual(errors, []);
  await page.close();
});

test('an unknown demo in the URL shows a message and the default demo', async () => {
  const page = await browser.newPage();
  const errors = watchErrors(page);
  await page.goto(`${server.url}?demo=%3Cb%3Enope%3C/b%3E`);
  await page.waitForSelector('#notice:not([hidden])');
  const notice = await page.textContent('#notice');
  assert.match(notice, /There is no demo called “<b>nope<\/b>”; showing mental-model instead\./);
  assert.equal(await page.$('#notice b'), null, 'URL text is shown as text, not HTML');
  assert.equal(await page.textContent('#demo-title'), 'The mental model');
  assert.deepEqual(errors, []);
  await page.close();
});
