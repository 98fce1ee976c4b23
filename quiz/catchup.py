"""After the scan: write the pending write-backs that can be written now.

Every command that may write notes calls ``write_pending`` once the index is
up to date with the notes and the review logs. Each pending write-back
(``quiz.store.writebacks``) is tried once through ``quiz.writeback.pending``:
written when the note's review fields are as they were when it was refused,
dropped when the learner changed them, left waiting when still refused. What
became of it goes into the index and, as a session event, into the review log,
so a rebuilt index agrees and it is never written twice.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from quiz.clock import Clock, utc_now
from quiz.config import Settings

if TYPE_CHECKING:
    from sqlite_utils import Database


def write_pending(
    db: Database, vault: Path, settings: Settings, clock: Clock = utc_now
) -> list[str]:
    """Try every pending write-back; one line per one written or dropped."""
    from quiz.store import writebacks as store
    from quiz.writeback import pending

    if not store.any_pending(db):
        return []
    from quiz.store.log import ReviewLog

    log = ReviewLog(vault, settings)

    def record(session_id: int, uid: str | None) -> None:
        # The same session, told again: a rebuild of the index replays this.
        if uid is None:
            return
        fields = store.session_fields(db, session_id)
        log.append("session", clock(), None, session=uid, note=fields.get("note_path"), **fields)

    lines: list[str] = []
    for session_id, uid, note, day in store.superseded(db):
        superseded = f"{note}: the pass of {day} is superseded by a later one."
        store.resolve(db, session_id, store.DROPPED, superseded)
        record(session_id, uid)
    written = False
    for item in store.pending_writes(db).values():
        result = pending.attempt(
            vault,
            settings,
            note_path=item.note_path,
            kind=item.kind,
            stage=item.stage,
            first_studied=item.first_studied,
            digest=item.fields_digest,
        )
        if result.state == pending.WAITING:
            if store.still_refused(db, item.session_id, result.detail):
                record(item.session_id, item.session_uid)
            continue
        if result.state == pending.APPLIED:
            message = (
                f"{item.note_path}: {item.what}, not written then ({item.reason}), is written now."
            )
            written = True
        else:
            message = (
                f"{item.note_path}: {item.what} was not written ({item.reason}) and is dropped: "
                f"{result.detail}."
            )
        store.resolve(db, item.session_id, result.state, message)
        record(item.session_id, item.session_uid)
        lines.append(message)
    if written:
        # The notes just written are read again, so the index says what they say.
        from quiz.store.index import scan

        scan(vault, db, settings)
    if log.problem:
        lines.append(log.problem)
    return lines
