"""debugging: seeing inside a running program."""

import asyncio

from looplab_twin import await_graph, block_for, log, params, run, task_dump

P = params(block=0.2)


async def fetch(url):
    await asyncio.sleep(5)


async def crawler():
    await asyncio.gather(asyncio.create_task(fetch("a"), name="fetch-a"), asyncio.create_task(fetch("b"), name="fetch-b"))


async def reporter(task):
    await task


async def main():
    crawl = asyncio.create_task(crawler(), name="crawler")
    asyncio.create_task(reporter(crawl), name="reporter")
    await asyncio.sleep(1)
    log("task dump (asyncio ps):")
    for line in task_dump():
        log(f"  {line}")
    log("await graph (asyncio pstree):")
    for line in await_graph():
        log(f"  {line}")
    fetch("forgotten")
    log("a slow step, reported by debug mode:")
    block_for(P["block"])
    await asyncio.sleep(0)
    crawl.cancel()


run(main, debug=True)
