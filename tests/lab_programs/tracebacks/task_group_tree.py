"""An uncaught exception group as CPython draws it: a task group whose tasks fail (one with a
chained cause, one with a custom __str__) and hold a nested group, in numbered frames."""
import asyncio

class MyError(Exception):
    def __str__(self):
        return "custom text"

async def boom(n):
    await asyncio.sleep(n)
    if n > 0.25:
        raise MyError()
    try:
        {}["k"]
    except KeyError as e:
        raise ValueError(f"boom {n}") from e

async def inner_group():
    async with asyncio.TaskGroup() as tg:
        tg.create_task(boom(0.1))
        tg.create_task(boom(0.2))

async def main():
    try:
        raise RuntimeError("first")
    except RuntimeError:
        pass
    async with asyncio.TaskGroup() as tg:
        tg.create_task(boom(0.1))
        tg.create_task(boom(0.3))
        tg.create_task(inner_group())

asyncio.run(main())
