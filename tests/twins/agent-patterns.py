"""agent-patterns: rate limits with retry, tool timeouts, and a client that disconnects."""

import asyncio
import contextlib

from looplab_twin import log, params, run

P = params(calls=4, rate=2, failures=2, tool_timeout=1.0, tokens=6, disconnect_after=3)


async def llm(sem, i):
    for attempt in range(1, 6):
        async with sem:
            await asyncio.sleep(0.5)
            limited = i == 1 and attempt <= P["failures"]
        if not limited:
            log(f"llm call {i} answered (attempt {attempt})")
            return f"answer {i}"
        backoff = 0.25 * 2 ** (attempt - 1)
        log(f"llm call {i} rate limited; retrying in {backoff} s")
        await asyncio.sleep(backoff)
    raise RuntimeError(f"llm call {i} gave up")


async def tool(name, seconds):
    try:
        async with asyncio.timeout(P["tool_timeout"]):
            await asyncio.sleep(seconds)
            return f"{name} ok"
    except TimeoutError:
        log(f"tool {name} timed out after {P['tool_timeout']} s")
        return f"{name} unavailable"


async def fetch_context():
    try:
        while True:
            await asyncio.sleep(0.3)
            log("fetching more context")
    except asyncio.CancelledError:
        log("context fetcher cancelled")
        raise


async def answer_stream():
    helper = asyncio.create_task(fetch_context(), name="context")
    try:
        for i in range(P["tokens"]):
            await asyncio.sleep(0.2)
            yield f"token-{i}"
    finally:
        helper.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await helper
        log("answer stream cleaned up")


async def main():
    sem = asyncio.Semaphore(P["rate"])
    answers = await asyncio.gather(*(asyncio.create_task(llm(sem, i)) for i in range(P["calls"])))
    log(f"answers: {answers}")
    results = await asyncio.gather(asyncio.create_task(tool("search", 0.5)), asyncio.create_task(tool("slow-api", 3.0)))
    log(f"tools: {results}")
    received = 0
    async for token in answer_stream():
        received += 1
        log(f"client receives {token}")
        if received == P["disconnect_after"]:
            log("client disconnects")
            break
    await asyncio.sleep(1)
    log("everything behind the client is gone")


run(main)
