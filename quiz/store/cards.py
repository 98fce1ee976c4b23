"""Reading cards and notes back out of the index, for sessions, links and exports."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from quiz.notes.model import Card

if TYPE_CHECKING:
    from sqlite_utils import Database


def _card(row: tuple[Any, ...]) -> Card:
    cid, path, ordinal, question, answer, line, source, where = row
    return Card(cid, path, ordinal or 0, question, answer, line, source or "nested", where or "")


def indexed_stat(db: Database, path: str) -> tuple[int, int] | None:
    """Size and mtime (ns) of a live note as last indexed, ``None`` if it is not."""
    row = db.execute(
        "SELECT size, mtime_ns FROM notes WHERE path = ? AND gone_at IS NULL", [path]
    ).fetchone()
    return (int(row[0]), int(row[1])) if row else None


def note_cards(db: Database, path: str) -> tuple[Card, ...]:
    """A note's live cards as the index has them (its ids), in note order."""
    rows = db.execute(
        "SELECT id, note_path, ordinal, question, answer, line, answer_source, answer_from "
        "FROM cards WHERE note_path = ? AND gone_at IS NULL ORDER BY ordinal",
        [path],
    )
    return tuple(_card(row) for row in rows)


def live_cards(db: Database) -> list[tuple[str, str, int, str, str]]:
    """Every live card: id, note path, ordinal, question, answer; by note then order."""
    return db.execute(
        "SELECT id, note_path, ordinal, question, answer FROM cards "
        "WHERE gone_at IS NULL ORDER BY note_path, ordinal"
    ).fetchall()


def note_named(db: Database, key: str) -> str | None:
    """The path of the first live note whose note key is ``key`` (a wikilink's target)."""
    row = db.execute(
        "SELECT path FROM notes WHERE gone_at IS NULL AND note_key = ? ORDER BY path", [key]
    ).fetchone()
    return None if row is None else str(row[0])
