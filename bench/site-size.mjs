// The sizes of the built site's two parts, raw and gzipped (level 9): the demos' site, what a
// visitor's first load fetches (its wasm, JavaScript and CSS, but not the service worker or the
// embedding script), and the Python lab, fetched only when a visitor opens the editor (its
// worker, editor and script). One rule for the benchmark table (bench/run.mjs) and the e2e test
// that holds the site within 250 KB.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const isLab = (f) => f.startsWith('looplab-lab') || f.startsWith('lab');

function measure(dist, files) {
  let raw = 0;
  let gz = 0;
  for (const f of files) {
    const bytes = fs.readFileSync(path.join(dist, f));
    raw += bytes.length;
    gz += zlib.gzipSync(bytes, { level: 9 }).length;
  }
  return { files, raw, gz };
}

/** `{ site, lab }`, each `{ files, raw, gz }` (bytes) for the files of `dist` in that part. */
export function siteSizes(dist) {
  const names = fs.readdirSync(dist);
  const site = names.filter((f) => /\.(wasm|js|css)$/.test(f) && f !== 'sw.js' && f !== 'embed.js' && !isLab(f));
  const lab = names.filter((f) => /\.(wasm|js)$/.test(f) && isLab(f));
  return { site: measure(dist, site), lab: measure(dist, lab) };
}
