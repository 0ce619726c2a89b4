"""`reprlib.repr`: a repr kept short, as asyncio shows a future's or a task's result
(`<Future finished result=[0, 1, 2, 3, 4, 5, ...]>`). The limits and the rules for each type
are CPython 3.11's (`Lib/reprlib.py`): containers show their first items and `...`, nested at
most six deep; strings, long integers and other objects keep their two ends around `...`."""

from itertools import islice

__all__ = ["Repr", "repr"]

_builtin_repr = repr


def _shorten(text, limit):
    """`text` with its middle replaced by `...` so that it is `limit` long, if it is longer."""
    if len(text) <= limit:
        return text
    head = max(0, (limit - 3) // 2)
    tail = max(0, limit - 3 - head)
    return text[:head] + "..." + text[len(text) - tail:]


def _in_order(items):
    try:
        return sorted(items)
    except Exception:
        return list(items)


class Repr:
    def __init__(self):
        self.maxlevel = 6
        self.maxtuple = 6
        self.maxlist = 6
        self.maxarray = 5
        self.maxdict = 4
        self.maxset = 6
        self.maxfrozenset = 6
        self.maxdeque = 6
        self.maxstring = 30
        self.maxlong = 40
        self.maxother = 30

    def repr(self, x):
        return self.repr1(x, self.maxlevel)

    def repr1(self, x, level):
        kind = "_".join(type(x).__name__.split())
        shown = getattr(self, "repr_" + kind, None)
        if shown is None:
            return self.repr_instance(x, level)
        return shown(x, level)

    def _items(self, x, level, left, right, most, one=""):
        count = len(x)
        if level <= 0 and count:
            inside = "..."
        else:
            parts = [self.repr1(item, level - 1) for item in islice(x, most)]
            if count > most:
                parts.append("...")
            inside = ", ".join(parts)
            if count == 1 and one:
                right = one + right
        return f"{left}{inside}{right}"

    def repr_tuple(self, x, level):
        return self._items(x, level, "(", ")", self.maxtuple, ",")

    def repr_list(self, x, level):
        return self._items(x, level, "[", "]", self.maxlist)

    def repr_set(self, x, level):
        if not x:
            return "set()"
        return self._items(_in_order(x), level, "{", "}", self.maxset)

    def repr_frozenset(self, x, level):
        if not x:
            return "frozenset()"
        return self._items(_in_order(x), level, "frozenset({", "})", self.maxfrozenset)

    def repr_deque(self, x, level):
        return self._items(x, level, "deque([", "])", self.maxdeque)

    def repr_dict(self, x, level):
        if not x:
            return "{}"
        if level <= 0:
            return "{...}"
        parts = []
        for key in islice(_in_order(x), self.maxdict):
            parts.append(f"{self.repr1(key, level - 1)}: {self.repr1(x[key], level - 1)}")
        if len(x) > self.maxdict:
            parts.append("...")
        return "{" + ", ".join(parts) + "}"

    def repr_str(self, x, level):
        text = _builtin_repr(x[: self.maxstring])
        if len(text) <= self.maxstring:
            return text
        head = max(0, (self.maxstring - 3) // 2)
        tail = max(0, self.maxstring - 3 - head)
        text = _builtin_repr(x[:head] + x[len(x) - tail:])
        return text[:head] + "..." + text[len(text) - tail:]

    def repr_int(self, x, level):
        return _shorten(_builtin_repr(x), self.maxlong)

    def repr_instance(self, x, level):
        try:
            text = _builtin_repr(x)
        except Exception:
            return "<%s instance at %#x>" % (x.__class__.__name__, id(x))
        return _shorten(text, self.maxother)


aRepr = Repr()
repr = aRepr.repr
