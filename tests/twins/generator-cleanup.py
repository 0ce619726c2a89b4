"""generator-cleanup: stopping early still runs the producer's cleanup, awaits included."""

import asyncio

from looplab_twin import log, params, run

P = params(chunks=6, stop_after=2)


async def chunks(n):
    log("producer opens the connection")
    try:
        for i in range(n):
            await asyncio.sleep(0.25)
            yield i
    finally:
        log("cleanup: closing the connection")
        await asyncio.sleep(0.5)
        log("cleanup: connection closed")


async def main():
    async for chunk in chunks(P["chunks"]):
        log(f"consumer got chunk {chunk}")
        if chunk == P["stop_after"]:
            log("consumer stops early")
            break
    log("consumer moved on")
    await asyncio.sleep(1)
    log("done")


run(main)
