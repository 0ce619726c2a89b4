"""A task that wait_for ran, cancelled because its caller was, fails instead of ending
cancelled, and nobody retrieves its failure. CPython frees it (and reports the failure) with
the exception that wait_for raised, whose traceback holds wait_for's frame: so after the
handler that caught that exception, or later when the exception is kept."""
import asyncio

from looplab_twin import log, run


async def swallow_then_fail(n):
    try:
        await asyncio.sleep(1)
    except asyncio.CancelledError:
        log(f"inner {n} cancelled, fails instead")
    raise ValueError(f"inner {n} failed")


async def caller(n):
    try:
        async with asyncio.timeout(0.1):
            await asyncio.wait_for(swallow_then_fail(n), timeout=0.5)
    except TimeoutError:
        log(f"caller {n} timed out")
    log(f"caller {n} after its handler")


async def keeper():
    kept = []
    task = asyncio.current_task()
    asyncio.get_running_loop().call_later(0.1, task.cancel)
    try:
        await asyncio.wait_for(swallow_then_fail(9), timeout=0.5)
    except asyncio.CancelledError as e:
        kept.append(e)
        log("keeper cancelled, keeps the exception")
    await asyncio.sleep(0.1)
    log("keeper lets it go")
    kept.clear()
    log("keeper done")


async def main():
    await asyncio.gather(caller(1), caller(2), keeper())
    log("main done")


run(main)
