"""event-loop: what one loop iteration does."""

import asyncio

from looplab_twin import iteration, log, params, run

P = params(later=0.5)


def callback(what):
    log(f"iteration {iteration()}: {what}")


async def inner():
    log("never runs")


async def main():
    loop = asyncio.get_running_loop()
    log(f"iteration {iteration()}: main starts and schedules callbacks")
    loop.call_later(P["later"], callback, f"call_later({P['later']:.1f})")
    loop.call_at(loop.time() + P["later"], callback, "call_at(now + later), same deadline")
    loop.call_soon(callback, "call_soon, first")
    loop.call_soon(callback, "call_soon, second")
    await asyncio.sleep(0)
    log(f"iteration {iteration()}: main resumes after the call_soon callbacks ran")
    await asyncio.sleep(P["later"])
    log(f"iteration {iteration()}: main wakes, after the timers' callbacks")
    try:
        asyncio.run(inner())
    except RuntimeError as exc:
        message = str(exc)
    log(f"a loop inside the running loop: RuntimeError: {message}")


run(main)
