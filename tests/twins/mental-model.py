"""mental-model: why a single thread can overlap waiting."""

import asyncio

from looplab_twin import log, params, run

P = params(llm=2.0, db=0.5, api=1.0)


async def call(what, seconds):
    log(f"{what}: start, waits {seconds:.1f} s")
    await asyncio.sleep(seconds)
    log(f"{what}: done")


async def main():
    loop = asyncio.get_running_loop()

    log("one after another")
    start = loop.time()
    await call("LLM call", P["llm"])
    await call("DB query", P["db"])
    await call("API call", P["api"])
    log(f"one after another took {loop.time() - start:.1f} s")

    log("started together")
    start = loop.time()
    llm = asyncio.create_task(call("LLM call", P["llm"]))
    db = asyncio.create_task(call("DB query", P["db"]))
    api = asyncio.create_task(call("API call", P["api"]))
    await llm
    await db
    await api
    log(f"started together took {loop.time() - start:.1f} s")


run(main)
