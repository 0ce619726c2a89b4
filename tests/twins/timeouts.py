"""timeouts: time limits with asyncio.timeout and wait_for."""

import asyncio

from looplab_twin import log, params, run

P = params(call=2.0, limit=1.0)


async def call(name):
    try:
        await asyncio.sleep(P["call"])
        log(f"{name} finished")
        return f"{name} result"
    except asyncio.CancelledError:
        log(f"{name} cancelled by the time limit")
        raise


async def main():
    loop = asyncio.get_running_loop()
    try:
        async with asyncio.timeout(P["limit"]):
            await call("call under timeout()")
    except TimeoutError:
        log(f"timeout() raised TimeoutError at {loop.time():.1f}")
    task = asyncio.create_task(call("task under wait_for()"))
    try:
        await asyncio.wait_for(task, timeout=P["limit"])
    except TimeoutError:
        log(f"wait_for raised TimeoutError; the task is cancelled: {task.cancelled()}")
    async with asyncio.timeout(P["limit"]) as cm:
        cm.reschedule(loop.time() + P["call"] + 0.5)
        log(f"deadline moved to {cm.when():.1f}")
        log(f"got {await call('call with a moved deadline')!r}")


run(main)
