"""wait with a timeout returns at the timeout with the unfinished ones pending, not cancelled."""
import asyncio
from looplab_twin import log, run


async def call(seconds):
    await asyncio.sleep(seconds)
    return seconds


async def main():
    tasks = [asyncio.create_task(call(s), name=f"t{s}") for s in (0.5, 1.5, 3.0)]
    done, pending = await asyncio.wait(tasks, timeout=1.0)
    log(f"timeout: done={sorted(t.get_name() for t in done)} pending={sorted(t.get_name() for t in pending)}")
    log(f"pending cancelled? {[t.cancelled() for t in pending]}")
    done, pending = await asyncio.wait(tasks, timeout=10.0, return_when=asyncio.FIRST_COMPLETED)
    log(f"first completed: done={sorted(t.get_name() for t in done)} pending={len(pending)}")
    done, pending = await asyncio.wait(tasks, timeout=10.0)
    log(f"all: {len(done)} done at well before the timeout")


run(main)
