"""Debug mode reports a step that holds the loop for longer than 0.1 s."""
import asyncio
from looplab_twin import block_for, log, run


async def blocking():
    log("computing without awaiting")
    block_for(0.25)
    log("done computing")
    await asyncio.sleep(0)
    block_for(0.05)
    log("a short step is not reported")


async def ticker():
    for i in range(3):
        log(f"tick {i}")
        await asyncio.sleep(0.1)


async def main():
    await asyncio.gather(asyncio.create_task(ticker()), asyncio.create_task(blocking()))


run(main, debug=True)
