"""The lab's clock for `time`: `time.sleep` holds the loop (the step takes that long; on the
virtual clock the time moves on at once), `time.monotonic` and `time.perf_counter` read the
loop's clock, `time.time` is that clock from a fixed epoch."""

import time

import _looplab

EPOCH = 1_767_225_600.0  # 2026-01-01T00:00:00Z


def sleep(seconds):
    if seconds < 0:
        raise ValueError("sleep length must be non-negative")
    _looplab.block(float(seconds))


def monotonic():
    return _looplab.time()


def time_():
    return EPOCH + _looplab.time()


time.sleep = sleep
time.monotonic = monotonic
time.perf_counter = monotonic
time.time = time_
