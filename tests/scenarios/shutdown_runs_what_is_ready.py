"""asyncio.run's shutdown runs the loop a few more iterations (cancelling the tasks left and
waiting for them, then shutting down async generators and the default executor), and whatever
is ready runs in them: a callback scheduled as main returns, and a task made by a task the
shutdown cancelled. The shutdown does not wait for such a task: when the loop closes it is
destroyed still pending. The clock does not move after the cancelled tasks are done."""
import asyncio

from looplab_twin import log, run


async def latecomer():
    log("latecomer: first step")
    await asyncio.sleep(0)
    log("latecomer: second step")
    await asyncio.sleep(0)
    log("latecomer: third step")
    await asyncio.sleep(5)
    log("latecomer: never gets here")


async def stubborn():
    try:
        await asyncio.sleep(10)
    except asyncio.CancelledError:
        log("stubborn: cancelled at shutdown, makes a task")
        asyncio.create_task(latecomer(), name="latecomer")
        await asyncio.sleep(0.5)
        log("stubborn: done")


async def main():
    loop = asyncio.get_running_loop()
    asyncio.create_task(stubborn(), name="stubborn")
    await asyncio.sleep(1)

    def second():
        log("callback scheduled by a callback runs in the shutdown")

    def first():
        log("callback scheduled as main returns")
        loop.call_soon(second)

    loop.call_soon(first)
    log("main returns")


run(main)
