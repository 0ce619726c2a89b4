"""sequential-vs-concurrent: await vs create_task."""

import asyncio

from looplab_twin import log, run


async def work(name, seconds):
    log(f"{name}: start, needs {seconds:.1f} s")
    await asyncio.sleep(seconds)
    log(f"{name}: done")
    return name


async def main():
    loop = asyncio.get_running_loop()

    log("sequential: await each in turn")
    start = loop.time()
    await work("A", 2.0)
    await work("B", 1.0)
    await work("C", 1.5)
    log(f"sequential total {loop.time() - start:.1f} s")

    log("concurrent: create_task for each, then await them")
    start = loop.time()
    a = asyncio.create_task(work("A", 2.0), name="A")
    b = asyncio.create_task(work("B", 1.0), name="B")
    c = asyncio.create_task(work("C", 1.5), name="C")
    for task in (a, b, c):
        await task
    log(f"concurrent total {loop.time() - start:.1f} s")


run(main)
