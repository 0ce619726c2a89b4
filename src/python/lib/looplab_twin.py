"""The twin helper in the lab: what the demos' Python twins import from `looplab_twin`.

On CPython the twins run with `tests/twins/looplab_twin.py`, which prints the transcript with
`log` on looptime's virtual clock. Here the same names do the same on looplab's loop (whose
clock is virtual unless real time is asked for): `log` prints "{time:.3f} {task} {message}",
and asyncio's warnings, exception reports and debug mode's slow steps become transcript lines.
"""

import asyncio
import sys
import warnings
import logging

import _looplab

_last_loop = None


def log(message):
    """One transcript line, "{time:.3f} {task} {message}" ("-" outside any task)."""
    loop = _looplab._get_running_loop()
    task = None
    if loop is not None:
        task = asyncio.current_task()
    else:
        loop = _last_loop
    name = task.get_name() if task is not None else "-"
    now = loop.time() if loop is not None else 0.0
    print(f"{now:.3f} {name} {message}")


def params(**defaults):
    """The parameters: the defaults, overridden by `name=value` arguments, each converted to
    its default's type."""
    values = dict(defaults)
    for arg in sys.argv[1:]:
        name, _, text = arg.partition("=")
        if name not in defaults:
            raise SystemExit(f"unknown parameter {name!r}; the parameters are {', '.join(defaults)}")
        values[name] = type(defaults[name])(text)
    return values


async def run_in_worker(seconds, work):
    """`await asyncio.to_thread(work)`, simulated: the work takes `seconds` off the loop."""
    loop = asyncio.get_running_loop()
    done = loop.create_future()
    loop.call_later(seconds, lambda: done.set_result(work()))
    return await done


def block_for(seconds):
    """A step that holds the loop for `seconds` (the clock moves on; nothing else runs)."""
    _looplab.block(seconds)


def context_line(context):
    """An exception handler's context as one line: message (task): repr(exception)."""
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


class _LoopWarnings(logging.Handler):
    """asyncio's own log lines (debug mode's slow steps) as transcript lines."""

    def emit(self, record):
        log(record.getMessage().splitlines()[0])


def iteration():
    """The number of the loop iteration running now."""
    return _looplab.iteration()


warnings.simplefilter("always")
warnings.showwarning = _show_warning
_asyncio_logger = logging.getLogger("asyncio")
_asyncio_logger.addHandler(_LoopWarnings())
_asyncio_logger.propagate = False


def _virtual_loop(debug=False):
    global _last_loop
    loop = _looplab.new_event_loop(debug)
    loop.set_exception_handler(_report)
    _last_loop = loop
    return loop


def run(main, debug=False):
    """asyncio.run(main()) on the lab's loop."""
    return _virtual_loop(debug)._run_main(main())


def new_loop():
    """A loop for programs that drive it by hand (run_until_complete, close)."""
    return _virtual_loop()


def task_dump():
    """One line per pending task: its name and what it is doing."""
    return _looplab.task_dump()


def await_graph():
    """Who awaits whom."""
    return _looplab.await_graph()
