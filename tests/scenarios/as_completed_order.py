"""as_completed yields outcomes in completion order; a timeout fails the remaining ones."""
import asyncio
from looplab_twin import log, run


async def call(name, seconds, fail=False):
    await asyncio.sleep(seconds)
    if fail:
        raise ValueError(name)
    return name


async def main():
    tasks = [asyncio.create_task(call(n, s)) for n, s in (("two", 2.0), ("one", 1.0), ("half", 0.5))]
    for next_done in asyncio.as_completed(tasks):
        log(f"got {await next_done}")
    tasks = [
        asyncio.create_task(call("quick", 0.5)),
        asyncio.create_task(call("broken", 1.0, fail=True)),
        asyncio.create_task(call("late", 5.0)),
    ]
    for next_done in asyncio.as_completed(tasks, timeout=2.0):
        try:
            log(f"got {await next_done}")
        except ValueError as exc:
            log(f"failed with {exc!r}")
        except TimeoutError:
            log("timed out")
    tasks[2].cancel()


run(main)
