"""A semaphore waiter woken and then cancelled gives its permit to the next waiter."""
import asyncio
from looplab_twin import log, run


async def holder(sem, name, hold):
    try:
        async with sem:
            log(f"{name} acquired")
            await asyncio.sleep(hold)
    except asyncio.CancelledError:
        log(f"{name} cancelled")
        raise
    log(f"{name} released")


async def main():
    sem = asyncio.Semaphore(1)
    a = asyncio.create_task(holder(sem, "a", 1.0))
    b = asyncio.create_task(holder(sem, "b", 1.0))
    c = asyncio.create_task(holder(sem, "c", 1.0))
    await asyncio.sleep(1.0)
    # a released at 1.0 and woke b; cancel b before it runs.
    b.cancel()
    log(f"locked now: {sem.locked()}")
    await asyncio.wait([a, b, c])
    log(f"value at the end: {sem._value}")


run(main)
