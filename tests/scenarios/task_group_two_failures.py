"""A task group cancels the rest when a child fails and reports both failures together."""
import asyncio
from looplab_twin import log, run


async def child(name, seconds, error=None):
    try:
        await asyncio.sleep(seconds)
    except asyncio.CancelledError:
        log(f"{name} cancelled")
        raise
    if error is not None:
        log(f"{name} raises")
        raise error
    log(f"{name} done")


async def main():
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(child("first", 1.0, ValueError("bad value")))
            tg.create_task(child("second", 1.0, TypeError("bad type")))
            tg.create_task(child("slow", 5.0))
            log("body waits")
            await asyncio.sleep(3)
            log("body never gets here")
    except* ValueError as group:
        log(f"except* ValueError: {[repr(e) for e in group.exceptions]}")
    except* TypeError as group:
        log(f"except* TypeError: {[repr(e) for e in group.exceptions]}")
    log("after the group")


run(main)
