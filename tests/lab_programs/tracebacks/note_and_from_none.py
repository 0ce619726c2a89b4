"""An exception raised `from None` (its context is not shown), with a note under its line."""
import asyncio

async def main():
    try:
        1 / 0
    except ZeroDivisionError:
        e = ValueError("replaced")
        e.add_note("a note")
        raise e from None

asyncio.run(main())
