// Removes the custom sections a browser never reads (`name`, `producers`) from wasm files, in
// place: the page's names of its imports are 0.8 KB gzipped, in a site that must stay within
// 250 KB. A trunk post_build hook (Trunk.toml): every wasm file of a release build's staged
// site; debug builds keep them. Or the files given on the command line.
//
// A custom section (id 0) starts with its name. Dropping one changes nothing else in the module.
import fs from 'node:fs';
import { readName, sections, stagedWasm } from './wasm-module.mjs';

const DROP = new Set(['name', 'producers']);

for (const file of stagedWasm('strip-wasm')) {
  const bytes = fs.readFileSync(file);
  const kept = [bytes.subarray(0, 8)];
  for (const { id, start, body, end } of sections(bytes, file)) {
    if (id === 0 && DROP.has(readName(bytes, body)[0])) continue;
    kept.push(bytes.subarray(start, end));
  }
  fs.writeFileSync(file, Buffer.concat(kept));
}
