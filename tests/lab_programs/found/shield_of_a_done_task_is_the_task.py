"""shield() of a task or future that is already done returns it itself (`if inner.done():
return inner`). So it asks the task nothing: a cancelled task still hands the CancelledError
its coroutine raised to the first who asks (here the await of the shield), and a bare one
after."""
import asyncio

from looplab_twin import log, run

raised = None


async def child():
    global raised
    try:
        await asyncio.sleep(1)
    except asyncio.CancelledError as e:
        raised = e
        raise


async def main():
    t = asyncio.create_task(child())
    await asyncio.sleep(0)
    t.cancel("stop")
    await asyncio.sleep(0)
    s = asyncio.shield(t)
    log(f"shield(t) is t: {s is t}")
    try:
        await s
    except asyncio.CancelledError as e:
        log(f"awaiting the shield: {e!r} the task's own: {e is raised}")
    try:
        t.result()
    except asyncio.CancelledError as e:
        log(f"then t.result(): {e!r}")
    v = asyncio.create_task(child())
    await asyncio.sleep(0)
    v.cancel("again")
    await asyncio.sleep(0)
    asyncio.shield(v)
    try:
        v.result()
    except asyncio.CancelledError as e:
        log(f"v.result() after an unawaited shield: {e!r} the task's own: {e is raised}")
    f = asyncio.get_running_loop().create_future()
    f.set_result(3)
    log(f"shield(done future) is it: {asyncio.shield(f) is f}, gives {await asyncio.shield(f)}")


run(main)
