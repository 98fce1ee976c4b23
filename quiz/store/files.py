"""The index file on disk: can it be used, is it damaged, moving a damaged one aside.

The index holds nothing the notes cannot give again except the review
history, so a damaged index is never repaired in place: it is moved aside
(with its ``-wal``), kept for the learner, and a new one is built from the
notes. What quiz cannot fix itself (a folder where the file should be, a
read-only file or folder, an index from a newer quiz) is a ``StoreError``
whose message names the path and what to do; the index is left untouched.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import stat
from pathlib import Path

#: The files SQLite keeps beside an index in WAL mode.
SIDE_FILES = ("-wal", "-shm")

#: SQLite's names for "these bytes are not a sound database".
_DAMAGE = ("SQLITE_CORRUPT", "SQLITE_NOTADB")


class StoreError(Exception):
    """The index cannot be used as it is; the message names it and says what to do."""


def is_damage(exc: BaseException) -> bool:
    """Whether a SQLite error says the file's bytes are not a sound database."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    return isinstance(exc, sqlite3.DatabaseError) and name.startswith(_DAMAGE)


#: The first bytes of every SQLite database file.
_MAGIC = b"SQLite format 3\x00"


def header_damage(path: Path) -> str | None:
    """What is wrong with the file's SQLite header, or ``None`` when it looks sound.

    Read before any connection: SQLite, finding a damaged file, may still
    take its ``-wal`` in and delete it on closing, and that log is part of
    what is kept aside. Damage deeper in the file is SQLite's to find.
    """
    # A checkpoint copies the write-ahead log into the file page by page,
    # page 1 (with the new page count) first: while it runs, a sound index
    # looks truncated. It only runs while a -wal file holds pages, so a short
    # file is damage only when no log was there before or after the read.
    logged = _has_wal(path)
    try:
        with path.open("rb") as fh:
            head = fh.read(100)
            size = os.fstat(fh.fileno()).st_size
    except FileNotFoundError:
        return None  # another quiz moved it aside just now
    if size == 0:
        return "empty: 0 bytes"
    if not head.startswith(_MAGIC):
        return "not a database file"
    if len(head) < 100:
        return f"truncated: {size} bytes"
    page = int.from_bytes(head[16:18], "big")
    page = 65536 if page == 1 else page
    if page < 512 or page & (page - 1):
        return "not a database file (bad page size)"
    # The page count in the header is valid when its "version valid for"
    # matches the change counter (SQLite file format, section 1.3).
    pages = int.from_bytes(head[28:32], "big")
    valid = head[92:96] == head[24:28] and pages > 0
    if size % page:
        return f"truncated: {size} of {pages * page if valid else '?'} bytes"
    if valid and size < pages * page and not (logged or _has_wal(path)):
        return f"truncated: {size} of {pages * page} bytes"
    return None


def _has_wal(path: Path) -> bool:
    """Whether the index's write-ahead log holds anything (SQLite then decides)."""
    try:
        return path.with_name(path.name + "-wal").stat().st_size > 0
    except OSError:
        return False


def check_place(path: Path, *, create: bool = True) -> None:
    """Raise ``StoreError`` unless ``path`` can hold a writable index.

    Creates the folder when it is missing (unless ``create`` is false).
    """
    try:
        mode: int | None = path.stat().st_mode
    except (FileNotFoundError, NotADirectoryError):  # the folder is the trouble, see below
        mode = None
    except OSError as exc:
        raise StoreError(f"cannot use the index {path}: {exc.strerror or exc}") from None
    if mode is not None and stat.S_ISDIR(mode):
        raise StoreError(
            f"the index {path} is a folder, not a file; move it away or pass --db PATH"
        )
    if mode is not None and not stat.S_ISREG(mode):
        raise StoreError(
            f"the index {path} is not a regular file (a device or a pipe); pass --db PATH"
        )
    if not create and not path.parent.is_dir():
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(
            f"cannot create the index folder {path.parent}: {exc.strerror or exc}; "
            "make it writable or pass --db PATH"
        ) from None
    if not os.access(path.parent, os.W_OK | os.X_OK):
        raise StoreError(
            f"cannot write in the index folder {path.parent} (permission denied); "
            "make it writable or pass --db PATH"
        )
    if mode is not None and not os.access(path, os.R_OK | os.W_OK):
        raise StoreError(
            f"the index {path} is read-only (no permission to write it); "
            f"make it writable (chmod u+rw) or pass --db PATH"
        )


def quarantine(path: Path, now: dt.datetime | None = None) -> Path:
    """Move a damaged index (and its ``-wal``) aside; return where it went.

    The new name is ``<name>.corrupt-<YYYYmmddTHHMMSS>`` beside it; the
    ``-shm`` (a cache SQLite rebuilds) goes too, so nothing of the damaged
    index is mistaken for part of the new one.
    """
    stamp = (now or dt.datetime.now()).strftime("%Y%m%dT%H%M%S")
    aside = path.with_name(f"{path.name}.corrupt-{stamp}")
    n = 1
    while aside.exists():
        n += 1
        aside = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
    try:
        path.rename(aside)
    except FileNotFoundError:
        pass  # another quiz moved it aside first
    except OSError as exc:
        raise StoreError(
            f"the index {path} is damaged and cannot be moved aside: {exc.strerror or exc}; "
            "move or delete it yourself, and quiz builds a new one from the notes"
        ) from None
    for side in SIDE_FILES:
        src = path.with_name(path.name + side)
        try:
            src.rename(aside.with_name(aside.name + side))
        except FileNotFoundError:
            pass
        except OSError as exc:
            raise StoreError(
                f"the index {path} was damaged and moved to {aside}, but {src} could not "
                f"be moved: {exc.strerror or exc}; move or delete it yourself"
            ) from None
    return aside


def describe(exc: sqlite3.Error, path: Path) -> str:
    """One line for a SQLite error on the index at ``path``."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    if name.startswith("SQLITE_BUSY") or "locked" in str(exc):
        return (
            f"the index {path} is busy: another quiz has been writing to it for a long "
            "time; try again when it is done"
        )
    if name.startswith("SQLITE_READONLY"):
        return f"the index {path} is read-only ({exc}); make it writable or pass --db PATH"
    if name.startswith("SQLITE_FULL"):
        return f"the disk holding the index {path} is full; free some space and try again"
    return f"cannot use the index {path}: {exc}"
