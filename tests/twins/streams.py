"""streams: reading chunked data by line and by size."""

import asyncio

from looplab_twin import log, params, run

P = params(slow=0.5, fast=0.05, size=6)


async def network(reader, chunks, pause):
    for chunk in chunks:
        await asyncio.sleep(pause)
        log(f"network delivers {chunk!r}")
        reader.feed_data(chunk)
    reader.feed_eof()


async def main():
    log("slow producer, fast consumer: readline waits for each line to complete")
    reader = asyncio.StreamReader()
    asyncio.create_task(network(reader, [b"GET / HT", b"TP/1.1\r\nHost: ex", b"ample.org\r\n\r\n"], P["slow"]))
    while line := await reader.readline():
        log(f"line {line!r}")
    log("fast producer, slow consumer: fixed-size reads find the data waiting")
    reader = asyncio.StreamReader()
    asyncio.create_task(network(reader, [b"0123456789", b"abcdefghij", b"XYZ"], P["fast"]))
    while True:
        try:
            block = await reader.readexactly(P["size"])
        except asyncio.IncompleteReadError as exc:
            log(f"end of stream: {exc}; at_eof() = {reader.at_eof()}")
            break
        log(f"block {block!r}")
        await asyncio.sleep(0.5)


run(main)
