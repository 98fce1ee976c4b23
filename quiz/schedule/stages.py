"""The learner's review stages: day 1, 4, 7, 14 and long-term memory.

Pure functions over values; the clock is passed in (``today``) so tests never
depend on the day they run.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from quiz.wording import (
    STAGE_EMOJI,
    STAGE_KOREAN,
    STAGE_LABELS,
    due_phrase,
    next_day,
    stage_name,
    stage_review,
)

#: The next review's name in the learner's template (the ``복습`` field), by
#: how many stages are done in order: none -> ``1일 복습`` ... days 1-14 ->
#: ``추가 복습``, all five -> ``장기기억``.
REVIEW_NAMES = ("1일 복습", "4일 복습", "7일 복습", "14일 복습", "추가 복습", "장기기억")
#: The same names for notes that use the English alias ``review_status``.
REVIEW_NAMES_EN = (
    "day 1 review",
    "day 4 review",
    "day 7 review",
    "day 14 review",
    "extra review",
    "long-term memory",
)


class Stage(enum.IntEnum):
    """A review stage, in order."""

    DAY_1 = 0
    DAY_4 = 1
    DAY_7 = 2
    DAY_14 = 3
    LONG_TERM = 4

    @property
    def label(self) -> str:
        """English name: ``day 7``, ``long-term``."""
        return STAGE_LABELS[self]

    @property
    def korean(self) -> str:
        """The learner's words: ``7일 복습``, ``장기기억``."""
        return STAGE_KOREAN[self]

    @property
    def emoji(self) -> str:
        """The template's marker: ❤ 🧡 💛 💚 🧠."""
        return STAGE_EMOJI[self]


class Grade(enum.IntEnum):
    """A self-grade, as in Anki and FSRS."""

    AGAIN = 1
    HARD = 2
    GOOD = 3
    EASY = 4

    @classmethod
    def parse(cls, text: str) -> Grade:
        """``1``-``4`` or ``again``/``hard``/``good``/``easy`` (any case)."""
        word = text.strip().casefold()
        if word in {"1", "2", "3", "4"}:
            return cls(int(word))
        try:
            return cls[word.upper()]
        except KeyError:
            raise ValueError(f"not a grade: {text!r} (use 1-4 or again/hard/good/easy)") from None

    @property
    def passed(self) -> bool:
        """Hard, Good and Easy count towards a pass; Again does not."""
        return self is not Grade.AGAIN


PassDays = tuple[dt.date | None, dt.date | None, dt.date | None, dt.date | None, dt.date | None]
NO_PASS_DAYS: PassDays = (None, None, None, None, None)


@dataclass(frozen=True, slots=True)
class StageState:
    """Where a note stands: its first study day, the five done flags and,
    where known, the day each stage was passed.

    The note itself only says *that* a stage is done; the day it was passed
    comes from the review history (the index's sessions). A stage ticked by
    hand has no pass day (``None``).
    """

    first_studied: dt.date | None
    done: tuple[bool, bool, bool, bool, bool] = (False, False, False, False, False)
    passed_on: PassDays = NO_PASS_DAYS

    @classmethod
    def of(cls, first: dt.date | None, flags: Iterable[bool]) -> StageState:
        """A state from any number of flags: missing ones are not done."""
        d = [bool(f) for f in flags][:5] + [False] * 5
        return cls(first, (d[0], d[1], d[2], d[3], d[4]))

    @property
    def passed(self) -> int:
        """How many stages are done."""
        return sum(self.done)

    def merged(self, first: dt.date | None, stages: Iterable[int]) -> StageState:
        """This state plus progress recorded elsewhere (sessions not written back)."""
        done = list(self.done)
        for stage in stages:
            done[stage] = True
        merged = StageState.of(self.first_studied or first, done)
        return StageState(merged.first_studied, merged.done, self.passed_on)

    def with_pass_days(self, days: Mapping[int, dt.date]) -> StageState:
        """This state knowing on which day stages were passed (latest wins)."""
        passed = list(self.passed_on)
        for stage, day in days.items():
            known = passed[stage]
            if known is None or day > known:
                passed[stage] = day
        return StageState(
            self.first_studied,
            self.done,
            (passed[0], passed[1], passed[2], passed[3], passed[4]),
        )


@dataclass(frozen=True, slots=True)
class Due:
    """The stage a note is due for."""

    stage: Stage
    day: dt.date
    overdue: int  # days past the due day, 0 on the day


def due_day(first: dt.date, stage: Stage, offsets: Sequence[int]) -> dt.date:
    """The day ``stage`` falls due."""
    return first + dt.timedelta(days=offsets[stage])


def next_stage(state: StageState) -> Stage | None:
    """The earliest stage not yet done, or ``None`` when all are."""
    for stage in Stage:
        if not state.done[stage]:
            return stage
    return None


def stage_due_day(state: StageState, stage: Stage, offsets: Sequence[int]) -> dt.date | None:
    """The day ``stage`` of this note falls due, catching up included.

    A stage is never due on the day the previous stage was passed: after a
    late pass the stage is due on its own day or the day after the pass,
    whichever is later (SPEC "Stages", catching up). ``None`` for a new note.
    """
    if state.first_studied is None:
        return None
    own = due_day(state.first_studied, stage, offsets)
    previous = state.passed_on[stage - 1] if stage > 0 and state.done[stage - 1] else None
    if previous is None:
        return own
    return max(own, previous + dt.timedelta(days=1))


def due(state: StageState, today: dt.date, offsets: Sequence[int]) -> Due | None:
    """The earliest unpassed stage whose day has come, or ``None``."""
    stage = next_stage(state)
    if state.first_studied is None or stage is None:
        return None
    day = stage_due_day(state, stage, offsets)
    if day is None:
        return None
    if day > today:
        return None
    return Due(stage, day, (today - day).days)


def upcoming(state: StageState, today: dt.date, offsets: Sequence[int]) -> Due | None:
    """The next stage to pass and the day it falls due (catching up
    included), whether or not that day has come; ``None`` for a new note or
    one with every stage done. ``overdue`` is 0 until the day has come.
    """
    stage = next_stage(state)
    day = stage_due_day(state, stage, offsets) if stage is not None else None
    if stage is None or day is None:
        return None
    return Due(stage, day, max(0, (today - day).days))


def next_words(state: StageState, today: dt.date, offsets: Sequence[int]) -> str:
    """When the note's next stage is due, short: ``💚 day 14 · 12-02``.

    ``today`` or ``3 days overdue`` for a day that has come (as Today says
    it), ``new`` for a note never studied,
    ``done`` when all five stages are; the year shows when it is not today's.
    """
    if state.first_studied is None:
        return "new"
    nxt = upcoming(state, today, offsets)
    if nxt is None:
        return "done"
    return f"{stage_name(nxt.stage)} · {next_day(nxt.day, today)}"


def session_passed(grades: Iterable[Grade], pass_ratio: float) -> bool:
    """A session passes when the share of Hard-or-better grades reaches the ratio."""
    grades = list(grades)
    if not grades:
        return False
    return sum(g.passed for g in grades) / len(grades) >= pass_ratio


def learning_rate(done: Sequence[bool]) -> float:
    """Passed stages / 5, one decimal."""
    return round(sum(bool(d) for d in done) / len(Stage), 1)


Mirrors = tuple[float | None, float | None, float | None, float | None, float | None]


@dataclass(frozen=True, slots=True)
class RateRule:
    """How one note computes its learning rate (SPEC "Stages").

    The learner's template computes it from its numeric mirror fields
    (``"1일차복습여부1,0"`` ... ``"장기기억저장여부1,0"``): their sum / 5, one
    decimal. It has no day-14 mirror, so a finished note reads 0.8, and quiz
    writes what the note's own formula would.

    Attributes:
        mirrors: the numeric value of each stage's mirror field on file, in
            stage order; ``None`` where the note has no such field.
        count_all: count all five stages (``[stages] rate = "all"``), so a
            finished note reads 1.0.
    """

    mirrors: Mirrors = (None, None, None, None, None)
    count_all: bool = False

    @classmethod
    def of(cls, mirrors: Mirrors, setting: str = "note") -> RateRule:
        """The rule of a note with these mirrors under ``[stages] rate``
        (``"note"``: its own formula; ``"all"``: all five stages count)."""
        return cls(mirrors, count_all=setting == "all")

    def mirrors_after(self, done: Sequence[bool]) -> Mirrors:
        """The mirror values once the done stages are mirrored as 1."""
        m = [None if v is None else (1.0 if done[k] else v) for k, v in enumerate(self.mirrors)]
        return (m[0], m[1], m[2], m[3], m[4])

    def rate(self, done: Sequence[bool]) -> float:
        """The learning rate of a note with these stages done.

        The sum of the mirrors the note has (done stages counted as 1) / 5;
        without mirror fields, or with ``count_all``, the passed stages / 5.
        """
        if self.count_all or all(v is None for v in self.mirrors):
            return learning_rate(done)
        total = sum(v for v in self.mirrors_after(done) if v is not None)
        return round(total / len(Stage), 1)


def review_name(state: StageState, current: object = "", *, english: bool = False) -> str:
    """The next review's name for the ``복습`` field, in the note's wording.

    The name follows the stages done in order: none -> ``1일 복습``, day 1 ->
    ``4일 복습``, day 4 -> ``7일 복습``, day 7 -> ``14일 복습``, days 1-14 ->
    ``추가 복습``, all five -> ``장기기억``. The wording follows the value
    the field holds now (``current``):

    - Hangul in it: the Korean names, written without the space when the
      current value is a name written without it (``1일복습`` -> ``4일복습``);
    - Latin letters and no Hangul: the English names (``day 4 review`` ...
      ``extra review``, ``long-term memory``), capitalised if it is;
    - empty: English when the key is the English alias (``english``),
      otherwise the template's Korean names.
    """
    stage = next_stage(state)
    index = len(Stage) if stage is None else int(stage)
    text = current.strip() if isinstance(current, str) else ""
    hangul = any("\uac00" <= ch <= "\ud7a3" for ch in text)
    latin = any(ch.isascii() and ch.isalpha() for ch in text)
    if hangul or not (latin or english):
        name = REVIEW_NAMES[index]
        compact = {n.replace(" ", "") for n in REVIEW_NAMES if " " in n}
        return name.replace(" ", "") if text in compact else name
    name = REVIEW_NAMES_EN[index]
    return name[0].upper() + name[1:] if text[:1].isupper() else name


def progress_bar(rate: float) -> str:
    """Ten squares, ``round(rate*10)`` of them green, then the percentage."""
    green = max(0, min(10, round(rate * 10)))
    return "🟩" * green + "⬜" * (10 - green) + f" {round(rate * 100)}%"


class Kind(enum.Enum):
    """What a complete session did to the note's stages."""

    STAGE_PASSED = "stage_passed"
    FIRST_STUDY = "first_study"
    PRACTICE = "practice"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class Outcome:
    """The result of a complete session for the note's stages.

    Attributes:
        kind: what happened.
        before: the state before the session.
        after: the state after it.
        stage: the stage marked done (``STAGE_PASSED``) or that was due and
            failed (``FAILED``), else ``None``.
    """

    kind: Kind
    before: StageState
    after: StageState
    stage: Stage | None = None
    rule: RateRule = RateRule()
    #: The next stage and its due day after the session (``None`` when all
    #: are done), and the day of the session.
    upcoming: Due | None = None
    today: dt.date | None = None

    @property
    def rate_before(self) -> float:
        """Learning rate before the session, by the note's formula."""
        return self.rule.rate(self.before.done)

    @property
    def rate_after(self) -> float:
        """Learning rate after the session, by the note's formula."""
        return self.rule.rate(self.after.done)

    @property
    def next_review(self) -> str:
        """The next review's name after the session (template wording)."""
        return review_name(self.after)

    def next_line(self) -> str:
        """When the note's next stage is due: ``next: 💚 day 14 on 12-02 (14일 복습)``."""
        nxt, today = self.upcoming, self.today
        if nxt is None or today is None:
            return f"next: nothing, every stage is done ({self.next_review})"
        stage = stage_name(nxt.stage)
        if nxt.day <= today:
            return f"next: {stage} again, {due_phrase(0)} ({self.next_review})"
        return f"next: {stage} on {next_day(nxt.day, today)} ({self.next_review})"

    def describe(self) -> str:
        """One line in the learner's words."""
        before, after = f"{self.rate_before:.1f}", f"{self.rate_after:.1f}"
        rates = f"learning rate {before} → {after}" if before != after else f"learning rate {after}"
        if self.kind is Kind.STAGE_PASSED and self.stage is not None:
            stage = self.stage
            return f"{stage_review(stage)} passed ({stage.korean}); {rates}"
        if self.kind is Kind.FIRST_STUDY and self.after.first_studied is not None:
            return f"First study day set to {self.after.first_studied.isoformat()}; {rates}"
        if self.kind is Kind.FAILED:
            what = f"The {self.stage.label} review" if self.stage is not None else "The session"
            return f"{what} did not pass: it stays the next review; {rates}"
        return f"Practice: no stage was due, nothing changes; {rates}"


def apply_session(
    state: StageState,
    passed: bool,
    today: dt.date,
    offsets: Sequence[int],
    rule: RateRule = RateRule(),
) -> Outcome:
    """What a *complete* session does to a note's stages (SPEC "Stages").

    ``rule`` is the note's learning-rate formula (its mirror fields).
    """

    def outcome(kind: Kind, after: StageState, stage: Stage | None = None) -> Outcome:
        nxt = upcoming(after, today, offsets)
        return Outcome(kind, state, after, stage, rule, nxt, today)

    if state.first_studied is None:
        after = StageState(today, state.done, state.passed_on)
        return outcome(Kind.FIRST_STUDY if passed else Kind.FAILED, after)
    current = due(state, today, offsets)
    if not passed:
        return outcome(Kind.FAILED, state, current.stage if current else None)
    if current is None:
        return outcome(Kind.PRACTICE, state)
    after = state.merged(None, [current.stage]).with_pass_days({current.stage: today})
    return outcome(Kind.STAGE_PASSED, after, current.stage)
