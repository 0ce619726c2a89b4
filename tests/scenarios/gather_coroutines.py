"""gather, shield and wait_for take coroutines and spawn them as tasks, in argument order;
gather gathers children of different result types; wait_for without a timeout awaits a coroutine
in the calling task."""
import asyncio
from looplab_twin import log, run


async def number(n, seconds):
    await asyncio.sleep(seconds)
    log(f"number {n}")
    return n


async def text(seconds):
    await asyncio.sleep(seconds)
    log("text")
    return "two"


async def fail(seconds):
    await asyncio.sleep(seconds)
    raise ValueError("bad")


async def ticker():
    await asyncio.sleep(2)
    for i in range(4):
        log(f"tick {i}")
        await asyncio.sleep(0)


async def main():
    tick = asyncio.create_task(ticker())
    n, s = await asyncio.gather(number(1, 1.0), text(2.0))
    log(f"gather returned {n} {s!r}")
    await tick
    numbers = await asyncio.gather(*[number(3, 0.5), number(4, 0.2)])
    log(f"gather of coroutines returned {numbers}")
    tick = asyncio.create_task(ticker())
    task = asyncio.create_task(number(5, 1.0))
    t, s, u = await asyncio.gather(task, text(2.0), asyncio.sleep(1.5))
    log(f"a task, a coroutine and a sleep gave {t} {s!r} {u!r}")
    await tick
    log(f"shield gave {await asyncio.shield(number(6, 1.0))}")
    log(f"wait_for without a timeout gave {await asyncio.wait_for(number(7, 1.0), None)}")
    try:
        other = await asyncio.wait_for(number(8, 3.0), 1.0)
        log(f"wait_for gave {other}")
    except TimeoutError:
        log("wait_for timed out")
    n, e = await asyncio.gather(number(9, 0.5), fail(0.2), return_exceptions=True)
    log(f"settled: {n!r} {e!r}")
    try:
        await asyncio.gather(number(10, 1.0), fail(0.5))
        log("gather! succeeded")
    except ValueError as e:
        log(f"gather! failed with {e!r}")
    await asyncio.sleep(1)


run(main)
