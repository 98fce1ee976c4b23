"""Quiz sessions: the core that the TUI and ``--plain`` drive.

A session runs a queue of cards weakest first by the memory model, records
each grade in the store and the vault's review log the moment it is given,
takes a grade back, and finishes. ``NoteSession`` quizzes one note: it takes
the note's cards from the index, reads the note's bytes once (they are what
write-back compares the file against) and, when every card is graded, judges
the session, moves the note's stages and writes them back
(``writeback.plan``). ``Drill`` is practice over the vault's weakest cards.
The SQL is the store's (``store.reviews``, ``store.cards``).
"""

from __future__ import annotations

import abc
import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from quiz.clock import Clock, utc_now
from quiz.config import Settings
from quiz.grading import similarity
from quiz.notes.model import Card, Note
from quiz.queue import CardQueue, relearn_grades
from quiz.schedule import memory
from quiz.schedule.stages import (
    Due,
    Grade,
    Outcome,
    StageState,
    apply_session,
    due,
    progress_bar,
    session_passed,
)
from quiz.wording import score_line, stage_name

if TYPE_CHECKING:
    from sqlite_utils import Database

    from quiz.writeback.plan import WriteState

# The store's and write-back's modules (sqlite-utils' schema, YAML) are
# imported where a session first needs them, not with the app: Today paints
# without them.

if TYPE_CHECKING:
    from quiz.store.resume import LeftSession

#: ``sessions.note_path`` of a weakest-cards drill, which spans notes.
DRILL_PATH = "*weakest*"


class UndoRefused(Exception):
    """An undo on the Summary that would overwrite the learner's edit."""


@dataclass(frozen=True, slots=True)
class Graded:
    """A card and the grade it got.

    ``first``: the card's first grade in the session, the one pass/fail
    counts; a card relearned later in the session gets more.
    """

    card: Card
    grade: Grade
    typed: str | None
    similarity: float | None
    review_id: int
    first: bool = True


@dataclass(frozen=True, slots=True)
class SessionResult:
    """What a finished (or abandoned) session amounts to.

    Attributes:
        note: the note quizzed (``None`` for a drill, which spans notes).
        total: cards in the session.
        graded: the grades given, in order, relearning ones too.
        complete: every card was graded (at least once).
        passed: the session passed (only meaningful when complete).
        outcome: what happened to the stages (``None`` when incomplete).
        written: the note file was updated.
        write_message: why it was or was not written, for the learner.
        log_problem: why the review log in the vault could not be written.
        title: what the session was over (the note's title, or the drill's).
    """

    note: Note | None
    total: int
    graded: tuple[Graded, ...]
    complete: bool
    passed: bool
    outcome: Outcome | None
    written: bool
    write_message: str
    log_problem: str | None = None
    title: str = ""
    #: The progress is in the note (or kept in the index for want of a
    #: field): False when a pass was refused (pending) or ``--no-write``.
    carried: bool = True

    @property
    def held_back(self) -> bool:
        """The stages moved, but the note does not hold it (yet): it keeps
        its flags, and Today still shows it due, until the pass is written."""
        outcome = self.outcome
        return outcome is not None and outcome.after != outcome.before and not self.carried

    def next_line(self) -> str | None:
        """When the note's next stage is due, as the note will have it; a
        pass not written says the note stays due. ``None`` without an outcome."""
        outcome = self.outcome
        if outcome is None:
            return None
        if self.held_back and outcome.stage is not None:
            return f"next: {stage_name(outcome.stage)} stays due until this pass is written"
        return outcome.next_line()

    def progress(self) -> float | None:
        """The learning rate the note holds after the session (its old one
        while a pass is not written); ``None`` without an outcome."""
        outcome = self.outcome
        if outcome is None:
            return None
        return outcome.rate_before if self.held_back else outcome.rate_after

    @property
    def drill(self) -> bool:
        """The session was a drill over several notes, not one note's quiz."""
        return self.note is None

    @property
    def sections(self) -> Mapping[str, str]:
        """The note's other sections (none for a drill)."""
        return {} if self.note is None else self.note.sections

    @property
    def first(self) -> tuple[Graded, ...]:
        """Each card's first grade: what the score and pass/fail count."""
        return tuple(g for g in self.graded if g.first)

    @property
    def correct(self) -> int:
        """Cards first graded Hard or better."""
        return sum(g.grade.passed for g in self.first)

    @property
    def missed(self) -> tuple[Card, ...]:
        """Cards first graded Again (relearned or not)."""
        return tuple(g.card for g in self.first if not g.grade.passed)

    def summary_lines(self) -> list[str]:
        """The end-of-session summary, in plain words."""
        lines = [score_line(self.correct, len(self.first), self.total)]
        if self.outcome is None and not self.complete:
            lines.append("Session not finished: graded cards are kept, no stage changes.")
        elif self.outcome is not None:
            lines.append(self.outcome.describe())
            lines.append(self.next_line() or "")
            lines.append(f"Progress: {progress_bar(self.progress() or 0.0)}")
        lines.append(self.write_message)
        if self.log_problem:
            lines.append(self.log_problem)
        return lines


class SessionError(Exception):
    """A session that cannot start; the message names the note and the reason."""


def _read(vault: Path, rel: str, settings: Settings) -> tuple[bytes, Note]:
    """A note's bytes (what write-back compares against) and what they say.

    The cards are not taken from this parse but from the index (its ids):
    see ``NoteSession``. Raises ``SessionError`` naming the file and the reason.
    """
    # The reader (YAML, markdown-it, the mojibake tables) is imported with
    # the first note studied, not with the app: it is 40-60 ms of start-up.
    from quiz.notes.reader import NoteError, parse_note, read_bytes

    try:
        raw = read_bytes(vault / rel, rel)  # at most the reader's size limit
        return raw, parse_note(raw, rel, settings)
    except OSError as exc:
        raise SessionError(f"{rel}: cannot read: {exc.strerror or exc}") from None
    except NoteError as exc:
        raise SessionError(str(exc)) from None


def _indexed_cards(
    db: Database, vault: Path, settings: Settings, note: Note, stat: tuple[int, int]
) -> tuple[Card, ...]:
    """The note's cards with the ids the index gave them.

    A note made or edited since the last scan (its size or mtime differ from
    its row, or it has none) is indexed first, from the parse just made, so
    a same-named note's ids and a moved note's history come out as a scan
    would have them.
    """
    from quiz.store.cards import indexed_stat, note_cards
    from quiz.store.index import index_note

    if indexed_stat(db, note.path) != stat:
        index_note(vault, db, settings, note, *stat)
    return note_cards(db, note.path)


class Session(abc.ABC):
    """A quiz over a queue of cards: the queue, grade, undo and finish.

    ``NoteSession`` quizzes one note and moves its stages; ``Drill`` is
    practice over the vault's weakest cards. Not thread-safe; one per screen.
    """

    #: Grades feed the memory model only: no note's stages move.
    practice_only: bool = False

    def __init__(
        self,
        db: Database,
        vault: Path,
        settings: Settings,
        *,
        today: dt.date,
        clock: Clock,
        write: bool,
    ) -> None:
        self.db = db
        self.vault = vault
        self.settings = settings
        self.today = today
        self.clock = clock
        self.write = write
        from quiz.store.log import ReviewLog

        self.log = ReviewLog(vault, settings)

    # -- what each kind says about itself ---------------------------------

    @property
    @abc.abstractmethod
    def path(self) -> str:
        """``sessions.note_path`` and the log's ``note``."""

    @property
    @abc.abstractmethod
    def title(self) -> str:
        """What the session is over, for the head line."""

    @property
    def stage_due(self) -> Due | None:
        """The stage this session can pass, or ``None`` (practice or new note)."""
        return None

    @property
    def sections(self) -> Mapping[str, str]:
        """The other sections of the note quizzed (none for a drill)."""
        return {}

    def file_of(self, card: Card) -> Path:
        """The note file a card lives in (a drill mixes notes)."""
        return self.vault / card.note

    def reload(self) -> str | None:
        """Re-read after the learner edited a note; a message if that failed."""
        return None

    @abc.abstractmethod
    def _about(self) -> dict[str, object]:
        """What every log event of this session says of what it is over."""

    @abc.abstractmethod
    def _judge(self, complete: bool, passed: bool) -> tuple[Outcome | None, WriteState]:
        """The stage outcome of the ended session, and what became of its
        write-back (written, pending, ...) with the message saying so."""

    def _result_note(self) -> Note | None:
        return None

    # -- the queue -------------------------------------------------------

    def _begin(self, cards: tuple[Card, ...]) -> None:
        from quiz.store import reviews

        self.queue = CardQueue(cards, relearn_grades(self.settings.relearn))
        self.graded: list[Graded] = []
        self.result: SessionResult | None = None
        from quiz.store.log import new_id

        self.uid = new_id()  # the session's id in the review log
        self.started_at = self._stamp()
        self.id = reviews.start_session(
            self.db,
            {
                "uid": self.uid,
                "note_path": self.path,
                "day": self.today.isoformat(),
                "started_at": self.started_at,
                "cards": len(self.cards),
                "graded": 0,
                "complete": 0,
            },
        )

    def _weakest_first(self, cards: tuple[Card, ...]) -> tuple[Card, ...]:
        from quiz.store import reviews

        states = reviews.memory_states(self.db, [c.id for c in cards])
        grades = reviews.last_grades(self.db, [c.id for c in cards])
        now = self.clock()

        def key(card: Card) -> tuple[tuple[int, float, int], int]:
            grade = grades.get(card.id)
            r = memory.recall(states.get(card.id), grade, now)
            # Cards last graded Again, then never-reviewed ones, then by
            # recall; note order breaks ties.
            return (memory.weakest_first(r, grade), card.ordinal)

        return tuple(sorted(cards, key=key))

    @property
    def cards(self) -> tuple[Card, ...]:
        """The session's cards, each once, in the order first shown."""
        return self.queue.deck

    @property
    def position(self) -> int:
        """How many grades were given (relearning ones too)."""
        return self.queue.position

    @property
    def current(self) -> Card | None:
        """The card on screen, or ``None`` when all are graded and relearned."""
        return self.queue.current

    @property
    def finished(self) -> bool:
        """Every card is graded and none waits to be relearned."""
        return self.queue.finished

    @property
    def complete(self) -> bool:
        """Every card has its first grade: the session's outcome is decided."""
        first = {g.card.id for g in self.graded if g.first}
        return all(c.id in first for c in self.cards)

    def intervals(self) -> dict[Grade, dt.timedelta]:
        """When the current card comes back after each grade, from now (FSRS)."""
        from quiz.store import reviews

        card = self.current
        if card is None:
            return {}
        state = reviews.memory_states(self.db, [card.id]).get(card.id)
        return memory.preview(state, self.clock())

    def hint(self, typed: str) -> float | None:
        """Similarity of a typed answer to the current card's answer."""
        card = self.current
        if card is None or not typed.strip():
            return None
        return similarity(typed, card.answer)

    # -- grading ---------------------------------------------------------

    def _stamp(self) -> str:
        return self.clock().astimezone(dt.UTC).isoformat(timespec="milliseconds")

    def grade(
        self, grade: Grade, typed: str | None = None, duration_ms: int | None = None
    ) -> Graded:
        """Grade the current card; stored (and committed) before returning."""
        from quiz.store import reviews

        card = self.current
        if card is None:
            raise IndexError("every card of this session is already graded")
        typed = typed.strip() if typed else None
        score = self.hint(typed) if typed else None
        # To the millisecond the log keeps, so a replay of the log gives
        # this very memory state.
        now = self.clock()
        now = now.replace(microsecond=now.microsecond // 1000 * 1000)
        from quiz.store.log import new_id

        event_id = new_id()
        with self.db.atomic():
            # Read in the transaction: another session may grade this card too.
            before = reviews.memory_states(self.db, [card.id]).get(card.id)
            after = memory.review(before, grade, now)
            review_id = reviews.insert_review(
                self.db,
                {
                    "session_id": self.id,
                    "card_id": card.id,
                    "grade": int(grade),
                    "typed": typed or None,
                    "similarity": score,
                    "duration_ms": duration_ms,
                    "reviewed_at": now.astimezone(dt.UTC).isoformat(timespec="milliseconds"),
                    "day": self.today.isoformat(),
                    "memory_before": before,
                    "event_id": event_id,
                },
            )
            # In the log before the commit (the index is rebuilt from it), and
            # while this transaction holds the write lock, so another quiz
            # importing the line waits for this row instead of racing it.
            self._log(
                "grade",
                now,
                event_id=event_id,
                note=card.note,
                card=card.id,
                grade=int(grade),
                typed=typed or None,
                similarity=score,
                duration_ms=duration_ms,
                cards=len(self.cards),
                started=self.started_at,
            )
            reviews.save_memory(self.db, card.id, after)
            reviews.update_session(self.db, self.id, {"graded": self.position + 1})
        given = self.queue.record(grade)
        graded = Graded(card, grade, typed or None, score, review_id, given.first)
        self.graded.append(graded)
        return graded

    def undo(self) -> Card | None:
        """Take back the last grade (store and memory); return its card.

        On the Summary too: the session is reopened, a stage it passed taken
        back, and the note's bytes put back as they were (``UndoRefused``
        when the note changed since quiz wrote it: nothing is undone then).
        """
        from quiz.store import reviews

        if not self.graded:
            return None
        reopened = self.result is not None
        if reopened:
            self._reopen()
        last = self.graded.pop()
        self.queue.unrecord()
        row = reviews.review_row(self.db, last.review_id)
        with self.db.atomic():
            reviews.delete_review(self.db, last.review_id)
            self._log("undo", self.clock(), card=last.card.id, undoes=row["event_id"])
            before = row["memory_before"]
            if before:
                reviews.save_memory(self.db, last.card.id, before)
            else:
                reviews.forget_memory(self.db, last.card.id)
            reviews.update_session(self.db, self.id, {"graded": self.position})
            if reopened:
                # The session is open again, its outcome gone: so says the
                # log too, for an index rebuilt from it.
                from quiz.store.log import SESSION_FIELDS

                row = reviews.session_row(self.db, self.id, SESSION_FIELDS)
                self._log("session", self.clock(), **row)
        return last.card

    def _reopen(self) -> None:
        """Make a finished session open again: its outcome undone."""
        from quiz.store.resume import reopen_session

        self._undo_outcome()
        with self.db.atomic():
            reopen_session(self.db, self.id, len(self.cards))
        self.result = None

    def _undo_outcome(self) -> None:  # noqa: B027 - a drill has no outcome to undo
        """Take back what ``finish`` did to the note (a note session's);
        raises ``UndoRefused`` having changed nothing."""

    # -- the end ---------------------------------------------------------

    def finish(self) -> SessionResult:
        """Judge the session, move the stages, write back; idempotent."""
        from quiz.store import reviews

        if self.result is not None:
            return self.result
        # Decided by each card's first grade: quitting while relearning
        # keeps the outcome (SPEC "Stages").
        complete = self.complete
        grades = [g.grade for g in self.graded if g.first]
        passed = complete and session_passed(grades, self.settings.pass_ratio)
        outcome: Outcome | None = None
        from quiz.writeback.plan import WriteState

        wrote = WriteState(None, "Nothing to write: the session was not finished.")
        if complete:
            outcome, wrote = self._judge(complete, passed)
        written, message = wrote.written, wrote.message
        with self.db.atomic():
            reviews.update_session(
                self.db,
                self.id,
                {
                    "finished_at": self._stamp(),
                    "graded": len(self.graded),
                    "complete": int(complete),
                    "passed": int(passed),
                    "outcome": outcome.kind.value if outcome else None,
                    "stage": int(outcome.stage) if outcome and outcome.stage is not None else None,
                    "rate_before": outcome.rate_before if outcome else None,
                    "rate_after": outcome.rate_after if outcome else None,
                    "first_studied": (
                        outcome.after.first_studied.isoformat()
                        if outcome
                        and outcome.after.first_studied
                        and outcome.after.first_studied != outcome.before.first_studied
                        else None
                    ),
                    "written": int(written),
                    "write_message": message,
                    "writeback": wrote.state,
                    "write_reason": wrote.reason,
                    "fields_digest": wrote.digest,
                },
            )
            # Alongside the row: the log is what the index is rebuilt from.
            from quiz.store.log import SESSION_FIELDS

            row = reviews.session_row(self.db, self.id, SESSION_FIELDS)
            self._log("session", self.clock(), **row)
            # The note is the truth for its flags: the index takes only the
            # progress the note holds (or, for want of a field, the index).
            if outcome is not None and outcome.after != outcome.before and wrote.carried:
                self._update_index(outcome)
        self.result = SessionResult(
            self._result_note(),
            len(self.cards),
            tuple(self.graded),
            complete,
            passed,
            outcome,
            written,
            message,
            log_problem=self.log.problem,
            title=self.title,
            carried=wrote.carried or outcome is None or outcome.after == outcome.before,
        )
        return self.result

    def _update_index(self, outcome: Outcome) -> None:  # noqa: B027 (a hook; a drill has none)
        """Put the stage progress of ``outcome`` on the index (a note session's)."""

    def _log(
        self, kind: str, at: dt.datetime, event_id: str | None = None, **fields: object
    ) -> str:
        """Append an event of this session to the review log; its id."""
        about: dict[str, object] = {"note": self.path, "day": self.today.isoformat()}
        about.update(self._about())
        return self.log.append(kind, at, event_id, session=self.uid, **{**about, **fields})


class NoteSession(Session):
    """A quiz over one note's cards that moves the note's stages and writes
    them back.

    The cards are the index's (the ids it gave them); the note's bytes are
    read once, as write-back compares the file against them, and parsed for
    the frontmatter (stages, write-back) and the sections shown with the cards.
    """

    def __init__(
        self,
        db: Database,
        vault: Path,
        note_path: str,
        settings: Settings,
        *,
        today: dt.date,
        clock: Clock = utc_now,
        write: bool = True,
        resume: bool = False,
    ) -> None:
        super().__init__(db, vault, settings, today=today, clock=clock, write=write)
        #: What undo on the Summary puts back: the bytes written, and the
        #: note's index row before the outcome.
        self._written: bytes | None = None
        self._index_before: dict[str, object] | None = None
        from quiz.vault import NotePathError, note_key

        try:
            # Only a note of the vault, by its key: never a path out of it, a
            # FIFO or a device (the CLI refuses those first, with exit 2).
            note_path = note_key(vault, note_path)
        except NotePathError as exc:
            raise SessionError(str(exc)) from None
        self.file = vault / note_path
        self.original, self.note = self._load(note_path)
        if not self.note.cards:
            raise SessionError(f"{note_path}: the note has no cards")
        self.state = self._state()
        left = None
        if resume:
            from quiz.store.resume import unfinished_session

            left = unfinished_session(db, self.note.path, today)
        if left is None:
            self._begin(self._weakest_first(self.note.cards))
        else:
            self._resume(left)

    def _resume(self, left: LeftSession) -> None:
        """Go on with the session left unfinished: its grades stay given,
        the first ungraded card is next, the ones missed come back after."""
        from quiz.store.resume import reopen_session

        by_id = {c.id: c for c in self.note.cards}
        # A card edited away since keeps its grades in the store, not here.
        kept = [r for r in left.reviews if r.card_id in by_id]
        seen = list(dict.fromkeys(r.card_id for r in kept))
        rest = self._weakest_first(tuple(c for c in self.note.cards if c.id not in seen))
        deck = (*(by_id[cid] for cid in seen), *rest)
        self.queue = CardQueue(deck, relearn_grades(self.settings.relearn))
        self.queue.restore([(by_id[r.card_id], r.grade) for r in kept])
        self.graded = [
            Graded(by_id[r.card_id], r.grade, r.typed, r.similarity, r.id, given.first)
            for r, given in zip(kept, self.queue.given, strict=True)
        ]
        self.result = None
        self.id, self.uid, self.started_at = left.id, left.uid, left.started_at
        with self.db.atomic():
            reopen_session(self.db, self.id, len(self.cards))

    def redrill(self) -> Drill:
        """Practice over the cards this session missed (first graded Again)."""
        return Drill(
            self.db,
            self.vault,
            self.settings,
            self.finish().missed,
            today=self.today,
            clock=self.clock,
            title=f"Missed cards of {self.note.title}",
        )

    def _load(self, rel: str) -> tuple[bytes, Note]:
        """The note's bytes and what they say, with the index's cards."""
        try:
            info = (self.vault / rel).stat()
        except OSError as exc:
            raise SessionError(f"{rel}: cannot read: {exc.strerror or exc}") from None
        raw, note = _read(self.vault, rel, self.settings)
        cards = _indexed_cards(
            self.db, self.vault, self.settings, note, (info.st_size, info.st_mtime_ns)
        )
        return raw, replace(note, cards=cards)

    @property
    def path(self) -> str:
        return self.note.path

    @property
    def title(self) -> str:
        return self.note.title

    @property
    def sections(self) -> Mapping[str, str]:
        return self.note.sections

    def _about(self) -> dict[str, object]:
        from quiz.notes.ids import note_key

        return {"key": note_key(self.note.title)}

    def _result_note(self) -> Note:
        return self.note

    def _state(self) -> StageState:
        """The note's stages: its fields plus progress not yet written into it."""
        from quiz.store.queries import note_state

        return note_state(self.db, self.note.path, self.note.first_studied, self.note.stages_done)

    def reload(self) -> str | None:
        """Re-read the note after the learner edited it; graded cards stay graded.

        The bytes read now become the ones write-back compares against, so an
        edit made from inside the session is not mistaken for a conflicting
        change; the note is indexed again, so new cards come with the index's
        ids. Returns a message when the note could not be re-read.
        """
        from quiz.store import reviews

        try:
            raw, note = self._load(self.note.path)
        except SessionError as exc:
            return str(exc)
        graded = list(dict.fromkeys(g.card.id for g in self.graded))
        remaining = tuple(c for c in note.cards if c.id not in graded)
        self.original, self.note = raw, note
        self.state = self._state()
        by_id = {c.id: c for c in note.cards}
        # Graded cards keep their place and grades, as the note says them
        # now (its line moved); a card edited away keeps its grades but is
        # not shown again.
        self.graded = [replace(g, card=by_id.get(g.card.id, g.card)) for g in self.graded]
        deck = tuple(by_id[cid] for cid in graded if cid in by_id)
        self.queue.restore(
            [(g.card, g.grade) for g in self.graded], deck=deck + self._weakest_first(remaining)
        )
        with self.db.atomic():
            reviews.update_session(self.db, self.id, {"cards": len(self.cards)})
        return None

    @property
    def stage_due(self) -> Due | None:
        if not self.note.frontmatter_ok:
            return None
        return due(self.state, self.today, self.settings.offsets)

    def _judge(self, complete: bool, passed: bool) -> tuple[Outcome | None, WriteState]:
        from quiz.writeback.plan import WriteState, rate_rule, write_outcome

        if not self.note.frontmatter_ok:
            # Its stages cannot be known, so the session counts as practice.
            return None, WriteState(
                None,
                f"{self.note.path}: not written: its frontmatter could not be parsed, so its "
                "stages are unknown; the session counts as practice (reviews are kept).",
            )
        rule = rate_rule(self.note, self.settings)
        outcome = apply_session(self.state, passed, self.today, self.settings.offsets, rule)
        from quiz.writeback.pending import settle

        wrote = write_outcome(self.file, self.original, self.note, outcome, write=self.write)
        if wrote.written:
            # What undo on the Summary checks the file against: the very
            # bytes write-back made of the same edit.
            from quiz.writeback import update_frontmatter
            from quiz.writeback.plan import note_updates

            updates = note_updates(self.note, outcome)
            self._written = update_frontmatter(self.original, self.note.encoding, updates)
        # A refused write of progress waits as a pending write-back.
        return outcome, settle(wrote, self.file, self.note, outcome, self.settings)

    def _undo_outcome(self) -> None:
        from quiz.store.resume import restore_note_row
        from quiz.writeback import WriteRefused, restore

        if self._written is not None:
            try:
                restore(self.file, self._written, self.original)
            except WriteRefused as exc:
                raise UndoRefused(
                    f"{self.note.path}: not undone: {exc.reason}; the grade and the stage stay."
                ) from None
            self._written = None
        if self._index_before is not None:
            with self.db.atomic():
                restore_note_row(self.db, self.note.path, self._index_before)
            self._index_before = None

    def _update_index(self, outcome: Outcome) -> None:
        from quiz.store import reviews

        after = outcome.after
        values: dict[str, object] = {
            "stages": json.dumps(list(after.done)),
            "first_studied": after.first_studied.isoformat() if after.first_studied else None,
            # Force the next scan to re-read the file we (may have) rewritten.
            "mtime_ns": -1,
        }
        from quiz.store.resume import note_row

        self._index_before = note_row(self.db, self.note.path, values)
        reviews.record_note_progress(self.db, self.note.path, values)


class Drill(Session):
    """Practice over cards of any notes, in the order given.

    Grades feed the memory model; no note's stages move and no note is
    written. ``Drill.weakest`` drills the vault's weakest cards.
    """

    practice_only = True

    def __init__(
        self,
        db: Database,
        vault: Path,
        settings: Settings,
        cards: tuple[Card, ...],
        *,
        today: dt.date,
        clock: Clock = utc_now,
        title: str = "Weakest cards",
    ) -> None:
        if not cards:
            raise SessionError("a drill needs cards")
        super().__init__(db, vault, settings, today=today, clock=clock, write=False)
        self._title = title
        self._begin(cards)

    @classmethod
    def weakest(
        cls,
        db: Database,
        vault: Path,
        settings: Settings,
        *,
        today: dt.date,
        clock: Clock = utc_now,
        limit: int = 20,
    ) -> Drill:
        """A drill of the vault's weakest cards by the memory model.

        Only cards reviewed before take part: a card never seen has no
        memory to be weak in. Raises ``SessionError`` without any.
        """
        from quiz.store import reviews

        now = clock()
        scored: list[tuple[tuple[int, float, int], Card]] = []
        for row in reviews.reviewed_cards(db):
            cid, path, ordinal, question, answer, line, state, source, where, last = row
            grade = Grade(last) if last else None
            r = memory.recall(state, grade, now)
            if r is not None:
                card = Card(
                    cid, path, ordinal, question, answer, line, source or "nested", where or ""
                )
                scored.append((memory.weakest_first(r, grade), card))
        # Weakest first (recall by the hour, Agains first); note order breaks ties.
        scored.sort(key=lambda pair: (pair[0], pair[1].note, pair[1].ordinal))
        cards = tuple(card for _, card in scored[:limit])
        if not cards:
            raise SessionError("no reviewed cards yet: the weakest-cards drill needs some history")
        return cls(db, vault, settings, cards, today=today, clock=clock)

    @property
    def path(self) -> str:
        return DRILL_PATH

    @property
    def title(self) -> str:
        return self._title

    def _about(self) -> dict[str, object]:
        # A drill mixes notes: its grades name each card's note, and the
        # session's own "note" rides along for a drill that never ends.
        return {"note_path": DRILL_PATH}

    def _judge(self, complete: bool, passed: bool) -> tuple[Outcome | None, WriteState]:
        from quiz.writeback.plan import WriteState

        what = self.title[:1].lower() + self.title[1:]
        return None, WriteState(None, f"Drill of the {what}: practice only, no note is changed.")
