// looplab's service worker: after one visit the site works with the network off.
// Network first (so a new version is seen as soon as it is online), the cache when offline.
const CACHE = 'looplab-v3';
// The Python lab's files: fetched only when a visitor opens the lab, then kept (lab.js asks).
const LAB = ['./lab.js', './lab.css', './lab-editor.js', './looplab-lab.js', './looplab-lab_bg.wasm', './looplab-lab_loader.js'];
const CORE = ['./', './index.html', './boot.js', './looplab.js', './looplab_bg.wasm', './style.css', './favicon.svg', './embed.js', './embed-example.html'];

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches.open(CACHE).then((cache) => Promise.all(CORE.map((url) => cache.add(url).catch(() => {})))).then(() => self.skipWaiting()),
  );
});

// The page sends the demos' source files (and the lab, once opened) once it runs (their names come from the module), so
// every demo's code shows offline, not only the ones opened before.
self.addEventListener('message', (event) => {
  const urls = event.data && Array.isArray(event.data.precache) ? event.data.precache : [];
  const wanted = urls.filter((u) => typeof u === 'string' && (u.startsWith('./sources/') || LAB.includes(u)));
  event.waitUntil(
    caches.open(CACHE).then((cache) => Promise.all(wanted.map(async (url) => {
      if (!(await cache.match(url))) await cache.add(url).catch(() => {});
    }))),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) return;
  event.respondWith(
    (async () => {
      const cache = await caches.open(CACHE);
      try {
        const response = await fetch(request);
        if (response.ok) cache.put(request, response.clone());
        return response;
      } catch (error) {
        const cached = await cache.match(request, { ignoreSearch: true });
        if (cached) return cached;
        throw error;
      }
    })(),
  );
});
