"""asyncio for the looplab lab: CPython 3.11's names over looplab's executor.

Everything that schedules (tasks, futures, sleeps, timers, gather, wait, queues, locks, timeouts,
task groups) is native and runs on looplab's loop, which schedules as CPython's does; this file
arranges it under asyncio's names and adds what is plain Python in CPython too.
"""

import _looplab
from _looplab import (
    CancelledError,
    IncompleteReadError,
    InvalidStateError,
    LimitOverrunError,
    QueueEmpty,
    QueueFull,
    QueueShutDown,
    _get_running_loop,
    all_tasks,
    create_task,
    current_task,
    ensure_future,
    gather,
    get_running_loop,
    isfuture,
    new_event_loop,
    run,
    shield,
    sleep,
)

Task = _looplab.Task
Future = _looplab.Future
TimeoutError = TimeoutError

FIRST_COMPLETED = "FIRST_COMPLETED"
FIRST_EXCEPTION = "FIRST_EXCEPTION"
ALL_COMPLETED = "ALL_COMPLETED"


def get_event_loop():
    return get_running_loop()


class _AwaitWrapper:
    def __init__(self, it):
        self._it = it

    def __await__(self):
        return self._it


async def _wrap_awaitable(it):
    return await _AwaitWrapper(it)


_GeneratorType = type(_ for _ in ())


def iscoroutine(obj):
    """CPython 3.11 counts plain generators too (old generator-based coroutines), so that
    `wait(genexpr)` and `as_completed(genexpr)` refuse them as CPython does."""
    return _looplab.iscoroutine(obj) or isinstance(obj, _GeneratorType)


def iscoroutinefunction(func):
    code = getattr(func, "__code__", None)
    return code is not None and bool(code.co_flags & 0x80)


def eager_task_factory(loop, coro, *, name=None, context=None):
    return loop.create_task(coro, name=name)


Queue = _looplab.Queue
Lock = _looplab.Lock
Event = _looplab.Event
Semaphore = _looplab.Semaphore
TaskGroup = _looplab.TaskGroup
StreamReader = _looplab.StreamReader


class LifoQueue(Queue):
    _kind = "lifo"


class PriorityQueue(Queue):
    _kind = "priority"


class BoundedSemaphore(Semaphore):
    _bounded = True


class Condition(_looplab.Condition):
    async def wait_for(self, predicate):
        result = predicate()
        while not result:
            await self.wait()
            result = predicate()
        return result


class Timeout:
    """`async with asyncio.timeout(delay)`: the deadline is looplab's; this is its `async with`,
    with CPython 3.11's states (created, active, expiring, expired, finished) for its repr and
    its errors."""

    def __init__(self, when):
        self._deadline = _looplab.Timeout(when)
        self._state = "created"

    def when(self):
        return self._deadline.when()

    def reschedule(self, when):
        if self._state != "active" or self.expired():
            if self._state == "created":
                raise RuntimeError("Timeout has not been entered")
            raise RuntimeError(f"Cannot change state of {self._current_state()} Timeout")
        self._deadline.reschedule(when)

    def expired(self):
        return self._deadline.expired()

    def _current_state(self):
        # The deadline fired inside the block: `expiring` until the block is left.
        if self._state == "active" and self.expired():
            return "expiring"
        return self._state

    async def __aenter__(self):
        if self._state != "created":
            raise RuntimeError("Timeout has already been entered")
        self._deadline.enter()
        self._state = "active"
        return self

    async def __aexit__(self, exc_type, exc_val, exc_tb):
        self._state = "expired" if self.expired() else "finished"
        if self._deadline.exit(exc_val):
            raise TimeoutError from exc_val
        return None

    def __repr__(self):
        state = self._current_state()
        info = ""
        if state == "active":
            when = self.when()
            info = f" when={None if when is None else round(when, 3)}"
        return f"<Timeout [{state}]{info}>"


def timeout(delay):
    loop = get_running_loop()
    return Timeout(None if delay is None else loop.time() + delay)


def timeout_at(when):
    return Timeout(when)


def as_completed(fs, *, timeout=None):
    if isfuture(fs) or iscoroutine(fs):
        raise TypeError(f"expect an iterable of futures, not {type(fs).__name__}")
    return _as_completed(fs, timeout)


def _as_completed(fs, timeout):
    it = _looplab.as_completed(list(fs), timeout)
    while True:
        waiter = it.next()
        if waiter is None:
            return
        yield waiter


async def to_thread(func, /, *args, **kwargs):
    """The lab has no threads: the function runs here, in this task, holding the loop."""
    return func(*args, **kwargs)


async def wait_for(fut, timeout):
    """CPython 3.11's wait_for: without a timeout it simply awaits (a coroutine runs in this
    task); with one, the awaitable runs in a task of its own under a deadline."""
    if timeout is None:
        return await fut
    result = await _looplab.wait_for(fut, timeout)
    if _looplab.timed_out(result):
        # `fut.result()` raised this CancelledError for the awaitable it cancelled. (The frame
        # stays in the tracebacks: it must not hold the exception, or they would make a cycle.)
        try:
            raise result
        except CancelledError as exc:
            result = None
            raise TimeoutError() from exc
    return result


async def wait(fs, *, timeout=None, return_when=ALL_COMPLETED):
    if isfuture(fs) or iscoroutine(fs):
        raise TypeError(f"expect a list of futures, not {type(fs).__name__}")
    fs = list(fs)
    if fs and return_when in (FIRST_COMPLETED, FIRST_EXCEPTION, ALL_COMPLETED):
        # CPython 3.11 refuses coroutines here (3.10 wrapped them in tasks, with a warning).
        if any(iscoroutine(f) for f in fs):
            raise TypeError("Passing coroutines is forbidden, use tasks explicitly.")
    return await _looplab.wait(fs, timeout=timeout, return_when=return_when)
