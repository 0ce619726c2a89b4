# features: lock queue semaphore sleep timeout
"""Random asyncio program 7 (tests/lab_programs/generate.py)."""
import asyncio

from looplab_twin import log, run


async def consumer(who, n):
    for _ in range(n):
        item = await Q.get()
        Q.task_done()
        log(f"{who} got {item}")
    return n

async def main():
    global Q, LOCK, EVENT, SEM
    Q = asyncio.Queue(maxsize=1)
    LOCK = asyncio.Lock()
    EVENT = asyncio.Event()
    SEM = asyncio.Semaphore(1)
    try:
        async with asyncio.timeout(60):
            async with SEM:
                log("main in the semaphore")
                await asyncio.sleep(0.5)
            try:
                async with asyncio.timeout(0.1):
                    q1 = asyncio.create_task(consumer("main/q1", 1))
                    for i in range(1):
                        await Q.put(f"main-{i}")
                        log(f"main put {i}, size {Q.qsize()}")
                    try:
                        r = await q1
                        log(f"main/q1 got {r!r}")
                    except asyncio.CancelledError:
                        log("main/q1 was cancelled")
                    except Exception as e:
                        log(f"main/q1 failed {e!r}")
            except TimeoutError:
                log("main timed out")
            async with LOCK:
                log("main holds the lock")
                await asyncio.sleep(0.1)
            log("main released the lock")
            await asyncio.sleep(0.5)
            log("main slept")
    except TimeoutError:
        log("main: the run took too long")
    log("main done")


run(main)
