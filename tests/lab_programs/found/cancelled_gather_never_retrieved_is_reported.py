"""A gather cancelled through `cancel()` is finished with the CancelledError as its exception
(`outer.set_exception(exc)` in tasks.py's `_done_callback`), and `Future.set_exception` marks
any exception to be logged: a cancelled gather that nobody awaits or asks is reported as
"_GatheringFuture exception was never retrieved" when it is freed, as a failed one is. So is a
gather whose child was cancelled on its own. One that was asked (`exception()`) is not."""
import asyncio

from looplab_twin import log, run


async def main():
    g = asyncio.gather(asyncio.sleep(5))
    await asyncio.sleep(0)
    g.cancel("stop")
    await asyncio.sleep(0.1)
    del g
    log("let the cancelled gather go")

    child = asyncio.create_task(asyncio.sleep(5))
    h = asyncio.gather(child)
    await asyncio.sleep(0)
    child.cancel("the child only")
    await asyncio.sleep(0.1)
    del h
    log("let the gather of a cancelled child go")

    k = asyncio.gather(asyncio.sleep(5))
    await asyncio.sleep(0)
    k.cancel()
    await asyncio.sleep(0.1)
    log(f"asked: {k.exception()!r}")
    del k
    log("let the asked gather go")


run(main)
