"""asyncio.run's shutdown cancels what is left; a task that catches that cancellation and raises
is reported as an unhandled exception during the shutdown, not as an exception never retrieved.
(One task is left: the shutdown cancels in the order of a set.)"""
import asyncio
from looplab_twin import log, run


async def stubborn():
    try:
        await asyncio.sleep(10)
    except asyncio.CancelledError:
        log("cancelled at shutdown, raises instead")
        raise ValueError("cleanup failed")


async def main():
    asyncio.create_task(stubborn())
    await asyncio.sleep(1)
    log("main returns")


run(main)
