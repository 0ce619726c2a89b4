"""awaitables: a coroutine, a task, a low-level future, and a hand-written awaitable."""

import asyncio

from looplab_twin import log, params, run

P = params(work=0.25, future_at=1.0, ticket=0.5)


class Ticket:
    """A hand-written awaitable: __await__ waits, then returns a value."""

    def __init__(self, seconds):
        self.seconds = seconds

    def __await__(self):
        yield from asyncio.sleep(self.seconds).__await__()
        return "ticket"


async def compute(what):
    await asyncio.sleep(P["work"])
    return f"{what} result"


async def main():
    loop = asyncio.get_running_loop()
    log(f"1. a coroutine gives {await compute('coroutine')!r}")
    task = asyncio.create_task(compute("task"))
    log(f"2. a task gives {await task!r}")
    future = loop.create_future()
    loop.call_at(P["future_at"], future.set_result, "future result")
    log(f"3. a future, completed by a callback at t={P['future_at']:.1f}, gives {await future!r}")
    log(f"4. a custom awaitable gives {await Ticket(P['ticket'])!r}")


run(main)
