# python: 3.12
"""CPython 3.12's eager task factory: a task's first step runs inside create_task."""
import asyncio
from looplab_twin import log, run


async def quick(name):
    log(f"{name} runs at once")
    return name


async def slow(name):
    log(f"{name} starts at once")
    await asyncio.sleep(1)
    log(f"{name} resumes later")
    return name


async def main():
    asyncio.get_running_loop().set_task_factory(asyncio.eager_task_factory)
    log("before create_task")
    q = asyncio.create_task(quick("quick"))
    log(f"after create_task: quick done={q.done()}")
    s = asyncio.create_task(slow("slow"))
    log(f"after create_task: slow done={s.done()}")
    log(f"results {await q} {await s}")


run(main)
