"""A task that swallows its cancellation and returns: the awaiter gets the value."""
import asyncio
from looplab_twin import log, run


async def stubborn():
    try:
        await asyncio.sleep(5)
    except asyncio.CancelledError:
        log("swallowing the cancellation (a mistake)")
    await asyncio.sleep(1)
    log("still running")
    return "finished anyway"


async def main():
    task = asyncio.create_task(stubborn())
    await asyncio.sleep(1)
    task.cancel()
    result = await task
    log(f"result {result!r}, cancelled() = {task.cancelled()}")


run(main)
