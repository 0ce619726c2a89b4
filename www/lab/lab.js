// The Python lab: edit a demo's Python twin, or write your own asyncio program, run it on
// looplab's executor, and see it drawn like a demo. Loaded (with the editor and the worker) only
// when a visitor opens it; boot.js calls `open`.
//
// The program runs in a Web Worker (looplab-lab_loader.js, the second wasm bundle): the page
// never waits on it, Stop terminates it at once, and a run past the time budget is stopped the
// same way (a fresh worker starts for the next run). The worker answers with the program's
// output and the trace of each loop it ran; the page's module draws the first trace
// (`lab_show`) with the same timeline, panels, narration and code view as a demo.

const page = window.looplab;
const $ = (id) => document.getElementById(id);

/** A run that takes longer than this is stopped (the time budget). */
let TIME_BUDGET_MS = 10_000;
/** Loop iterations a run may take (the step budget; a `sleep(0)` spinner reaches it). */
let STEP_BUDGET = 1_000_000;

/** Changes the time and step budgets (the tests make them small). */
export function setBudgets({ seconds = TIME_BUDGET_MS / 1000, steps = STEP_BUDGET } = {}) {
  TIME_BUDGET_MS = seconds * 1000;
  STEP_BUDGET = steps;
}
/** Bytes of wasm memory a run may use (the memory budget). */
export const MEMORY_BUDGET = 512 * 1024 * 1024;
/** The longest shared link's code, compressed and encoded (a longer one is refused). */
export const SHARE_LIMIT = 8000;

const EXAMPLES = [
  {
    name: 'Tasks take turns',
    code: `import asyncio


def log(message):
    loop = asyncio.get_running_loop()
    print(f"{loop.time():.1f} {asyncio.current_task().get_name()} {message}")


async def worker(name, seconds):
    log(f"{name} starts")
    await asyncio.sleep(seconds)
    log(f"{name} is done after {seconds} s")
    return name


async def main():
    tasks = [asyncio.create_task(worker(n, s), name=n) for n, s in [("fast", 0.5), ("slow", 1.5), ("medium", 1.0)]]
    log("three tasks created; none has run yet")
    print(await asyncio.gather(*tasks))


asyncio.run(main())
`,
  },
  {
    name: 'A task group fails',
    code: `import asyncio


async def fetch(name, seconds, fail=False):
    try:
        await asyncio.sleep(seconds)
        if fail:
            raise ValueError(f"{name} failed")
        print(f"{name} fetched")
    except asyncio.CancelledError:
        print(f"{name} cancelled")
        raise


async def main():
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(fetch("a", 1.0))
            tg.create_task(fetch("b", 0.5, fail=True))
            tg.create_task(fetch("c", 2.0))
    except* ValueError as group:
        print(f"the group raised {group.exceptions!r}")


asyncio.run(main())
`,
  },
  {
    name: 'Producer and consumers',
    code: `import asyncio


async def producer(queue):
    for item in range(6):
        await queue.put(item)
        print(f"put {item} (size {queue.qsize()})")
    await queue.join()
    print("every item was handled")


async def consumer(name, queue):
    while True:
        item = await queue.get()
        await asyncio.sleep(0.3)
        print(f"{name} handled {item}")
        queue.task_done()


async def main():
    queue = asyncio.Queue(maxsize=2)
    workers = [asyncio.create_task(consumer(f"c{i}", queue)) for i in range(2)]
    await producer(queue)
    for w in workers:
        w.cancel()


asyncio.run(main())
`,
  },
  {
    name: 'Timeouts and cancellation',
    code: `import asyncio


async def slow_call():
    try:
        await asyncio.sleep(5)
        return "result"
    finally:
        print("slow_call cleans up")


async def main():
    try:
        async with asyncio.timeout(1):
            await slow_call()
    except TimeoutError:
        print("timed out after 1 s")
    task = asyncio.create_task(slow_call())
    await asyncio.sleep(0.5)
    task.cancel("no longer needed")
    try:
        await task
    except asyncio.CancelledError as e:
        print(f"cancelled: {e.args}")


asyncio.run(main())
`,
  },
  {
    name: 'Blocking the loop',
    code: `import asyncio
import time


async def ticker():
    for i in range(4):
        print(f"tick {i} at {asyncio.get_running_loop().time():.1f}")
        await asyncio.sleep(0.5)


async def main():
    t = asyncio.create_task(ticker())
    await asyncio.sleep(0.6)
    time.sleep(1)  # blocks the loop: the ticker waits
    print("the blocking call is over")
    await t


asyncio.run(main())
`,
  },
];

let editor = null;
let worker = null;
let ready = null;
let pending = null;
let current = { kind: 'own', title: 'Your code (main.py)', args: [] };
let dirty = false;

function status(text) {
  $('lab-status').textContent = text;
}

function message(text, kind = 'info') {
  const box = $('lab-message');
  box.textContent = text;
  box.dataset.kind = kind;
  box.hidden = !text;
}

function output(stdout, stderr) {
  const pre = $('lab-output');
  pre.replaceChildren();
  if (stdout) pre.append(document.createTextNode(stdout));
  if (stderr) {
    const err = document.createElement('span');
    err.className = 'stderr';
    err.textContent = stderr;
    pre.append(err);
  }
  pre.hidden = !stdout && !stderr;
}

function setRunning(running) {
  $('lab-run').disabled = running;
  $('lab-stop').hidden = !running;
}

/** Starts a worker (the lab's wasm bundle loads in it); `ready` settles when it has. */
function startWorker() {
  worker = new Worker('./looplab-lab_loader.js', { type: 'module' });
  ready = new Promise((resolve, reject) => {
    worker.onmessage = (event) => {
      const data = event.data || {};
      if (data.ready) {
        resolve();
        return;
      }
      let answer;
      try {
        answer = JSON.parse(data.answer);
        answer.traceBytes = data.traces || [];
      } catch {
        answer = { error: 'the lab answered something it should not have' };
      }
      if (pending) pending(answer);
    };
    worker.onerror = (event) => {
      event.preventDefault?.();
      const what = event.message || 'the lab stopped';
      reject(new Error(what));
      if (pending) pending({ crashed: what });
      dropWorker();
    };
  });
  ready.catch(() => {});
}

function dropWorker() {
  if (worker) worker.terminate();
  worker = null;
  ready = null;
}

/** Stops the run now: the worker is terminated (a fresh one starts for the next run). */
export function stop(reason = 'Stopped.') {
  if (!pending) return;
  dropWorker();
  pending({ stopped: reason });
}

/** The editor's code. */
export function code() {
  return editor ? editor.getText() : '';
}

/** Runs the editor's code and shows what it did. */
export async function run() {
  if (pending) return;
  const source = editor.getText();
  editor.clearErrors();
  message('');
  // The last run's output goes: a run that is stopped prints nothing of its own.
  output('', '');
  setRunning(true);
  const started = performance.now();
  if (!worker) {
    status('Starting the Python lab…');
    startWorker();
  }
  let answer;
  try {
    await ready;
    status('Running…');
    answer = await new Promise((resolve) => {
      pending = resolve;
      const timer = setTimeout(
        () => stop(`The program was stopped after ${TIME_BUDGET_MS / 1000} s (the time budget).`),
        TIME_BUDGET_MS,
      );
      pending = (a) => {
        clearTimeout(timer);
        pending = null;
        resolve(a);
      };
      worker.postMessage(JSON.stringify({
        source,
        filename: 'main.py',
        args: current.args,
        trace: true,
        budgets: { steps: STEP_BUDGET, memory: MEMORY_BUDGET },
      }));
    });
  } catch (error) {
    answer = { crashed: error.message };
  }
  pending = null;
  setRunning(false);
  show(answer, source, performance.now() - started);
}

function show(answer, source, ms) {
  if (answer.stopped) {
    status('Stopped.');
    message(answer.stopped, 'error');
    return;
  }
  if (answer.crashed) {
    status('The lab stopped.');
    const why = /Maximum call stack size exceeded/.test(answer.crashed)
      ? 'it recursed deeper than the browser\'s stack allows, before Python\'s recursion limit'
      : 'it probably ran out of memory';
    message(`The program stopped the lab (${answer.crashed}): ${why}. A fresh lab starts for the next run.`, 'error');
    return;
  }
  if (answer.error) {
    status('The lab failed.');
    message(answer.error, 'error');
    return;
  }
  output(answer.stdout, answer.stderr);
  const exit = answer.exit || {};
  if (exit.kind === 'syntax_error') {
    editor.markError(exit.line, exit.column, exit.message);
    status('Nothing ran.');
    message(`Syntax error at line ${exit.line}, column ${exit.column}: ${exit.message}. Nothing ran.`, 'error');
    return;
  }
  const ended = {
    finished: 'finished',
    raised: `raised ${exit.class}: ${exit.message}`,
    system_exit: `exited with ${exit.code}`,
    stopped: 'was stopped',
  }[exit.kind] || 'ended';
  const line = `The program ${ended} (${Math.round(ms)} ms).`;
  if (exit.kind === 'stopped') message(`${exit.reason[0].toUpperCase()}${exit.reason.slice(1)}.`, 'error');
  else if (exit.kind === 'raised' && /^No module named/.test(exit.message)) message(exit.message, 'error');
  else if (answer.traces > 1) message(`The program ran ${answer.traces} event loops; the timeline shows the first.`);
  if (!answer.traceBytes.length) {
    status(`${line} It ran no event loop: there is nothing to draw.`);
    return;
  }
  try {
    page.lab_show(answer.traceBytes[0], answer.stdout, source, current.title, line);
    status(line);
  } catch (error) {
    message(String(error), 'error');
  }
}

/** Bytes to base64url and back. */
function toBase64url(bytes) {
  let text = '';
  for (const b of bytes) text += String.fromCharCode(b);
  return btoa(text).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

function fromBase64url(text) {
  const binary = atob(text.replaceAll('-', '+').replaceAll('_', '/'));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

async function transform(bytes, stream) {
  const out = new Blob([bytes]).stream().pipeThrough(stream);
  return new Uint8Array(await new Response(out).arrayBuffer());
}

/** The code, compressed (deflate) and encoded for a link. */
export async function pack(code) {
  return toBase64url(await transform(new TextEncoder().encode(code), new CompressionStream('deflate-raw')));
}

/** The code of a link made by `pack`. */
export async function unpack(text) {
  return new TextDecoder().decode(await transform(fromBase64url(text), new DecompressionStream('deflate-raw')));
}

/** A link that opens the lab with the editor's code. */
async function share() {
  const packed = await pack(editor.getText());
  if (packed.length > SHARE_LIMIT) {
    message(`The code is too long to share by link: ${packed.length} characters compressed, past the limit of ${SHARE_LIMIT}. Export the trace instead, or share a shorter program.`, 'error');
    return;
  }
  const link = `${location.href.split(/[?#]/)[0]}?lab&code=${packed}`;
  history.replaceState(null, '', link);
  const field = $('share-link');
  field.value = link;
  await navigator.clipboard?.writeText(link).catch(() => {});
  message('The link to this code is in the address bar (and copied, where the browser allows).');
}

/** A demo's Python twin with the page's parameter values written into its `params(...)` call. */
export function withParams(source, args) {
  let out = source;
  for (const arg of args) {
    const split = arg.indexOf('=');
    const name = arg.slice(0, split);
    const value = arg.slice(split + 1);
    // A default written as a string literal takes the value as one (`fails="search"`).
    out = out.replace(new RegExp(`(params\\([^)]*\\b${name}=)("[^"]*"|[^,)]+)`), (_, head, old) => head + (old.startsWith('"') ? JSON.stringify(value) : value));
  }
  return out;
}

async function ensureEditor(doc) {
  if (!editor) {
    status('Loading the editor…');
    const { createEditor } = await import('./lab-editor.js');
    editor = createEditor($('lab-editor'), doc, { onRun: run, onChange: () => { dirty = true; } });
    status('');
  } else {
    editor.setText(doc);
  }
  dirty = false;
}

function fillExamples(selected) {
  const select = $('lab-examples');
  if (select.options.length) return;
  EXAMPLES.forEach((e, i) => select.add(new Option(e.name, String(i), false, i === selected)));
}

/**
 * Opens the lab: `{ kind: 'demo' }` with the demo shown (its Python twin, with the page's
 * parameter values), `{ kind: 'own', code }` with that code (or the first example).
 */
export async function open(options = { kind: 'own' }) {
  if (!document.getElementById('lab-css')) {
    const css = Object.assign(document.createElement('link'), { id: 'lab-css', rel: 'stylesheet', href: './lab.css' });
    document.head.append(css);
  }
  document.body.classList.add('lab-open');
  $('lab').hidden = false;
  const shown = page.lab_opened(true);
  // The worker starts loading now, while the editor does.
  if (!worker) startWorker();
  fillExamples(0);
  let doc;
  if (options.kind === 'demo') {
    const [id, title, ...args] = shown.split('\n');
    const demo = { id, title, args };
    const response = await fetch(`./sources/python/${demo.id}.py`).catch(() => null);
    if (!response || !response.ok) {
      message(`The Python twin of ${demo.title} could not be loaded (offline, and never opened before?).`, 'error');
      doc = '';
    } else {
      doc = withParams(await response.text(), demo.args);
    }
    current = { kind: 'demo', title: `${demo.title}: the Python twin, edited (main.py)`, args: [] };
    $('lab-title').textContent = `Edit the Python: ${demo.title}`;
    $('lab-examples-field').hidden = true;
    history.replaceState(null, '', `?demo=${encodeURIComponent(demo.id)}&edit=1`);
  } else {
    doc = options.code ?? EXAMPLES[0].code;
    current = { kind: 'own', title: 'Your code (main.py)', args: [] };
    $('lab-title').textContent = 'Your code';
    $('lab-examples-field').hidden = false;
    if (options.code === undefined) history.replaceState(null, '', '?lab');
  }
  await ensureEditor(doc);
  keepOffline();
  $('lab').scrollIntoView({ block: 'start' });
  editor.focus();
  await run();
}

/** Asks the service worker to keep the lab's files, so that it works offline from now on. */
function keepOffline() {
  const precache = ['./lab.js', './lab.css', './lab-editor.js', './looplab-lab.js', './looplab-lab_bg.wasm', './looplab-lab_loader.js'];
  navigator.serviceWorker?.ready.then((registration) => registration.active?.postMessage({ precache })).catch(() => {});
}

/** Closes the lab and (unless the visitor chose another demo) runs the demo again. */
export function close(rerun = true) {
  stop();
  document.body.classList.remove('lab-open');
  $('lab').hidden = true;
  page.lab_opened(false);
  message('');
  if (rerun) $('run').click();
}

/** Opens what the address (its `query`, read when the page loaded) asks for, if it asks for the
 * lab. */
export async function openFromAddress(query = new URLSearchParams(location.search)) {
  if (query.has('edit')) return open({ kind: 'demo' });
  if (!query.has('lab')) return undefined;
  const code = query.get('code');
  if (!code) return open({ kind: 'own' });
  try {
    return open({ kind: 'own', code: await unpack(code) });
  } catch {
    await open({ kind: 'own' });
    message('The link\u2019s code could not be read (the link is damaged); showing an example instead.', 'error');
    return undefined;
  }
}

$('lab-run').addEventListener('click', () => run());
$('lab-stop').addEventListener('click', () => stop('Stopped: the run was ended by Stop.'));
$('lab-share').addEventListener('click', () => share());
$('lab-close').addEventListener('click', () => close());
$('lab-examples').addEventListener('change', (event) => {
  const example = EXAMPLES[Number(event.target.value)];
  if (!example) return;
  if (dirty && !confirm('Replace your code with the example?')) return;
  editor.setText(example.code);
  dirty = false;
  run();
});
document.addEventListener('click', (event) => {
  // Choosing a demo in the catalog leaves the lab.
  if (event.target.closest?.('.demo-link') && document.body.classList.contains('lab-open')) close(false);
});
