"""The words quiz says things with, in one place: stage names, due phrases, plurals.

The app, ``--plain``, the command line and the exports all speak of a stage
as ``💛 day 7`` (the learner's template marks it ``💛 7일 복습``) and of a late
review as ``3 days overdue``; spelled here once, they cannot drift apart.

Stages are given by their index (``Stage`` is an ``IntEnum``): this module
sits below ``quiz.schedule`` and imports nothing of quiz.
"""

from __future__ import annotations

import datetime as dt

#: English names of the stages, in order: ``day 1`` ... ``long-term``.
STAGE_LABELS = ("day 1", "day 4", "day 7", "day 14", "long-term")
#: The learner's words for them: ``1일 복습`` ... ``장기기억``.
STAGE_KOREAN = ("1일 복습", "4일 복습", "7일 복습", "14일 복습", "장기기억")
#: The template's marker of each: ❤ 🧡 💛 💚 🧠.
STAGE_EMOJI = ("❤", "🧡", "💛", "💚", "🧠")


def plural(n: int, word: str) -> str:
    """``1 card``, ``2 cards``, ``0 cards``."""
    return f"{n} {word}" + ("" if n == 1 else "s")


def stage_name(stage: int) -> str:
    """``💛 day 7``."""
    return f"{STAGE_EMOJI[stage]} {STAGE_LABELS[stage]}"


def stage_review(stage: int) -> str:
    """``💛 day 7 review``."""
    return f"{stage_name(stage)} review"


def stage_korean(stage: int) -> str:
    """``💛 7일 복습``: the learner's template's way."""
    return f"{STAGE_EMOJI[stage]} {STAGE_KOREAN[stage]}"


def overdue(days: int) -> str:
    """``1 day overdue``, ``3 days overdue`` (``days`` > 0)."""
    return f"{plural(days, 'day')} overdue"


def due_phrase(days_overdue: int) -> str:
    """``due today`` or ``3 days overdue``."""
    return overdue(days_overdue) if days_overdue else "due today"


def when_due(days_overdue: int) -> str:
    """Under a "Due" heading: ``today`` or ``3 days overdue``."""
    return overdue(days_overdue) if days_overdue else "today"


def next_day(day: dt.date, today: dt.date) -> str:
    """When a coming review falls: ``12-02`` (``2027-01-01`` in another
    year); once its day has come, as Today's Due column says it: ``today``
    or ``3 days overdue``."""
    if day <= today:
        return when_due((today - day).days)
    return day.strftime("%m-%d" if day.year == today.year else "%Y-%m-%d")


def score_line(correct: int, graded: int, total: int) -> str:
    """``Score: 4/5 (of 6 cards)``: cards first graded Hard or better, of
    those graded, of the session's cards."""
    return f"Score: {correct}/{graded} (of {plural(total, 'card')})"
