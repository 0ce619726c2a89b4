"""Cancelling a task that awaits another task cancels the awaited task too."""
import asyncio
from looplab_twin import log, run


async def inner():
    try:
        await asyncio.sleep(10)
    except asyncio.CancelledError:
        log("inner cancelled")
        raise


async def outer(task):
    try:
        await task
    except asyncio.CancelledError:
        log("outer cancelled")
        raise


async def main():
    i = asyncio.create_task(inner())
    o = asyncio.create_task(outer(i))
    await asyncio.sleep(2)
    o.cancel()
    try:
        await o
    except asyncio.CancelledError:
        log(f"outer done, inner cancelled() = {i.cancelled()}")


run(main)
