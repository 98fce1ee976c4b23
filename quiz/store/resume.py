"""The store's side of resuming and undoing a session.

A session left unfinished today (quit, closed, crashed) can go on where it
stopped; a finished one can be reopened by an undo on the Summary, which
also puts the note's index row back as it was before the session's outcome.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlite_utils import Database

from quiz.schedule.stages import Grade


@dataclass(frozen=True, slots=True)
class Review:
    """One grade of a session, as the index keeps it."""

    id: int
    card_id: str
    grade: Grade
    typed: str | None
    similarity: float | None


@dataclass(frozen=True, slots=True)
class LeftSession:
    """A session of one note, left unfinished on its day.

    Attributes:
        id, uid, started_at: the session's row, to go on with.
        cards: how many cards it had.
        reviews: its grades, in the order given.
    """

    id: int
    uid: str
    started_at: str
    cards: int
    reviews: tuple[Review, ...]

    @property
    def grades(self) -> list[tuple[str, Grade]]:
        """``(card id, grade)`` in the order given."""
        return [(r.card_id, r.grade) for r in self.reviews]


def unfinished_session(db: Database, note_path: str, day: dt.date) -> LeftSession | None:
    """The note's latest session of ``day`` that has grades, if it is not complete."""
    row = db.execute(
        "SELECT s.id, s.uid, s.started_at, s.cards, s.complete FROM sessions s "
        "WHERE s.note_path = ? AND s.day = ? "
        "AND EXISTS (SELECT 1 FROM reviews r WHERE r.session_id = s.id) "
        "ORDER BY s.started_at DESC, s.id DESC LIMIT 1",
        [note_path, day.isoformat()],
    ).fetchone()
    if row is None or row[4] or not row[1]:
        return None
    sid, uid, started, cards, _ = row
    reviews = tuple(
        Review(rid, card, Grade(grade), typed, score)
        for rid, card, grade, typed, score in db.execute(
            "SELECT id, card_id, grade, typed, similarity FROM reviews "
            "WHERE session_id = ? ORDER BY reviewed_at, id",
            [sid],
        )
    )
    return LeftSession(int(sid), str(uid), str(started), int(cards or 0), reviews)


def reopen_session(db: Database, session_id: int, cards: int) -> None:
    """Make a session open again: no outcome, not finished, not written, no
    pending write-back (``sessions.writeback``: its pass is no more)."""
    db.execute(
        "UPDATE sessions SET finished_at = NULL, complete = 0, passed = 0, outcome = NULL, "
        "stage = NULL, rate_before = NULL, rate_after = NULL, first_studied = NULL, "
        "written = 0, write_message = NULL, writeback = NULL, write_reason = NULL, "
        "fields_digest = NULL, cards = ?, "
        "graded = (SELECT count(*) FROM reviews WHERE session_id = ?) WHERE id = ?",
        [cards, session_id, session_id],
    )


def note_row(db: Database, path: str, columns: Iterable[str]) -> dict[str, object] | None:
    """The note's index ``columns`` (the ones a session outcome is about to
    change) as they are now, for ``restore_note_row``."""
    names = list(columns)
    listed = ", ".join(f"[{name}]" for name in names)
    row = db.execute(f"SELECT {listed} FROM notes WHERE path = ?", [path]).fetchone()
    return None if row is None else dict(zip(names, row, strict=True))


def restore_note_row(db: Database, path: str, values: dict[str, object]) -> None:
    """Put back what ``note_row`` read."""
    sets = ", ".join(f"[{name}] = ?" for name in values)
    db.execute(f"UPDATE notes SET {sets} WHERE path = ?", [*values.values(), path])
