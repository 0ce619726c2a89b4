"""mental-model: why a single thread can overlap waiting."""

import asyncio

from looplab_twin import log, run


async def call(what, seconds):
    log(f"{what}: start, waits {seconds:.1f} s")
    await asyncio.sleep(seconds)
    log(f"{what}: done")


async def main():
    loop = asyncio.get_running_loop()

    log("one after another")
    start = loop.time()
    await call("LLM call", 2.0)
    await call("DB query", 0.5)
    await call("API call", 1.0)
    log(f"one after another took {loop.time() - start:.1f} s")

    log("started together")
    start = loop.time()
    llm = asyncio.create_task(call("LLM call", 2.0))
    db = asyncio.create_task(call("DB query", 0.5))
    api = asyncio.create_task(call("API call", 1.0))
    await llm
    await db
    await api
    log(f"started together took {loop.time() - start:.1f} s")


run(main)
