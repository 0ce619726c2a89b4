// Starts looplab: loads the WebAssembly module (which builds the page), then registers the
// service worker that keeps the site working offline. A file of its own, because the content
// security policy allows no inline script.
import init, * as looplab from './looplab.js';

await init({ module_or_path: new URL('./looplab_bg.wasm', import.meta.url) });
window.looplab = looplab;

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
