"""What every Python twin shares: the transcript line and a run on looptime's virtual clock.

A twin is a plain asyncio program. It prints its transcript with `log`, one line per event of
interest, formatted exactly as looplab's `log`: "{time:.3f} {task} {message}", where time is the
loop's clock and task the current task's name ("-" outside any task). `run` runs the main
coroutine as `asyncio.run` does, on a loop whose clock is virtual (looptime), starting at 0.

Each twin must run in its own process: CPython numbers unnamed tasks with one counter per process.
"""

import asyncio
import sys

import looptime


def log(message):
    loop = asyncio.get_running_loop()
    task = asyncio.current_task()
    name = task.get_name() if task is not None else "-"
    print(f"{loop.time():.3f} {name} {message}")


def _virtual_loop():
    return looptime.patch_event_loop(asyncio.new_event_loop(), start=0.0)


def run(main):
    """asyncio.run(main()) on the virtual clock."""
    with asyncio.Runner(loop_factory=_virtual_loop) as runner:
        return runner.run(main())


if sys.version_info < (3, 11):
    raise SystemExit("the twins need CPython 3.11 or later (asyncio.Runner)")
