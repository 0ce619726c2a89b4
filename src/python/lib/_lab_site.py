"""Set-up of every lab program: an import of a module the lab does not have names the module and
says what the lab has (the lab carries no CPython standard library, only what asyncio programs
use)."""

import sys

AVAILABLE = (
    "asyncio",
    "collections",
    "contextlib",
    "functools",
    "itertools",
    "logging",
    "math",
    "random",
    "reprlib",
    "sys",
    "time",
    "traceback",
    "warnings",
    "looplab_twin",
)


class _NotInTheLab:
    @classmethod
    def find_spec(cls, name, path=None, target=None):
        raise ModuleNotFoundError(
            f"No module named {name!r}: the lab runs asyncio programs without CPython's standard "
            f"library; it has {', '.join(AVAILABLE)}",
            name=name,
        )


sys.meta_path.append(_NotInTheLab)
