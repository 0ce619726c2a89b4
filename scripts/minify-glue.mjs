// A trunk post_build hook: minifies the page's JavaScript (wasm-bindgen's glue and boot.js) in
// the staged site of a release build. Trunk's own minifier gives up on the glue's
// `export default`, and the glue is a third of the site's JavaScript; esbuild's output is about
// 2.8 KB (gzipped) smaller for the same code. Debug builds keep the readable files. The
// benchmark page (bench/index.html) shares Trunk.toml: its glue is minified too, and it has no
// boot.js.
import fs from 'node:fs';
import path from 'node:path';
import { transformSync } from 'esbuild';

const staging = process.env.TRUNK_STAGING_DIR;
if (!staging) {
  console.error('minify-glue: TRUNK_STAGING_DIR is not set (run by trunk as a post_build hook)');
  process.exit(1);
}
if (process.env.TRUNK_PROFILE === 'release') {
  // The Python lab's script and its worker's glue too (fetched when a visitor opens the lab).
  for (const name of ['looplab.js', 'boot.js', 'lab.js', 'looplab-lab.js']) {
    const file = path.join(staging, name);
    if (!fs.existsSync(file)) continue;
    const { code } = transformSync(fs.readFileSync(file, 'utf8'), { minify: true, format: 'esm', target: 'es2022' });
    fs.writeFileSync(file, code);
  }
}
