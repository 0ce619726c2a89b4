"""shield: the waiter is cancelled, the shielded operation finishes."""
import asyncio
from looplab_twin import log, run


async def save():
    await asyncio.sleep(2)
    log("save finished")
    return "saved"


async def waiter(inner):
    try:
        result = await asyncio.shield(inner)
        log(f"waiter got {result}")
    except asyncio.CancelledError:
        log("waiter cancelled; the save goes on")
        raise


async def main():
    inner = asyncio.create_task(save())
    w = asyncio.create_task(waiter(inner))
    await asyncio.sleep(1)
    w.cancel()
    try:
        await w
    except asyncio.CancelledError:
        log(f"inner cancelled? {inner.cancelled()}")
    log(f"inner result: {await inner}")


run(main)
