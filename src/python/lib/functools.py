"""A small `functools` for the lab."""

from _functools import reduce

WRAPPER_ASSIGNMENTS = ("__module__", "__name__", "__qualname__", "__doc__")


def update_wrapper(wrapper, wrapped, assigned=WRAPPER_ASSIGNMENTS, updated=("__dict__",)):
    for attr in assigned:
        try:
            setattr(wrapper, attr, getattr(wrapped, attr))
        except AttributeError:
            pass
    for attr in updated:
        getattr(wrapper, attr, {}).update(getattr(wrapped, attr, {}))
    wrapper.__wrapped__ = wrapped
    return wrapper


def wraps(wrapped, assigned=WRAPPER_ASSIGNMENTS, updated=("__dict__",)):
    def decorate(wrapper):
        return update_wrapper(wrapper, wrapped, assigned, updated)

    return decorate


class partial:
    def __init__(self, func, /, *args, **keywords):
        self.func = func
        self.args = args
        self.keywords = keywords

    def __call__(self, /, *args, **keywords):
        return self.func(*self.args, *args, **{**self.keywords, **keywords})

    def __repr__(self):
        parts = [repr(self.func)] + [repr(a) for a in self.args]
        parts += [f"{k}={v!r}" for k, v in self.keywords.items()]
        return f"functools.partial({', '.join(parts)})"


def cache(func):
    results = {}

    def cached(*args):
        if args not in results:
            results[args] = func(*args)
        return results[args]

    return update_wrapper(cached, func)


def lru_cache(maxsize=128, typed=False):
    if callable(maxsize):
        return cache(maxsize)
    return cache


def total_ordering(cls):
    if "__lt__" in cls.__dict__:
        if "__gt__" not in cls.__dict__:
            cls.__gt__ = lambda a, b: b < a
        if "__le__" not in cls.__dict__:
            cls.__le__ = lambda a, b: not b < a
        if "__ge__" not in cls.__dict__:
            cls.__ge__ = lambda a, b: not a < b
    return cls
