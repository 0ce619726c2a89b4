"""What `gather` returns is a future (`_GatheringFuture`, a subclass of `Future`): a program may
hold it without awaiting it and still ask it `done()`, `result()`, `exception()`,
`cancelled()`, give it done callbacks, take one back, await it from several tasks and again once
it is done (each gets the same list, or the same exception), and print it. Its outcome is given
by `outer.set_result(...)` or `outer.set_exception(...)` only (tasks.py, `_done_callback`), so
it is never `cancelled()`: a cancelled gather is finished with a CancelledError as its
exception. `gather()` of nothing is a plain future done with `[]`; `ensure_future` of a gather
is the gather."""
import asyncio

from looplab_twin import log, run


async def boom(n):
    await asyncio.sleep(n)
    raise ValueError(f"boom after {n}")


async def waiter(name, gathering, seen):
    try:
        log(f"{name} got {await gathering}")
    except ValueError as e:
        log(f"{name} raised {e!r}, the same object: {e is seen[0]}")


async def main():
    g = asyncio.gather(asyncio.sleep(0.1, "x"), asyncio.sleep(0.2, "y"))
    log(f"{g!r} done={g.done()} cancelled={g.cancelled()}")
    for ask in (g.result, g.exception):
        try:
            ask()
        except asyncio.InvalidStateError as e:
            log(f"{ask.__name__}() raised {e!r}")

    def report(fut):
        log(f"callback: {fut!r}")

    g.add_done_callback(report)
    g.add_done_callback(lambda fut: log("second callback"))
    log(f"removed {g.remove_done_callback(report)}")
    g.add_done_callback(report)
    await asyncio.sleep(1)
    log(f"{g!r} done={g.done()} exception={g.exception()!r} result={g.result()}")
    first = await g
    log(f"awaited {first}, again the same list: {(await g) is first is g.result()}")
    log(f"its loop: {g.get_loop() is asyncio.get_running_loop()}")
    log(f"ensure_future keeps it: {asyncio.ensure_future(g) is g}")

    seen = []
    h = asyncio.gather(boom(0.5), asyncio.sleep(1, "late"))
    h.add_done_callback(lambda fut: seen.append(fut.exception()))
    waiters = [asyncio.create_task(waiter(f"w{i}", h, seen)) for i in range(2)]
    await asyncio.sleep(2)
    await asyncio.gather(*waiters)
    try:
        h.result()
    except ValueError as e:
        log(f"result() raised {e!r}, the same object: {e is seen[0]}")

    k = asyncio.gather(asyncio.sleep(5), return_exceptions=True)
    await asyncio.sleep(0)
    log(f"cancel: {k.cancel('enough')}")
    await asyncio.sleep(0.1)
    log(f"{k!r} cancelled={k.cancelled()} exception={k.exception()!r}")

    empty = asyncio.gather()
    log(f"{empty!r} {type(empty).__name__} {empty.result()}")


run(main)
