"""The index as the commands use it: opened once, closed at the end, its failures one line.

Every command that opens the index goes through ``open_store`` and runs
inside ``run_command``, which closes whatever was opened (Python 3.13 warns
about every connection left to the garbage collector) and turns an index
that fails mid-command into one line and exit 1, never a traceback.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from quiz.config import Settings
from quiz.text import safe_text

if TYPE_CHECKING:
    from sqlite_utils import Database

#: The indexes this command opened, closed when it ends.
_OPEN: list[tuple[Path, Database]] = []


def _warn(message: str) -> None:
    print(safe_text(f"quiz: {message}"), file=sys.stderr)


def index_path(args: argparse.Namespace) -> Path:
    """The index file of ``args.vault`` (``--db`` wins over the default)."""
    from quiz.store import default_db_path

    path: Path = args.db or default_db_path(args.vault)
    return path


def open_store(args: argparse.Namespace) -> Database:
    """The index of ``args.vault``, closed when the command ends (see ``run_command``).

    A damaged index is moved aside and made anew, with one line saying so.
    """
    from quiz.store import open_db

    path = index_path(args)
    db = open_db(path, notice=_warn)
    _OPEN.append((path, db))
    return db


def close_stores() -> None:
    """Close every index this command opened."""
    while _OPEN:
        _OPEN.pop()[1].close()


def run_command(
    handler: Callable[[argparse.Namespace, Settings], int],
    args: argparse.Namespace,
    settings: Settings,
) -> int:
    """Run a command; an unusable index is one line and exit 1."""
    from quiz.store.files import StoreError

    try:
        return handler(args, settings)
    except StoreError as exc:
        _warn(str(exc))
        return 1
    except sqlite3.Error as exc:
        if not _OPEN:
            raise  # not the index's: some other database (an export's)
        path = _OPEN[-1][0]
        close_stores()
        _warn(_failed(exc, path))
        return 1
    finally:
        close_stores()


def _failed(exc: sqlite3.Error, path: Path) -> str:
    """The line for an index that failed mid-command; a damaged one is moved aside."""
    from quiz.store.files import StoreError, describe, is_damage, quarantine
    from quiz.store.health import check_file

    if not is_damage(exc):
        return describe(exc, path)
    if check_file(path).ok:  # another database failed (an export's)
        return f"a database failed: {exc} (the index {path} is sound)"
    try:
        aside = quarantine(path)
    except StoreError as move_failed:
        return str(move_failed)
    return (
        f"the index {path} is damaged ({exc}): moved it to {aside}; the next command "
        "builds a new one from the notes (the old review history stays in the moved copy)"
    )

