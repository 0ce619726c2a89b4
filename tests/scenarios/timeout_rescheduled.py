"""Moving a deadline later lets the work finish."""
import asyncio
from looplab_twin import log, run


async def main():
    loop = asyncio.get_running_loop()
    async with asyncio.timeout(1.0) as cm:
        log(f"deadline {cm.when():.1f}")
        await asyncio.sleep(0.5)
        cm.reschedule(loop.time() + 3.0)
        log(f"deadline moved to {cm.when():.1f}")
        await asyncio.sleep(2.0)
        log("finished under the moved deadline")
    try:
        async with asyncio.timeout_at(loop.time() + 1.0):
            await asyncio.sleep(1.0)
            log("not reached: the deadline equals the sleep")
    except TimeoutError:
        log("timeout_at expired")


run(main)
