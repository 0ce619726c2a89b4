"""How many iterations asyncio.run's shutdown runs when no task is left: a chain of callbacks,
each scheduling the next with call_soon, counts them. The iteration that stops the loop for
main runs the first; shutting down async generators and then the default executor take two
iterations each; then the loop closes and drops the rest of the chain."""
import asyncio

from looplab_twin import log, run


async def main():
    loop = asyncio.get_running_loop()

    def link(n):
        log(f"callback {n}")
        loop.call_soon(link, n + 1)

    loop.call_soon(link, 1)
    log("main returns")


run(main)
