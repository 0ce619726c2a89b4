"""coroutine-objects: calling an async function only builds a coroutine object."""

import asyncio

from looplab_twin import log, params, run

P = params(delay=0.5)


async def fetch(url):
    log(f"fetching {url}")
    await asyncio.sleep(P["delay"])
    log(f"fetched {url}")
    return f"<page {url}>"


async def main():
    coro = fetch("a")
    log(f"fetch('a') returned a {type(coro).__name__} object; nothing ran yet")
    log(f"awaiting it runs it: {await coro}")
    forgotten = fetch("b")
    log("fetch('b') is called, and its coroutine dropped without an await")
    del forgotten
    task = asyncio.create_task(fetch("c"))
    log("create_task(fetch('c')) schedules it to run")
    log(f"the task gives {await task}")


run(main)
