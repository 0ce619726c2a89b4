"""wait_for that times out cancels what it waits for, waits for it to end, and raises
`TimeoutError() from exc`, where exc is what `fut.result()` raised for it: the very
CancelledError the task's coroutine raised. So the TimeoutError's __cause__ and __context__
are that exception (and the task has handed its cancellation out: awaiting it later gives a
bare CancelledError()); raised while the caller handles another exception, the
CancelledError's own context is that one. asyncio.timeout() raises `TimeoutError from` the
CancelledError too, and so does a wait_for in a task group's child."""
import asyncio

from looplab_twin import log, run

raised = {}


async def fetch(key, delay=5):
    try:
        await asyncio.sleep(delay)
    except asyncio.CancelledError as e:
        raised[key] = e
        raise


def chain(e):
    return f"{e!r} cause={e.__cause__!r} context={e.__context__!r} suppressed={e.__suppress_context__}"


async def main():
    try:
        await asyncio.wait_for(fetch("a"), 0.5)
    except TimeoutError as e:
        log(f"wait_for: {chain(e)} the task's own: {e.__cause__ is raised['a']}")
    t = asyncio.create_task(fetch("t"))
    try:
        await asyncio.wait_for(t, 1)
    except TimeoutError as e:
        log(f"wait_for(task): {chain(e)} the task's own: {e.__cause__ is raised['t']}")
    try:
        await t
    except asyncio.CancelledError as e:
        log(f"awaiting the task after: {e!r} the same: {e is raised['t']}")
    try:
        await asyncio.wait_for(asyncio.sleep(5), 0)
    except TimeoutError as e:
        log(f"wait_for(timeout=0): {chain(e)}")
    f = asyncio.get_running_loop().create_future()
    try:
        await asyncio.wait_for(f, 0.5)
    except TimeoutError as e:
        log(f"wait_for(future): {chain(e)}")
    try:
        try:
            raise ValueError("first try failed")
        except ValueError:
            await asyncio.wait_for(fetch("h"), 1)
    except TimeoutError as e:
        log(f"in a handler: {chain(e)} then {e.__context__.__context__!r}")
    try:
        async with asyncio.timeout(0.5):
            await fetch("o")
    except TimeoutError as e:
        log(f"timeout(): {chain(e)} the task's own: {e.__cause__ is raised['o']}")
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(asyncio.wait_for(fetch("g"), 0.1))
    except* TimeoutError as group:
        e = group.exceptions[0]
        log(f"in a task group: {chain(e)}")


run(main)
