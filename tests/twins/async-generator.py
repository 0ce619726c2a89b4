"""async-generator: a producer that awaits between the items it yields."""

import asyncio

from looplab_twin import log, params, run

P = params(pages=4, fetch=0.5, process=0.25)


async def pages(n):
    for i in range(n):
        log(f"producer fetches page {i}")
        await asyncio.sleep(P["fetch"])
        log(f"producer yields page {i}")
        yield f"page-{i}"
    log("producer is exhausted")


async def main():
    async for page in pages(P["pages"]):
        log(f"consumer got {page}, processing")
        await asyncio.sleep(P["process"])
    log("consumer done")


run(main)
