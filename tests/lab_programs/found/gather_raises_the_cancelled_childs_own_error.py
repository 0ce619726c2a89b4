"""gather without return_exceptions fails with the cancellation of the first child that ends
cancelled, which it asks for with `fut._make_cancelled_error()`: for a task, the very
CancelledError its coroutine raised (handed out: awaiting the task later gives a bare one).
The gathering future keeps that exception: awaiting it and its result() raise the same
object. `gather(...).cancel(msg)` cancels each child with msg; the cancelled gather then
raises the last child's cancellation."""
import asyncio

from looplab_twin import log, run

raised = {}


async def child(key):
    try:
        await asyncio.sleep(1)
    except asyncio.CancelledError as e:
        raised[key] = e
        raise


async def main():
    t = asyncio.create_task(child("t"))
    await asyncio.sleep(0)
    t.cancel("why")
    try:
        await asyncio.gather(t)
    except asyncio.CancelledError as e:
        log(f"gather(t): {e!r} the task's own: {e is raised['t']}")
    try:
        await t
    except asyncio.CancelledError as e:
        log(f"then awaiting t: {e!r}")
    u = asyncio.create_task(child("u"))
    await asyncio.sleep(0)
    g = asyncio.gather(u)
    u.cancel("later")
    try:
        await g
    except asyncio.CancelledError as e:
        first = e
        log(f"gather(u): {e!r} the task's own: {e is raised['u']}")
    try:
        g.result()
    except asyncio.CancelledError as e:
        log(f"its result(): {e!r} the same: {e is first}")
    a = asyncio.create_task(child("a"))
    b = asyncio.create_task(child("b"))
    await asyncio.sleep(0)
    g = asyncio.gather(a, b)
    b.cancel("B")
    a.cancel("A")
    try:
        await g
    except asyncio.CancelledError as e:
        log(f"two cancelled: {e!r} a's: {e is raised['a']} b's: {e is raised['b']}")
    for name, k in (("a", a), ("b", b)):
        try:
            await k
        except asyncio.CancelledError as e:
            log(f"then {name}: {e!r} its own: {e is raised[name]}")
    c = asyncio.create_task(child("c"))
    d = asyncio.create_task(child("d"))
    g = asyncio.gather(c, d, return_exceptions=True)
    await asyncio.sleep(0)
    g.cancel("all")
    try:
        await g
    except asyncio.CancelledError as e:
        log(f"cancelled gather: {e!r} c's: {e is raised['c']} d's: {e is raised['d']}")
    for name, k in (("c", c), ("d", d)):
        try:
            await k
        except asyncio.CancelledError as e:
            log(f"then {name}: {e!r}")


run(main)
