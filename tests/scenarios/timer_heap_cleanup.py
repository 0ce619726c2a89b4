"""More than 100 timers, more than half of them cancelled: the next iteration drops the
cancelled ones and re-heapifies the rest (asyncio's _run_once), which decides the order in
which timers with equal deadlines fire."""
import asyncio
from looplab_twin import log, run


async def main():
    loop = asyncio.get_running_loop()
    handles = []
    for i in range(150):
        handles.append(loop.call_later(1.0 if i % 2 else 2.0, log, f"timer {i}"))
    for i, handle in enumerate(handles):
        if i % 3 != 0:
            handle.cancel()
    log("100 of 150 timers cancelled")
    await asyncio.sleep(3)


run(main)
