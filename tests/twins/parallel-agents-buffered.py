"""parallel-agents-buffered: agents run in parallel, but their events wait in a queue."""

import asyncio

from looplab_twin import log, params, run

P = params(fast=0.5, slow=1.5, events=3)


async def agent(name, step, queue):
    for i in range(P["events"]):
        await asyncio.sleep(step)
        log(f"{name} produces event {i}")
        await queue.put((name, i))


async def main():
    loop = asyncio.get_running_loop()
    queue = asyncio.Queue()
    async with asyncio.TaskGroup() as tg:
        tg.create_task(agent("fast", P["fast"], queue))
        tg.create_task(agent("slow", P["slow"], queue))
    log("the group is done only now; the consumer starts reading")
    first = None
    while not queue.empty():
        name, i = queue.get_nowait()
        if first is None:
            first = loop.time()
        log(f"consumer receives {name} event {i}")
    log(f"first event reached the consumer after {first:.1f} s")


run(main)
