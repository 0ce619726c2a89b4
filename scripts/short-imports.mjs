// Gives the functions a wasm module imports from its wasm-bindgen glue short names, in the
// module and in the glue alike: wasm-bindgen names each `__wbg_<name>_<16 hex digits>`, and
// those names, written once in the module and once in the glue, were 5 KB of the demos' site
// gzipped (the hex digits do not compress), in a site that must stay within 250 KB.
//
// A trunk post_build hook (Trunk.toml) for every wasm file of a release build's staged site
// whose glue (`X.js` beside `X_bg.wasm`) names each import exactly once; a pair where that does
// not hold is left as it is, and said so. Or the wasm files given on the command line.
//
// The import section (id 2) is a count and then entries: module name, field name, a kind byte
// and the kind's description. Only field names change; nothing else in the module refers to
// them, and the glue's import object is keyed by them.
import fs from 'node:fs';
import path from 'node:path';
import { IMPORT, imports, leb128, section, sections, stagedWasm } from './wasm-module.mjs';

function name(text) {
  const bytes = Buffer.from(text);
  return Buffer.concat([leb128(bytes.length), bytes]);
}

const escape = (text) => text.replace(/[$]/g, '\\$');

for (const file of stagedWasm('short-imports')) {
  const glue = file.replace(/_bg\.wasm$/, '.js');
  if (glue === file || !fs.existsSync(glue)) continue;
  const bytes = fs.readFileSync(file);
  const all = sections(bytes, file);
  const importSection = all.find((s) => s.id === IMPORT);
  if (!importSection) continue;
  const entries = imports(bytes, importSection);
  let js = fs.readFileSync(glue, 'utf8');
  // Each name must stand exactly once in the glue, as a whole word, for the rename to be safe.
  const word = (field) => new RegExp(`(?<![\\w$])${escape(field)}(?![\\w$])`, 'g');
  const unsure = entries.filter((e) => (js.match(word(e.field)) || []).length !== 1);
  if (unsure.length > 0) {
    console.error(`short-imports: ${path.basename(file)} left as it is: ${unsure.length} of its imports are not named exactly once in ${path.basename(glue)} (${unsure[0].field})`);
    continue;
  }
  // `$` and a number in base 36: never one of the glue's own names, which the minifier makes
  // from letters.
  const renamed = entries.map((e, i) => ({ ...e, short: `$${i.toString(36)}` }));
  for (const e of renamed) js = js.replace(word(e.field), e.short);
  const contents = Buffer.concat([
    leb128(renamed.length),
    ...renamed.map((e) => Buffer.concat([name(e.module), name(e.short), e.rest])),
  ]);
  const out = [bytes.subarray(0, 8)];
  for (const s of all) out.push(s === importSection ? section(IMPORT, contents) : bytes.subarray(s.start, s.end));
  fs.writeFileSync(file, Buffer.concat(out));
  fs.writeFileSync(glue, js);
}
