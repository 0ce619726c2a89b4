"""wait in each mode: the done and pending sets, and nothing is cancelled."""
import asyncio
from looplab_twin import log, run


async def call(name, seconds, fail=False):
    await asyncio.sleep(seconds)
    if fail:
        raise RuntimeError(name)
    return name


def names(tasks):
    return sorted(t.get_name() for t in tasks)


async def main():
    loop = asyncio.get_running_loop()
    for mode in (asyncio.FIRST_COMPLETED, asyncio.FIRST_EXCEPTION, asyncio.ALL_COMPLETED):
        start = loop.time()
        tasks = [
            asyncio.create_task(call("slow", 2.0), name=f"{mode}-slow"),
            asyncio.create_task(call("bad", 1.0, fail=True), name=f"{mode}-bad"),
            asyncio.create_task(call("fast", 0.5), name=f"{mode}-fast"),
        ]
        done, pending = await asyncio.wait(tasks, return_when=mode)
        log(f"{mode}: after {loop.time() - start:.1f} s done={names(done)} pending={names(pending)}")
        for t in pending:
            t.cancel()
        await asyncio.wait(tasks)
        for t in tasks:
            if not t.cancelled():
                t.exception()
    try:
        await asyncio.wait([])
    except ValueError as exc:
        log(f"empty wait: {exc!r}")


run(main)
