import asyncio


async def fetch():
    await asyncio.sleep(5)


async def main():
    try:
        raise ValueError("first try failed")
    except ValueError:
        await asyncio.wait_for(fetch(), 1)

asyncio.run(main())
