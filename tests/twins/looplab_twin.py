"""What every Python twin shares: the transcript line and a run on looptime's virtual clock.

A twin is a plain asyncio program. It prints its transcript with `log`, one line per event of
interest, formatted exactly as looplab's `log`: "{time:.3f} {task} {message}", where time is the
loop's clock and task the current task's name ("-" outside any task). `run` runs the main
coroutine as `asyncio.run` does, on a loop whose clock is virtual (looptime), starting at 0.

What asyncio reports rather than prints (warnings, the exception handler's messages, debug
mode's slow-step messages) is written to the transcript too, as one line each, in the form
looplab writes them (see `_report`, `_show_warning`, `_SlowStep`).

Each twin must run in its own process: CPython numbers unnamed tasks with one counter per process.
"""

import asyncio
import logging
import re
import sys
import warnings

import looptime


_last_loop = None


def log(message):
    """One transcript line. Outside a running loop (after `loop.close()`, say) it uses the last
    loop made here, with "-" for the task."""
    try:
        loop = asyncio.get_running_loop()
        task = asyncio.current_task()
    except RuntimeError:
        loop, task = _last_loop, None
    name = task.get_name() if task is not None else "-"
    print(f"{loop.time():.3f} {name} {message}")


def params(**defaults):
    """The demo's parameters: the defaults, overridden by `name=value` command-line arguments
    (as looplab passes them), each converted to its default's type."""
    values = dict(defaults)
    for arg in sys.argv[1:]:
        name, _, text = arg.partition("=")
        if name not in defaults:
            raise SystemExit(f"unknown parameter {name!r}; the parameters are {', '.join(defaults)}")
        values[name] = type(defaults[name])(text)
    return values


async def run_in_worker(seconds, work):
    """`await asyncio.to_thread(work)`, simulated: the work takes `seconds` on a worker, off the
    loop, and hands its result back (a timer stands in for the thread, so runs are
    deterministic; looplab's `run_in_worker` does the same)."""
    loop = asyncio.get_running_loop()
    done = loop.create_future()
    loop.call_later(seconds, lambda: done.set_result(work()))
    return await done


def block_for(seconds):
    """A CPU-bound step that holds the loop for `seconds` of virtual time (looptime's clock is
    a whole number of microseconds; time passes only in its select, so it is moved here)."""
    loop = asyncio.get_running_loop()
    loop._LoopTimeEventLoop__now += round(seconds * 1_000_000)


def context_line(context):
    """The line looplab's default exception handler writes: message (task): repr(exception)."""
    message = context.get("message") or "Unhandled exception in event loop"
    if message.startswith("Exception in callback"):
        message = "Exception in callback"
    line = message
    task = context.get("task") or context.get("future")
    if isinstance(task, asyncio.Task):
        line += f" ({task.get_name()})"
    exc = context.get("exception")
    if exc is not None:
        line += f": {exc!r}"
    return line


def _report(loop, context):
    log(context_line(context))


def _show_warning(message, category, filename, lineno, file=None, line=None):
    text = str(message).splitlines()[0]
    log(f"{category.__name__}: {text}")


class _SlowStep(logging.Handler):
    """Debug mode's "Executing <handle> took N seconds", with the handle reduced to its task."""

    def emit(self, record):
        text = record.getMessage()
        took = re.search(r" took ([0-9.]+) seconds", text)
        if not text.startswith("Executing ") or not took:
            log(f"asyncio: {text.splitlines()[0]}")
            return
        name = re.search(r"name='([^']*)'", text)
        what = f"<Task {name.group(1)}>" if name else "<Handle>"
        log(f"Executing {what} took {took.group(1)} seconds")


def _virtual_loop():
    global _last_loop, _iterations, _handles_run
    loop = looptime.patch_event_loop(asyncio.new_event_loop(), start=0.0)
    loop.set_exception_handler(_report)
    _last_loop = loop
    _iterations = _handles_run = 0
    original = loop._run_once

    def run_once():
        # looplab counts an iteration when it runs at least one handle (looptime adds empty
        # iterations of its own before it moves the clock).
        global _iterations
        before = _handles_run
        _iterations += 1
        try:
            original()
        finally:
            if _handles_run == before:
                _iterations -= 1

    loop._run_once = run_once
    return loop


_iterations = 0
_handles_run = 0
_original_handle_run = asyncio.events.Handle._run


def _counted_handle_run(self):
    global _handles_run
    _handles_run += 1
    return _original_handle_run(self)


asyncio.events.Handle._run = _counted_handle_run


def iteration():
    """The number of the loop iteration running now, counted as looplab counts them."""
    return _iterations


warnings.simplefilter("always")
warnings.showwarning = _show_warning
_asyncio_logger = logging.getLogger("asyncio")
_asyncio_logger.addHandler(_SlowStep())
_asyncio_logger.propagate = False


def run(main, debug=False):
    """asyncio.run(main()) on the virtual clock."""
    with asyncio.Runner(loop_factory=_virtual_loop, debug=debug) as runner:
        return runner.run(main())


def new_loop():
    """A virtual-clock loop for programs that drive it by hand (run_until_complete, close)."""
    return _virtual_loop()


def _order(task):
    name = task.get_name()
    match = re.fullmatch(r"Task-(\d+)", name)
    return (0, int(match.group(1)), "") if match else (1, 0, name)


def _awaits(task):
    """What a task waits on, as looplab describes it, and the tasks that is."""
    waiter = getattr(task, "_fut_waiter", None)
    if waiter is None:
        return None, []
    if isinstance(waiter, asyncio.Task):
        return f"Task {waiter.get_name()}", [waiter]
    children = getattr(waiter, "_children", None)
    if children is not None:
        parts = [f"Task {c.get_name()}" if isinstance(c, asyncio.Task) else "a future" for c in children]
        return f"gather({', '.join(parts)})", [c for c in children if isinstance(c, asyncio.Task)]
    return "a future", []


def _state(task):
    if task is asyncio.current_task():
        return "running"
    what, _ = _awaits(task)
    return f"awaiting {what}" if what else "ready"


def task_dump():
    """looplab's task dump (the analog of `asyncio ps`): one line per pending task."""
    return [f"{t.get_name()}: {_state(t)}" for t in sorted(asyncio.all_tasks(), key=_order)]


def await_graph():
    """looplab's await graph (the analog of `asyncio pstree`): who awaits whom."""
    tasks = sorted(asyncio.all_tasks(), key=_order)
    awaited = {id(c) for t in tasks for c in _awaits(t)[1]}
    lines = []

    def walk(task, depth):
        lines.append(f"{'  ' * depth}{task.get_name()} [{_state(task)}]")
        for child in _awaits(task)[1]:
            walk(child, depth + 1)

    for task in tasks:
        if id(task) not in awaited:
            walk(task, 0)
    return lines


if sys.version_info < (3, 11):
    raise SystemExit("the twins need CPython 3.11 or later (asyncio.Runner)")
