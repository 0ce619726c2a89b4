"""Condition: notify(1) wakes exactly one waiter, first come first served; notify_all the rest."""
import asyncio
from looplab_twin import log, run


async def consumer(cond, name, items):
    async with cond:
        log(f"{name} waits")
        await cond.wait_for(lambda: items)
        item = items.pop(0)
        log(f"{name} got {item}")


async def main():
    cond = asyncio.Condition()
    items = []
    tasks = [asyncio.create_task(consumer(cond, f"c{i}", items)) for i in range(3)]
    await asyncio.sleep(1)
    async with cond:
        items.append("first")
        cond.notify(1)
        log("notified one")
    await asyncio.sleep(1)
    async with cond:
        items.extend(["second", "third"])
        cond.notify_all()
        log("notified all")
    await asyncio.gather(*tasks)
    try:
        cond.notify()
    except RuntimeError as exc:
        log(f"notify without the lock: {exc!r}")


run(main)
