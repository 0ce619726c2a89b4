"""10 requests of 1 s through a semaphore of 3 finish in waves at 1, 2, 3, 4."""
import asyncio
from looplab_twin import log, run


async def request(sem, i):
    async with sem:
        await asyncio.sleep(1)
        log(f"request {i} done")


async def main():
    sem = asyncio.Semaphore(3)
    await asyncio.gather(*(asyncio.create_task(request(sem, i)) for i in range(10)))
    bounded = asyncio.BoundedSemaphore(1)
    await bounded.acquire()
    bounded.release()
    try:
        bounded.release()
    except ValueError as exc:
        log(f"bounded: {exc!r}")


run(main)
