"""Conformance seed 300506, minimized (the NameErrors and unbound locals are the generator's
code cut short; CPython prints the same). A gather's child fails after the task that made it
let go of it; the gather still holds the child and retrieves the failure, so nothing is
reported, where the lab once reported it as never retrieved when its Python object went."""
import asyncio
from looplab_twin import log, run
async def consumer(who, n):
    try:
        try:
            log("w0/c4 was cancelled")
        except Exception as e:
            log(f"w0/c4 failed {e!r}")
        try:
            async with asyncio.TaskGroup() as tg:
                tg.create_task(w3())
        except* ValueError as eg:
            log(f"w0 put {i}, size {Q.qsize()}")
        try:
            log("w0/q7 was cancelled")
        except Exception as e:
            log(f"w0/q7 failed {e!r}")
    finally:
        log("w0 finally")
    try:
        log("w1 wait_for timed out")
    except Exception as e:
        log(f"w1 wait_for failed {e!r}")
async def w4():
    try:
        k9 = asyncio.create_task(w5())
        await asyncio.sleep(0.2)
        log(f"w4 cancel {k9.cancel()}")
        try:
            r = await k9
        except Exception as e:
            log(f"w4/k9 failed {e!r}")
        try:
            rs = await asyncio.gather(w7())
        except Exception as e:
            log(f"w4 gather failed {e!r}")
    finally:
        log("w4 finally")
async def w5():
    try:
        c10 = asyncio.create_task(w6())
        try:
            r = await c10
        except asyncio.CancelledError:
            log("w5/c10 was cancelled")
        except Exception as e:
            log(f"w5/c10 failed {e!r}")
        try:
                await asyncio.sleep(0.5)
        except TimeoutError:
            log("w5 timed out")
    finally:
        log("w5 finally")
async def w6():
    await asyncio.sleep(1.5)
async def w7():
    try:
        rs = await asyncio.gather(w8(), w9(), w10())
    except Exception as e:
        log(f"w7 gather failed {e!r}")
        if t in pending:
            t.cancel()
async def w8():
    log("w8 starts")
async def w9():
    await asyncio.sleep(1.5)
async def w10():
    c11 = asyncio.create_task(asyncio.sleep(0.5, result=6), name="t12")
    try:
        r = await c11
    except asyncio.CancelledError:
        log(f"w12/q16 got {r!r}")
async def main():
    TASKS = []
    try:
            try:
                log(f"main gathered {rs!r}")
            except Exception as e:
                log(f"main gather failed {e!r}")
            k8 = asyncio.create_task(w4())
            await asyncio.sleep(1.0)
            log(f"main cancel {k8.cancel()}")
            try:
                log(f"main/k8 got {r!r}")
            except Exception as e:
                log(f"main/k8 failed {e!r}")
            try:
                async with asyncio.TaskGroup() as tg:
                    log("main group started")
            except* ValueError as eg:
                log(f"main group failed {len(eg.exceptions)}")
            await asyncio.sleep(0.5)
    except TimeoutError:
        log("main: the run took too long")
run(main)
