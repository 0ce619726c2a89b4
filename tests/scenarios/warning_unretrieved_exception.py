"""A failed task whose exception nobody reads is reported when it is destroyed."""
import asyncio
from looplab_twin import log, run


async def fails(what):
    await asyncio.sleep(0.5)
    log(f"{what} raises")
    raise ValueError(what)


async def main():
    asyncio.create_task(fails("forgotten"))
    kept = asyncio.create_task(fails("read"))
    await asyncio.sleep(1)
    log(f"reading the kept one: {kept.exception()!r}")
    del kept
    await asyncio.sleep(1)
    log("done")


run(main)
