"""sequential-vs-concurrent: await vs create_task."""

import asyncio

from looplab_twin import log, params, run

P = params(a=2.0, b=1.0, c=1.5)


async def work(name, seconds):
    log(f"{name}: start, needs {seconds:.1f} s")
    await asyncio.sleep(seconds)
    log(f"{name}: done")
    return name


async def main():
    loop = asyncio.get_running_loop()

    log("sequential: await each in turn")
    start = loop.time()
    await work("A", P["a"])
    await work("B", P["b"])
    await work("C", P["c"])
    log(f"sequential total {loop.time() - start:.1f} s")

    log("concurrent: create_task for each, then await them")
    start = loop.time()
    a = asyncio.create_task(work("A", P["a"]), name="A")
    b = asyncio.create_task(work("B", P["b"]), name="B")
    c = asyncio.create_task(work("C", P["c"]), name="C")
    for task in (a, b, c):
        await task
    log(f"concurrent total {loop.time() - start:.1f} s")


run(main)
