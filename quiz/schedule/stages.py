"""The learner's review stages: day 1, 4, 7, 14 and long-term memory.

Pure functions over values; the clock is passed in (``today``) so tests never
depend on the day they run.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

FAILED_STATUS = "추가 복습"


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
        return ("day 1", "day 4", "day 7", "day 14", "long-term")[self]

    @property
    def korean(self) -> str:
        """The learner's words: ``7일 복습``, ``장기기억``."""
        return ("1일 복습", "4일 복습", "7일 복습", "14일 복습", "장기기억")[self]

    @property
    def emoji(self) -> str:
        """The template's marker: ❤ 🧡 💛 💚 🧠."""
        return ("❤", "🧡", "💛", "💚", "🧠")[self]


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


@dataclass(frozen=True, slots=True)
class StageState:
    """Where a note stands: its first study day and the five done flags."""

    first_studied: dt.date | None
    done: tuple[bool, bool, bool, bool, bool] = (False, False, False, False, False)

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
        return StageState.of(self.first_studied or first, done)


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


def due(state: StageState, today: dt.date, offsets: Sequence[int]) -> Due | None:
    """The earliest unpassed stage whose day has come, or ``None``."""
    stage = next_stage(state)
    if state.first_studied is None or stage is None:
        return None
    day = due_day(state.first_studied, stage, offsets)
    if day > today:
        return None
    return Due(stage, day, (today - day).days)


def session_passed(grades: Iterable[Grade], pass_ratio: float) -> bool:
    """A session passes when the share of Hard-or-better grades reaches the ratio."""
    grades = list(grades)
    if not grades:
        return False
    return sum(g.passed for g in grades) / len(grades) >= pass_ratio


def learning_rate(done: Sequence[bool]) -> float:
    """Passed stages / 5, one decimal."""
    return round(sum(bool(d) for d in done) / len(Stage), 1)


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

    @property
    def rate_before(self) -> float:
        """Learning rate before the session."""
        return learning_rate(self.before.done)

    @property
    def rate_after(self) -> float:
        """Learning rate after the session."""
        return learning_rate(self.after.done)

    def describe(self) -> str:
        """One line in the learner's words."""
        rates = f"learning rate {self.rate_before:.1f} → {self.rate_after:.1f}"
        if self.kind is Kind.STAGE_PASSED and self.stage is not None:
            stage = self.stage
            return f"{stage.emoji} {stage.label} review passed ({stage.korean}); {rates}"
        if self.kind is Kind.FIRST_STUDY and self.after.first_studied is not None:
            return f"first study day set to {self.after.first_studied.isoformat()}; {rates}"
        if self.kind is Kind.FAILED:
            what = f"the {self.stage.label} review" if self.stage is not None else "the session"
            return f"{what} did not pass: marked {FAILED_STATUS}; {rates}"
        return f"practice: no stage was due, nothing changes; {rates}"


def apply_session(
    state: StageState, passed: bool, today: dt.date, offsets: Sequence[int]
) -> Outcome:
    """What a *complete* session does to a note's stages (SPEC "Stages")."""
    if state.first_studied is None:
        after = StageState(today, state.done)
        return Outcome(Kind.FIRST_STUDY if passed else Kind.FAILED, state, after)
    current = due(state, today, offsets)
    if not passed:
        return Outcome(Kind.FAILED, state, state, current.stage if current else None)
    if current is None:
        return Outcome(Kind.PRACTICE, state, state)
    after = state.merged(None, [current.stage])
    return Outcome(Kind.STAGE_PASSED, state, after, current.stage)
