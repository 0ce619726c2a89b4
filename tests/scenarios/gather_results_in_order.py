"""gather returns results in argument order; the awaiter resumes two iterations after the last child."""
import asyncio
from looplab_twin import log, run


async def call(name, seconds):
    await asyncio.sleep(seconds)
    log(f"{name} done")
    return name


async def ticker():
    await asyncio.sleep(2)
    for i in range(4):
        log(f"tick {i}")
        await asyncio.sleep(0)


async def main():
    tick = asyncio.create_task(ticker())
    tasks = [asyncio.create_task(call(n, s)) for n, s in (("slow", 2.0), ("mid", 1.0), ("fast", 0.5))]
    results = await asyncio.gather(*tasks)
    log(f"gather returned {results}")
    log(f"empty gather returns {await asyncio.gather()}")
    await tick


run(main)
