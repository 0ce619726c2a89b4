"""asyncio.wait takes tasks and futures only: on CPython 3.11 a coroutine among them is a
TypeError (3.10 wrapped it in a task with a deprecation warning), after the checks for an empty
collection and a bad return_when. Old tutorials still pass coroutines; the lab ran them. And
asyncio.iscoroutine counts a plain generator, so wait() and as_completed() refuse a generator
expression (the lab ran it)."""
import asyncio


async def job(n):
    await asyncio.sleep(n)
    print("job", n, "ran")
    return n


async def main():
    task = asyncio.create_task(job(0.1))
    coro = job(0.2)
    for args in ([task, coro], {coro}, (c for c in [coro])):
        try:
            await asyncio.wait(args)
        except TypeError as e:
            print("TypeError:", e)
    try:
        await asyncio.wait([coro], return_when="SOMETIMES")
    except ValueError as e:
        print("ValueError:", e)
    try:
        for next_done in asyncio.as_completed(c for c in [task]):
            await next_done
    except TypeError as e:
        print("TypeError:", e)
    print(asyncio.iscoroutine(c for c in []))
    coro.close()
    done, pending = await asyncio.wait([task])
    print(len(done), len(pending), task.result())


asyncio.run(main())
