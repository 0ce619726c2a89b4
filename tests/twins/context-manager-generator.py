"""context-manager-generator: the same lifecycle written as one generator function."""

import asyncio
import contextlib

from looplab_twin import log, params, run

P = params(setup=0.5, teardown=0.5)


@contextlib.asynccontextmanager
async def connection(name):
    log(f"{name}: connecting")
    await asyncio.sleep(P["setup"])
    log(f"{name}: connected")
    try:
        yield name
    except Exception as exc:
        log(f"{name}: the body failed with {exc!r}")
        raise
    finally:
        log(f"{name}: closing")
        await asyncio.sleep(P["teardown"])
        log(f"{name}: closed")


async def main():
    async with connection("db") as db:
        log(f"using {db}")
    try:
        async with connection("cache"):
            raise KeyError("missing key")
    except KeyError as exc:
        log(f"the error still propagates: {exc!r}")


run(main)
