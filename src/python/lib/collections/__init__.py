"""A small `collections` for the lab: deque and defaultdict (native), namedtuple, Counter,
OrderedDict."""

from _collections import deque


class defaultdict(dict):
    def __init__(self, default_factory=None, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.default_factory = default_factory

    def __missing__(self, key):
        if self.default_factory is None:
            raise KeyError(key)
        value = self[key] = self.default_factory()
        return value

    def __repr__(self):
        return f"defaultdict({self.default_factory!r}, {dict.__repr__(self)})"

    def copy(self):
        return defaultdict(self.default_factory, self)


class OrderedDict(dict):
    def move_to_end(self, key, last=True):
        value = self.pop(key)
        if last:
            self[key] = value
        else:
            items = list(self.items())
            self.clear()
            self[key] = value
            self.update(items)

    def popitem(self, last=True):
        if not self:
            raise KeyError("dictionary is empty")
        key = next(reversed(self)) if last else next(iter(self))
        return key, self.pop(key)


class Counter(dict):
    def __init__(self, iterable=None, **kwds):
        super().__init__()
        self.update(iterable, **kwds)

    def __missing__(self, key):
        return 0

    def update(self, iterable=None, **kwds):
        if iterable is not None:
            if hasattr(iterable, "items"):
                for k, v in iterable.items():
                    self[k] = self[k] + v
            else:
                for k in iterable:
                    self[k] = self[k] + 1
        for k, v in kwds.items():
            self[k] = self[k] + v

    def most_common(self, n=None):
        items = sorted(self.items(), key=lambda kv: kv[1], reverse=True)
        return items if n is None else items[:n]

    def total(self):
        return sum(self.values())

    def __repr__(self):
        if not self:
            return f"{type(self).__name__}()"
        inner = ", ".join(f"{k!r}: {v!r}" for k, v in self.most_common())
        return f"{type(self).__name__}({{{inner}}})"


def namedtuple(typename, field_names, *, defaults=None, module=None, rename=False):
    if isinstance(field_names, str):
        field_names = field_names.replace(",", " ").split()
    fields = tuple(field_names)
    defaults = tuple(defaults or ())

    def __new__(cls, *args, **kwargs):
        values = list(args)
        missing = fields[len(values):]
        start = len(fields) - len(defaults)
        for i, name in enumerate(missing, len(values)):
            if name in kwargs:
                values.append(kwargs.pop(name))
            elif i >= start:
                values.append(defaults[i - start])
            else:
                raise TypeError(f"{typename}.__new__() missing required argument: '{name}'")
        if kwargs:
            raise TypeError(f"{typename}.__new__() got an unexpected keyword argument '{next(iter(kwargs))}'")
        return tuple.__new__(cls, values)

    def __repr__(self):
        inner = ", ".join(f"{n}={v!r}" for n, v in zip(fields, self))
        return f"{typename}({inner})"

    def _asdict(self):
        return dict(zip(fields, self))

    def _replace(self, **kwargs):
        return type(self)(*[kwargs.pop(n, v) for n, v in zip(fields, self)])

    namespace = {
        "__new__": __new__,
        "__repr__": __repr__,
        "_asdict": _asdict,
        "_replace": _replace,
        "_fields": fields,
        "__slots__": (),
    }
    for index, name in enumerate(fields):
        namespace[name] = property(lambda self, i=index: tuple.__getitem__(self, i))
    return type(typename, (tuple,), namespace)
