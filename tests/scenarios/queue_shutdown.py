# python: 3.13
"""CPython 3.13's Queue.shutdown: waiting getters and putters wake to QueueShutDown."""
import asyncio
from looplab_twin import log, run


async def getter(queue, name):
    try:
        while True:
            item = await queue.get()
            log(f"{name} got {item}")
            queue.task_done()
    except asyncio.QueueShutDown:
        log(f"{name} sees the queue shut down")


async def main():
    queue = asyncio.Queue(maxsize=1)
    getters = [asyncio.create_task(getter(queue, f"g{i}")) for i in range(2)]
    await queue.put("a")
    await asyncio.sleep(1)
    queue.shutdown()
    try:
        queue.put_nowait("late")
    except asyncio.QueueShutDown:
        log("put after shutdown fails")
    await asyncio.gather(*getters)
    full = asyncio.Queue()
    for item in "xyz":
        full.put_nowait(item)
    full.shutdown(immediate=True)
    log(f"immediate shutdown drops the items: size {full.qsize()}")
    await full.join()
    log("join returns: the dropped items count as done")


run(main)
