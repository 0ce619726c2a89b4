"""Equal deadlines leave the heap in heapq's order, not in the order they were set."""
import asyncio
from looplab_twin import log, run


async def sleeper(i, seconds):
    await asyncio.sleep(seconds)
    log(f"sleeper {i} woke after {seconds:.1f} s")


async def main():
    tasks = [asyncio.create_task(sleeper(i, 1.0)) for i in range(12)]
    for task in tasks:
        await task
    log("mixed durations")
    durations = [1.0, 0.5, 1.0, 0.5, 1.0, 1.5, 0.5, 1.0, 1.5, 0.5]
    tasks = [asyncio.create_task(sleeper(i, d)) for i, d in enumerate(durations)]
    for task in tasks:
        await task


run(main)
