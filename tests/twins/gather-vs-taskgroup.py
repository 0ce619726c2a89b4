"""gather-vs-taskgroup: who cleans up when one task fails."""

import asyncio

from looplab_twin import log, params, run

P = params(long=10.0)


async def long_call(name, cleanup):
    try:
        await asyncio.sleep(P["long"])
        log(f"{name} finished")
    except asyncio.CancelledError:
        await asyncio.sleep(cleanup)
        log(f"{name} cancelled, cleanup took {cleanup} s")
        raise


async def fails():
    raise RuntimeError("failed at once")


async def main():
    loop = asyncio.get_running_loop()
    log("gather: the siblings keep running until cancelled by hand")
    tasks = [
        asyncio.create_task(long_call("g1", 0.5)),
        asyncio.create_task(long_call("g2", 0.75)),
        asyncio.create_task(fails()),
    ]
    try:
        await asyncio.gather(*tasks)
    except RuntimeError as exc:
        log(f"gather raised {exc!r}; cancelling the rest by hand")
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    log(f"hand-written cleanup done at {loop.time():.1f}")
    log("TaskGroup: the siblings are cancelled for you, and the group waits for them")
    try:
        async with asyncio.TaskGroup() as tg:
            # The group cancels in the order of a set; distinct cleanup times keep the log stable.
            tg.create_task(long_call("t1", 0.5))
            tg.create_task(long_call("t2", 0.75))
            tg.create_task(fails())
    except* RuntimeError as group:
        log(f"the group raised {[repr(e) for e in group.exceptions]} at {loop.time():.1f}")


run(main)
