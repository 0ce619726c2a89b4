"""A small `warnings` for the lab: `warn`, the filters programs use, and `showwarning`, whose
default writes to stderr (and the run's trace)."""

import _looplab

_filters = []
_default_action = "default"
_seen = set()


def simplefilter(action, category=Warning, lineno=0, append=False):
    global _default_action
    if category is Warning:
        _default_action = action
    else:
        entry = (action, category)
        if append:
            _filters.append(entry)
        else:
            _filters.insert(0, entry)


def filterwarnings(action, message="", category=Warning, module="", lineno=0, append=False):
    simplefilter(action, category, lineno, append)


def resetwarnings():
    global _default_action
    _filters.clear()
    _default_action = "default"


def _action_for(category):
    for action, cat in _filters:
        if issubclass(category, cat):
            return action
    return _default_action


def formatwarning(message, category, filename, lineno, line=None):
    return f"{filename}:{lineno}: {category.__name__}: {message}\n"


def showwarning(message, category, filename, lineno, file=None, line=None):
    at = f"{filename}:{lineno}" if filename else None
    _looplab.show_warning(str(message), category.__name__, at)


_default_showwarning = showwarning


def warn(message, category=None, stacklevel=1, source=None):
    if isinstance(message, Warning):
        category = message.__class__
    if category is None:
        category = UserWarning
    action = _action_for(category)
    if action == "ignore":
        return
    if action == "error":
        raise category(message)
    where = _looplab.current_line() or ":0"
    filename, _, lineno = where.rpartition(":")
    key = (str(message), category, where)
    if action in ("default", "module", "once") and key in _seen:
        return
    _seen.add(key)
    if source is not None and showwarning is _default_showwarning:
        # CPython's own display of an object's warning (a coroutine never awaited) adds a
        # note on where the object was made; a replaced showwarning gets the usual arguments.
        at = f"{filename}:{lineno}" if filename else None
        _looplab.show_warning(str(message), category.__name__, at, True)
        return
    showwarning(message, category, filename, int(lineno or 0))


class catch_warnings:
    def __init__(self, *, record=False, **kwargs):
        self._record = record

    def __enter__(self):
        global _default_action
        self._saved = (list(_filters), _default_action, showwarning)
        if self._record:
            log = []

            def _record(message, category, filename, lineno, file=None, line=None):
                log.append(WarningMessage(message, category, filename, lineno))

            globals()["showwarning"] = _record
            return log
        return None

    def __exit__(self, *exc_info):
        global _default_action
        filters, _default_action, shower = self._saved
        _filters[:] = filters
        globals()["showwarning"] = shower


class WarningMessage:
    def __init__(self, message, category, filename, lineno):
        self.message = message
        self.category = category
        self.filename = filename
        self.lineno = lineno
