"""parallel-agents-streaming: events reach the consumer as they happen."""

import asyncio

from looplab_twin import log, params, run

P = params(fast=0.5, slow=1.5, events=3)


async def agent(name, step, queue):
    try:
        for i in range(P["events"]):
            await asyncio.sleep(step)
            log(f"{name} produces event {i}")
            await queue.put((name, i))
    finally:
        await queue.put(None)


async def main():
    loop = asyncio.get_running_loop()
    queue = asyncio.Queue()
    agents = [
        asyncio.create_task(agent("fast", P["fast"], queue)),
        asyncio.create_task(agent("slow", P["slow"], queue)),
    ]
    finished = 0
    first = None
    while finished < len(agents):
        item = await queue.get()
        if item is None:
            finished += 1
            continue
        if first is None:
            first = loop.time()
        name, i = item
        log(f"consumer receives {name} event {i}")
    buffered = P["events"] * max(P["fast"], P["slow"])
    log(f"first event after {first:.1f} s, against {buffered:.1f} s when buffered")


run(main)
