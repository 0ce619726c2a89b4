# features: cancel-self gather gather-return-exceptions lock named-task raise semaphore sleep spawn-await timeout try-finally wait wait_for
"""Random asyncio program 23 (tests/lab_programs/generate.py)."""
import asyncio

from looplab_twin import log, run


async def consumer(who, n):
    for _ in range(n):
        item = await Q.get()
        Q.task_done()
        log(f"{who} got {item}")
    return n

async def w0():
    log("w0 starts")
    try:
        try:
            async with asyncio.timeout(1.0):
                await asyncio.sleep(0.5)
                log("w0 slept")
        except TimeoutError:
            log("w0 timed out")
        await asyncio.sleep(0.5)
        log("w0 slept")
        return "w0 done"
    except asyncio.CancelledError as e:
        log(f"w0 cancelled {e.args!r}")
        raise
    finally:
        log("w0 finally")

async def w1():
    log("w1 starts")
    try:
        async with asyncio.timeout(0.5):
            ws1 = [asyncio.create_task(w2()) for _ in range(2)]
            done, pending = await asyncio.wait(ws1, timeout=0.3, return_when=asyncio.ALL_COMPLETED)
            log(f"w1 wait: {len(done)} done, {len(pending)} pending")
            for t in pending:
                t.cancel()
            rs = await asyncio.gather(*ws1, return_exceptions=True)
            log(f"w1 after wait {rs!r}")
            ws2 = [asyncio.create_task(asyncio.sleep(0, result=9)) for _ in range(3)]
            done, pending = await asyncio.wait(ws2, timeout=None, return_when=asyncio.FIRST_COMPLETED)
            log(f"w1 wait: {len(done)} done, {len(pending)} pending")
            for t in pending:
                t.cancel()
            rs = await asyncio.gather(*ws2, return_exceptions=True)
            log(f"w1 after wait {rs!r}")
    except TimeoutError:
        log("w1 timed out")
    async with SEM:
        log("w1 in the semaphore")
        await asyncio.sleep(0.2)
    return "w1 done"

async def w2():
    log("w2 starts")
    log("w2 at 22")
    await asyncio.sleep(0.5)
    log("w2 slept")
    await asyncio.sleep(0.1)
    log("w2 slept")
    return "w2 done"

async def w3():
    log("w3 starts")
    c4 = asyncio.create_task(w4(), name="t5")
    await asyncio.sleep(0.1)
    try:
        r = await c4
        log(f"w3/c4 got {r!r}")
    except asyncio.CancelledError:
        log("w3/c4 was cancelled")
    except Exception as e:
        log(f"w3/c4 failed {e!r}")
    try:
        r = await asyncio.wait_for(w5(), timeout=0.1)
        log(f"w3 wait_for got {r!r}")
    except TimeoutError:
        log("w3 wait_for timed out")
    except Exception as e:
        log(f"w3 wait_for failed {e!r}")
    return "w3 done"

async def w4():
    log("w4 starts")
    log("w4 at 69")
    await asyncio.sleep(1.5)
    log("w4 slept")
    await asyncio.sleep(0.5)
    log("w4 slept")
    await asyncio.sleep(0)
    log("w4 slept")
    raise ValueError("w4 failed")
    return "w4 done"

async def w5():
    log("w5 starts")
    try:
        ws6 = [asyncio.create_task(asyncio.sleep(0.5, result=7)) for _ in range(2)]
        done, pending = await asyncio.wait(ws6, timeout=None, return_when=asyncio.ALL_COMPLETED)
        log(f"w5 wait: {len(done)} done, {len(pending)} pending")
        for t in pending:
            t.cancel()
        rs = await asyncio.gather(*ws6, return_exceptions=True)
        log(f"w5 after wait {rs!r}")
        asyncio.current_task().cancel()
        await asyncio.sleep(0)
        return "w5 done"
    except asyncio.CancelledError as e:
        log(f"w5 cancelled {e.args!r}")
        raise
    finally:
        log("w5 finally")

async def main():
    global Q, LOCK, EVENT, SEM
    Q = asyncio.Queue(maxsize=0)
    LOCK = asyncio.Lock()
    EVENT = asyncio.Event()
    SEM = asyncio.Semaphore(3)
    try:
        async with asyncio.timeout(60):
            async with LOCK:
                log("main holds the lock")
                await asyncio.sleep(0)
            log("main released the lock")
            await asyncio.sleep(0.2)
            log("main slept")
            rs = await asyncio.gather(asyncio.sleep(0.1, result=4), w0(), w1(), return_exceptions=True)
            log(f"main gathered {rs!r}")
            c3 = asyncio.create_task(w3(), name="t7")
            await asyncio.sleep(0)
            try:
                r = await c3
                log(f"main/c3 got {r!r}")
            except asyncio.CancelledError:
                log("main/c3 was cancelled")
            except Exception as e:
                log(f"main/c3 failed {e!r}")
    except TimeoutError:
        log("main: the run took too long")
    log("main done")


run(main)
