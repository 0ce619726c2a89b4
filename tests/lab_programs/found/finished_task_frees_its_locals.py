"""A task that made tasks and kept them only in a local variable finishes: CPython clears a
finished coroutine's frame, so the tasks are freed as soon as they are done, and a failure
nobody retrieved is reported then, not when the task that made them is freed (here, the end of
the program, since main keeps it). A task that raised keeps its locals: its traceback holds its
frame."""
import asyncio

from looplab_twin import log, run


async def fail(n):
    raise ValueError(f"child {n} failed")


async def spawner(count):
    children = [asyncio.create_task(fail(n)) for n in range(count)]
    log(f"spawner made {len(children)} and returns")


async def spawner_that_raises():
    children = [asyncio.create_task(fail(10 + n)) for n in range(2)]
    log(f"spawner_that_raises made {len(children)} and raises")
    raise RuntimeError("spawner failed")


async def main():
    kept = asyncio.create_task(spawner(3))
    await asyncio.sleep(0.1)
    log("main slept")
    also_kept = asyncio.create_task(spawner_that_raises())
    await asyncio.sleep(0.1)
    log(f"main slept again, spawner_that_raises done: {also_kept.done()}")
    try:
        await also_kept
    except RuntimeError as e:
        log(f"main: {e!r}")
    log("main done")


run(main)
