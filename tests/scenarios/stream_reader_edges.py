"""asyncio.StreamReader at its edges: a separator split across chunks, a line left without its
newline at the end, readuntil reaching the end first (IncompleteReadError), read(n) taking what
there is, at_eof before and after the last bytes are read, and an empty separator."""
import asyncio

from looplab_twin import log, run


async def main():
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    chunks = [b"alpha\r", b"\nbe", b"ta\r\n", b"gam", b"ma\r\nrest", b" of it"]
    for i, chunk in enumerate(chunks):
        loop.call_later(0.1 * (i + 1), reader.feed_data, chunk)
    loop.call_later(0.1 * (len(chunks) + 1), reader.feed_eof)
    crlf = b"\r\n"
    log(f"first: {await reader.readuntil(crlf)!r}")
    log(f"second: {await reader.readuntil(crlf)!r}")
    log(f"third: {await reader.readuntil(b'ma' + crlf)!r}")
    log(f"read(3): {await reader.read(3)!r}")
    log(f"at_eof: {reader.at_eof()}")
    try:
        await reader.readuntil(crlf)
    except asyncio.IncompleteReadError as e:
        log(f"readuntil at the end: {e}")
    log(f"at_eof: {reader.at_eof()}")
    log(f"read after the end: {await reader.read(10)!r}")
    log(f"readline after the end: {await reader.readline()!r}")

    other = asyncio.StreamReader()
    other.feed_data(b"no newline")
    other.feed_eof()
    log(f"at_eof with bytes left: {other.at_eof()}")
    log(f"readline: {await other.readline()!r}")
    try:
        await other.readuntil(b"")
    except ValueError as e:
        log(f"empty separator: {e}")


run(main)
