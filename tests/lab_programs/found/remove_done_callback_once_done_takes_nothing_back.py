"""Once a future is done its callbacks are already scheduled: asyncio's `__schedule_callbacks`
hands each to `call_soon` and empties `_callbacks`, and `add_done_callback` on a done future
calls `call_soon` at once. So `remove_done_callback` on a done future, task or gather finds
nothing (it returns 0) and the callback still runs; before it is done, it takes back every
entry of the callback (returning how many) and none of them runs."""
import asyncio

from looplab_twin import log, run


def note(fut):
    log(f"callback ran for {type(fut).__name__}")


async def job():
    await asyncio.sleep(1)
    return "done"


async def main():
    loop = asyncio.get_running_loop()
    f = loop.create_future()
    f.add_done_callback(note)
    f.set_result(1)
    log(f"done future, removed {f.remove_done_callback(note)}")
    await asyncio.sleep(0)

    late = loop.create_future()
    late.set_result(2)
    late.add_done_callback(note)
    log(f"added when done, removed {late.remove_done_callback(note)}")
    await asyncio.sleep(0)

    t = asyncio.create_task(job())
    t.add_done_callback(note)
    t.add_done_callback(note)
    log(f"pending task, removed {t.remove_done_callback(note)}")
    t.add_done_callback(note)
    await asyncio.sleep(2)
    log(f"done task, removed {t.remove_done_callback(note)}")

    g = asyncio.gather(job())
    g.add_done_callback(note)
    await asyncio.sleep(1)
    log(f"gather done in this iteration: {g.done()}, removed {g.remove_done_callback(note)}")
    await asyncio.sleep(1)

    pending = loop.create_future()
    pending.add_done_callback(note)
    log(f"pending future, removed {pending.remove_done_callback(note)}")
    pending.set_result(3)
    await asyncio.sleep(0)
    log("end")


run(main)
