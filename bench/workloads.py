"""The benchmark workloads in plain asyncio, for CPython (natively) and Pyodide (in the page).

Run natively: `python bench/workloads.py [--smoke] [--reps N] [--only NAME]` prints one JSON
object per line: {"workload", "runner", "ms", "min", "max", "reps", "times", "cpu_times"}: the
median of the repetitions after a warm-up run at the same size, their spread, and every run's time
and CPU time in order.
`--only NAME` runs one workload: `scripts/bench` starts a fresh process for every run of every
workload (see bench/run.mjs), since a workload run after others in the same process finds the
heap they left behind (gather-fanout after spawn-join took 159 to 201 ms a run in one such
process, against 105 to 118 alone). The cyclic garbage collector is
emptied before every run (`gc.collect()`) and stays on during it: then every run starts from the
same heap and the same collection counters, and makes the same number of collections (spawn-join
otherwise makes five or six full collections, a run, depending on where the previous run left the
counters: they take half its time). The timer workloads run on looptime's virtual clock, as
looplab's do. In Pyodide, the page calls `run_browser(sizes, name)` for each of the three that
need no timers, on Pyodide's own loop.
"""
import asyncio
import gc
import json
import random
import statistics
import sys
import time


async def _noop():
    return None


async def spawn_join(n):
    tasks = [asyncio.create_task(_noop()) for _ in range(n)]
    for t in tasks:
        await t


async def yield_storm(tasks, rounds):
    async def worker():
        for _ in range(rounds):
            await asyncio.sleep(0)

    all_tasks = [asyncio.create_task(worker()) for _ in range(tasks)]
    for t in all_tasks:
        await t


async def queue_pingpong(n):
    ping, pong = asyncio.Queue(), asyncio.Queue()

    async def echo():
        for _ in range(n):
            v = await ping.get()
            pong.put_nowait(v + 1)

    e = asyncio.create_task(echo())
    for i in range(n):
        ping.put_nowait(i)
        await pong.get()
    await e


async def timer_wheel(n):
    rng = random.Random(42)
    delays = [rng.randrange(10_000) / 1000 for _ in range(n)]
    tasks = [asyncio.create_task(asyncio.sleep(d)) for d in delays]
    for t in tasks:
        await t


async def gather_fanout(n):
    async def one(i):
        await asyncio.sleep(0.001 * (i % 10))
        return i

    results = await asyncio.gather(*(asyncio.create_task(one(i)) for i in range(n)))
    assert len(results) == n


FULL = {"spawn_join": 100_000, "yield_tasks": 1000, "yield_rounds": 100, "pingpong": 100_000, "timers": 100_000, "fanout": 10_000}
SMOKE = {"spawn_join": 1000, "yield_tasks": 10, "yield_rounds": 10, "pingpong": 1000, "timers": 1000, "fanout": 100}


def _workloads(s):
    return [
        ("spawn-join", lambda: spawn_join(s["spawn_join"]), False),
        ("yield-storm", lambda: yield_storm(s["yield_tasks"], s["yield_rounds"]), False),
        ("queue-pingpong", lambda: queue_pingpong(s["pingpong"]), False),
        ("timer-wheel", lambda: timer_wheel(s["timers"]), True),
        ("gather-fanout", lambda: gather_fanout(s["fanout"]), True),
    ]


def _run_native(make, virtual):
    """One run: its time and its CPU time (the process's: CPython runs the loop and its collector
    on one thread), in ms."""
    gc.collect()
    if virtual:
        import looptime

        loop = looptime.patch_event_loop(asyncio.new_event_loop(), start=0.0)
    else:
        loop = asyncio.new_event_loop()
    try:
        started, cpu = time.perf_counter(), time.process_time()
        loop.run_until_complete(make())
        return (time.perf_counter() - started) * 1000, (time.process_time() - cpu) * 1000
    finally:
        loop.close()


def main():
    smoke = "--smoke" in sys.argv
    reps = int(sys.argv[sys.argv.index("--reps") + 1]) if "--reps" in sys.argv else (1 if smoke else 5)
    only = sys.argv[sys.argv.index("--only") + 1] if "--only" in sys.argv else None
    workloads = [w for w in _workloads(SMOKE if smoke else FULL) if only in (None, w[0])]
    if not workloads:
        sys.exit(f"no such workload: {only}")
    for name, make, virtual in workloads:
        _run_native(make, virtual)
        runs = [_run_native(make, virtual) for _ in range(reps)]
        times = [round(wall, 4) for wall, _ in runs]
        cpu_times = [round(cpu, 4) for _, cpu in runs]
        runner = "CPython asyncio" + (" + looptime" if virtual else "")
        figure = {"ms": round(statistics.median(times), 4), "min": min(times), "max": max(times)}
        print(json.dumps({"workload": name, "runner": runner, **figure, "reps": reps, "times": times, "cpu_times": cpu_times}))


async def run_browser(sizes, only):
    """In Pyodide: one timed run of the workload `only` (one that needs no timers) on its event
    loop, after a warm-up at the smoke sizes; the time in ms. The page gives every run a fresh
    interpreter (see bench/bench.js)."""
    for name, make, virtual in _workloads(sizes):
        if name != only or virtual:
            continue
        await [w for w in _workloads(SMOKE) if w[0] == name][0][1]()
        gc.collect()
        started = time.perf_counter()
        await make()
        return round((time.perf_counter() - started) * 1000, 4)
    raise ValueError(f"no such workload without timers: {only}")


BROWSER_WORKLOADS = [name for name, _, virtual in _workloads(SMOKE) if not virtual]


if __name__ == "__main__":
    main()
