"""A task cancelled before its first step never runs any of its code."""
import asyncio
from looplab_twin import log, run


async def never():
    log("this line never prints")


async def main():
    task = asyncio.create_task(never())
    log(f"cancel() returns {task.cancel()}")
    try:
        await task
    except asyncio.CancelledError:
        log("cancelled before it ran")


run(main)
