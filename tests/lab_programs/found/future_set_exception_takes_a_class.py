"""`Future.set_exception` takes an exception class as well as an instance: the class is called
with no arguments (`exception()` is then `RuntimeError()`). Setting a result or an exception on
a future that is done raises `InvalidStateError('invalid state')` (the C future's message,
without the state). A failure set this way and never retrieved is reported when the future is
freed."""
import asyncio

from looplab_twin import log, run


async def main():
    loop = asyncio.get_running_loop()
    f = loop.create_future()
    f.set_exception(RuntimeError)
    log(f"{f!r}: {f.exception()!r}")
    for setter, value in ((f.set_result, 1), (f.set_exception, KeyError("k"))):
        try:
            setter(value)
        except asyncio.InvalidStateError as e:
            log(f"{setter.__name__} raised {e!r}")
    g = loop.create_future()
    g.set_exception(LookupError)
    del g
    log("let g go")
    h = loop.create_future()
    try:
        h.set_exception(StopIteration)
    except TypeError as e:
        log(f"StopIteration: {e}")


run(main)
