"""cancel() reaches a sleeping task at its await; its cleanup can still await."""
import asyncio
from looplab_twin import log, run


async def sleeper():
    try:
        log("sleeping 10 s")
        await asyncio.sleep(10)
    except asyncio.CancelledError:
        log("cancelled, cleaning up")
        await asyncio.sleep(0.5)
        log("cleanup done")
        raise


async def main():
    task = asyncio.create_task(sleeper())
    await asyncio.sleep(1)
    log(f"cancel() returns {task.cancel()}")
    try:
        await task
    except asyncio.CancelledError:
        log("main sees the task cancelled")
    log(f"cancelled() = {task.cancelled()}, cancel() again returns {task.cancel()}")


run(main)
