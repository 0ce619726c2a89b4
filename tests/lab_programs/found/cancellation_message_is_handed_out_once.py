"""CPython 3.11 hands a task's cancellation out once. A task whose coroutine raised
CancelledError keeps that exception (`_cancelled_exc`) and no message (`__step` calls
`super().cancel()` without one); `_make_cancelled_error()` gives the kept exception to the first
who asks (an await, result(), exception(), gather's done callback, wait_for, as_completed) and a
bare CancelledError() to everyone after. gather(..., return_exceptions=True) asks for the message
only, so it lists CancelledError('') and hands nothing out. A low-level future cancelled with a
message, or a task cancelled right before its coroutine returned, keeps the message for good.
(The lab used to give the message again after gather, wait_for, as_completed had taken it, and
to list it under return_exceptions=True.)"""
import asyncio

from looplab_twin import log, run


async def outcome(label, aw):
    try:
        log(f"{label}: {await aw!r}")
    except asyncio.CancelledError as e:
        log(f"{label}: raised {e!r}")


def result(label, fut):
    try:
        log(f"{label}: {fut.result()!r}")
    except asyncio.CancelledError as e:
        log(f"{label}: raised {e!r}")


async def cancelled_task(msg):
    t = asyncio.create_task(asyncio.sleep(1))
    await asyncio.sleep(0)
    t.cancel(msg)
    await asyncio.sleep(0)
    return t


async def cancels_itself():
    asyncio.current_task().cancel("myself")
    return "returned"


async def main():
    t = await cancelled_task("gathered")
    await outcome("gather(t)", asyncio.gather(t))
    await outcome("then await t", t)

    u = await cancelled_task("settled")
    await outcome("gather(u, return_exceptions=True)", asyncio.gather(u, return_exceptions=True))
    await outcome("then await u", u)
    result("then u.result()", u)

    v = await cancelled_task("timed")
    await outcome("wait_for(v)", asyncio.wait_for(v, 5))
    result("then v.result()", v)

    w = await cancelled_task("completed")
    for first in asyncio.as_completed([w]):
        await outcome("as_completed([w])", first)
    result("then w.result()", w)

    x = asyncio.create_task(asyncio.sleep(1))
    x.cancel("before its first step")
    await asyncio.sleep(0)
    log(f"x.cancelled(): {x.cancelled()}")
    result("x.result()", x)
    result("x.result() again", x)

    f = asyncio.get_running_loop().create_future()
    f.cancel("future")
    await outcome("gather(f)", asyncio.gather(f))
    await outcome("gather(f, return_exceptions=True)", asyncio.gather(f, return_exceptions=True))
    result("f.result()", f)

    s = asyncio.create_task(cancels_itself())
    await asyncio.sleep(0)
    await outcome("gather(s)", asyncio.gather(s))
    await outcome("gather(s, return_exceptions=True)", asyncio.gather(s, return_exceptions=True))
    result("s.result()", s)


run(main)
