"""Cancelling a task that awaits gather cancels every child; the gather ends cancelled."""
import asyncio
from looplab_twin import log, run


async def child(name, seconds):
    try:
        await asyncio.sleep(seconds)
        log(f"{name} finished")
    except asyncio.CancelledError:
        log(f"{name} cancelled")
        raise


async def waiter(tasks):
    try:
        await asyncio.gather(*tasks)
    except asyncio.CancelledError:
        log("waiter sees CancelledError")
        raise


async def main():
    tasks = [asyncio.create_task(child(n, s)) for n, s in (("x", 1.0), ("y", 5.0), ("z", 5.0))]
    w = asyncio.create_task(waiter(tasks))
    await asyncio.sleep(2)
    log(f"cancel() returns {w.cancel()}")
    try:
        await w
    except asyncio.CancelledError:
        log(f"waiter cancelled; children cancelled: {[t.cancelled() for t in tasks]}")
    g = asyncio.gather(asyncio.create_task(child("p", 1.0)))
    await asyncio.sleep(0)
    log(f"gather.cancel() returns {g.cancel()}")
    try:
        await g
    except asyncio.CancelledError:
        log("the cancelled gather raises CancelledError")


run(main)
