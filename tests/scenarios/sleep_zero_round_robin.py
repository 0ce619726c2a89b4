"""sleep(0) yields for exactly one iteration: tasks take turns."""
import asyncio
from looplab_twin import log, run


async def worker(name, turns):
    for i in range(turns):
        log(f"{name} turn {i}")
        await asyncio.sleep(0)
    log(f"{name} finished")


async def main():
    tasks = [asyncio.create_task(worker(n, t)) for n, t in (("x", 3), ("y", 1), ("z", 2))]
    for task in tasks:
        await task


run(main)
