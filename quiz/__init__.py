"""quiz: flashcards from the cue questions of Cornell-style Markdown notes."""

import sys as _sys

__version__ = "0.1.0"


def _import_sqlite_utils_without_numpy() -> None:
    # sqlite-utils imports numpy and pandas when they are installed, only to
    # map their scalar types to column types; quiz never stores such values.
    # numpy comes with the Korean extra (kiwipiepy) and would add 0.1-0.2 s
    # to the start of every command, a third of a warm scan. Hide the two
    # while sqlite-utils loads, then let anyone import them as usual.
    if "sqlite_utils" in _sys.modules:
        return
    hidden = [name for name in ("numpy", "pandas") if name not in _sys.modules]
    for name in hidden:
        _sys.modules[name] = None  # type: ignore[assignment]
    try:
        import sqlite_utils  # noqa: F401
    finally:
        for name in hidden:
            del _sys.modules[name]


_import_sqlite_utils_without_numpy()
