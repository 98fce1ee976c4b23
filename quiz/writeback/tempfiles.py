"""The temporary files of an atomic write: short names, and leftovers cleaned.

A temporary file lives beside its target (so the final rename stays on one
file system) under a short dot name, ``.quiz-XXXXXXXX.tmp``: a name built from
the target's (``.<name>.XXXXXXXX.tmp``) was over the 255-byte limit for a note
named with 80 Hangul syllables (240 bytes), so such a note could never be
written. A process killed between creating the file and the rename leaves it
behind; the next write to that folder removes those older than
``STALE_AFTER``, in the new pattern and the old one.
"""

from __future__ import annotations

import os
import re
import stat
import time
from contextlib import suppress
from pathlib import Path

PREFIX = ".quiz-"
SUFFIX = ".tmp"
#: A leftover younger than this may belong to a write under way in another process.
STALE_AFTER = 10 * 60

_OURS = re.compile(r"\.quiz-[A-Za-z0-9_]{8}\.tmp")
# Names of earlier versions: mkstemp's 8 characters after the note's name, or
# the exporters' 12 hex digits after the export's name.
_OLD = re.compile(r"\..+\.[A-Za-z0-9]+\.(?:[a-z0-9_]{8}|[0-9a-f]{12})\.tmp")


def is_leftover_name(name: str) -> bool:
    """Whether ``name`` is one a temporary file of ours has (now or before)."""
    return bool(_OURS.fullmatch(name) or _OLD.fullmatch(name))


def clean_leftovers(folder: Path, *, now: float | None = None) -> list[str]:
    """Remove stale temporary files of ours from ``folder``; return their names.

    Only regular files (never a symlink) older than ``STALE_AFTER`` go. Every
    error is ignored: cleaning is a courtesy, never a reason a write fails.
    """
    now = time.time() if now is None else now
    removed: list[str] = []
    try:
        with os.scandir(folder) as entries:
            candidates = [e for e in entries if e.name.startswith(".") and is_leftover_name(e.name)]
    except OSError:
        return removed
    for entry in candidates:
        with suppress(OSError):
            info = entry.stat(follow_symlinks=False)
            if stat.S_ISREG(info.st_mode) and now - info.st_mtime > STALE_AFTER:
                os.unlink(entry.path)
                removed.append(entry.name)
    return removed


def temp_name(token: str) -> str:
    """The short name of a temporary file (``token``: 8 random characters)."""
    return f"{PREFIX}{token}{SUFFIX}"
