"""A coroutine object that is created and dropped never runs, and asyncio says so."""
import asyncio
from looplab_twin import log, run


async def fetch():
    log("fetch runs")
    await asyncio.sleep(1)


async def main():
    coro = fetch()
    log("created a coroutine object; nothing ran")
    del coro
    log("dropped it")
    await fetch()
    task = asyncio.create_task(fetch())
    task.cancel()
    await asyncio.sleep(0)
    log(f"a task cancelled before it started: cancelled={task.cancelled()}, no warning")


run(main)
