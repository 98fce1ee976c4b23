"""Pending write-backs: a pass that could not be written into its note, written later.

The note is the truth for its stage flags. A session that passed a stage
but whose write-back was refused (the file changed underneath, it is
read-only, its text was repaired, its frontmatter cannot be edited safely)
leaves the note as it is: the note stays due, and the pass waits as a
*pending write-back* (``quiz.store.writebacks`` keeps it, the review log
carries it).

The rule, in one line: **a pending write-back is written only into a note
whose review fields are exactly as they were when the write was refused.**

- When the write is refused, the review fields the session started from are
  fingerprinted (``fields_digest``). If the learner had already changed them
  on disk during the session (ticked a flag by hand), their edit wins and
  nothing is pending.
- A later command reads the note again. Fields unchanged (the rest of the
  file may have changed: an edit of the notes is not a reset) and the file
  writable: the pass is written, once, through ``write_back`` (atomic,
  refused if the file changes meanwhile).
- Any review field changed (flags reset by hand, ticked by hand, another
  device's write synced in): the learner's note wins; the pending write-back
  is dropped, never written over the learner's change.
- Still refused (still read-only, still repaired): it stays pending.

This module reads and writes the note; the store keeps the pending rows.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from quiz.notes.fields import STAGE_FLAGS, STAGE_MIRRORS, Field
from quiz.schedule.stages import Kind, Outcome, Stage, StageState
from quiz.writeback.plan import WriteState, note_updates, rate_rule

if TYPE_CHECKING:
    from quiz.config import Settings
    from quiz.notes.model import Note

#: The fields a session may write: a change to any of them is the learner's.
REVIEW_FIELDS: tuple[Field, ...] = (
    Field.FIRST_STUDIED,
    *STAGE_FLAGS,
    *STAGE_MIRRORS,
    Field.REVIEW_STATUS,
    Field.LEARNING_RATE,
    Field.PROGRESS,
)

#: ``WriteRefused.reason`` openings and what Today says for them.
_SHORT = (
    ("its text was repaired", "repaired text"),
    ("it was deleted", "file deleted"),
    ("it could not be read", "file unreadable"),
    ("it changed on disk", "file changed"),
    ("it is not a regular file", "not a regular file"),
    ("it is read-only", "read-only file"),
    ("its folder is not writable", "folder not writable"),
    ("writing failed", "write failed"),
)


def short_reason(reason: str) -> str:
    """Why a write was refused, in a few words for Today (``file changed``)."""
    for opening, short in _SHORT:
        if reason.startswith(opening):
            return short
    return "frontmatter not editable"  # the edit itself was refused (EditRefused)


def fields_digest(note: Note) -> str:
    """A fingerprint of the note's review fields: their keys' meanings and values."""
    values = {f.value: note.fields[f] for f in REVIEW_FIELDS if f in note.fields}
    text = json.dumps(values, sort_keys=True, ensure_ascii=False, default=repr)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


@dataclass(frozen=True, slots=True)
class Refusal:
    """A refused write-back that is to wait: why, and the fields it was planned on."""

    reason: str
    fields_digest: str


def on_refusal(file: Path, note: Note, reason: str, settings: Settings) -> Refusal | None:
    """What a refused write of a session over ``note`` leaves pending, if anything.

    ``note`` is what the session read when it started (its updates were
    planned on it). ``None`` when the review fields on disk are no longer
    those: the learner edited them during the session, and their edit wins.
    """
    digest = fields_digest(note)
    if short_reason(reason) == "file changed":
        now = _read(file, note.path, settings)
        if now is None or not now[1].frontmatter_ok or fields_digest(now[1]) != digest:
            return None
    return Refusal(short_reason(reason), digest)


def settle(
    wrote: WriteState, file: Path, note: Note, outcome: Outcome, settings: Settings
) -> WriteState:
    """A session's write-back as it stands: a refused one is pending or not.

    Pending when it carried progress and the note's review fields on disk are
    still those the session planned on; otherwise the note's own flags count.
    """
    if wrote.state != "refused":
        return wrote
    reason = wrote.reason or ""
    wait = on_refusal(file, note, reason, settings) if outcome.after != outcome.before else None
    if wait is None:
        return WriteState(
            None,
            f"{note.path}: not written: {reason}; its review fields were changed meanwhile, "
            "so the note's own flags count.",
        )
    return WriteState(
        "pending",
        f"{note.path}: not written: {reason}; the note stays due, and the next quiz command "
        "that can write it will (pending write-back).",
        wait.reason,
        wait.fields_digest,
    )


@dataclass(frozen=True, slots=True)
class Attempt:
    """What trying a pending write-back again came to.

    Attributes:
        state: ``applied`` (written now), ``dropped`` (never to be written:
            the learner's note wins) or ``waiting`` (still refused).
        detail: for the learner: why dropped or still waiting.
    """

    state: str
    detail: str = ""


APPLIED, DROPPED, WAITING = "applied", "dropped", "waiting"


def attempt(
    vault: Path,
    settings: Settings,
    *,
    note_path: str,
    kind: Kind,
    stage: Stage | None,
    first_studied: dt.date | None,
    digest: str,
) -> Attempt:
    """Write a pending pass into its note if the note still is as it was refused."""
    from quiz.vault import NotePathError, note_key
    from quiz.writeback import WriteRefused, write_back

    try:
        # The path comes from the review log, which other devices write:
        # only a note of the vault, never a path out of it.
        if note_key(vault, note_path) != note_path:
            raise NotePathError(note_path)
    except NotePathError:
        return Attempt(DROPPED, "the note is gone")
    read = _read(vault / note_path, note_path, settings)
    if read is None:
        return Attempt(WAITING, "file unreadable")
    raw, note = read
    if not note.frontmatter_ok or fields_digest(note) != digest:
        return Attempt(DROPPED, "its review fields were changed since; the note's own flags count")
    before = StageState.of(note.first_studied, note.stages_done)
    if kind is Kind.STAGE_PASSED and stage is not None:
        after = before.merged(None, [stage])
    elif first_studied is not None:  # a new note's first session, passed or not
        after = StageState(before.first_studied or first_studied, before.done)
    else:
        return Attempt(DROPPED, "nothing to write")
    updates = note_updates(note, Outcome(kind, before, after, stage, rate_rule(note, settings)))
    if not updates:
        return Attempt(DROPPED, "nothing to write")
    try:
        changed = write_back(vault / note_path, raw, note.encoding, updates, repaired=note.repaired)
    except WriteRefused as exc:
        return Attempt(WAITING, short_reason(exc.reason))
    if not changed:
        return Attempt(DROPPED, "the note already says so")
    return Attempt(APPLIED)


def _read(file: Path, rel: str, settings: Settings) -> tuple[bytes, Note] | None:
    """The note's bytes and what they say; ``None`` when it cannot be read."""
    from quiz.notes.reader import NoteError, parse_note, read_bytes

    try:
        raw = read_bytes(file, rel)
        return raw, parse_note(raw, rel, settings, cues_only=True)
    except (OSError, NoteError):
        return None
