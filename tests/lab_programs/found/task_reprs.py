"""A task's repr, as print(task) shows it (asyncio's Task.__repr__): its state, name, coroutine
(`running at` the line it waits at, `done, defined at` its def), what it waits for, and its
result or exception. Printing a failed task does not retrieve its exception: the task is still
reported, when the last reference to it goes (`del`), in the order the references go."""
import asyncio


async def nap(seconds):
    await asyncio.sleep(seconds)
    return seconds


async def fail(n):
    await asyncio.sleep(0.1)
    raise ValueError(f"bad {n}")


async def await_other(other):
    return await other


async def gather_two():
    return await asyncio.gather(nap(0.1), nap(0.2))


def report(loop, context):
    print("handler:", context["message"], context.get("future"))


async def main():
    asyncio.get_running_loop().set_exception_handler(report)
    sleeper = asyncio.create_task(nap(1))
    print(sleeper)
    await asyncio.sleep(0)
    print(sleeper)
    waiter = asyncio.create_task(await_other(sleeper), name="it's waiting")
    gatherer = asyncio.create_task(gather_two())
    await asyncio.sleep(0)
    print(waiter)
    print(gatherer)
    fresh = asyncio.create_task(nap(1))
    fresh.cancel()
    print(fresh)
    sleeper.cancel()
    print(sleeper)
    await asyncio.sleep(0)
    print(fresh)
    print(sleeper)
    await asyncio.sleep(0)
    print(waiter)
    print(gatherer)
    await asyncio.sleep(0.3)
    print(gatherer)
    a = asyncio.create_task(fail(1))
    b = asyncio.create_task(fail(2))
    await asyncio.sleep(0.2)
    print(a)
    print(b)
    del b
    print("deleted b")
    del a
    print("deleted a")


asyncio.run(main())
