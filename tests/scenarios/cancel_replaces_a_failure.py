"""A task whose future failed, cancelled before its step runs: the cancellation replaces the
failure (asyncio's __step(exc) under _must_cancel keeps only a CancelledError it was given)."""
import asyncio
from looplab_twin import log, run


async def main():
    fut = asyncio.get_running_loop().create_future()

    async def waiter():
        try:
            await fut
        except asyncio.CancelledError as e:
            log(f"waiter sees CancelledError{e.args!r}")
            raise
        except ValueError as e:
            log(f"waiter sees {e!r}")

    task = asyncio.create_task(waiter())
    await asyncio.sleep(0)
    fut.set_exception(ValueError("the future failed"))
    log(f"cancel('after the failure') returns {task.cancel('after the failure')}")
    try:
        await task
    except asyncio.CancelledError:
        log(f"the task ends cancelled: {task.cancelled()}")
    log(f"the future's failure is kept: {fut.exception()!r}")


run(main)
