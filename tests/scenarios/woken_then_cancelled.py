"""A waiter woken (its turn given) and then cancelled before it runs passes its turn on: a
semaphore's permit to the next waiter, a queue's item to the next getter; a condition's
waiter takes the lock back before it raises CancelledError. Also the counters asyncio shows:
a semaphore's value and locked(), a queue's maxsize, acquire()'s True."""
import asyncio

from looplab_twin import log, run


async def main():
    sem = asyncio.Semaphore(1)

    async def contender(name, sem):
        try:
            await sem.acquire()
        except asyncio.CancelledError:
            log(f"{name} cancelled; value {sem._value}")
            raise
        log(f"{name} got the permit; value {sem._value}, locked {sem.locked()}")
        sem.release()

    log(f"acquire: {await sem.acquire()}; value {sem._value}, locked {sem.locked()}")
    b = asyncio.create_task(contender("b", sem))
    c = asyncio.create_task(contender("c", sem))
    await asyncio.sleep(0)
    sem.release()
    b.cancel()
    log(f"released and cancelled b; value {sem._value}, locked {sem.locked()}")
    await asyncio.gather(b, c, return_exceptions=True)
    log(f"semaphore after: value {sem._value}, locked {sem.locked()}")

    # A waiter cancelled before it was woken: a release skips it, and it no longer makes the
    # semaphore locked.
    sem = asyncio.Semaphore(1)
    await sem.acquire()
    d = asyncio.create_task(contender("d", sem))
    await asyncio.sleep(0)
    d.cancel()
    sem.release()
    log(f"cancelled d, then released; value {sem._value}, locked {sem.locked()}")
    await asyncio.gather(d, return_exceptions=True)

    # Two releases in a row for three waiters: each woken waiter passes the permit it releases.
    sem = asyncio.Semaphore(0)
    waiters = [asyncio.create_task(contender(name, sem)) for name in ("x", "y", "z")]
    await asyncio.sleep(0)
    sem.release()
    sem.release()
    log(f"released twice; value {sem._value}, locked {sem.locked()}")
    await asyncio.gather(*waiters)
    log(f"all three had it; value {sem._value}, locked {sem.locked()}")

    q = asyncio.Queue(maxsize=2)
    log(f"maxsize {q.maxsize}")

    async def getter(name):
        item = await q.get()
        log(f"{name} got {item}")

    g1 = asyncio.create_task(getter("g1"))
    g2 = asyncio.create_task(getter("g2"))
    await asyncio.sleep(0)
    q.put_nowait("first")
    g1.cancel()
    await asyncio.gather(g1, g2, return_exceptions=True)
    log(f"g1 cancelled: {g1.cancelled()}, queue size {q.qsize()}")

    cond = asyncio.Condition()

    async def waiter():
        async with cond:
            try:
                await cond.wait()
            except asyncio.CancelledError:
                log(f"waiter cancelled, holds the lock again: {cond.locked()}")
                raise

    w = asyncio.create_task(waiter())
    await asyncio.sleep(0)
    log(f"acquire: {await cond.acquire()}")
    cond.notify()
    w.cancel()
    cond.release()
    try:
        await w
    except asyncio.CancelledError:
        log(f"waiter ended cancelled; locked {cond.locked()}")


    # A waiter notified, then cancelled while it waits to take the lock back: it keeps trying,
    # and raises CancelledError only once it holds the lock.
    cond = asyncio.Condition()
    w = asyncio.create_task(waiter())
    await asyncio.sleep(0)
    await cond.acquire()
    cond.notify()
    await asyncio.sleep(0)
    w.cancel()
    await asyncio.sleep(0)
    log("main still holds the lock; releases it")
    cond.release()
    try:
        await w
    except asyncio.CancelledError:
        log(f"waiter ended cancelled; locked {cond.locked()}")


run(main)
