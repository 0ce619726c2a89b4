"""asyncio.timeout()'s Timeout has CPython 3.11's states, which its repr shows: created, active
(with its deadline, rounded to 3 places), expiring (the deadline fired inside the block),
expired, finished; reschedule() outside the active state and a second `async with` are
RuntimeErrors. The lab's repr was `<Timeout when=...>` in every state. (On the twin helper's
virtual clock, which starts at 0, as the deadlines are printed.)"""
import asyncio

from looplab_twin import run


async def main():
    loop = asyncio.get_running_loop()
    cm = asyncio.timeout(0.1)
    print(cm)
    try:
        cm.reschedule(1)
    except RuntimeError as e:
        print("reschedule before:", e)
    try:
        async with cm:
            print(cm)
            try:
                await asyncio.sleep(1)
            except asyncio.CancelledError:
                print("inside:", cm, cm.expired())
                raise
    except TimeoutError:
        print("after:", cm, cm.expired())
    try:
        cm.reschedule(None)
    except RuntimeError as e:
        print("reschedule after:", e)
    try:
        async with cm:
            pass
    except RuntimeError as e:
        print("again:", e)
    async with asyncio.timeout(None) as never:
        print(never)
        never.reschedule(loop.time() + 1.23456)
        print(never)
    print(never, never.expired())
    async with asyncio.timeout_at(loop.time() + 0.1) as swallowed:
        try:
            await asyncio.sleep(1)
        except asyncio.CancelledError:
            print("swallowed:", swallowed)
    print(swallowed, swallowed.expired())


run(main)
