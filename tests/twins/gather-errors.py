"""gather-errors: fail-fast versus return_exceptions."""

import asyncio

from looplab_twin import log, params, run

P = params(fail_at=0.5, slow=2.0)


async def call(name, seconds, fail=False):
    await asyncio.sleep(seconds)
    if fail:
        log(f"{name} raises")
        raise ValueError(f"{name} failed")
    log(f"{name} finishes")
    return name


def tasks():
    return [
        asyncio.create_task(call("slow", P["slow"])),
        asyncio.create_task(call("broken", P["fail_at"], fail=True)),
        asyncio.create_task(call("medium", P["slow"] / 2)),
    ]


async def main():
    log("default: the first error reaches the caller at once")
    orphans = tasks()
    try:
        await asyncio.gather(*orphans)
    except ValueError as exc:
        log(f"caught {exc!r}; the others run on as orphans")
    await asyncio.wait(orphans)
    log("every orphan finished on its own")
    log("return_exceptions=True: the failure takes its place in the results")
    results = await asyncio.gather(*tasks(), return_exceptions=True)
    log(f"results: {[repr(r) for r in results]}")


run(main)
