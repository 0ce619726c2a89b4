"""A coroutine called without `await` (the most common asyncio mistake) is reported when it is
destroyed, as CPython's `warnings` displays it: `file:line: RuntimeWarning: coroutine 'f' was
never awaited`, the program's line there, and `RuntimeWarning: Enable tracemalloc to get the
object allocation traceback`; a plain warnings.warn shows its line too. Written to sys.stderr as
it is at the time, so that this program can show it on stdout (the lab wrote only the first
line, and past sys.stderr)."""
import asyncio
import sys
import warnings


async def fetch(url):
    await asyncio.sleep(0.1)
    return url


async def main():
    fetch("https://example.org")
    print("called fetch without await")
    warnings.warn("the old client is deprecated")
    pending = [fetch(u) for u in ("a", "b")]
    del pending
    print("end")


sys.stderr = sys.stdout
asyncio.run(main())
