"""asyncio.timeout: a 2 s call under a 1 s limit fails with TimeoutError at 1.0."""
import asyncio
from looplab_twin import log, run


async def call():
    try:
        await asyncio.sleep(2)
        log("call finished")
    except asyncio.CancelledError:
        log("call cancelled by the timeout")
        raise


async def main():
    try:
        async with asyncio.timeout(1.0) as cm:
            await call()
    except TimeoutError as exc:
        log(f"caught {exc!r}, expired={cm.expired()}")
    async with asyncio.timeout(5.0) as cm:
        await call()
    log(f"within the limit: expired={cm.expired()}")
    try:
        async with asyncio.timeout(None) as cm:
            await asyncio.sleep(0.5)
            cm.reschedule(asyncio.get_running_loop().time() + 0.25)
            await call()
    except TimeoutError:
        log("rescheduled deadline expired")


run(main)
