"""agent-events: an agent as a stream of timestamped events."""

import asyncio

from looplab_twin import log, params, run

P = params(llm=1.0, tool=0.5)


async def agent(question):
    loop = asyncio.get_running_loop()
    yield ("thinking", f"about {question!r}", loop.time())
    await asyncio.sleep(P["llm"])
    yield ("tool_call", "search('weather Paris')", loop.time())
    await asyncio.sleep(P["tool"])
    yield ("tool_result", "18 C, light rain", loop.time())
    await asyncio.sleep(P["llm"])
    yield ("response", "Take an umbrella.", loop.time())


async def main():
    async for kind, detail, at in agent("weather in Paris"):
        log(f"event {kind:<11} at {at:.3f}: {detail}")


run(main)
