"""A task whose coroutine ended by raising CancelledError keeps that exception and raises the
very same object to the first who asks for its outcome (awaiting it, result(), exception());
after that, a bare CancelledError(). So what that exception holds lives as long as it: here a
task that wait_for ran in the cancelled task, which failed instead of ending cancelled, is
freed (and its failure reported) only when the outer handler lets the exception go."""
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


async def swallow_then_fail():
    try:
        await asyncio.sleep(1)
    except asyncio.CancelledError:
        pass
    raise ValueError("inner failed")


async def middle():
    await asyncio.wait_for(swallow_then_fail(), timeout=1.0)


async def main():
    t = asyncio.create_task(child())
    await asyncio.sleep(0)
    t.cancel("stop")
    try:
        await t
    except asyncio.CancelledError as e:
        log(f"awaiting it: the same object {e is raised}, args {e.args}")
    try:
        t.result()
    except asyncio.CancelledError as e:
        log(f"result() then: the same object {e is raised}, args {e.args}")
    try:
        await asyncio.wait_for(middle(), timeout=0.1)
    except TimeoutError:
        log("main: wait_for timed out")
    log("main: after the handler")


run(main)
