"""A task group's failures take priority over a cancellation of its task: a child that catches
the group's cancellation and then fails turns the cancellation into an ExceptionGroup (found by
the property tests)."""
import asyncio
from looplab_twin import log, run


async def child():
    try:
        await asyncio.sleep(1)
    except asyncio.CancelledError:
        log(f"child caught the cancellation; uncancel() = {asyncio.current_task().uncancel()}")
    raise ValueError("after the cancellation")


async def worker():
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(child())
    except asyncio.CancelledError:
        log("worker sees CancelledError")
        raise
    except Exception as e:
        log(f"worker sees {e!r} instead")
    return "worker returned"


async def main():
    task = asyncio.create_task(worker())
    await asyncio.sleep(0)
    log(f"cancel('stop') returns {task.cancel('stop')}")
    log(f"{await task}; cancelled() = {task.cancelled()}, cancelling() = {task.cancelling()}")


run(main)
