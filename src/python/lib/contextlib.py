"""contextlib for the lab: `asynccontextmanager`, `AsyncExitStack` and the synchronous helpers
programs use beside them (`contextmanager`, `ExitStack`, `suppress`, `nullcontext`, `closing`,
`aclosing`), written for the lab with CPython 3.11's behaviour."""


class AbstractAsyncContextManager:
    async def __aenter__(self):
        return self

    async def __aexit__(self, exc_type, exc_value, traceback):
        return None


class AbstractContextManager:
    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc_value, traceback):
        return None


def _finished_by(raised, thrown):
    """Whether the generator ended by re-raising `thrown` (then `__exit__` lets it go on), as
    opposed to raising something else."""
    if raised is thrown:
        return True
    # A StopIteration thrown into a generator comes back as a RuntimeError caused by it.
    return isinstance(thrown, (StopIteration, StopAsyncIteration)) and raised.__cause__ is thrown


class _AsyncGeneratorContextManager(AbstractAsyncContextManager):
    """What `@asynccontextmanager` makes: the generator's code before `yield` is `__aenter__`,
    the code after it `__aexit__`."""

    def __init__(self, func, args, kwds):
        self._generator = func(*args, **kwds)
        self.gen = self._generator

    async def __aenter__(self):
        try:
            return await self._generator.__anext__()
        except StopAsyncIteration:
            raise RuntimeError("generator didn't yield") from None

    async def __aexit__(self, exc_type, exc_value, traceback):
        generator = self._generator
        if exc_type is None:
            try:
                await generator.__anext__()
            except StopAsyncIteration:
                return False
            raise RuntimeError("generator didn't stop")
        thrown = exc_value if exc_value is not None else exc_type()
        try:
            await generator.athrow(thrown)
        except StopAsyncIteration as ended:
            # The generator caught the exception and returned: it is suppressed (unless what
            # was thrown in was this very StopAsyncIteration).
            return ended is not thrown
        except BaseException as raised:
            if _finished_by(raised, thrown):
                return False
            raise
        raise RuntimeError("generator didn't stop after athrow()")


class _GeneratorContextManager(AbstractContextManager):
    """What `@contextmanager` makes."""

    def __init__(self, func, args, kwds):
        self._generator = func(*args, **kwds)
        self.gen = self._generator

    def __enter__(self):
        try:
            return next(self._generator)
        except StopIteration:
            raise RuntimeError("generator didn't yield") from None

    def __exit__(self, exc_type, exc_value, traceback):
        generator = self._generator
        if exc_type is None:
            try:
                next(generator)
            except StopIteration:
                return False
            raise RuntimeError("generator didn't stop")
        thrown = exc_value if exc_value is not None else exc_type()
        try:
            generator.throw(thrown)
        except StopIteration as ended:
            return ended is not thrown
        except BaseException as raised:
            if _finished_by(raised, thrown):
                return False
            raise
        raise RuntimeError("generator didn't stop after throw()")


def _decorator(manager_class, func):
    def make(*args, **kwds):
        return manager_class(func, args, kwds)

    for attr in ("__module__", "__name__", "__qualname__", "__doc__"):
        try:
            setattr(make, attr, getattr(func, attr))
        except AttributeError:
            pass
    make.__wrapped__ = func
    return make


def asynccontextmanager(func):
    return _decorator(_AsyncGeneratorContextManager, func)


def contextmanager(func):
    return _decorator(_GeneratorContextManager, func)


class suppress(AbstractContextManager):
    def __init__(self, *exceptions):
        self._exceptions = exceptions

    def __enter__(self):
        return None

    def __exit__(self, exc_type, exc_value, traceback):
        if exc_type is None:
            return False
        if issubclass(exc_type, self._exceptions):
            return True
        if isinstance(exc_value, BaseExceptionGroup):
            _, rest = exc_value.split(self._exceptions)
            if rest is None:
                return True
            raise rest
        return False


class nullcontext(AbstractContextManager, AbstractAsyncContextManager):
    def __init__(self, enter_result=None):
        self.enter_result = enter_result

    def __enter__(self):
        return self.enter_result

    def __exit__(self, *exc_info):
        return None

    async def __aenter__(self):
        return self.enter_result

    async def __aexit__(self, *exc_info):
        return None


class closing(AbstractContextManager):
    def __init__(self, thing):
        self.thing = thing

    def __enter__(self):
        return self.thing

    def __exit__(self, *exc_info):
        self.thing.close()


class aclosing(AbstractAsyncContextManager):
    def __init__(self, thing):
        self.thing = thing

    async def __aenter__(self):
        return self.thing

    async def __aexit__(self, *exc_info):
        await self.thing.aclose()


def _exit_method(cm, name, kind):
    method = getattr(type(cm), name, None)
    if method is None:
        raise TypeError(
            f"'{type(cm).__module__}.{type(cm).__qualname__}' object does not support the {kind} protocol"
        )
    return lambda *exc_info: method(cm, *exc_info)


class _Stack:
    """The callbacks of an exit stack, last in first out; each takes (type, value, traceback)
    and may return true to suppress the exception in flight."""

    def __init__(self):
        self._callbacks = []  # (awaited, callback)

    def _push(self, awaited, callback):
        self._callbacks.append((awaited, callback))

    def pop_all(self):
        moved = type(self)()
        moved._callbacks, self._callbacks = self._callbacks, []
        return moved

    def push(self, exit):
        exit_method = getattr(type(exit), "__exit__", None)
        if exit_method is None:
            self._push(False, exit)
        else:
            self._push(False, lambda *exc_info: exit_method(exit, *exc_info))
        return exit

    def enter_context(self, cm):
        enter = getattr(type(cm), "__enter__", None)
        exit = _exit_method(cm, "__exit__", "context manager")
        if enter is None:
            raise TypeError(
                f"'{type(cm).__module__}.{type(cm).__qualname__}' object does not support the context manager protocol"
            )
        value = enter(cm)
        self._push(False, exit)
        return value

    def callback(self, callback, /, *args, **kwds):
        def call(exc_type, exc_value, traceback):
            callback(*args, **kwds)

        call.__wrapped__ = callback
        self._push(False, call)
        return callback

    def _unwind_step(self, exc):
        """The next callback and the arguments it is called with, given the exception in flight."""
        awaited, callback = self._callbacks.pop()
        info = (None, None, None) if exc is None else (type(exc), exc, exc.__traceback__)
        return awaited, callback, info


def _chain(new, old):
    """A callback raised `new` while `old` was in flight: `new` happened during `old`."""
    if old is None or new is old:
        return
    link = new
    while link.__context__ is not None and link.__context__ is not old:
        if link.__context__ is link:
            break
        link = link.__context__
    if link.__context__ is None:
        link.__context__ = old


def _outcome(received, exc, original):
    """How `__exit__` ends: raise what is in flight if a callback raised it, otherwise say
    whether the original exception was suppressed."""
    if exc is not None and exc is not original:
        raise exc
    return received and exc is None


class ExitStack(_Stack, AbstractContextManager):
    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc_value, traceback):
        received = exc_type is not None
        exc = exc_value if received else None
        while self._callbacks:
            _, callback, info = self._unwind_step(exc)
            try:
                if callback(*info):
                    exc = None
            except BaseException as raised:
                _chain(raised, exc)
                exc = raised
        return _outcome(received, exc, exc_value)

    def close(self):
        self.__exit__(None, None, None)


class AsyncExitStack(_Stack, AbstractAsyncContextManager):
    async def enter_async_context(self, cm):
        enter = getattr(type(cm), "__aenter__", None)
        exit = _exit_method(cm, "__aexit__", "asynchronous context manager")
        if enter is None:
            raise TypeError(
                f"'{type(cm).__module__}.{type(cm).__qualname__}' object does not support the asynchronous context manager protocol"
            )
        value = await enter(cm)
        self._push(True, exit)
        return value

    def push_async_exit(self, exit):
        exit_method = getattr(type(exit), "__aexit__", None)
        if exit_method is None:
            self._push(True, exit)
        else:
            self._push(True, lambda *exc_info: exit_method(exit, *exc_info))
        return exit

    def push_async_callback(self, callback, /, *args, **kwds):
        async def call(exc_type, exc_value, traceback):
            await callback(*args, **kwds)

        call.__wrapped__ = callback
        self._push(True, call)
        return callback

    async def aclose(self):
        await self.__aexit__(None, None, None)

    async def __aenter__(self):
        return self

    async def __aexit__(self, exc_type, exc_value, traceback):
        received = exc_type is not None
        exc = exc_value if received else None
        while self._callbacks:
            awaited, callback, info = self._unwind_step(exc)
            try:
                result = callback(*info)
                if awaited:
                    result = await result
                if result:
                    exc = None
            except BaseException as raised:
                _chain(raised, exc)
                exc = raised
        return _outcome(received, exc, exc_value)
