"""blocking-the-loop: a step that never awaits stalls every other task."""

import asyncio

from looplab_twin import block_for, log, params, run

P = params(block=0.5, ticks=5)


async def heartbeat():
    for i in range(P["ticks"]):
        log(f"heartbeat {i}")
        await asyncio.sleep(0.1)


async def cruncher():
    await asyncio.sleep(0.15)
    log("crunching numbers without awaiting")
    block_for(P["block"])
    log("done crunching")


async def main():
    await asyncio.gather(asyncio.create_task(heartbeat(), name="heartbeat"), asyncio.create_task(cruncher(), name="cruncher"))


run(main, debug=True)
