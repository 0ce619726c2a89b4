"""current_task, all_tasks, a dump of every task's state, and the await graph."""
import asyncio
from looplab_twin import await_graph, log, run, task_dump


async def leaf(seconds):
    await asyncio.sleep(seconds)


async def middle():
    await asyncio.gather(asyncio.create_task(leaf(5), name="leaf-a"), asyncio.create_task(leaf(5), name="leaf-b"))


async def waits_on(task):
    await task


async def newcomer():
    log("newcomer runs")


async def main():
    mid = asyncio.create_task(middle(), name="middle")
    asyncio.create_task(waits_on(mid), name="watcher")
    await asyncio.sleep(1)
    asyncio.create_task(newcomer(), name="newcomer")
    log(f"current task: {asyncio.current_task().get_name()}, {len(asyncio.all_tasks())} tasks")
    for line in task_dump():
        log(f"ps  {line}")
    for line in await_graph():
        log(f"tree {line}")


run(main)
