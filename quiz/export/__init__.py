"""Getting the schedule and the deck out of quiz: calendar, push, Anki, CSV.

Every exporter reads the index (``quiz.store``), never the notes themselves, so
a command first refreshes the index (which reports and skips bad notes) and
then exports what it knows. This module holds what they share: the cards with
their notes, and an atomic file write.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from quiz import fs
from quiz.store.cards import live_cards
from quiz.store.queries import NoteStatus, live_notes

if TYPE_CHECKING:
    from sqlite_utils import Database


class ExportError(Exception):
    """An export that could not be done; the message is for the learner."""


@dataclass(frozen=True, slots=True)
class ExportCard:
    """A live card with the note it belongs to."""

    id: str
    ordinal: int
    question: str
    answer: str
    note: NoteStatus


def export_cards(db: Database) -> list[ExportCard]:
    """Every live card of every live note, in note path then card order."""
    notes = {n.path: n for n in live_notes(db)}
    rows = live_cards(db)
    return [
        ExportCard(cid, ordinal or 0, question, answer, notes[path])
        for cid, path, ordinal, question, answer in rows
        if path in notes
    ]


def _describe(exc: OSError) -> str:
    return exc.strerror or exc.__class__.__name__


@contextlib.contextmanager
def atomic_target(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success it replaces ``path``.

    Readers (a calendar app polling a synced folder, Anki mid-import) see the
    old file or the new one, never half of one (see ``quiz.fs.atomic_target``).

    Raises:
        ExportError: the folder is missing or not writable, or ``path`` is a
            folder.
    """
    target = Path(path)
    folder = target.parent
    if target.is_dir():
        raise ExportError(f"cannot write {target}: it is a folder")
    if not folder.is_dir():
        raise ExportError(f"cannot write {target}: folder {folder} does not exist")
    try:
        with fs.atomic_target(target) as temp:
            yield temp
    except OSError as exc:
        raise ExportError(f"cannot write {target}: {_describe(exc)}") from None


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (see ``atomic_target``)."""
    with atomic_target(path) as temp:
        temp.write_bytes(data)


__all__ = ["ExportCard", "ExportError", "atomic_target", "export_cards", "write_atomic"]
