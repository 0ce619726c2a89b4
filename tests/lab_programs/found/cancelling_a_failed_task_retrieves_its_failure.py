"""Found while reading CPython 3.11 for conformance seed 411196: `Task.cancel()` and
`Future.cancel()` set `_log_traceback = False` before they look at the state, so cancelling a
task or future that has already failed (cancel() returns False) counts as retrieving its
failure: nothing is reported when it goes. `_GatheringFuture.cancel()` returns False at once
when the gather is done, without that, so a failed gather that is only cancelled is still
reported. The lab once reported all three."""
import asyncio
from looplab_twin import log, run


async def fail(what):
    raise ValueError(what)


async def main():
    t = asyncio.create_task(fail("task"))
    await asyncio.sleep(0.1)
    log(f"task cancel {t.cancel()}")
    del t

    f = asyncio.get_running_loop().create_future()
    f.set_exception(KeyError("future"))
    log(f"future cancel {f.cancel()}")
    del f

    g = asyncio.gather(fail("gather"))
    await asyncio.sleep(0.1)
    log(f"gather cancel {g.cancel()}")
    del g

    # A gather cancelled while its child's failure waits for the gather's callback: cancel()
    # finds no child to cancel (False); the callback then fails the gather with that failure,
    # which nobody retrieves: reported as the callback lets go of the gather, outside any task.
    child = asyncio.create_task(fail("child"))
    g = asyncio.gather(child)
    del child
    await asyncio.sleep(0)
    log(f"gather with a failed child cancel {g.cancel()}")
    del g
    await asyncio.sleep(0.1)
    log("end")


run(main)
