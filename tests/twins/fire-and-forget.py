"""fire-and-forget: background tasks, kept alive by reference, and what happens to the rest."""

import asyncio

from looplab_twin import log, new_loop, params, run

P = params(jobs=3, linger=30.0)

background = set()


async def job(name, seconds, fail=False):
    await asyncio.sleep(seconds)
    if fail:
        log(f"{name} raises, and nobody will look")
        raise ValueError(f"{name} failed")
    log(f"{name} done")


async def lingering():
    try:
        await asyncio.sleep(P["linger"])
        log("lingering task finished")
    except asyncio.CancelledError:
        log("lingering task cancelled by asyncio.run's shutdown")
        raise


async def main():
    for i in range(P["jobs"]):
        task = asyncio.create_task(job(f"job-{i}", 0.5 * (i + 1)))
        background.add(task)
        task.add_done_callback(background.discard)
    log(f"{len(background)} jobs kept in a set; each removes itself when done")
    asyncio.create_task(job("careless", 0.25, fail=True))
    asyncio.create_task(lingering())
    await asyncio.sleep(0.5 * P["jobs"] + 0.1)
    log(f"main returns with {len(background)} jobs left in the set")


async def abandoning():
    asyncio.create_task(asyncio.sleep(10), name="abandoned")
    await asyncio.sleep(0.5)


run(main)
loop = new_loop()
loop.run_until_complete(abandoning())
loop.close()
