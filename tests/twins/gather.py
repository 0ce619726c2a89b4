"""gather: results come back in argument order, whatever order the work finishes in."""

import asyncio

from looplab_twin import log, params, run

P = params(first=2.0, second=1.0, third=0.5)


async def call(name, seconds):
    log(f"{name} starts ({seconds:.1f} s)")
    await asyncio.sleep(seconds)
    log(f"{name} finishes")
    return name


async def main():
    loop = asyncio.get_running_loop()
    results = await asyncio.gather(
        asyncio.create_task(call("first", P["first"])),
        asyncio.create_task(call("second", P["second"])),
        asyncio.create_task(call("third", P["third"])),
    )
    log(f"gather returns {results} after {loop.time():.1f} s")


run(main)
