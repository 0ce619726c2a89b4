"""Stopping an async generator early: its cleanup still runs, awaits included, in a new task."""
import asyncio
from looplab_twin import log, run


async def pages(n):
    try:
        for i in range(n):
            await asyncio.sleep(0.5)
            log(f"fetched page {i}")
            yield i
    finally:
        log("closing the connection")
        await asyncio.sleep(0.25)
        log("connection closed")


async def main():
    async for page in pages(5):
        log(f"consumer got page {page}")
        if page == 2:
            break
    log("consumer stopped early")
    await asyncio.sleep(1)
    gen = pages(3)
    log(f"explicit: got {await anext(gen)}")
    await gen.aclose()
    log("explicit aclose done")
    async for page in pages(2):
        log(f"to the end: {page}")
    log("exhausted")


run(main)
