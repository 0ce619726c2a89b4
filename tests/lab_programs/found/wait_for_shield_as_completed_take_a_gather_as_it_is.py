"""`wait_for`, `shield` and `as_completed` call `ensure_future` on what they are given, which
returns a future as it is (`futures.isfuture`): a gather is not wrapped in a task of its own.
So the tasks made after it keep their numbers, and `wait_for` cancels the gather itself when
it times out (the gather cancels its children; the TimeoutError is raised from the gather's
CancelledError, which is the one its last child raised)."""
import asyncio

from looplab_twin import log, run


async def job(n):
    try:
        await asyncio.sleep(n)
    except asyncio.CancelledError:
        log(f"job {n} cancelled")
        raise
    log(f"job {n} done")
    return n


async def ticker():
    for i in range(4):
        log(f"tick {i}")
        await asyncio.sleep(0)


async def main():
    tick = asyncio.create_task(ticker())
    log(f"wait_for: {await asyncio.wait_for(asyncio.gather(job(0), job(0)), timeout=1)}")
    await tick

    batch = asyncio.gather(job(1), job(2))
    try:
        await asyncio.wait_for(batch, timeout=1.5)
    except TimeoutError as e:
        cause = e.__cause__
        log(f"timed out: {e!r} from {cause!r}, the batch's: {cause is batch.exception()}")
    log(f"next task: {asyncio.create_task(job(0)).get_name()}")

    log(f"shield: {await asyncio.shield(asyncio.gather(job(0)))}")
    done = asyncio.gather(job(0))
    await asyncio.sleep(0.1)
    log(f"shield of a done gather is the gather: {asyncio.shield(done) is done}")

    for next_done in asyncio.as_completed([asyncio.gather(job(1)), job(0.5)]):
        log(f"as_completed: {await next_done}")
    log(f"next task: {asyncio.create_task(job(0)).get_name()}")
    await asyncio.sleep(0)


run(main)
