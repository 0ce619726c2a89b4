"""async-comprehension: collecting and filtering streams, and a lazy one."""

import asyncio

from looplab_twin import log, params, run

P = params(count=7)


async def events(n):
    for i in range(n):
        await asyncio.sleep(0.25)
        yield ("error" if i % 3 == 2 else "info", i)


async def main():
    everything = [event async for event in events(P["count"])]
    log(f"collected {len(everything)} events")
    errors = [i async for kind, i in events(P["count"]) if kind == "error"]
    log(f"errors at {errors}")
    lazy = (i * 10 async for _, i in events(3))
    log("a lazy stream is made: nothing has run yet")
    await asyncio.sleep(1)
    log(f"asked for a first value: {await anext(lazy)}")
    await lazy.aclose()
    log("closed after one value")


run(main)
