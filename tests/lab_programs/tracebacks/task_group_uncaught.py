"""A task group's error caught with except*, then one uncaught: its ValueError's own traceback
is drawn inside the group's."""
import asyncio

async def boom(n):
    await asyncio.sleep(n)
    raise ValueError(f"boom {n}")

async def main():
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(boom(0.1))
            tg.create_task(boom(0.2))
            tg.create_task(asyncio.sleep(1))
    except* ValueError as eg:
        print("caught", eg, eg.exceptions)
    async with asyncio.TaskGroup() as tg:
        tg.create_task(boom(0.1))

asyncio.run(main())
