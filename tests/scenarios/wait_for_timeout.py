"""wait_for: on timeout the inner task is cancelled and waited for, then TimeoutError."""
import asyncio
from looplab_twin import log, run


async def call(seconds, cleanup=0.0):
    try:
        await asyncio.sleep(seconds)
        return f"slept {seconds}"
    except asyncio.CancelledError:
        log("inner cancelled")
        if cleanup:
            await asyncio.sleep(cleanup)
            log("inner cleanup done")
        raise


async def main():
    try:
        await asyncio.wait_for(asyncio.create_task(call(2.0, cleanup=0.5)), timeout=1.0)
    except TimeoutError as exc:
        log(f"wait_for raised {exc!r}")
    log(await asyncio.wait_for(asyncio.create_task(call(0.5)), timeout=1.0))
    try:
        await asyncio.wait_for(asyncio.create_task(call(1.0)), timeout=0)
    except TimeoutError:
        log("timeout=0 cancels at once")
    log(await asyncio.wait_for(asyncio.create_task(call(0.25)), timeout=None))


run(main)
