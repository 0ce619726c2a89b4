"""A task whose future is done but whose step has not run yet (woken): a dump still names the
future (asyncio clears _fut_waiter in __step), and cancel() cannot pass on to the finished
future, so the cancellation is thrown in when the step runs."""
import asyncio
from looplab_twin import log, run, task_dump


async def main():
    fut = asyncio.get_running_loop().create_future()

    async def waiter():
        value = await fut
        log(f"waiter resumes with {value}")

    task = asyncio.create_task(waiter(), name="waiter")
    await asyncio.sleep(0)
    fut.set_result(1)
    for line in task_dump():
        log(f"ps {line}")
    log(f"cancel('late') returns {task.cancel('late')}")
    try:
        await task
    except asyncio.CancelledError as e:
        log(f"waiter cancelled: {e.args!r}")


run(main)
