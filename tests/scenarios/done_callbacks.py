"""Done callbacks run one iteration after the task finishes, in the order they were added."""
import asyncio
from looplab_twin import log, run


async def job():
    await asyncio.sleep(1)
    log("job returns")
    return 7


async def failing():
    await asyncio.sleep(0.5)
    raise ValueError("boom")


def report(task):
    if task.exception() is not None:
        log(f"callback: {task.get_name()} failed with {task.exception()!r}")
    else:
        log(f"callback: {task.get_name()} returned {task.result()}")


async def main():
    task = asyncio.create_task(job(), name="job")
    bad = asyncio.create_task(failing(), name="failing")
    task.add_done_callback(report)
    bad.add_done_callback(report)
    task.add_done_callback(lambda t: log("second callback"))
    result = await task
    log(f"main got {result}")
    task.add_done_callback(lambda t: log("added after done"))
    await asyncio.sleep(0)
    log("main after one yield")
    try:
        await bad
    except ValueError as exc:
        log(f"main caught {exc!r}")


run(main)
