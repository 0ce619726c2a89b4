"""Past 100 scheduled timers with more than half of them cancelled, an iteration drops the
cancelled ones and re-heapifies the rest (asyncio's _run_once); otherwise cancelled timers leave
only from the head. Which one happens decides the order in which timers with equal deadlines
fire. Four rounds, on and either side of both thresholds (each round's sleep is a timer too)."""
import asyncio
from looplab_twin import log, run


async def round_of(name, count, cancel):
    loop = asyncio.get_running_loop()
    handles = [loop.call_later(1.0 if i % 2 else 2.0, log, f"{name} {i}") for i in range(count)]
    cancelled = 0
    for i, handle in enumerate(handles):
        if cancel(i):
            handle.cancel()
            cancelled += 1
    log(f"{name}: {cancelled} of {count} timers cancelled")
    await asyncio.sleep(3)


async def main():
    await round_of("a", 150, lambda i: i % 3 != 0)
    await round_of("b", 99, lambda i: i < 60)
    await round_of("c", 101, lambda i: i % 2 == 0 and i < 102)
    await round_of("d", 101, lambda i: i % 2 == 1 or i == 100)


run(main)
