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
from quiz.wording import plural

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


def open_store(
    args: argparse.Namespace, *, notice: Callable[[str], None] | None = None
) -> Database:
    """The index of ``args.vault``, closed when the command ends (see ``run_command``).

    A damaged index is moved aside and made anew, with one line saying so
    (to ``notice``; by default on stderr).
    """
    from quiz.store import open_db

    path = index_path(args)
    db = open_db(path, notice=notice or _warn)
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
        "builds a new one from the notes and the review log"
    )


def add_commands(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
) -> dict[str, Callable[[argparse.Namespace, Settings], int]]:
    """Add ``doctor`` to ``sub``; its handler."""
    from quiz.cli.args import db_option, vault_dir

    doctor = sub.add_parser(
        "doctor", help="where the index is and how it is doing; settings; notes with problems"
    )
    doctor.add_argument("vault", type=vault_dir, metavar="VAULT")
    db_option(doctor)
    return {"doctor": cmd_doctor}


def _size(n: int) -> str:
    if n < 1024:
        return f"{n} bytes"
    return f"{n / 1024:.1f} KB" if n < 1024 * 1024 else f"{n / 1024 / 1024:.1f} MB"


def cmd_doctor(args: argparse.Namespace, settings: Settings) -> int:
    """``quiz doctor VAULT``: report on the index, the settings and the notes; changes nothing.

    Exit 1 when the index has a problem or a note cannot be read.
    """
    import dataclasses

    from quiz.notes.reader import NoteError
    from quiz.store.health import check_file
    from quiz.store.index import read_notes
    from quiz.vault import walk

    def line(label: str, text: str) -> None:
        print(safe_text(f"{label:<9} {text}"))

    health = check_file(index_path(args))
    line("index", str(health.path))
    if health.exists:
        wal = f" (+ {_size(health.wal_size)} write-ahead log)" if health.wal_size else ""
        line("size", _size(health.size) + wal)
    if health.counts:
        c = health.counts
        line("health", f"ok (quick_check), schema {health.version}")
        line(
            "holds",
            f"{c['notes']} notes, {c['cards']} cards, "
            f"{c['reviews']} reviews in {c['sessions']} sessions",
        )
    for problem in health.problems:
        line("PROBLEM", problem)
    for note in health.notes:
        line("note", note)
    if health.problems and health.exists:
        print("          any other command moves a damaged index aside and builds a new one")

    from quiz.store.log import SUFFIX, log_folder

    folder = log_folder(args.vault, settings)
    logs = sorted(folder.glob(f"*{SUFFIX}")) if folder.is_dir() else []
    size = sum(f.stat().st_size for f in logs)
    line("log", f"{folder}: {plural(len(logs), 'file')}, {_size(size)}")

    line("settings", str(settings.source) if settings.source else "the defaults (no quiz.toml)")
    for f in dataclasses.fields(settings):
        if f.name != "source":
            print(safe_text(f"          {f.name} = {getattr(settings, f.name)!r}"))

    files = list(walk(args.vault))
    unreadable: list[str] = []
    warnings: list[str] = []
    for _, result in read_notes(files, settings):
        if isinstance(result, NoteError):
            unreadable.append(str(result))
        else:
            warnings.extend(f"{result.path}: {w}" for w in result.warnings)
    line(
        "notes",
        f"{len(files)} in {args.vault}: {len(unreadable)} unreadable, {len(warnings)} warnings",
    )
    for text in unreadable:
        line("PROBLEM", text)
    for text in warnings:
        line("warning", text)
    problems = len(health.problems) + len(unreadable)
    print(f"{plural(problems, 'problem')} found" if problems else "healthy")
    return 1 if problems else 0
