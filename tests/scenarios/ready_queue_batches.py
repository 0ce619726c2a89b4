"""A batch is what was ready when the iteration began; callbacks scheduled meanwhile wait."""
import asyncio
from looplab_twin import log, run


def callback(name, again):
    log(f"callback {name}")
    if again:
        asyncio.get_running_loop().call_soon(callback, name + "'", False)


async def main():
    loop = asyncio.get_running_loop()
    loop.call_soon(callback, "a", True)
    loop.call_soon(callback, "b", True)
    loop.call_soon(callback, "c", False)
    log("main: scheduled a, b, c")
    await asyncio.sleep(0)
    log("main: after one yield")
    await asyncio.sleep(0)
    log("main: after two yields")


run(main)
