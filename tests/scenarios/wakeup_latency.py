"""A task awaiting another resumes one iteration after it finishes; a chain adds one per link."""
import asyncio
from looplab_twin import log, run


async def first():
    await asyncio.sleep(1)
    log("A done")
    return "a"


async def waits_for(task, name):
    result = await task
    log(f"{name} sees {result}")
    return name


async def ticker():
    await asyncio.sleep(1)
    for i in range(5):
        log(f"tick {i}")
        await asyncio.sleep(0)


async def main():
    a = asyncio.create_task(first())
    tick = asyncio.create_task(ticker())
    b = asyncio.create_task(waits_for(a, "B"))
    c = asyncio.create_task(waits_for(b, "C"))
    await c
    await tick


run(main)
