"""performance-patterns: per-item tasks, batches, and a bounded worker pool."""

import asyncio

from looplab_twin import log, params, run

P = params(items=1000, io=0.01, batch=100, workers=10)


async def handle(item):
    await asyncio.sleep(P["io"])


async def handle_batch(items):
    await asyncio.sleep(P["io"])


async def per_item(n):
    tasks = [asyncio.create_task(handle(i)) for i in range(n)]
    await asyncio.gather(*tasks)
    return len(tasks)


async def batched(n):
    size = P["batch"]
    tasks = [asyncio.create_task(handle_batch(range(s, min(s + size, n)))) for s in range(0, n, size)]
    await asyncio.gather(*tasks)
    return len(tasks)


async def pool(n):
    queue = asyncio.Queue()
    for i in range(n):
        queue.put_nowait(i)

    async def worker():
        while True:
            item = await queue.get()
            await handle(item)
            queue.task_done()

    workers = [asyncio.create_task(worker()) for _ in range(P["workers"])]
    await queue.join()
    for w in workers:
        w.cancel()
    await asyncio.wait(workers)
    return len(workers)


async def main():
    loop = asyncio.get_running_loop()
    for name, strategy in (("per-item tasks", per_item), ("batches", batched), ("worker pool", pool)):
        start = loop.time()
        tasks = await strategy(P["items"])
        log(f"{name}: {P['items']} items, {tasks} tasks, {loop.time() - start:.2f} s")


run(main)
