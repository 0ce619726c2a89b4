"""Lock waiters wake in FIFO order; a cancelled waiter passes its turn on."""
import asyncio
from looplab_twin import log, run


async def worker(lock, name, hold):
    log(f"{name} wants the lock")
    try:
        async with lock:
            log(f"{name} has the lock")
            await asyncio.sleep(hold)
            log(f"{name} releases")
    except asyncio.CancelledError:
        log(f"{name} cancelled while waiting")
        raise


async def main():
    lock = asyncio.Lock()
    tasks = [asyncio.create_task(worker(lock, n, 1.0)) for n in ("a", "b", "c", "d")]
    await asyncio.sleep(0.5)
    tasks[1].cancel()
    await asyncio.sleep(0)
    log(f"locked: {lock.locked()}")
    await asyncio.wait(tasks)
    try:
        lock.release()
    except RuntimeError as exc:
        log(f"release of a free lock: {exc!r}")


run(main)
