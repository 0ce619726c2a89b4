"""sync-and-async: blocking work inline versus on a worker."""

import asyncio

from looplab_twin import block_for, log, params, run, run_in_worker

P = params(work=1.0, ticks=4)


def crunch():
    return 42


async def heartbeat(label):
    for i in range(P["ticks"]):
        log(f"{label} heartbeat {i}")
        await asyncio.sleep(0.25)


async def inline():
    log("inline: crunching on the loop")
    block_for(P["work"])
    log(f"inline: got {crunch()}")


async def offloaded():
    log("offloaded: handing the work to a worker")
    result = await run_in_worker(P["work"], crunch)
    log(f"offloaded: got {result}")


async def main():
    await asyncio.gather(asyncio.create_task(heartbeat("A")), asyncio.create_task(inline()))
    log("inline work held every task up; now the same work on a worker")
    await asyncio.gather(asyncio.create_task(heartbeat("B")), asyncio.create_task(offloaded()))


run(main)
