"""async with: teardown runs on normal exit and on error, and the error still propagates."""
import asyncio
import contextlib
from looplab_twin import log, run


class Session:
    async def __aenter__(self):
        log("session setup")
        await asyncio.sleep(0.5)
        return "session"

    async def __aexit__(self, exc_type, exc, tb):
        log(f"session teardown (error: {exc!r})")
        await asyncio.sleep(0.5)
        log("session closed")
        return False


@contextlib.asynccontextmanager
async def connection(name):
    log(f"connect {name}")
    await asyncio.sleep(0.2)
    try:
        yield name
    except Exception as exc:
        log(f"teardown after {exc!r}")
        raise
    finally:
        await asyncio.sleep(0.2)
        log(f"disconnect {name}")


@contextlib.asynccontextmanager
async def forgiving():
    try:
        yield "forgiving"
    except KeyError as exc:
        log(f"suppressing {exc!r}")


async def main():
    async with Session() as s:
        log(f"using {s}")
    try:
        async with Session():
            raise ValueError("inside the session")
    except ValueError as exc:
        log(f"propagated {exc!r}")
    async with connection("a") as c:
        log(f"using {c}")
    try:
        async with connection("b"):
            raise ValueError("boom")
    except ValueError as exc:
        log(f"propagated {exc!r}")
    async with forgiving():
        raise KeyError("k")
    log("suppressed, execution goes on")


run(main)
