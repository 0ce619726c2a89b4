"""cancellation: how cancel() travels."""

import asyncio

from looplab_twin import log, params, run

P = params(after=1.0, cleanup=0.5)


async def worker():
    log("worker starts a long wait")
    try:
        await asyncio.sleep(10)
    except asyncio.CancelledError:
        log("worker: CancelledError arrived at the await; cleaning up")
        await asyncio.sleep(P["cleanup"])
        log("worker: cleanup done, re-raising")
        raise


async def save():
    await asyncio.sleep(2)
    log("save finished")
    return "saved"


async def careless():
    try:
        await asyncio.sleep(10)
    except asyncio.CancelledError:
        log("careless: swallowed the cancellation (the mistake)")
    await asyncio.sleep(1)
    log("careless: still running after being cancelled")
    return "should have stopped"


async def main():
    task = asyncio.create_task(worker())
    await asyncio.sleep(P["after"])
    log("main: cancel() the worker")
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        log(f"main: the worker is cancelled: {task.cancelled()}")

    inner = asyncio.create_task(save())
    try:
        await asyncio.wait_for(asyncio.shield(inner), timeout=1.0)
    except TimeoutError:
        log("main: the waiter gave up; the shielded save goes on")
    log(f"main: {await inner}")

    task = asyncio.create_task(careless())
    await asyncio.sleep(0.5)
    task.cancel()
    result = await task
    log(f"main: got {result!r}, cancelled() = {task.cancelled()}")


run(main)
