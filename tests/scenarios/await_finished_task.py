"""Awaiting a task that is already done returns at once, without yielding."""
import asyncio
from looplab_twin import log, run


async def quick():
    log("quick runs")
    return 42


async def ticker():
    for i in range(4):
        log(f"tick {i}")
        await asyncio.sleep(0)


async def main():
    task = asyncio.create_task(quick())
    tick = asyncio.create_task(ticker())
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    log("awaiting a finished task")
    result = await task
    log(f"got {result} without yielding")
    await tick


run(main)
