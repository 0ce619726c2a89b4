"""A task left pending on a loop closed without asyncio.run's shutdown is destroyed pending."""
import asyncio
from looplab_twin import log, new_loop


async def background():
    log("background starts")
    await asyncio.sleep(10)
    log("never printed")


async def main():
    asyncio.create_task(background())
    await asyncio.sleep(1)
    log("main returns, background still pending")


loop = new_loop()
loop.run_until_complete(main())
loop.close()
