"""semaphore-limit: bounded concurrency."""

import asyncio

from looplab_twin import log, params, run

P = params(requests=10, limit=3, duration=1.0)


async def request(sem, i):
    async with sem:
        log(f"request {i} starts")
        await asyncio.sleep(P["duration"])
    return i


async def main():
    sem = asyncio.Semaphore(P["limit"])
    loop = asyncio.get_running_loop()
    await asyncio.gather(*(asyncio.create_task(request(sem, i)) for i in range(P["requests"])))
    log(f"{P['requests']} requests through {P['limit']} slots took {loop.time():.1f} s")


run(main)
