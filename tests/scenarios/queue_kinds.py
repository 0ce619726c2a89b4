"""Priority and LIFO queues give items in their own order; many getters wake FIFO."""
import asyncio
from looplab_twin import log, run


async def getter(queue, name):
    item = await queue.get()
    log(f"{name} got {item}")


async def main():
    pq = asyncio.PriorityQueue()
    for item in [(3, "low"), (1, "urgent"), (2, "normal"), (1, "also urgent")]:
        pq.put_nowait(item)
    log(f"priority: {[pq.get_nowait() for _ in range(4)]}")
    lifo = asyncio.LifoQueue()
    for item in ["a", "b", "c"]:
        lifo.put_nowait(item)
    log(f"lifo: {[lifo.get_nowait() for _ in range(3)]}")
    q = asyncio.Queue()
    getters = [asyncio.create_task(getter(q, f"g{i}")) for i in range(3)]
    await asyncio.sleep(0)
    for item in ["x", "y", "z"]:
        q.put_nowait(item)
    await asyncio.gather(*getters)


run(main)
