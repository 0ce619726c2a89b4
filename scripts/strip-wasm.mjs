// Removes the custom sections a browser never reads (`name`, `producers`) from wasm files, in
// place: the page's names of its imports are 0.8 KB gzipped, in a site that must stay within
// 250 KB. A trunk post_build hook (Trunk.toml): every wasm file of a release build's staged
// site; debug builds keep them. Or the files given on the command line.
//
// A wasm module is an 8-byte header and then sections, each a one-byte id, its size (LEB128)
// and its contents; a custom section (id 0) starts with its name. Dropping one changes nothing
// else in the module.
import fs from 'node:fs';
import path from 'node:path';

const DROP = new Set(['name', 'producers']);

function leb128(bytes, at) {
  let value = 0;
  let shift = 0;
  for (;;) {
    const byte = bytes[at++];
    if (byte === undefined) throw new Error('the module ends inside a section header');
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if (byte < 0x80) return [value, at];
  }
}

function files() {
  if (process.argv.length > 2) return process.argv.slice(2);
  const staging = process.env.TRUNK_STAGING_DIR;
  if (!staging) throw new Error('strip-wasm: name the files, or run it as a trunk hook');
  if (process.env.TRUNK_PROFILE !== 'release') return [];
  return fs.readdirSync(staging).filter((f) => f.endsWith('.wasm')).map((f) => path.join(staging, f));
}

for (const file of files()) {
  const bytes = fs.readFileSync(file);
  const kept = [bytes.subarray(0, 8)];
  let at = 8;
  while (at < bytes.length) {
    const start = at;
    const id = bytes[at];
    const [size, body] = leb128(bytes, at + 1);
    at = body + size;
    if (at > bytes.length) throw new Error(`${file}: a section runs past the end of the module`);
    if (id === 0) {
      const [length, name] = leb128(bytes, body);
      if (DROP.has(bytes.subarray(name, name + length).toString())) continue;
    }
    kept.push(bytes.subarray(start, at));
  }
  fs.writeFileSync(file, Buffer.concat(kept));
}
