"""error-handling: where exceptions go."""

import asyncio

from looplab_twin import context_line, log, params, run

P = params(delay=0.5)


async def fails(what):
    await asyncio.sleep(P["delay"])
    raise ValueError(what)


def noisy_callback(task):
    log("done callback raises")
    raise RuntimeError("bug in a callback")


async def main():
    loop = asyncio.get_running_loop()
    loop.set_exception_handler(lambda loop, context: log(f"loop handler: {context_line(context)}"))
    task = asyncio.create_task(fails("awaited"))
    try:
        await task
    except ValueError as exc:
        log(f"the error surfaces where the task is awaited: {exc!r}")
    asyncio.create_task(fails("never awaited"))
    await asyncio.sleep(P["delay"] * 2)
    task = asyncio.create_task(asyncio.sleep(P["delay"]))
    task.add_done_callback(noisy_callback)
    await task
    await asyncio.sleep(P["delay"])
    log("the loop keeps running")


run(main)
