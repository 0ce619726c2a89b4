"""call_later, call_at and sleeps on one heap; a cancelled timer never runs."""
import asyncio
from looplab_twin import log, run


async def main():
    loop = asyncio.get_running_loop()
    loop.call_later(0.5, log, "later 0.5")
    loop.call_at(loop.time() + 0.25, log, "at 0.25")
    loop.call_later(0.5, log, "later 0.5 again")
    handle = loop.call_later(0.3, log, "cancelled, never printed")
    handle.cancel()
    loop.call_later(0.0, log, "later 0")
    loop.call_soon(log, "soon")
    await asyncio.sleep(0.5)
    log("main woke at 0.5")
    await asyncio.sleep(0.1)
    log("main done")


run(main)
