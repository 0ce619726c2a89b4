// Reading and rewriting a WebAssembly module's sections, for the post-build steps that shrink
// the site (strip-wasm.mjs, short-imports.mjs) and the e2e test of what they make. A module is
// an 8-byte header and then sections, each a one-byte id, its size (unsigned LEB128) and its
// contents.

import fs from 'node:fs';
import path from 'node:path';

export function readLeb128(bytes, at) {
  let value = 0;
  let shift = 0;
  for (;;) {
    const byte = bytes[at++];
    if (byte === undefined) throw new Error('the module ends inside a number');
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if (byte < 0x80) return [value, at];
  }
}

export function leb128(value) {
  const out = [];
  do {
    let byte = value % 128;
    value = Math.floor(value / 128);
    if (value > 0) byte |= 0x80;
    out.push(byte);
  } while (value > 0);
  return Buffer.from(out);
}

/** The module's sections: `{ id, start, body, end }` (offsets into `bytes`). */
export function sections(bytes, file) {
  const found = [];
  let at = 8;
  while (at < bytes.length) {
    const start = at;
    const id = bytes[at];
    const [size, body] = readLeb128(bytes, at + 1);
    at = body + size;
    if (at > bytes.length) throw new Error(`${file}: a section runs past the end of the module`);
    found.push({ id, start, body, end: at });
  }
  return found;
}

/** A section made of its id and contents. */
export function section(id, contents) {
  return Buffer.concat([Buffer.from([id]), leb128(contents.length), contents]);
}

/** A length-prefixed name at `at`: `[text, next offset]`. */
export function readName(bytes, at) {
  const [length, start] = readLeb128(bytes, at);
  return [bytes.subarray(start, start + length).toString(), start + length];
}

/** The wasm files of a release build's staged site (trunk hook), or the files named. */
export function stagedWasm(tool) {
  if (process.argv.length > 2) return process.argv.slice(2);
  const staging = process.env.TRUNK_STAGING_DIR;
  if (!staging) throw new Error(`${tool}: name the files, or run it as a trunk hook`);
  if (process.env.TRUNK_PROFILE !== 'release') return [];
  return fs.readdirSync(staging).filter((f) => f.endsWith('.wasm')).map((f) => path.join(staging, f));
}

/** The import section's id. */
export const IMPORT = 2;

/** The import section's entries: `{ module, field, rest }` (rest: the kind and its description). */
export function imports(bytes, { body, end }) {
  const [count, first] = readLeb128(bytes, body);
  const entries = [];
  let at = first;
  for (let i = 0; i < count; i++) {
    const [module, fieldAt] = readName(bytes, at);
    const [field, kindAt] = readName(bytes, fieldAt);
    let next = kindAt + 1;
    switch (bytes[kindAt]) {
      case 0: // a function: its type index
        next = readLeb128(bytes, next)[1];
        break;
      case 1: // a table: element type, limits
        next = limitsEnd(bytes, next + 1);
        break;
      case 2: // a memory: limits
        next = limitsEnd(bytes, next);
        break;
      case 3: // a global: value type, mutability
        next += 2;
        break;
      default:
        throw new Error(`an import of unknown kind ${bytes[kindAt]}`);
    }
    entries.push({ module, field, rest: bytes.subarray(kindAt, next) });
    at = next;
  }
  if (at !== end) throw new Error('the import section has bytes past its entries');
  return entries;
}

function limitsEnd(bytes, at) {
  const flags = bytes[at];
  let next = readLeb128(bytes, at + 1)[1];
  if (flags & 1) next = readLeb128(bytes, next)[1];
  return next;
}
