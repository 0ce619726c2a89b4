"""loop.run_in_executor and asyncio.to_thread: the lab has no threads, so the function runs in
the calling task; the await gives its result or raises its exception, as on CPython. (Only
results are printed: when a thread finishes, relative to other tasks, is not deterministic on
CPython.)"""
import asyncio


def work(x):
    if x < 0:
        raise ValueError("negative")
    return x + 1


async def main():
    loop = asyncio.get_running_loop()
    print(await loop.run_in_executor(None, work, 1))
    try:
        await loop.run_in_executor(None, work, -1)
    except ValueError as e:
        print("caught", repr(e))
    print(await asyncio.to_thread(work, 41))
    future = loop.run_in_executor(None, work, 2)
    print(type(future).__name__, await future)


asyncio.run(main())
