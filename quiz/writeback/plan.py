"""What a finished session writes into its note, and the write itself.

The session decides *that* a note's stages moved (``schedule.stages``); this
module decides which of the note's fields change and to what, in the note's
own formula and wording (SPEC "Stages"), and hands them to ``write_back``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from quiz.config import Settings
from quiz.notes.fields import STAGE_FLAGS, STAGE_MIRRORS, Field, field_for_key
from quiz.notes.model import Note
from quiz.schedule.stages import Kind, Outcome, RateRule, progress_bar, review_name


def note_updates(note: Note, outcome: Outcome) -> dict[Field, object]:
    """Field values a session outcome writes into the note (existing fields only).

    Values keep the type the learner used (``"0.6"`` stays a string, a
    number stays a number) so write-back can keep their style.
    """
    fields = note.fields
    updates: dict[Field, object] = {}

    def put(name: Field, value: object) -> None:
        if name in fields:
            updates[name] = _like(fields[name], value)

    # The next review's name, in the note's wording; a failed session leaves
    # it as it is (the same review is still next).
    if outcome.kind in (Kind.STAGE_PASSED, Kind.FIRST_STUDY):
        put(Field.REVIEW_STATUS, next_review_name(note, outcome))
    # Only a first-study field that is present but empty is filled: a date
    # the reader could not understand is the learner's text, not ours.
    new_first = outcome.after.first_studied != outcome.before.first_studied
    if new_first and fields.get(Field.FIRST_STUDIED) in (None, ""):
        put(Field.FIRST_STUDIED, outcome.after.first_studied)
    if outcome.kind is Kind.STAGE_PASSED and outcome.stage is not None:
        # Every stage done but not yet in the file is written, so a pass that
        # an earlier write-back refused catches up now.
        on_file = note.stages_done
        mirrors = outcome.rule.mirrors
        for stage, done in enumerate(outcome.after.done):
            if done and not on_file[stage]:
                put(STAGE_FLAGS[stage], True)
            # A done stage's mirror reads 1, as the template's formula makes it
            # (the learning rate below counts it so).
            if done and mirrors[stage] is not None and mirrors[stage] != 1:
                put(STAGE_MIRRORS[stage], "1")
        rate = outcome.rate_after
        put(Field.LEARNING_RATE, f"{rate:.1f}")
        put(Field.PROGRESS, progress_bar(rate))
    return updates


def rate_rule(note: Note, settings: Settings) -> RateRule:
    """The note's learning-rate formula: the mirror fields it has (SPEC "Stages")."""
    return RateRule.of(note.mirrors, settings.rate)


def next_review_name(note: Note, outcome: Outcome) -> str:
    """The ``복습`` value after ``outcome``, in the wording the note uses now."""
    english = any(
        field_for_key(key) is Field.REVIEW_STATUS and str(key).strip().isascii()
        for key in note.frontmatter
    )
    return review_name(outcome.after, note.fields.get(Field.REVIEW_STATUS), english=english)


def _like(old: object, new: object) -> object:
    """``new`` in the type of ``old`` where the learner wrote a number."""
    if isinstance(new, str) and isinstance(old, int | float) and not isinstance(old, bool):
        number = float(new)
        return int(number) if isinstance(old, int) and number.is_integer() else number
    return new


@dataclass(frozen=True, slots=True)
class WriteState:
    """What became of a session's write-back (``sessions.writeback``).

    Attributes:
        state: ``written``; ``kept`` (nothing to write: the note has no field
            for the progress, so the index keeps it); ``refused`` (as
            ``write_outcome`` returns it), which ``quiz.writeback.pending``
            settles as ``pending`` (it waits for a later command) or ``None``;
            ``None`` (nothing moved, ``--no-write``, or the learner's edit of
            the review fields won).
        message: what the learner is told.
        reason: why it was refused (``WriteRefused.reason``); once pending,
            in a few words (``read-only file``).
        digest: the note's review fields it was planned on (``fields_digest``).
    """

    state: str | None
    message: str
    reason: str | None = None
    digest: str | None = None

    @property
    def written(self) -> bool:
        """The note file was updated."""
        return self.state == "written"

    @property
    def carried(self) -> bool:
        """The progress is in the note, or kept in the index for want of a field."""
        return self.state in ("written", "kept")


def write_outcome(
    file: Path, original: bytes, note: Note, outcome: Outcome, *, write: bool
) -> WriteState:
    """Write ``outcome``'s field changes into ``file``: what became of it, and
    why, for the learner.

    ``original`` is the bytes the session read: a file that changed since is
    refused, never overwritten: ``quiz.writeback.pending.settle`` says
    whether it is then pending.
    """
    updates = note_updates(note, outcome)
    rel = note.path
    moved = outcome.after != outcome.before
    if not updates:
        # The note has no field for it: the index keeps the progress.
        return WriteState(
            "kept" if moved else None, f"{rel}: nothing to write (no review field changes)."
        )
    if not write:
        return WriteState(
            None, f"{rel}: not written (--no-write): the note and its stages stay as they are."
        )
    from quiz.writeback import WriteRefused, write_back

    try:
        changed = write_back(file, original, note.encoding, updates, repaired=note.repaired)
    except WriteRefused as exc:
        # Pending or not is ``quiz.writeback.pending.settle``'s to say.
        return WriteState("refused", f"{rel}: not written: {exc.reason}.", exc.reason)
    if not changed:
        return WriteState(None, f"{rel}: already up to date.")
    return WriteState("written", f"{rel}: review fields written back.")
