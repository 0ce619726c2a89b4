"""Conformance seed 411196, minimized, then the same rule on each kind of awaitable.

A task is cancelled after what it awaits has failed but before the task has woken: the
awaited thing refuses the cancellation (a gather whose children are all done, a finished
task or future), so the cancellation waits for the task's next step (`_must_cancel`). On
CPython 3.11 the wake-up (`Task.__wakeup`) first calls `future.result()` on what it awaited,
which marks the failure retrieved, and only then throws the `CancelledError` in. So the task
sees only the cancellation, and nothing is reported as never retrieved; the lab once reported
"_GatheringFuture exception was never retrieved" (and, for a task, "Task exception ...").

In the seed, wait_for's timeout and the failure of a gather's child fall in the same
iteration: the child fails first, then wait_for cancels the task awaiting the gather."""
import asyncio
from looplab_twin import log, run


async def w1():
    await asyncio.sleep(1.0)
    raise ValueError("w1 failed")


async def w0():
    try:
        rs = await asyncio.gather(w1(), asyncio.sleep(0.2, result=1))
        log(f"w0 gathered {rs!r}")
    except Exception as e:
        log(f"w0 gather failed {e!r}")


async def fail(delay, what):
    await asyncio.sleep(delay)
    raise ValueError(what)


async def waiter(aw):
    try:
        await aw
    except BaseException as e:
        log(f"waiter got {e!r}")
        raise


async def cancel_between(make):
    """Cancels a task awaiting `make()` once that has failed, before the task wakes."""
    aw = make()
    t = asyncio.create_task(waiter(aw))
    del aw
    await asyncio.sleep(0.5)
    # The failure comes in this iteration's steps, after this task's: one more iteration and
    # the awaited thing is done, its waiter's wake-up not yet run.
    await asyncio.sleep(0)
    log(f"cancel {t.cancel()}")
    try:
        await t
    except asyncio.CancelledError:
        log("waiter cancelled")
    del t
    await asyncio.sleep(0.1)


SETTERS = []


async def main():
    try:
        await asyncio.wait_for(w0(), timeout=1.0)
    except TimeoutError:
        log("main wait_for timed out")
    await asyncio.sleep(0.5)

    loop = asyncio.get_running_loop()

    def future():
        f = loop.create_future()

        async def setter():
            await asyncio.sleep(0.5)
            f.set_exception(KeyError("future"))

        SETTERS.append(asyncio.create_task(setter()))
        return f

    def task():
        return asyncio.create_task(fail(0.5, "task"))

    def shielded():
        return asyncio.shield(fail(0.5, "shielded"))

    def gather():
        return asyncio.gather(fail(0.5, "first"), fail(0.5, "second"))

    def settled():
        return asyncio.gather(fail(0.5, "settled"), asyncio.sleep(0.1), return_exceptions=True)

    for make in (future, task, shielded, gather, settled):
        log(make.__name__)
        await cancel_between(make)
    log("end")


run(main)
