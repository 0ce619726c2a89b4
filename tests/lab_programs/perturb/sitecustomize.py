"""Moves where CPython places the objects a program makes (tasks among them): LOOPLAB_PERTURB=N
keeps N groups of objects of assorted sizes alive from start-up, and frees every third group,
leaving holes that later objects fill.

A program whose output changes with N depends on memory addresses: CPython iterates a set of
tasks (a TaskGroup's tasks, `asyncio.all_tasks()` at asyncio.run's shutdown) in the order of
their addresses' hashes. Its own output is then not an oracle (tests/lab_programs/conformance.py
skips it, naming why)."""

import os

_kept = [(object(), [None] * (i % 7), {}, "x" * (i * 8)) for i in range(int(os.environ.get("LOOPLAB_PERTURB", "0")))]
del _kept[::3]
