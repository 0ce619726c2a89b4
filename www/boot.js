// Starts looplab: loads the WebAssembly module (which builds the page), then registers the
// service worker that keeps the site working offline. A file of its own, because the content
// security policy allows no inline script.
import init, * as looplab from './looplab.js';

// Recovering from a panic. A panic in WebAssembly kills the module: it traps, and its
// listeners and timers would go on calling into a dead instance. The module's panic hook
// reports the message (console and banner) and calls `looplabRestart`, which starts a fresh
// module by reloading the page: the URL holds the view (demo, parameters, seed, moment), and
// the service worker serves the files offline. A module that fails again while starting, or
// right after, would restart forever: then the banner offers a way on instead.
const RESTART = 'looplab-restart';
const SETTLE_MS = 5000;
let restarting = false;

function lastRestart() {
  try {
    return JSON.parse(sessionStorage.getItem(RESTART) || 'null');
  } catch {
    return null;
  }
}

function remember(record) {
  try {
    sessionStorage.setItem(RESTART, JSON.stringify(record));
  } catch {
    // Without storage the restart still happens; only the loop guard is lost.
  }
}

function banner(text, actions = []) {
  const element = document.getElementById('error-banner');
  if (!element) return;
  element.textContent = text;
  const buttons = document.createElement('span');
  buttons.className = 'banner-actions';
  for (const [label, act] of [...actions, ['Dismiss', () => element.setAttribute('hidden', '')]]) {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'tool banner-action';
    button.textContent = label;
    button.addEventListener('click', act);
    buttons.append(button);
  }
  element.append(' ', buttons);
  element.removeAttribute('hidden');
}

window.looplabRestart = (message) => {
  if (restarting) return;
  restarting = true;
  const last = lastRestart();
  const now = Date.now();
  const looping = last && (!last.startedAt || now - last.startedAt < SETTLE_MS);
  if (looping) {
    remember({ message, at: now });
    banner(`looplab hit an internal error again as it restarted: ${message}`, [
      ['Reload', () => location.reload()],
      ['Start over', () => { location.href = location.pathname; }],
    ]);
    return;
  }
  remember({ message, at: now });
  // A moment to read the banner, then a fresh module.
  setTimeout(() => location.reload(), 800);
};

// Read before the page starts (it writes its own view into the address).
const query = new URLSearchParams(location.search);

await init({ module_or_path: new URL('./looplab_bg.wasm', import.meta.url) });
window.looplab = looplab;

{
  const last = lastRestart();
  if (last && !last.startedAt && !restarting) {
    remember({ ...last, startedAt: Date.now() });
    const text = `looplab restarted after an internal error: ${last.message}`;
    console.warn(text);
    banner(text);
  }
}

// The Python lab (its code, its editor and its worker) loads only when a visitor opens it.
document.addEventListener('click', (event) => {
  const entrance = event.target.closest?.('#edit-python, #your-code');
  if (!entrance) return;
  event.preventDefault();
  import('./lab.js').then((l) => l.open({ kind: entrance.id === 'edit-python' ? 'demo' : 'own' }));
});
if (query.has('lab') || query.has('edit')) import('./lab.js').then((l) => l.openFromAddress(query));

if ('serviceWorker' in navigator && location.protocol.startsWith('http')) {
  navigator.serviceWorker.register('./sw.js').catch(() => {});
  // Once a worker is active, hand it every demo's source files to keep for offline use.
  navigator.serviceWorker.ready
    .then((registration) => {
      // Each demo's files: its Rust module is its id with underscores.
      const ids = [...document.querySelectorAll('.demo-link')].map((b) => b.dataset.demo);
      const precache = ids.flatMap((id) => [`./sources/rust/${id.replaceAll('-', '_')}.rs`, `./sources/python/${id}.py`]);
      registration.active?.postMessage({ precache });
    })
    .catch(() => {});
}
