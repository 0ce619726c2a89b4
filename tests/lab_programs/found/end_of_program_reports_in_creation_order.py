"""Tasks whose failures nobody retrieved and that a global list keeps alive are reported when
the program ends, by CPython's last garbage collection: in the order they were made, not the
order they failed in."""
import asyncio

from looplab_twin import log, run

KEPT = []


async def fail_after(n, delay):
    await asyncio.sleep(delay)
    log(f"task {n} fails")
    raise ValueError(f"task {n} failed")


async def main():
    for n, delay in enumerate([0.3, 0.1, 0.2]):
        KEPT.append(asyncio.create_task(fail_after(n, delay)))
    await asyncio.sleep(0.5)
    log("main returns")


run(main)
