"""toolset-lifecycle: a tool server connection owned by an agent."""

import asyncio

from looplab_twin import log, params, run

P = params(call=0.5)


class ToolServer:
    async def __aenter__(self):
        log("toolset: connecting to the tool server")
        await asyncio.sleep(0.3)
        log("toolset: connected")
        return self

    async def list_tools(self):
        await asyncio.sleep(0.1)
        return ["search", "fetch"]

    async def call(self, tool, argument):
        log(f"toolset: calling {tool}({argument!r})")
        await asyncio.sleep(P["call"])
        return f"{tool} result for {argument!r}"

    async def __aexit__(self, exc_type, exc, tb):
        log("toolset: closing the connection")
        await asyncio.sleep(0.2)
        log("toolset: closed")
        return False


async def agent():
    async with ToolServer() as tools:
        log(f"agent: tools available: {await tools.list_tools()}")
        log(f"agent: got {await tools.call('search', 'asyncio')}")
        log(f"agent: got {await tools.call('fetch', 'docs.python.org')}")
        log("agent: done with the tools")
    log("agent: finished; the connection closed with it")


async def main():
    await asyncio.create_task(agent(), name="agent")


run(main)
