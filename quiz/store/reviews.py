"""The rows a quiz session writes: ``sessions``, ``reviews`` and ``memory``.

Every statement a session runs is here; the session decides when (and in
which transaction: the caller holds ``db.atomic()`` where several of these
must commit together, as a grade and its log line do).
"""

from __future__ import annotations

import json
from contextlib import suppress
from typing import TYPE_CHECKING, Any

from quiz.schedule.stages import Grade
from quiz.store.queries import LAST_GRADE

if TYPE_CHECKING:
    from sqlite_utils import Database


def _pk(value: object) -> int:
    if not isinstance(value, int):
        raise TypeError(f"expected an integer row id, got {value!r}")
    return value


def start_session(db: Database, row: dict[str, object]) -> int:
    """Insert a new ``sessions`` row (committed); its id."""
    with db.atomic():
        return _pk(db.table("sessions").insert(row).last_pk)


def update_session(db: Database, session_id: int, values: dict[str, object]) -> None:
    """Set columns of a ``sessions`` row (in the caller's transaction, if any)."""
    db.table("sessions").update(session_id, values)


def session_row(db: Database, session_id: int, names: tuple[str, ...]) -> dict[str, Any]:
    """The named columns of a ``sessions`` row."""
    row = db.table("sessions").get(session_id)
    return {name: row[name] for name in names}


def insert_review(db: Database, row: dict[str, object]) -> int:
    """Insert a ``reviews`` row; its id."""
    return _pk(db.table("reviews").insert(row).last_pk)


def review_row(db: Database, review_id: int) -> dict[str, Any]:
    """A ``reviews`` row by id."""
    return dict(db.table("reviews").get(review_id))


def delete_review(db: Database, review_id: int) -> None:
    """Delete a ``reviews`` row (an undone grade)."""
    db.table("reviews").delete(review_id)


def memory_states(db: Database, ids: list[str]) -> dict[str, str]:
    """The FSRS state (JSON) of each of ``ids`` that has one."""
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    rows = db.execute(f"SELECT card_id, state FROM memory WHERE card_id IN ({marks})", ids)
    return dict(rows.fetchall())


def last_grades(db: Database, ids: list[str]) -> dict[str, Grade]:
    """The latest grade of each of ``ids`` that was ever graded."""
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    rows = db.execute(
        "SELECT card_id, grade, max(reviewed_at || printf('%012d', id)) FROM reviews "
        f"WHERE card_id IN ({marks}) GROUP BY card_id",
        ids,
    )
    return {card_id: Grade(grade) for card_id, grade, _ in rows}


def save_memory(db: Database, card_id: str, state: str) -> None:
    """Store a card's FSRS state; ``due`` and ``last_review`` are copied out of it
    so SQL can sort and filter on them (the state stays the one source)."""
    parsed = json.loads(state)
    count = db.execute("SELECT count(*) FROM reviews WHERE card_id = ?", [card_id]).fetchone()
    row = {
        "card_id": card_id,
        "state": state,
        "due": parsed.get("due"),
        "last_review": parsed.get("last_review"),
        "reviews": int(count[0]),
    }
    db.table("memory").upsert(row, pk="card_id")


def forget_memory(db: Database, card_id: str) -> None:
    """Drop a card's FSRS state (its only review was undone)."""
    db.table("memory").delete_where("card_id = ?", [card_id])


def reviewed_cards(db: Database) -> list[tuple[Any, ...]]:
    """Every live card with a memory state, as the weakest-cards drill ranks them.

    Rows: id, note path, ordinal, question, answer, line, FSRS state,
    answer source, answer from, latest grade.
    """
    return db.execute(
        "SELECT c.id, c.note_path, c.ordinal, c.question, c.answer, c.line, m.state, "
        "c.answer_source, c.answer_from, "
        f"{LAST_GRADE} FROM cards c JOIN memory m ON m.card_id = c.id WHERE c.gone_at IS NULL"
    ).fetchall()


def record_note_progress(db: Database, path: str, values: dict[str, object]) -> None:
    """Put a session's stage progress on the note's index row.

    A note not indexed yet has no row to update; the next scan reads it
    from the file.
    """
    from sqlite_utils.db import NotFoundError  # loaded with the store (schema)

    with suppress(NotFoundError):
        db.table("notes").update(path, values)


def latest_grades(db: Database) -> list[tuple[str, int]]:
    """Every review's card id and grade, oldest first (the id breaks ties)."""
    return db.execute("SELECT card_id, grade FROM reviews ORDER BY reviewed_at, id").fetchall()
