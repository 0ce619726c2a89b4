"""Two cancel() calls on a waiting task in one iteration: one CancelledError, with the first
message (the future it waited on was cancelled with it; the second call finds it done)."""
import asyncio
from looplab_twin import log, run


async def main():
    fut = asyncio.get_running_loop().create_future()

    async def waiter():
        try:
            await fut
        except asyncio.CancelledError as e:
            log(f"caught CancelledError{e.args!r}")
            raise

    task = asyncio.create_task(waiter())
    await asyncio.sleep(0)
    log(f"cancel('first') returns {task.cancel('first')}, cancel('second') returns {task.cancel('second')}")
    try:
        await task
    except asyncio.CancelledError as e:
        log(f"main sees CancelledError{e.args!r}; cancelling() = {task.cancelling()}")


run(main)
