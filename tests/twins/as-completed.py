"""as-completed: results in the order they finish."""

import asyncio

from looplab_twin import log, params, run

P = params(first=2.0, second=1.0, third=0.5)


async def call(name, seconds):
    await asyncio.sleep(seconds)
    return name


async def main():
    tasks = [
        asyncio.create_task(call("first", P["first"])),
        asyncio.create_task(call("second", P["second"])),
        asyncio.create_task(call("third", P["third"])),
    ]
    for next_done in asyncio.as_completed(tasks):
        log(f"arrived: {await next_done}")


run(main)
