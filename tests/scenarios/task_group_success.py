"""A task group's block ends only when every child has finished."""
import asyncio
from looplab_twin import log, run


async def child(name, seconds):
    await asyncio.sleep(seconds)
    log(f"{name} done")
    return name


async def main():
    async with asyncio.TaskGroup() as tg:
        a = tg.create_task(child("a", 1.0), name="a")
        b = tg.create_task(child("b", 2.0))
        log(f"children {a.get_name()} and {b.get_name()} created")
    log(f"block over: {a.result()}, {b.result()}")
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(child("c", 1.0))
            raise ValueError("body fails")
    except ExceptionGroup as group:
        log(f"body failure: {group!r}")


run(main)
