# python: 3.12
"""An eager child cancels its parent while the parent's step is still running: the parent gets
the cancellation at the await its step ends in, passed on to what it awaits there."""
import asyncio
from looplab_twin import iteration, log, run


async def main():
    asyncio.get_running_loop().set_task_factory(asyncio.eager_task_factory)
    parent = asyncio.current_task()

    async def child():
        log(f"child cancels its parent: {parent.cancel('by the child')}")

    asyncio.create_task(child())
    log(f"after create_task: cancelling() = {parent.cancelling()}, iteration {iteration()}")
    try:
        await asyncio.sleep(1)
        log("slept")
    except asyncio.CancelledError as e:
        log(f"caught CancelledError{e.args!r} in iteration {iteration()}; uncancel() = {parent.uncancel()}")
    await asyncio.sleep(0.5)
    log("main goes on")


run(main)
