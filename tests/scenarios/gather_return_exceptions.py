"""With return_exceptions the failures sit in the result list at their index."""
import asyncio
from looplab_twin import log, run


async def call(name, seconds, fail=False):
    await asyncio.sleep(seconds)
    if fail:
        raise KeyError(name)
    return name


async def main():
    tasks = [
        asyncio.create_task(call("a", 1.0)),
        asyncio.create_task(call("b", 0.5, fail=True)),
        asyncio.create_task(call("c", 0.2)),
    ]
    tasks[2].cancel()
    results = await asyncio.gather(*tasks, return_exceptions=True)
    log(f"results: {[repr(r) for r in results]}")


run(main)
