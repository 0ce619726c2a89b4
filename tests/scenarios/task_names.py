"""Unnamed tasks count Task-2, Task-3, ...; in 3.11 a named task uses up a number too."""
import asyncio
from looplab_twin import log, run


async def noop():
    return None


async def who():
    log("inside the task")


async def main():
    a = asyncio.create_task(noop())
    b = asyncio.create_task(noop(), name="llm-call-1")
    c = asyncio.create_task(noop())
    log(f"{a.get_name()} {b.get_name()} {c.get_name()}")
    c.set_name("renamed")
    log(f"after set_name: {c.get_name()}")
    await a
    await b
    await c
    await asyncio.create_task(who())


run(main)
