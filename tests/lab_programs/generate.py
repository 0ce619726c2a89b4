"""Seeded random asyncio programs, for checking the Python lab against CPython.

    python tests/lab_programs/generate.py SEED [COUNT] [OUTDIR]

writes COUNT programs (default 1) named `p{SEED+i}.py` into OUTDIR (default: print the first to
stdout). The same seed always gives the same program. Each program is a tree of tasks built
from what asyncio programs do: sleeps (often with equal deadlines), tasks spawned and awaited,
names, cancellations (with and without messages, caught, re-raised or swallowed), failures,
gather (with and without return_exceptions), wait (its three modes, with timeouts), wait_for,
timeout blocks, task groups with `except*`, shield, queues (bounded, with join), locks, events,
semaphores, done callbacks and try/finally. Each line it prints comes through the twin
helper's `log` ("{time} {task} {message}"), so that both sides print the loop's clock and the
task's name.

Programs are deterministic on CPython itself: no output depends on the iteration order of a set
(wait's sets are only counted, and its pending tasks cancelled in list order; main waits for
every task it started, so asyncio.run's shutdown, which cancels in set order, finds none; a task
group, which aborts its children in set order, has at most one child that prints), every
exception is retrieved, and the whole run is bounded by a timeout so that nothing waits forever. The first line lists the constructs used,
which the conformance report uses to group mismatches.
"""

import random
import sys

DELAYS = [0, 0, 0.1, 0.1, 0.2, 0.25, 0.5, 0.5, 1.0, 1.5]


class Program:
    def __init__(self, seed):
        self.r = random.Random(seed)
        self.seed = seed
        self.functions = []
        self.features = set()
        self.names = 0

    def delay(self):
        return self.r.choice(DELAYS)

    def fresh(self, prefix):
        self.names += 1
        return f"{prefix}{self.names}"

    # One worker coroutine function; returns its name. Workers only start workers defined
    # after them, so the tree is finite.
    def worker(self, depth):
        name = f"w{len(self.functions)}"
        self.functions.append(None)
        body = []
        for _ in range(self.r.randint(1, 4)):
            body += self.statement(depth, name)
        ending = self.r.random()
        if ending < 0.18:
            self.features.add("raise")
            body += [f'raise ValueError("{name} failed")']
        elif ending < 0.25:
            self.features.add("cancel-self")
            body += ["asyncio.current_task().cancel()", "await asyncio.sleep(0)"]
        body += [f'return "{name} done"']
        if self.r.random() < 0.3:
            self.features.add("try-finally")
            body = (
                ["try:"]
                + indent(body)
                + ["except asyncio.CancelledError as e:", f'    log(f"{name} cancelled {{e.args!r}}")']
                + (["    raise"] if self.r.random() < 0.8 else [f'    return "{name} swallowed"'])
                + ["finally:", f'    log("{name} finally")']
            )
        lines = [f"async def {name}():", f'    log("{name} starts")'] + indent(body)
        self.functions[int(name[1:])] = lines
        return name

    def child(self, depth):
        """A coroutine expression to run in a child task."""
        if depth >= 3 or self.r.random() < 0.35:
            self.features.add("sleep")
            return f"asyncio.sleep({self.delay()}, result={self.r.randint(0, 9)})"
        return f"{self.worker(depth + 1)}()"

    def spawn(self, depth, var):
        """Lines that start a child task in `var` (and note it in TASKS, so that main waits for
        it before the run ends: asyncio.run would otherwise cancel it, in the iteration order
        of a set)."""
        if self.r.random() < 0.5:
            self.features.add("named-task")
            create = f'{var} = asyncio.create_task({self.child(depth)}, name="{self.fresh("t")}")'
        else:
            create = f"{var} = asyncio.create_task({self.child(depth)})"
        return [create, f"TASKS.append({var})"]

    def await_task(self, var, what):
        return [
            "try:",
            f"    r = await {var}",
            f'    log(f"{what} got {{r!r}}")',
            "except asyncio.CancelledError:",
            f'    log("{what} was cancelled")',
            "except Exception as e:",
            f'    log(f"{what} failed {{e!r}}")',
        ]

    def statement(self, depth, who):
        r = self.r
        choice = r.random()
        if depth >= 3:
            choice = r.random() * 0.3
        if choice < 0.18:
            self.features.add("sleep")
            return [f"await asyncio.sleep({self.delay()})", f'log("{who} slept")']
        if choice < 0.25:
            return [f'log("{who} at {r.randint(0, 99)}")']
        if choice < 0.36:
            self.features.add("spawn-await")
            var = self.fresh("c")
            lines = self.spawn(depth, var)
            if r.random() < 0.5:
                lines += [f"await asyncio.sleep({self.delay()})"]
            return lines + self.await_task(var, f"{who}/{var}")
        if choice < 0.44:
            self.features.add("gather")
            n = r.randint(1, 4)
            children = ", ".join(self.child(depth) for _ in range(n))
            if r.random() < 0.5:
                self.features.add("gather-return-exceptions")
                return [
                    f"rs = await asyncio.gather({children}, return_exceptions=True)",
                    f'log(f"{who} gathered {{rs!r}}")',
                ]
            return [
                "try:",
                f"    rs = await asyncio.gather({children})",
                f'    log(f"{who} gathered {{rs!r}}")',
                "except Exception as e:",
                f'    log(f"{who} gather failed {{e!r}}")',
            ]
        if choice < 0.52:
            self.features.add("cancel")
            var = self.fresh("k")
            message = r.choice(["", f"'{who} says stop'"])
            return self.spawn(depth, var) + [
                f"await asyncio.sleep({self.delay()})",
                f'log(f"{who} cancel {{{var}.cancel({message})}}")',
            ] + self.await_task(var, f"{who}/{var}")
        if choice < 0.59:
            self.features.add("wait")
            n = r.randint(1, 3)
            mode = r.choice(["FIRST_COMPLETED", "FIRST_EXCEPTION", "ALL_COMPLETED"])
            timeout = r.choice(["None", "0.3", "1.0"])
            var = self.fresh("ws")
            return [
                f"{var} = [asyncio.create_task({self.child(depth)}) for _ in range({n})]",
                f"TASKS.extend({var})",
                f"done, pending = await asyncio.wait({var}, timeout={timeout}, return_when=asyncio.{mode})",
                f'log(f"{who} wait: {{len(done)}} done, {{len(pending)}} pending")',
                f"for t in {var}:",
                "    if t in pending:",
                "        t.cancel()",
                f"rs = await asyncio.gather(*{var}, return_exceptions=True)",
                f'log(f"{who} after wait {{rs!r}}")',
            ]
        if choice < 0.66:
            self.features.add("timeout")
            inner = []
            for _ in range(r.randint(1, 2)):
                inner += self.statement(depth + 1, who)
            return (
                ["try:", f"    async with asyncio.timeout({r.choice([0.1, 0.3, 0.5, 1.0])}):"]
                + indent(indent(inner))
                + ["except TimeoutError:", f'    log("{who} timed out")']
            )
        if choice < 0.71:
            self.features.add("wait_for")
            return [
                "try:",
                f"    r = await asyncio.wait_for({self.child(depth)}, timeout={r.choice([0.1, 0.5, 1.0])})",
                f'    log(f"{who} wait_for got {{r!r}}")',
                "except TimeoutError:",
                f'    log("{who} wait_for timed out")',
                "except Exception as e:",
                f'    log(f"{who} wait_for failed {{e!r}}")',
            ]
        if choice < 0.78:
            self.features.add("taskgroup")
            # CPython 3.11 keeps a task group's children in a set and cancels them in its
            # iteration order when the group aborts: only one child may print, the others
            # only sleep, so that no output depends on that order.
            n = r.randint(1, 3)
            spawns = [f"tg.create_task({self.child(depth)})"] + [
                f"tg.create_task(asyncio.sleep({self.delay()}, result={r.randint(0, 9)}))" for _ in range(n - 1)
            ]
            return (
                ["try:", "    async with asyncio.TaskGroup() as tg:"]
                + ["        " + s for s in spawns]
                + [f'        log("{who} group started")']
                + [f'    log("{who} group done")', "except* ValueError as eg:", f'    log(f"{who} group failed {{len(eg.exceptions)}}")']
            )
        if choice < 0.82:
            self.features.add("shield")
            var = self.fresh("s")
            return self.spawn(depth, var) + [
                "try:",
                f"    r = await asyncio.wait_for(asyncio.shield({var}), timeout={r.choice([0.1, 0.5])})",
                f'    log(f"{who} shield got {{r!r}}")',
                "except TimeoutError:",
                f'    log("{who} shield timed out, inner still running")',
                "except Exception as e:",
                f'    log(f"{who} shield failed {{e!r}}")',
            ] + self.await_task(var, f"{who}/{var}")
        if choice < 0.87:
            self.features.add("queue")
            n = r.randint(1, 4)
            var = self.fresh("q")
            lines = [
                f'{var} = asyncio.create_task(consumer("{who}/{var}", {n}))',
                f"TASKS.append({var})",
                f"for i in range({n}):",
                f'    await Q.put(f"{who}-{{i}}")',
                f'    log(f"{who} put {{i}}, size {{Q.qsize()}}")',
            ]
            if r.random() < 0.3:
                self.features.add("queue-join")
                lines += ["await Q.join()", f'log("{who} queue joined")']
            return lines + self.await_task(var, f"{who}/{var}")
        if choice < 0.91:
            self.features.add("lock")
            return [
                "async with LOCK:",
                f'    log("{who} holds the lock")',
                f"    await asyncio.sleep({self.delay()})",
                f'log("{who} released the lock")',
            ]
        if choice < 0.95:
            self.features.add("semaphore")
            return [
                "async with SEM:",
                f'    log("{who} in the semaphore")',
                f"    await asyncio.sleep({self.delay()})",
            ]
        if choice < 0.98:
            self.features.add("event")
            var = self.fresh("e")
            return [
                f"{var} = asyncio.create_task(EVENT.wait())",
                f"TASKS.append({var})",
                f"await asyncio.sleep({self.delay()})",
                "EVENT.set()",
                f"log(f\"{who} event waiter: {{await {var}}}\")",
                "EVENT.clear()",
            ]
        self.features.add("done-callback")
        var = self.fresh("d")
        return self.spawn(depth, var) + [
            f'{var}.add_done_callback(lambda t: log(f"callback: cancelled={{t.cancelled()}}"))',
        ] + self.await_task(var, f"{who}/{var}")

    def main(self):
        body = []
        for _ in range(self.r.randint(2, 5)):
            body += self.statement(0, "main")
        maxsize = self.r.randint(0, 2)
        permits = self.r.randint(1, 3)
        return (
            [
                "async def main():",
                "    global Q, LOCK, EVENT, SEM, TASKS",
                "    TASKS = []",
                f"    Q = asyncio.Queue(maxsize={maxsize})",
                "    LOCK = asyncio.Lock()",
                "    EVENT = asyncio.Event()",
                f"    SEM = asyncio.Semaphore({permits})",
                "    try:",
                "        async with asyncio.timeout(60):",
            ]
            + indent(indent(indent(body)))
            + [
                "            await asyncio.gather(*TASKS, return_exceptions=True)",
                "    except TimeoutError:",
                '        log("main: the run took too long")',
                "    for t in TASKS:",
                "        t.cancel()",
                "    rs = await asyncio.gather(*TASKS, return_exceptions=True)",
                '    log(f"main done, {len(rs)} tasks")',
            ]
        )

    def source(self):
        main = self.main()
        lines = [
            f"# features: {' '.join(sorted(self.features))}",
            f'"""Random asyncio program {self.seed} (tests/lab_programs/generate.py)."""',
            "import asyncio",
            "",
            "from looplab_twin import log, run",
            "",
            "",
            "async def consumer(who, n):",
            "    for _ in range(n):",
            "        item = await Q.get()",
            "        Q.task_done()",
            '        log(f"{who} got {item}")',
            "    return n",
            "",
        ]
        for f in self.functions:
            lines += f + [""]
        lines += main + ["", "", "run(main)", ""]
        return "\n".join(lines)


def indent(lines):
    return ["    " + line if line else line for line in lines]


def program(seed):
    return Program(seed).source()


if __name__ == "__main__":
    seed = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    if len(sys.argv) > 3:
        import os

        os.makedirs(sys.argv[3], exist_ok=True)
        for i in range(count):
            with open(os.path.join(sys.argv[3], f"p{seed + i}.py"), "w") as f:
                f.write(program(seed + i))
    else:
        sys.stdout.write(program(seed))
