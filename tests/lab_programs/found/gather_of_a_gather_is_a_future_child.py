"""A gather passed to another gather (or to `wait`) is a future there, not a coroutine:
`ensure_future` returns it as it is (`futures.isfuture`), so no task is made to await it. The
outer gather's done callback goes on the inner gather itself: the outer one finishes one loop
iteration after the inner one, the tasks made after it keep their numbers (no `Task-N` is
taken), `wait` returns the gather itself in its sets, and cancelling the outer gather cancels
the inner one, which cancels its children."""
import asyncio

from looplab_twin import log, run


async def job(n, fail=False):
    try:
        await asyncio.sleep(n)
    except asyncio.CancelledError as e:
        log(f"job {n} cancelled: {e!r}")
        raise
    if fail:
        raise ValueError(f"failed after {n}")
    log(f"job {n} done")
    return n


async def ticker():
    for i in range(5):
        log(f"tick {i}")
        await asyncio.sleep(0)


async def main():
    tick = asyncio.create_task(ticker())
    results = await asyncio.gather(asyncio.gather(job(0), job(0)), job(0))
    log(f"results {results}")
    await tick

    inner = asyncio.gather(job(1, fail=True), job(2))
    try:
        await asyncio.gather(inner, job(3))
    except ValueError as e:
        log(f"outer raised {e!r}; inner: {inner!r}")
    await asyncio.sleep(3)

    inner = asyncio.gather(job(1, fail=True), job(1), return_exceptions=True)
    log(f"settled {await asyncio.gather(inner, job(1, fail=True), return_exceptions=True)}")

    inner = asyncio.gather(job(5), job(6))
    outer = asyncio.gather(inner, job(7))
    await asyncio.sleep(1)
    log(f"cancel the outer: {outer.cancel('stop')}")
    try:
        await outer
    except asyncio.CancelledError as e:
        log(f"outer raised {e!r}; inner: {inner!r}")

    inner = asyncio.gather(job(5))
    outer = asyncio.gather(inner, job(1), return_exceptions=True)
    await asyncio.sleep(0.5)
    inner.cancel("the inner only")
    log(f"with the inner cancelled: {await outer}")

    a = asyncio.gather(job(1))
    b = asyncio.gather(job(2))
    done, pending = await asyncio.wait([a, b], return_when=asyncio.FIRST_COMPLETED)
    log(f"wait: done is a: {[d is a for d in done]}, pending is b: {[p is b for p in pending]}")
    log(f"b: {await b}; named {asyncio.current_task().get_name()}, next: {asyncio.create_task(job(0)).get_name()}")
    await asyncio.sleep(0)


run(main)
