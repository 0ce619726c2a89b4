"""asyncio shows a finished future's, task's or gather's result with `reprlib.repr`
(base_futures.py, `_future_repr_info`: `result = reprlib.repr(self._result)`), which cuts it to
size: six items of a list, tuple or set and four of a dict, then `...`; nested six levels at
most; a string, a long integer or any other object's repr keeps its two ends around `...`. The
lab printed the whole repr. `reprlib` itself can be imported."""
import asyncio
import reprlib
from collections import deque

from looplab_twin import log, run


class Reading:
    def __init__(self, sensor):
        self.sensor = sensor

    def __repr__(self):
        return f"Reading(sensor={self.sensor!r}, values=[...])"


async def fetch(value):
    await asyncio.sleep(0.1)
    return value


async def main():
    loop = asyncio.get_running_loop()
    results = [
        list(range(20)), "x" * 50, "short", 10**50, -(10**45), 3.5, None, True, (1,), (),
        tuple(range(9)), {i: str(i) * 40 for i in range(7)}, {}, set(range(10)), set(),
        frozenset({3, 1}), frozenset(), deque(range(8)), [[[[[[[[1]]]]]]]],
        {"b": [1, 2], "a": {"x": (1, 2, 3, 4, 5, 6, 7)}}, {1, "a"}, b"bytes" * 10,
        "it's \"quoted\" " * 5, [Reading("north-east")] * 2,
    ]
    for value in results:
        f = loop.create_future()
        f.set_result(value)
        log(f"{f!r}")
    log(reprlib.repr(Reading("south")))
    task = asyncio.create_task(fetch(list(range(10))))
    await task
    log(f"{task!r}")
    g = asyncio.gather(fetch("y" * 40), fetch({"k": list(range(7))}))
    await g
    log(f"{g!r}")


run(main)
