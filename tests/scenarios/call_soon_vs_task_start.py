"""create_task schedules the first step with call_soon: it queues behind earlier callbacks."""
import asyncio
from looplab_twin import log, run


async def child(name):
    log(f"{name}: first step")
    await asyncio.sleep(0)
    log(f"{name}: second step")


async def main():
    loop = asyncio.get_running_loop()
    loop.call_soon(log, "callback 1")
    t1 = asyncio.create_task(child("t1"))
    loop.call_soon(log, "callback 2")
    t2 = asyncio.create_task(child("t2"))
    log("main: nothing else has run yet")
    await asyncio.sleep(0)
    log("main: after one yield")
    await t1
    await t2
    log("main: both children done")


run(main)
