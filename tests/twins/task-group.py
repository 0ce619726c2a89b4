"""task-group: structured concurrency."""

import asyncio

from looplab_twin import log, params, run

P = params(fail_at=1.0, slow=3.0)


async def worker(name, seconds, error=None):
    try:
        await asyncio.sleep(seconds)
    except asyncio.CancelledError:
        log(f"{name} cancelled")
        raise
    if error is not None:
        log(f"{name} raises {error!r}")
        raise error
    log(f"{name} done")


async def main():
    async with asyncio.TaskGroup() as tg:
        tg.create_task(worker("a", 0.5))
        tg.create_task(worker("b", 1.0))
    log("block ended: every child is done")
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(worker("parse", P["fail_at"], ValueError("bad input")))
            tg.create_task(worker("fetch", P["fail_at"], ConnectionError("timeout")))
            tg.create_task(worker("slow", P["slow"]))
    except* ValueError as group:
        log(f"except* ValueError got {[repr(e) for e in group.exceptions]}")
    except* ConnectionError as group:
        log(f"except* ConnectionError got {[repr(e) for e in group.exceptions]}")


run(main)
