"""locks-and-events: Lock, Event and Condition."""

import asyncio

from looplab_twin import iteration, log, params, run

P = params(waiters=3, hold=0.5)


async def locker(lock, i):
    log(f"worker {i} waits for the lock")
    async with lock:
        log(f"worker {i} holds the lock")
        await asyncio.sleep(P["hold"])


async def event_waiter(event, i):
    await event.wait()
    log(f"event waiter {i} released in iteration {iteration()}")


async def condition_waiter(cond, i):
    async with cond:
        await cond.wait()
        log(f"condition waiter {i} woken")


async def main():
    n = P["waiters"]
    lock = asyncio.Lock()
    await asyncio.gather(*(asyncio.create_task(locker(lock, i)) for i in range(n)))
    log("Lock: the waiters got it first come, first served")

    event = asyncio.Event()
    waiters = [asyncio.create_task(event_waiter(event, i)) for i in range(n)]
    await asyncio.sleep(0.5)
    log(f"Event: set in iteration {iteration()}")
    event.set()
    await asyncio.gather(*waiters)

    cond = asyncio.Condition()
    waiters = [asyncio.create_task(condition_waiter(cond, i)) for i in range(n)]
    await asyncio.sleep(0.5)
    async with cond:
        log("Condition: notify(1)")
        cond.notify(1)
    await asyncio.sleep(0.5)
    log(f"Condition: {sum(not t.done() for t in waiters)} still waiting; notify_all()")
    async with cond:
        cond.notify_all()
    await asyncio.gather(*waiters)


run(main)
