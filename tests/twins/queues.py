"""queues: producer and consumer with backpressure, and the other queue kinds."""

import asyncio

from looplab_twin import log, params, run

P = params(items=5, maxsize=2, work=1.0)


async def producer(queue):
    for i in range(P["items"]):
        log(f"producer puts {i} (queue holds {queue.qsize()})")
        await queue.put(i)
    log("producer done")


async def consumer(queue):
    while True:
        item = await queue.get()
        await asyncio.sleep(P["work"])
        log(f"consumer processed {item}")
        queue.task_done()


async def main():
    queue = asyncio.Queue(maxsize=P["maxsize"])
    worker = asyncio.create_task(consumer(queue))
    await producer(queue)
    await queue.join()
    log("join returned: every item was processed")
    worker.cancel()

    pq = asyncio.PriorityQueue()
    for item in [(2, "write report"), (0, "fix outage"), (1, "answer email")]:
        pq.put_nowait(item)
    log(f"priority order: {[pq.get_nowait()[1] for _ in range(3)]}")
    lifo = asyncio.LifoQueue()
    for item in ["first", "second", "third"]:
        lifo.put_nowait(item)
    log(f"LIFO order: {[lifo.get_nowait() for _ in range(3)]}")


run(main)
