// Reruns of a demo keep the page's memory flat: the short check of the test command (the
// 1,000-rerun check is `node tests/e2e/memory.mjs 1000`).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch } from './support.mjs';
import { rerunMemory, BOUNDS } from './memory.mjs';

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

test('200 reruns of a demo leave the wasm memory, the JS heap, the DOM and the listeners flat', async () => {
  const { rows, growth, exceeded, errors } = await rerunMemory(browser, server.url, { reruns: 200, every: 100 });
  assert.deepEqual(errors, []);
  assert.deepEqual(exceeded, [], `growth ${JSON.stringify(growth)} against ${JSON.stringify(BOUNDS)}:\n${JSON.stringify(rows, null, 1)}`);
});
