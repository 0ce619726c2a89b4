"""Cancellation while waiting for a lock and while waiting on an empty queue."""
import asyncio
from looplab_twin import log, run


async def wants_lock(lock):
    try:
        async with lock:
            log("never gets the lock")
    except asyncio.CancelledError:
        log("cancelled in lock wait")
        raise


async def wants_item(queue):
    try:
        await queue.get()
    except asyncio.CancelledError:
        log("cancelled in queue get")
        raise


async def main():
    lock = asyncio.Lock()
    await lock.acquire()
    queue = asyncio.Queue()
    a = asyncio.create_task(wants_lock(lock))
    b = asyncio.create_task(wants_item(queue))
    await asyncio.sleep(1)
    a.cancel()
    b.cancel()
    await asyncio.wait([a, b])
    log(f"both cancelled: {a.cancelled()} {b.cancelled()}")
    queue.put_nowait("late item")
    log(f"queue still holds {queue.qsize()} item")
    lock.release()
    log(f"lock free again: {not lock.locked()}")


run(main)
