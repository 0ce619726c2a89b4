"""async-context-manager: setup and teardown are both awaited."""

import asyncio

from looplab_twin import log, params, run

P = params(setup=0.5, teardown=0.5)


class Connection:
    def __init__(self, name):
        self.name = name

    async def __aenter__(self):
        log(f"{self.name}: connecting")
        await asyncio.sleep(P["setup"])
        log(f"{self.name}: connected")
        return self

    async def __aexit__(self, exc_type, exc, tb):
        log(f"{self.name}: closing (error: {exc!r})")
        await asyncio.sleep(P["teardown"])
        log(f"{self.name}: closed")
        return False


async def main():
    async with Connection("db") as db:
        log(f"using {db.name}")
    try:
        async with Connection("cache"):
            log("the body fails")
            raise KeyError("missing key")
    except KeyError as exc:
        log(f"the error still propagates: {exc!r}")


run(main)
