"""A loop-level handler sees unretrieved exceptions; a failing done callback does not stop the loop."""
import asyncio
from looplab_twin import context_line, log, run


async def fails():
    await asyncio.sleep(0.5)
    raise KeyError("lost")


def bad_callback(task):
    log("callback runs, then raises")
    raise RuntimeError("callback failed")


async def main():
    loop = asyncio.get_running_loop()
    seen = []

    def handler(loop, context):
        seen.append(context["message"])
        log(f"handler: {context_line(context)}")

    loop.set_exception_handler(handler)
    asyncio.create_task(fails())
    await asyncio.sleep(1)
    task = asyncio.create_task(asyncio.sleep(0.5))
    task.add_done_callback(bad_callback)
    await task
    await asyncio.sleep(0.5)
    log(f"the loop goes on; the handler saw {len(seen)} reports")


run(main)
