"""AsyncExitStack closes in reverse order, on success and when entering the third one fails."""
import asyncio
import contextlib
from looplab_twin import log, run


class Resource:
    def __init__(self, name, fail_enter=False):
        self.name = name
        self.fail_enter = fail_enter

    async def __aenter__(self):
        log(f"open {self.name}")
        await asyncio.sleep(0.1)
        if self.fail_enter:
            raise ConnectionError(f"{self.name} unreachable")
        return self.name

    async def __aexit__(self, exc_type, exc, tb):
        await asyncio.sleep(0.1)
        log(f"close {self.name} (error: {exc!r})")
        return False


async def callback(name):
    log(f"callback {name}")


async def main():
    async with contextlib.AsyncExitStack() as stack:
        for name in ["db", "cache"]:
            log(f"entered {await stack.enter_async_context(Resource(name))}")
        stack.push_async_callback(callback, "flush")
    log("all closed in reverse")
    try:
        async with contextlib.AsyncExitStack() as stack:
            for name, fail in [("db", False), ("cache", False), ("search", True)]:
                await stack.enter_async_context(Resource(name, fail))
    except ConnectionError as exc:
        log(f"failed entering: {exc!r}")


run(main)
