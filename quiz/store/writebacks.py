"""What became of each session's write-back: the SQL of pending write-backs.

A session that passes a stage writes the note. When the write is refused (the
file changed underneath, it is read-only, its text was repaired, ...) the pass
is a *pending write-back*: the note stays as it is, and so does its stage
(the note is the truth for its flags), until a later command can write it.

``sessions.writeback`` says what became of it:

    written   the note was written.
    kept      nothing to write: the note has no field for the progress, so
              the index keeps it (SPEC: "the day is kept in the index").
    pending   refused; ``write_reason`` says why in a few words and
              ``fields_digest`` fingerprints the note's review fields then.
    applied   a pending write-back written by a later command.
    dropped   a pending write-back given up: the learner changed the review
              fields since (the note wins), the note is gone, or a later
              session of the note made it moot.
    NULL      nothing of the above (a practice or failed session, ``--no-write``,
              a refusal after the learner edited the review fields, rows from
              before schema v6).

The module owns the SQL; reading and writing the note is
``quiz.writeback.pending``'s job.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from quiz.schedule.stages import Kind, Stage

if TYPE_CHECKING:
    from sqlite_utils import Database

WRITTEN, KEPT, PENDING, APPLIED, DROPPED = "written", "kept", "pending", "applied", "dropped"
#: The states of a session whose progress the note (or the index) holds.
CARRIED = (WRITTEN, KEPT, APPLIED)


@dataclass(frozen=True, slots=True)
class PendingWrite:
    """A pass that could not be written into its note (yet).

    Attributes:
        session_id: the session's row.
        session_uid: its id in the review log.
        note_path: the note, relative to the vault.
        day: the learner's day the session counted for.
        kind: ``STAGE_PASSED``, or ``FIRST_STUDY`` (or ``FAILED``: a new
            note's first session sets its first study day even so).
        stage: the stage passed (``None`` for a first study).
        first_studied: the first study day the session set, if it set one.
        reason: why it is not written, in a few words (``file changed``).
        fields_digest: the note's review fields when the write was refused.
    """

    session_id: int
    session_uid: str | None
    note_path: str
    day: dt.date
    kind: Kind
    stage: Stage | None
    first_studied: dt.date | None
    reason: str
    fields_digest: str

    @property
    def what(self) -> str:
        """``the day 7 pass of 2026-11-25`` / ``the first study of 2026-11-25``."""
        if self.kind is Kind.STAGE_PASSED and self.stage is not None:
            return f"the {self.stage.label} pass of {self.day.isoformat()}"
        return f"the first study of {self.day.isoformat()}"

    @property
    def mark(self) -> str:
        """What Today and ``quiz due`` show beside the note."""
        return f"⏳ not written: {self.reason}"

    def to_json(self) -> dict[str, object]:
        """The ``pending`` object of ``quiz due --json`` and ``quiz stats --json``."""
        return {
            "note": self.note_path,
            "session_day": self.day.isoformat(),
            "kind": self.kind.value,
            "stage": self.stage.label if self.stage is not None else None,
            "first_studied": self.first_studied.isoformat() if self.first_studied else None,
            "reason": self.reason,
        }


def any_pending(db: Database) -> bool:
    """Whether any write-back is pending (one indexed look, for every command)."""
    row = db.execute("SELECT 1 FROM sessions WHERE writeback = ? LIMIT 1", [PENDING]).fetchone()
    return row is not None


def pending_writes(db: Database, path: str | None = None) -> dict[str, PendingWrite]:
    """The pending write-back of each note (``path``: of that note only).

    A note has at most one: its latest. An earlier one a later refused pass
    of the same note stands for is left to ``supersede``.
    """
    query = (
        "SELECT id, uid, note_path, day, outcome, stage, first_studied, write_reason, "
        "fields_digest FROM sessions WHERE writeback = ?"
    )
    params: list[object] = [PENDING]
    if path is not None:
        query += " AND note_path = ?"
        params.append(path)
    query += " ORDER BY finished_at, id"
    found: dict[str, PendingWrite] = {}
    for sid, uid, note, day, outcome, stage, first, reason, digest in db.execute(query, params):
        try:
            kind = Kind(outcome)
            when = dt.date.fromisoformat(day)
            first_day = dt.date.fromisoformat(first) if first else None
        except (TypeError, ValueError):
            continue  # not a row quiz wrote (a log from elsewhere): nothing to apply
        passed = kind is Kind.STAGE_PASSED and stage is not None
        if not digest or not (passed or first_day):
            continue  # nothing the note would get
        found[note] = PendingWrite(
            int(sid),
            uid,
            note,
            when,
            kind,
            Stage(int(stage)) if passed else None,
            first_day,
            reason or "write refused",
            digest,
        )
    return found


def superseded(db: Database) -> list[tuple[int, str | None, str, str]]:
    """Pending rows that a later session of the same note stands for.

    A later pass of the note that was written (or is pending itself) moved
    the note on: the earlier pending write-back is moot, not a learner's
    change to report. ``(session id, session uid, note path, day)``.
    """
    rows = db.execute(
        "SELECT s.id, s.uid, s.note_path, s.day FROM sessions s WHERE s.writeback = ? "
        "AND EXISTS (SELECT 1 FROM sessions t WHERE t.writeback IN (?, ?, ?) "
        "AND t.note_path = s.note_path AND (t.finished_at > s.finished_at "
        "OR (t.finished_at = s.finished_at AND t.id > s.id))) ORDER BY s.finished_at, s.id",
        [PENDING, PENDING, WRITTEN, APPLIED],
    )
    return [(int(sid), uid, note, day) for sid, uid, note, day in rows]


def session_fields(db: Database, session_id: int) -> dict[str, object]:
    """The columns a session event of the review log carries, for a resolution."""
    from quiz.store.log import SESSION_FIELDS

    row = db.execute(
        f"SELECT {', '.join(SESSION_FIELDS)} FROM sessions WHERE id = ?", [session_id]
    ).fetchone()
    return dict(zip(SESSION_FIELDS, row, strict=True)) if row else {}


def resolve(db: Database, session_id: int, state: str, message: str) -> None:
    """A pending write-back ``applied`` or ``dropped``, with what to tell the learner."""
    with db.atomic():
        db.execute(
            "UPDATE sessions SET writeback = ?, written = ?, write_message = ? "
            "WHERE id = ? AND writeback = ?",
            [state, int(state == APPLIED), message, session_id, PENDING],
        )


def still_refused(db: Database, session_id: int, reason: str) -> bool:
    """A pending write-back tried again and refused again: whether its reason changed."""
    with db.atomic():
        cursor = db.execute(
            "UPDATE sessions SET write_reason = ? WHERE id = ? AND writeback = ? "
            "AND write_reason IS NOT ?",
            [reason, session_id, PENDING, reason],
        )
    return bool(cursor.rowcount)
