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
    iscoroutine,
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
    """`async with asyncio.timeout(delay)`: the deadline is looplab's; this is its `async with`."""

    def __init__(self, when):
        self._deadline = _looplab.Timeout(when)

    def when(self):
        return self._deadline.when()

    def reschedule(self, when):
        self._deadline.reschedule(when)

    def expired(self):
        return self._deadline.expired()

    async def __aenter__(self):
        self._deadline.enter()
        return self

    async def __aexit__(self, exc_type, exc_val, exc_tb):
        if self._deadline.exit(exc_val):
            raise TimeoutError from exc_val
        return None

    def __repr__(self):
        return f"<Timeout when={self.when()}>"


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
    return await _looplab.wait(fs, timeout=timeout, return_when=return_when)
