"""Event.set() wakes every waiter, all in the next iteration."""
import asyncio
from looplab_twin import log, run


async def waiter(event, name):
    log(f"{name} waits")
    await event.wait()
    log(f"{name} released")


async def main():
    event = asyncio.Event()
    tasks = [asyncio.create_task(waiter(event, f"w{i}")) for i in range(4)]
    await asyncio.sleep(1)
    log("setting the event")
    event.set()
    log(f"is_set: {event.is_set()}")
    await asyncio.gather(*tasks)
    log(f"wait on a set event returns at once: {await event.wait()}")
    event.clear()
    log(f"after clear: {event.is_set()}")


run(main)
