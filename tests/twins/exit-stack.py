"""exit-stack: a number of resources chosen at run time, closed in reverse order."""

import asyncio
import contextlib

from looplab_twin import log, params, run

P = params(resources=4, fail_at=3)


class Resource:
    def __init__(self, index):
        self.index = index

    async def __aenter__(self):
        await asyncio.sleep(0.1)
        if self.index == P["fail_at"]:
            log(f"resource {self.index} fails to open")
            raise ConnectionError(f"resource {self.index} unavailable")
        log(f"resource {self.index} open")
        return self.index

    async def __aexit__(self, exc_type, exc, tb):
        await asyncio.sleep(0.1)
        log(f"resource {self.index} closed")
        return False


async def main():
    try:
        async with contextlib.AsyncExitStack() as stack:
            opened = [await stack.enter_async_context(Resource(i)) for i in range(1, P["resources"] + 1)]
            log(f"all {len(opened)} open; working")
            await asyncio.sleep(0.5)
        log("left the block: every resource closed, last opened first")
    except ConnectionError as exc:
        log(f"entering failed with {exc!r}; the ones already open were closed")


run(main)
