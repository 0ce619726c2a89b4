"""`import traceback` in a handler, as programs log a failed step and go on: format_exc,
format_exception (of an exception gather returned), print_exc, print_exception,
format_exception_only, with chains (`raise ... from`), an exception group and a cancellation.
The lab had no `traceback` module (the import failed). (No line here is one CPython marks with
`^^^` under part of it: the lab does not draw those markers.)"""
import asyncio
import sys
import traceback


class StepFailed(Exception):
    pass


async def tool_call(name):
    await asyncio.sleep(0.1)
    raise KeyError(name)


async def agent_step(name):
    try:
        await tool_call(name)
    except KeyError as e:
        raise StepFailed(f"step {name} failed") from e


async def main():
    try:
        await agent_step("search")
    except StepFailed:
        print(traceback.format_exc())
    results = await asyncio.gather(agent_step("calc"), return_exceptions=True)
    for r in results:
        print("".join(traceback.format_exception(r)))
        print(traceback.format_exception_only(r))
        print(traceback.format_exception_only(type(r), r))
    try:
        raise ValueError("bad value")
    except ValueError:
        traceback.print_exc(file=sys.stdout)
    print(repr(traceback.format_exc()))
    t = asyncio.create_task(asyncio.sleep(1))
    await asyncio.sleep(0)
    t.cancel()
    try:
        await t
    except asyncio.CancelledError as e:
        print(traceback.format_exception_only(e))
    try:
        raise ExceptionGroup("many", [ValueError(1), TypeError(2)])
    except ExceptionGroup as eg:
        traceback.print_exception(eg, file=sys.stdout)


asyncio.run(main())
