// Every screen: the page at pixel ratios 1, 2 and 3 and at widths 390, 800 and 1440. On each:
// the canvas's backing store matches its CSS size times the ratio, what is drawn is where a click
// finds it, the element under each control's centre is that control, nothing scrolls sideways,
// no button's text is cut off, the marked code line is inside its pane, and axe-core finds no serious or critical violation.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { serve, launch, watchErrors, shots, root, summary, open } from './support.mjs';

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

const WIDTHS = [390, 800, 1440];
const RATIOS = [1, 2, 3];
const CONTROLS = ['#run', '#to-start', '#step-back', '#play', '#step-forward', '#next-iteration', '#scrub', '#speed',
  '#axis-time', '#axis-iteration', '#zoom-in', '#collapse', '#lane-find', '#zoom-out', '#zoom-fit', '#param-first', '#param-seed', '#real-time', '#export-json',
  '#export-svg', '#copy-link', '#share-link', '.demo-link[data-demo="wait"]'];

/** Serious and critical axe-core violations on the page (axe injected as a script: the context
 * bypasses the page's CSP for it). */
async function axeViolations(page) {
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
}

for (const width of WIDTHS) {
  for (const ratio of RATIOS) {
    test(`${width} px at pixel ratio ${ratio}: sharp canvas, clicks land, controls reachable, no serious axe violation`, async () => {
      const height = width === 390 ? 844 : 900;
      const context = await browser.newContext({ viewport: { width, height }, deviceScaleFactor: ratio, bypassCSP: true });
      const page = await context.newPage();
      const errors = watchErrors(page);
      await open(page, server.url, '?demo=gather');

      // The backing store is the CSS size times the ratio, and the drawing fills it.
      const canvas = await page.$eval('#timeline-canvas', (c) => {
        const r = c.getBoundingClientRect();
        return { w: c.width, h: c.height, cssW: r.width, cssH: r.height, ratio: devicePixelRatio };
      });
      assert.equal(canvas.ratio, ratio);
      assert.ok(Math.abs(canvas.w - canvas.cssW * ratio) <= 1, `backing width ${canvas.w} for ${canvas.cssW} CSS px at ${ratio}`);
      assert.ok(Math.abs(canvas.h - canvas.cssH * ratio) <= 1, `backing height ${canvas.h} for ${canvas.cssH} CSS px at ${ratio}`);
      assert.ok(canvas.cssW <= width, `the canvas (${canvas.cssW} px) fits the ${width} px screen`);

      // Nothing scrolls sideways.
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 0, `the page is ${overflow} px wider than the screen`);

      // A step is painted where the summary says, and a click there goes to it.
      const drawn = await summary(page);
      const step = drawn.steps_drawn.find((s) => s.lane === 1) ?? drawn.steps_drawn[0];
      assert.ok(step, 'a step is on screen');
      const pixel = await page.$eval('#timeline-canvas', (c, { x, y, ratio }) => {
        const d = c.getContext('2d').getImageData(Math.round(x * ratio), Math.round(y * ratio), 1, 1).data;
        return [d[0], d[1], d[2]];
      }, { x: step.x + Math.max(step.w / 2, 1), y: step.y, ratio });
      assert.ok(pixel[0] + pixel[1] + pixel[2] < 600, `the step at (${step.x}, ${step.y}) is painted there: rgb ${pixel}`);
      await page.$eval('#timeline-canvas', (c) => c.scrollIntoView({ block: 'center' }));
      const box = await page.$eval('#timeline-canvas', (c) => { const r = c.getBoundingClientRect(); return { x: r.x, y: r.y }; });
      await page.mouse.click(box.x + step.x + Math.max(step.w / 2, 1), box.y + step.y);
      assert.equal((await summary(page)).moment, step.event, 'the click went to the step drawn under it');

      // The element under each control's centre is that control.
      for (const selector of CONTROLS) {
        const hit = await page.$eval(selector, (el) => {
          el.scrollIntoView({ block: 'center', inline: 'center' });
          const r = el.getBoundingClientRect();
          const top = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
          return { ok: !!top && (top === el || el.contains(top) || top.control === el || (el.labels && [...el.labels].includes(top))),
            top: top ? `${top.tagName.toLowerCase()}#${top.id}.${top.className}` : 'nothing', visible: r.width > 0 && r.height > 0 };
        });
        assert.ok(hit.visible, `${selector} is visible`);
        assert.ok(hit.ok, `${selector}: the element under its centre is ${hit.top}`);
      }

      // No visible button's text is cut off (a flex row squeezed "Got it" at 1440 px).
      const clipped = await page.$$eval('button', (buttons) => buttons
        .filter((b) => b.offsetParent !== null && b.clientWidth > 0 && b.scrollWidth > b.clientWidth + 1)
        .map((b) => `${b.id || b.textContent.trim()}: ${b.scrollWidth} px of text in ${b.clientWidth} px`));
      assert.deepEqual(clipped, [], 'buttons whose text is cut off');

      // The marked code lines sit inside their panes (cancellation, event 22: Rust line 32).
      await open(page, server.url, '?demo=cancellation&e=22');
      await page.waitForSelector('#code-rust .line.current');
      for (const pane of ['#code-rust', '#code-python']) {
        const inside = await page.$eval(pane, (pre) => {
          const line = pre.querySelector('.line.current');
          if (!line) return null;
          const p = pre.getBoundingClientRect();
          const l = line.getBoundingClientRect();
          return l.top >= p.top - 1 && l.bottom <= p.bottom + 1;
        });
        if (inside !== null) assert.ok(inside, `${pane}: the marked line is inside the pane's visible area`);
      }
      const current = await page.$eval('#transcript', (pre) => {
        const line = pre.querySelector('.current');
        if (!line) return true;
        const p = pre.getBoundingClientRect();
        const l = line.getBoundingClientRect();
        return l.top >= p.top - 1 && l.bottom <= p.bottom + 1;
      });
      assert.ok(current, 'the current transcript line is inside the transcript pane');

      await open(page, server.url, '?demo=gather');
      await page.screenshot({ path: path.join(shots, `screen-${width}-x${ratio}.png`) });
      if (width === 390 && ratio === 1) await page.screenshot({ path: path.join(shots, 'screen-390-full.png'), fullPage: true });
      assert.deepEqual(await axeViolations(page), []);
      assert.deepEqual(errors, []);
      await context.close();
    });
  }
}

test('an embedded demo fits a 320 px iframe, and in the example page at 360 px the timeline is inside the frame', async () => {
  const context = await browser.newContext({ viewport: { width: 320, height: 640 }, deviceScaleFactor: 2 });
  const page = await context.newPage();
  const errors = watchErrors(page);
  await open(page, server.url, '?demo=gather&embed=1');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `the embed is ${overflow} px wider than 320 px`);
  await page.setViewportSize({ width: 360, height: 740 });
  await page.goto(`${server.url}embed-example.html`);
  const iframe = await page.waitForSelector('looplab-demo iframe');
  const frame = await iframe.contentFrame();
  await frame.waitForFunction(() => /^Done/.test(document.querySelector('#status')?.textContent ?? ''));
  const [frameBox, canvasBottom] = [await iframe.boundingBox(), await frame.$eval('#timeline-canvas', (c) => c.getBoundingClientRect().bottom)];
  assert.ok(canvasBottom <= frameBox.height, `the timeline ends at ${canvasBottom} px, inside the ${frameBox.height} px frame`);
  await page.screenshot({ path: path.join(shots, 'embed-360.png') });
  assert.deepEqual(errors, []);
  await context.close();
});
