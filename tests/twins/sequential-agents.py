"""sequential-agents: two agents' streams, one after the other, through an explicit loop."""

import asyncio

from looplab_twin import log, params, run

P = params(step=0.5)


async def agent(name, steps):
    for i in range(steps):
        await asyncio.sleep(P["step"])
        yield f"{name}: step {i}"


async def pipeline():
    # There is no `yield from` for async generators: re-yield each event by hand.
    for name, steps in (("researcher", 3), ("writer", 2)):
        async for event in agent(name, steps):
            yield event
        log(f"{name} finished")


async def main():
    async for event in pipeline():
        log(f"consumer: {event}")


run(main)
