"""A bounded queue stalls the producer when full; join waits for every task_done."""
import asyncio
from looplab_twin import log, run


async def producer(queue):
    for i in range(5):
        log(f"put {i} (size {queue.qsize()})")
        await queue.put(i)
    log("producer done")


async def consumer(queue):
    while True:
        item = await queue.get()
        await asyncio.sleep(1)
        log(f"processed {item}")
        queue.task_done()


async def main():
    queue = asyncio.Queue(maxsize=2)
    c = asyncio.create_task(consumer(queue))
    await producer(queue)
    await queue.join()
    log("join returned: every item processed")
    c.cancel()
    try:
        queue.put_nowait(1)
        queue.put_nowait(2)
        queue.put_nowait(3)
    except asyncio.QueueFull:
        log(f"QueueFull at size {queue.qsize()}")
    try:
        asyncio.Queue().get_nowait()
    except asyncio.QueueEmpty:
        log("QueueEmpty")


run(main)
