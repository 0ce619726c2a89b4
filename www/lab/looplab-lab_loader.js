// The Python lab's Web Worker (lab.js starts it with new Worker('./looplab-lab_loader.js')).
// The wasm module's fetch starts at once, while the module's JavaScript glue loads, rather than
// after it: the glue compiles the response as it streams in (application/wasm), then the
// module's start function answers {ready: true}.
const wasm = fetch(new URL('./looplab-lab_bg.wasm', import.meta.url));
const glue = await import('./looplab-lab.js');
await glue.default({ module_or_path: wasm });
