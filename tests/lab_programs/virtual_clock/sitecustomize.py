"""Puts CPython's asyncio.run on looptime's virtual clock, as `looplab py` runs it.

tests/lab.rs runs CPython with this folder on PYTHONPATH, so Python imports this module at
start-up, before the program. A program that calls asyncio.run itself (the traceback programs)
then sleeps in virtual time: its timers fire in the order of their deadlines however busy the
machine is. On the real clock two timers 0.1 s apart fired in one iteration when CPython was
held up for longer than that, and the program printed something else.
"""
import asyncio.events

import looptime

_new_event_loop = asyncio.events.new_event_loop


def _virtual_event_loop():
    return looptime.patch_event_loop(_new_event_loop(), start=0.0)


# asyncio.run's Runner makes its loop with `events.new_event_loop()`.
asyncio.events.new_event_loop = _virtual_event_loop
