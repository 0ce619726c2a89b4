"""A group of 17: CPython draws 15 sub-exceptions, then "and 2 more exceptions"."""
import asyncio

async def main():
    try:
        1 / 0
    except ZeroDivisionError:
        raise ExceptionGroup("many", [ValueError(i) for i in range(17)])

asyncio.run(main())
