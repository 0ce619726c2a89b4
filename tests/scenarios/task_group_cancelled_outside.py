"""A task group whose task is cancelled from outside cancels its children and raises CancelledError."""
import asyncio
from looplab_twin import log, run


async def child(name, cleanup):
    # The group cancels its children in the order of a set (by address in CPython), so only the
    # cleanup's end, at distinct times, is logged.
    try:
        await asyncio.sleep(10)
    except asyncio.CancelledError:
        await asyncio.sleep(cleanup)
        log(f"{name} cleanup done after {cleanup} s")
        raise


async def worker():
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(child("c1", 0.5))
            tg.create_task(child("c2", 0.25))
            await asyncio.sleep(10)
    except asyncio.CancelledError:
        log("worker sees CancelledError after its children finished")
        raise


async def main():
    task = asyncio.create_task(worker())
    await asyncio.sleep(1)
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        log(f"worker cancelled: {task.cancelled()}")


run(main)
