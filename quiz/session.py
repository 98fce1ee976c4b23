"""One quiz session over one note: the core that the TUI and ``--plain`` drive.

A session reads the note's bytes once (they are what write-back compares the
file against), orders the cards weakest first by the memory model, records
each grade in the store and the vault's review log the moment it is given,
and when every card is graded judges the session, moves the note's stages
and writes them back.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from quiz.clock import Clock, utc_now
from quiz.config import Settings
from quiz.grading import similarity
from quiz.notes.fields import STAGE_FLAGS, STAGE_MIRRORS, Field, field_for_key
from quiz.notes.model import Card, Note, as_bool
from quiz.schedule import memory
from quiz.schedule.stages import (
    Due,
    Grade,
    Kind,
    Mirrors,
    Outcome,
    RateRule,
    StageState,
    apply_session,
    due,
    progress_bar,
    review_name,
    session_passed,
)
from quiz.text import plural

if TYPE_CHECKING:
    from sqlite_utils import Database

#: ``sessions.note_path`` of a weakest-cards drill, which spans notes.
DRILL_PATH = "*weakest*"


@dataclass(frozen=True, slots=True)
class Study:
    """What every session of one run shares: the index, the vault, the
    settings, the day, whether to write back, and the clock.

    The app and ``--plain`` each hold one and open their sessions from it.
    """

    db: Database
    vault: Path
    settings: Settings
    today: dt.date
    write: bool = True
    clock: Clock = utc_now

    def open(self, note_path: str) -> Session:
        """A session over one note; raises ``SessionError``."""
        return Session(
            self.db,
            self.vault,
            note_path,
            self.settings,
            today=self.today,
            clock=self.clock,
            write=self.write,
        )

    def why_no_cards(self) -> str | None:
        """Why the vault gives no card at all, for the learner; ``None`` if it gives some."""
        from quiz.store.queries import vault_counts

        notes, with_cues, cards = vault_counts(self.db)
        if cards:
            return None
        if not notes:
            return (
                f"No notes found in {self.vault}: quiz reads the Markdown (.md) files "
                "of this folder and its subfolders."
            )
        if not with_cues:
            headings = ", ".join(f"'{h}'" for h in self.settings.sections["cues"])
            return (
                f"No cue sections found in {plural(notes, 'note')}, so there are no cards. "
                f"quiz looked for the cue questions under a heading named {headings} "
                "(set [sections] cues in quiz.toml to name yours)."
            )
        return (
            f"{plural(with_cues, 'note')} with a cue section, but none of their cues is a "
            "card yet: the cue items are empty or template placeholders."
        )

    def weakest(self) -> Session:
        """A drill of the vault's weakest cards; raises ``SessionError``."""
        return Session.weakest(
            self.db, self.vault, self.settings, today=self.today, clock=self.clock
        )


@dataclass(frozen=True, slots=True)
class Graded:
    """A card and the grade it got."""

    card: Card
    grade: Grade
    typed: str | None
    similarity: float | None
    review_id: int


@dataclass(frozen=True, slots=True)
class SessionResult:
    """What a finished (or abandoned) session amounts to.

    Attributes:
        note: the note quizzed.
        total: cards in the session.
        graded: the grades given, in order.
        complete: every card was graded.
        passed: the session passed (only meaningful when complete).
        outcome: what happened to the stages (``None`` when incomplete).
        written: the note file was updated.
        write_message: why it was or was not written, for the learner.
        log_problem: why the review log in the vault could not be written.
    """

    note: Note
    total: int
    graded: tuple[Graded, ...]
    complete: bool
    passed: bool
    outcome: Outcome | None
    written: bool
    write_message: str
    log_problem: str | None = None

    @property
    def correct(self) -> int:
        """Cards graded Hard or better."""
        return sum(g.grade.passed for g in self.graded)

    @property
    def missed(self) -> tuple[Card, ...]:
        """Cards graded Again."""
        return tuple(g.card for g in self.graded if not g.grade.passed)

    def summary_lines(self) -> list[str]:
        """The end-of-session summary, in plain words."""
        lines = [f"Score: {self.correct}/{len(self.graded)} (of {self.total} cards)"]
        if self.outcome is None and not self.complete:
            lines.append("Session not finished: graded cards are kept, no stage changes.")
        elif self.outcome is not None:
            lines.append(self.outcome.describe())
            rate = self.outcome.rate_after
            lines.append(f"Progress: {progress_bar(rate)}")
        lines.append(self.write_message)
        if self.log_problem:
            lines.append(self.log_problem)
        return lines


class SessionError(Exception):
    """A session that cannot start; the message names the note and the reason."""


def _read(vault: Path, rel: str, settings: Settings) -> tuple[bytes, Note]:
    """A note's bytes (what write-back compares against) and what they say,
    without its template placeholders (as the index has it).

    Raises ``SessionError`` naming the file and the reason.
    """
    # The reader (YAML, markdown-it, the mojibake tables) is imported with
    # the first note studied, not with the app: it is 40-60 ms of start-up.
    from quiz.notes.reader import NoteError, parse_note, read_bytes
    from quiz.notes.templates import drop_placeholders, find_templates

    try:
        raw = read_bytes(vault / rel, rel)  # at most the reader's size limit
        templates = find_templates(vault)
        note = parse_note(raw, rel, settings)
        return raw, drop_placeholders(note, templates.placeholders(settings), templates)
    except OSError as exc:
        raise SessionError(f"{rel}: cannot read: {exc.strerror or exc}") from None
    except NoteError as exc:
        raise SessionError(str(exc)) from None


class Session:
    """A quiz over one note's cards. Not thread-safe; one per screen."""

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
    ) -> None:
        self._setup(db, vault, settings, today, clock, write=write, practice_only=False)
        from quiz.vault import NotePathError, note_key

        try:
            # Only a note of the vault, by its key: never a path out of it, a
            # FIFO or a device (the CLI refuses those first, with exit 2).
            note_path = note_key(vault, note_path)
        except NotePathError as exc:
            raise SessionError(str(exc)) from None
        self.file = vault / note_path
        self.original, self.note = _read(vault, note_path, settings)
        if not self.note.cards:
            raise SessionError(f"{note_path}: the note has no cards")
        self.state = self._state()
        self._begin(self._weakest_first(self.note.cards))

    def _setup(
        self,
        db: Database,
        vault: Path,
        settings: Settings,
        today: dt.date,
        clock: Clock,
        *,
        write: bool,
        practice_only: bool,
    ) -> None:
        # What every kind of session holds, set in one place.
        self.db = db
        self.vault = vault
        self.settings = settings
        self.today = today
        self.clock = clock
        self.write = write
        self.practice_only = practice_only
        from quiz.store.log import ReviewLog

        self.log = ReviewLog(vault, settings)

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
    ) -> Session:
        """A drill of the vault's weakest cards by the memory model.

        Practice only: grades feed the memory model, no note's stages move and
        no note is written. Only cards reviewed before take part: a card never
        seen has no memory to be weak in.
        """
        from quiz.store.queries import LAST_GRADE

        now = clock()
        scored: list[tuple[tuple[int, float, int], Card]] = []
        rows = db.execute(
            "SELECT c.id, c.note_path, c.ordinal, c.question, c.answer, c.line, m.state, "
            "c.answer_source, c.answer_from, "
            f"{LAST_GRADE} FROM cards c JOIN memory m ON m.card_id = c.id WHERE c.gone_at IS NULL"
        )
        for cid, path, ordinal, question, answer, line, state, source, where, last in rows:
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
        self = cls.__new__(cls)
        self._setup(db, vault, settings, today, clock, write=False, practice_only=True)
        self.file = vault  # no one file: edit and links use file_of(card)
        self.original = b""
        self.note = Note(
            path=DRILL_PATH,
            title="Weakest cards",
            fields={},
            frontmatter={},
            frontmatter_ok=False,
            encoding="utf-8",
            repaired=False,
            cards=cards,
        )
        self.state = StageState(None)
        self._begin(cards)
        return self

    def _state(self) -> StageState:
        """The note's stages: its fields plus progress not yet written into it."""
        from quiz.store.queries import stage_pass_days, unwritten_progress

        state = StageState.of(self.note.first_studied, self.note.stages_done)
        pending = unwritten_progress(self.db, self.note.path).get(self.note.path)
        if pending:
            state = state.merged(*pending)
        passes = stage_pass_days(self.db, self.note.path).get(self.note.path)
        return state.with_pass_days(passes) if passes else state

    def _begin(self, cards: tuple[Card, ...]) -> None:
        self.cards: tuple[Card, ...] = cards
        self.graded: list[Graded] = []
        self.result: SessionResult | None = None
        from quiz.store.log import new_id

        self.uid = new_id()  # the session's id in the review log
        self.started_at = self._stamp()
        with self.db.atomic():
            self.id = _pk(
                self.db.table("sessions")
                .insert(
                    {
                        "uid": self.uid,
                        "note_path": self.note.path,
                        "day": self.today.isoformat(),
                        "started_at": self.started_at,
                        "cards": len(self.cards),
                        "graded": 0,
                        "complete": 0,
                    }
                )
                .last_pk
            )

    def file_of(self, card: Card) -> Path:
        """The note file a card lives in (a drill mixes notes)."""
        return self.vault / card.note

    def reload(self) -> str | None:
        """Re-read the note after the learner edited it; graded cards stay graded.

        The bytes read now become the ones write-back compares against, so an
        edit made from inside the session is not mistaken for a conflicting
        change. Returns a message when the note could not be re-read.
        """
        if self.practice_only:
            return None
        try:
            raw, note = _read(self.vault, self.note.path, self.settings)
        except SessionError as exc:
            return str(exc)
        graded = {g.card.id for g in self.graded}
        remaining = tuple(c for c in note.cards if c.id not in graded)
        self.original, self.note = raw, note
        self.state = self._state()
        self.cards = tuple(g.card for g in self.graded) + self._weakest_first(remaining)
        with self.db.atomic():
            self.db.table("sessions").update(self.id, {"cards": len(self.cards)})
        return None

    # -- the queue -------------------------------------------------------

    def _weakest_first(self, cards: tuple[Card, ...]) -> tuple[Card, ...]:
        states = self._memory_states([c.id for c in cards])
        grades = self._last_grades([c.id for c in cards])
        now = self.clock()

        def key(card: Card) -> tuple[tuple[int, float, int], int]:
            grade = grades.get(card.id)
            r = memory.recall(states.get(card.id), grade, now)
            # Cards last graded Again, then never-reviewed ones, then by
            # recall; note order breaks ties.
            return (memory.weakest_first(r, grade), card.ordinal)

        return tuple(sorted(cards, key=key))

    def _last_grades(self, ids: list[str]) -> dict[str, Grade]:
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        rows = self.db.execute(
            "SELECT card_id, grade, max(reviewed_at || printf('%012d', id)) FROM reviews "
            f"WHERE card_id IN ({marks}) GROUP BY card_id",
            ids,
        )
        return {card_id: Grade(grade) for card_id, grade, _ in rows}

    def _memory_states(self, ids: list[str]) -> dict[str, str]:
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        rows = self.db.execute(f"SELECT card_id, state FROM memory WHERE card_id IN ({marks})", ids)
        return dict(rows.fetchall())

    @property
    def stage_due(self) -> Due | None:
        """The stage this session can pass, or ``None`` (practice or new note)."""
        if self.practice_only or not self.note.frontmatter_ok:
            return None
        return due(self.state, self.today, self.settings.offsets)

    @property
    def position(self) -> int:
        """How many cards are graded (the index of the current card)."""
        return len(self.graded)

    @property
    def current(self) -> Card | None:
        """The card on screen, or ``None`` when all are graded."""
        return self.cards[self.position] if self.position < len(self.cards) else None

    @property
    def finished(self) -> bool:
        """Every card is graded."""
        return self.position >= len(self.cards)

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
            before = self._memory_states([card.id]).get(card.id)
            after = memory.review(before, grade, now)
            review_id = _pk(
                self.db.table("reviews")
                .insert(
                    {
                        "session_id": self.id,
                        "card_id": card.id,
                        "note_path": card.note,
                        "grade": int(grade),
                        "typed": typed or None,
                        "similarity": score,
                        "duration_ms": duration_ms,
                        "reviewed_at": now.astimezone(dt.UTC).isoformat(timespec="milliseconds"),
                        "day": self.today.isoformat(),
                        "memory_before": before,
                        "event_id": event_id,
                    }
                )
                .last_pk
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
            self.db.table("memory").upsert(self._memory_row(card.id, after), pk="card_id")
            self.db.table("sessions").update(self.id, {"graded": self.position + 1})
        graded = Graded(card, grade, typed or None, score, review_id)
        self.graded.append(graded)
        return graded

    def _memory_row(self, card_id: str, state: str) -> dict[str, object]:
        # due and last_review are copied out of the FSRS state so SQL can
        # sort and filter on them; the state stays the one source.
        parsed = json.loads(state)
        return {
            "card_id": card_id,
            "state": state,
            "due": parsed.get("due"),
            "last_review": parsed.get("last_review"),
            "reviews": self._review_count(card_id),
        }

    def _review_count(self, card_id: str) -> int:
        row = self.db.execute("SELECT count(*) FROM reviews WHERE card_id = ?", [card_id])
        return int(row.fetchone()[0])

    def undo(self) -> Card | None:
        """Take back the last grade (store and memory); return its card."""
        if not self.graded or self.result is not None:
            return None
        last = self.graded.pop()
        row = self.db.table("reviews").get(last.review_id)
        with self.db.atomic():
            self.db.table("reviews").delete(last.review_id)
            self._log("undo", self.clock(), card=last.card.id, undoes=row["event_id"])
            before = row["memory_before"]
            if before:
                self.db.table("memory").upsert(self._memory_row(last.card.id, before), pk="card_id")
            else:
                self.db.table("memory").delete_where("card_id = ?", [last.card.id])
            self.db.table("sessions").update(self.id, {"graded": self.position})
        return last.card

    # -- the end ---------------------------------------------------------

    def finish(self) -> SessionResult:
        """Judge the session, move the stages, write back; idempotent."""
        if self.result is not None:
            return self.result
        complete = self.finished
        grades = [g.grade for g in self.graded]
        passed = complete and session_passed(grades, self.settings.pass_ratio)
        outcome: Outcome | None = None
        written, message = False, "Nothing to write: the session was not finished."
        if complete and self.practice_only:
            message = "Drill of the weakest cards: practice only, no note is changed."
        elif complete and not self.note.frontmatter_ok:
            # Its stages cannot be known, so the session counts as practice.
            message = (
                f"{self.note.path}: not written: its frontmatter could not be parsed, so its "
                "stages are unknown; the session counts as practice (reviews are kept)."
            )
        elif complete:
            rule = rate_rule(self.note, self.settings)
            outcome = apply_session(self.state, passed, self.today, self.settings.offsets, rule)
            written, message = self._write_back(outcome)
        with self.db.atomic():
            self.db.table("sessions").update(
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
                },
            )
            # Alongside the row: the log is what the index is rebuilt from.
            self._log("session", self.clock(), **self._session_row())
            if outcome is not None and outcome.after != outcome.before:
                self._update_index(outcome)
        self.result = SessionResult(
            self.note,
            len(self.cards),
            tuple(self.graded),
            complete,
            passed,
            outcome,
            written,
            message,
            log_problem=self.log.problem,
        )
        return self.result

    def _log(
        self, kind: str, at: dt.datetime, event_id: str | None = None, **fields: object
    ) -> str:
        """Append an event of this session to the review log; its id."""
        from quiz.notes.cards import note_key

        about: dict[str, object] = {"note": self.note.path, "day": self.today.isoformat()}
        if self.practice_only:
            # A drill mixes notes: its grades name each card's note, and the
            # session's own "note" rides along for a drill that never ends.
            about["note_path"] = self.note.path
        else:
            about["key"] = note_key(self.note.title)
        return self.log.append(kind, at, event_id, session=self.uid, **{**about, **fields})

    def _session_row(self) -> dict[str, Any]:
        from quiz.store.log import SESSION_FIELDS

        row = self.db.table("sessions").get(self.id)
        return {name: row[name] for name in SESSION_FIELDS}

    def _update_index(self, outcome: Outcome) -> None:
        after = outcome.after
        values: dict[str, object] = {
            "stages": json.dumps(list(after.done)),
            "first_studied": after.first_studied.isoformat() if after.first_studied else None,
            "learning_rate": outcome.rate_after,
            # Force the next scan to re-read the file we (may have) rewritten.
            "mtime_ns": -1,
        }
        # A failed session leaves the next review as it was (SPEC "Stages").
        if outcome.kind in (Kind.STAGE_PASSED, Kind.FIRST_STUDY):
            values["review_status"] = next_review_name(self.note, outcome)
        # A note not indexed yet (made after the last scan) has no row to
        # update; the next scan reads it from the file.
        from sqlite_utils.db import NotFoundError

        with suppress(NotFoundError):
            self.db.table("notes").update(self.note.path, values)

    def _write_back(self, outcome: Outcome) -> tuple[bool, str]:
        updates = note_updates(self.note, outcome)
        rel = self.note.path
        if not updates:
            return False, f"{rel}: nothing to write (no review field changes)."
        if not self.write:
            return False, f"{rel}: not written (--no-write); the results are in the database."
        from quiz.writeback import WriteRefused, write_back

        try:
            changed = write_back(
                self.file, self.original, self.note.encoding, updates, repaired=self.note.repaired
            )
        except WriteRefused as exc:
            return False, f"{rel}: not written: {exc.reason}; the results are kept in the database."
        if not changed:
            return False, f"{rel}: already up to date."
        return True, f"{rel}: review fields written back."


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


def _mirror_value(value: object) -> float:
    """A numeric mirror field's value, 0 to 1: ``"1"``/``"0"``, a number, or a flag.

    The template's mirrors are 1 or 0; anything else (``"2"``, ``"nan"``, a
    word) is read as the flag it stands for, so the rate stays within 0..1.
    """
    if isinstance(value, bool):
        return float(value)
    try:
        number = float(value) if isinstance(value, int | float) else float(str(value).strip())
    except ValueError:
        number = math.nan
    if math.isfinite(number) and 0 <= number <= 1:
        return number
    return 1.0 if as_bool(value) or (math.isfinite(number) and number > 1) else 0.0


def rate_rule(note: Note, settings: Settings) -> RateRule:
    """The note's learning-rate formula: the mirror fields it has (SPEC "Stages")."""
    values = [_mirror_value(note.fields[f]) if f in note.fields else None for f in STAGE_MIRRORS]
    mirrors: Mirrors = (values[0], values[1], values[2], values[3], values[4])
    return RateRule(mirrors, count_all=settings.rate == "all")


def next_review_name(note: Note, outcome: Outcome) -> str:
    """The ``복습`` value after ``outcome``, in the wording the note uses now."""
    english = any(
        field_for_key(key) is Field.REVIEW_STATUS and str(key).strip().isascii()
        for key in note.frontmatter
    )
    return review_name(outcome.after, note.fields.get(Field.REVIEW_STATUS), english=english)


def _pk(value: object) -> int:
    if not isinstance(value, int):
        raise TypeError(f"expected an integer row id, got {value!r}")
    return value


def _like(old: object, new: object) -> object:
    """``new`` in the type of ``old`` where the learner wrote a number."""
    if isinstance(new, str) and isinstance(old, int | float) and not isinstance(old, bool):
        number = float(new)
        return int(number) if isinstance(old, int) and number.is_integer() else number
    return new
