"""A small `traceback` for the lab: what programs call in their handlers (`print_exc`,
`format_exc`, `print_exception`, `format_exception`, `format_exception_only`), with the text of
CPython's default hook, which the lab writes natively (the same text as an uncaught exception's)."""

import sys

import _looplab

_sentinel = object()


def _chosen(exc, value):
    # Since 3.10 the exception alone; before, (type, value, tb), which still works.
    return exc if value is _sentinel else value


def format_exception(exc, /, value=_sentinel, tb=_sentinel, limit=None, chain=True):
    exc = _chosen(exc, value)
    if exc is None:
        return ["NoneType: None\n"]
    return _looplab.format_exception(exc).splitlines(keepends=True)


def format_exception_only(exc, /, value=_sentinel):
    exc = _chosen(exc, value)
    if exc is None:
        return ["NoneType: None\n"]
    cls = type(exc)
    name = cls.__qualname__
    if cls.__module__ not in ("__main__", "builtins"):
        name = f"{cls.__module__}.{name}"
    text = str(exc)
    lines = [f"{name}: {text}\n" if text else f"{name}\n"]
    lines += [f"{note}\n" for note in getattr(exc, "__notes__", None) or ()]
    return lines


def print_exception(exc, /, value=_sentinel, tb=_sentinel, limit=None, file=None, chain=True):
    if file is None:
        file = sys.stderr
    for line in format_exception(exc, value, tb, limit=limit, chain=chain):
        print(line, file=file, end="")


def format_exc(limit=None, chain=True):
    return "".join(format_exception(sys.exc_info()[1], limit=limit, chain=chain))


def print_exc(limit=None, file=None, chain=True):
    print_exception(sys.exc_info()[1], limit=limit, file=file, chain=chain)
