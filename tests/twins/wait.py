"""wait: ALL_COMPLETED, FIRST_COMPLETED and FIRST_EXCEPTION."""

import asyncio

from looplab_twin import log, params, run

P = params(fast=0.5, bad=1.0, slow=2.0)


async def call(name, seconds, fail=False):
    try:
        await asyncio.sleep(seconds)
    except asyncio.CancelledError:
        log(f"{name} cancelled")
        raise
    if fail:
        raise RuntimeError(f"{name} failed")
    return name


def names(tasks):
    return sorted(t.get_name() for t in tasks)


async def main():
    loop = asyncio.get_running_loop()
    for mode in (asyncio.ALL_COMPLETED, asyncio.FIRST_COMPLETED, asyncio.FIRST_EXCEPTION):
        start = loop.time()
        tasks = [
            asyncio.create_task(call("fast", P["fast"]), name="fast"),
            asyncio.create_task(call("bad", P["bad"], fail=True), name="bad"),
            asyncio.create_task(call("slow", P["slow"]), name="slow"),
        ]
        done, pending = await asyncio.wait(tasks, return_when=mode)
        log(f"{mode} returns after {loop.time() - start:.1f} s: done={names(done)} pending={names(pending)}")
        for task in sorted(pending, key=asyncio.Task.get_name):
            task.cancel()
        await asyncio.wait(tasks)
        for task in tasks:
            if not task.cancelled():
                task.exception()


run(main)
