"""Without return_exceptions the first failure reaches the awaiter at once; siblings run on."""
import asyncio
from looplab_twin import log, run


async def call(name, seconds, fail=False):
    await asyncio.sleep(seconds)
    if fail:
        log(f"{name} raises")
        raise ValueError(f"{name} failed")
    log(f"{name} done")
    return name


async def main():
    tasks = [
        asyncio.create_task(call("a", 2.0)),
        asyncio.create_task(call("b", 0.5, fail=True)),
        asyncio.create_task(call("c", 1.0)),
    ]
    try:
        await asyncio.gather(*tasks)
    except ValueError as exc:
        log(f"gather raised {exc!r}")
    log(f"still running: {[t.get_name() for t in tasks if not t.done()]}")
    await asyncio.sleep(3)
    log(f"later: a done={tasks[0].done()}, c done={tasks[2].done()}")


run(main)
