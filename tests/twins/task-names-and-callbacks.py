"""task-names-and-callbacks: naming tasks and reacting when they finish."""

import asyncio

from looplab_twin import log, params, run

P = params(delay=1.0, fails="search")


async def call(name, seconds):
    await asyncio.sleep(seconds)
    if name == P["fails"]:
        raise ConnectionError(f"{name} unreachable")
    return f"{name} ok"


def on_done(task):
    if task.exception() is not None:
        log(f"callback: {task.get_name()} failed with {task.exception()!r}")
    else:
        log(f"callback: {task.get_name()} returned {task.result()!r}")


async def main():
    fetch = asyncio.create_task(call("fetch", P["delay"]))
    llm = asyncio.create_task(call("llm", P["delay"] * 2), name="llm-call-1")
    search = asyncio.create_task(call("search", P["delay"] / 2))
    log(f"task names: {fetch.get_name()}, {llm.get_name()}, {search.get_name()}")
    for task in (fetch, llm, search):
        task.add_done_callback(on_done)
    await asyncio.wait([fetch, llm, search])
    log("all three done")


run(main)
