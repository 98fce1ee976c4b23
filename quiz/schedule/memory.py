"""Per-card memory with FSRS: every review updates a card's state.

This sits beside the learner's note stages, not in place of them: stages say
when a *note* is reviewed; the memory model says which *cards* are weak, so a
session asks the weakest first and mastery views show retrievability.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from functools import cache
from typing import TYPE_CHECKING

from quiz.schedule.stages import Grade

if TYPE_CHECKING:
    import fsrs


@cache
def _scheduler() -> fsrs.Scheduler:
    import fsrs

    # No fuzzing: the same reviews must give the same state (tests, undo).
    return fsrs.Scheduler(enable_fuzzing=False)


def _aware(when: dt.datetime) -> dt.datetime:
    if when.tzinfo is None:
        raise ValueError("memory model times must be timezone-aware")
    return when.astimezone(dt.UTC)


def review(state_json: str | None, grade: Grade, when: dt.datetime) -> str:
    """Return the card's new FSRS state (JSON) after a review at ``when``."""
    import fsrs

    card = fsrs.Card.from_json(state_json) if state_json else fsrs.Card(card_id=0)
    new_card, _ = _scheduler().review_card(card, fsrs.Rating(int(grade)), _aware(when))
    return str(new_card.to_json())


def retrievability(state_json: str | None, when: dt.datetime) -> float | None:
    """Probability of recall at ``when``; ``None`` for a never-reviewed card.

    FSRS's forgetting curve over the time since the last review *in hours*
    (as a fraction of days). py-fsrs's own ``get_card_retrievability``
    counts whole days, so every card reviewed within the last 24 hours read
    100% and a card graded Again an hour ago looked as strong as an Easy one.
    """
    if not state_json:
        return None
    import fsrs

    card = fsrs.Card.from_json(state_json)
    return retrievability_of(card.stability, card.last_review, when)


def retrievability_of(
    stability: float | None, last_review: dt.datetime | None, when: dt.datetime
) -> float | None:
    """``retrievability`` from the two fields of the state it needs.

    Mastery reads them straight from the index (``json_extract``): decoding
    every card's whole state took most of its time on a 10k-note vault.
    """
    if last_review is None or stability is None or stability <= 0:
        return None
    elapsed = max(0.0, (_aware(when) - _aware(last_review)).total_seconds() / _DAY)
    return _forgetting(elapsed, stability)


_DAY = 86400.0


@cache
def _curve() -> tuple[float, float]:
    """The forgetting curve's decay and factor (FSRS's last parameter)."""
    decay = -float(_scheduler().parameters[20])
    return decay, 0.9 ** (1 / decay) - 1


def _forgetting(elapsed_days: float, stability: float) -> float:
    """Retrievability ``elapsed_days`` after a review, at this stability."""
    decay, factor = _curve()
    return float((1 + factor * elapsed_days / stability) ** decay)


def recall_at(when: dt.datetime) -> Callable[[float | None, str | None, int | None], float | None]:
    """``recall`` at ``when`` of a card known by the fields the index keeps:
    its state's stability, its last review (ISO text) and its latest grade.

    For figures over many cards (Mastery): the same value as ``recall``,
    with the time of day set up once rather than once per card.
    """
    now = _aware(when)

    def of(
        stability: float | None, last_review: str | None, last_grade: int | None
    ) -> float | None:
        if not last_review or stability is None or stability <= 0:
            return None
        if last_grade == Grade.AGAIN:
            return 0.0
        reviewed = dt.datetime.fromisoformat(last_review)
        if reviewed.tzinfo is None:
            raise ValueError("memory model times must be timezone-aware")
        return _forgetting(max(0.0, (now - reviewed).total_seconds() / _DAY), stability)

    return of


def preview(state_json: str | None, now: dt.datetime) -> dict[Grade, dt.timedelta]:
    """How long until the card comes back after each grade given at ``now``.

    The same scheduler as :func:`review` (no fuzzing), so the interval shown
    on a grade key is the one that grade gives. ``None`` is a new card.
    """
    import fsrs

    card = fsrs.Card.from_json(state_json) if state_json else fsrs.Card(card_id=0)
    when = _aware(now)
    scheduler = _scheduler()
    out: dict[Grade, dt.timedelta] = {}
    for grade in Grade:
        after, _ = scheduler.review_card(card, fsrs.Rating(int(grade)), when)
        out[grade] = max(dt.timedelta(0), after.due - when)
    return out


def format_interval(span: dt.timedelta) -> str:
    """A short duration as on Anki's grade keys: ``1m``, ``6h``, ``4d``, ``1.5mo``, ``2y``.

    Minutes under an hour, hours under a day, days under a month (30 days),
    months under a year, then years; one decimal above a month, dropped
    when it is ``.0``. Under a minute reads ``<1m``.
    """
    seconds = span.total_seconds()
    if seconds < 60:
        return "<1m"
    if seconds < 3600:
        return f"{min(59, round(seconds / 60))}m"
    if seconds < _DAY:
        return f"{min(23, round(seconds / 3600))}h"
    days = seconds / _DAY
    if days < 30:
        return f"{min(29, round(days))}d"
    if days < 365:
        return _decimal(days / 30) + "mo"
    return _decimal(days / 365) + "y"


def _decimal(value: float) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def recall(
    state_json: str | None,
    last_grade: Grade | None,
    when: dt.datetime,
    *,
    known: tuple[float | None, dt.datetime | None] | None = None,
) -> float | None:
    """How likely the learner recalls the card now, for mastery and ordering.

    A card whose latest grade is Again was *not* recalled, and counts as 0
    until it is graded Hard or better: FSRS's retrievability just after a
    lapse is close to 1 (the answer was just shown), which made Mastery read
    "Recall 100%" right after a run of Agains. Otherwise the FSRS
    retrievability by the hour; ``None`` for a card never reviewed.
    ``known``: the state's stability and last review, already read.
    """
    r = retrievability(state_json, when) if known is None else retrievability_of(*known, when)
    if r is None:
        return None
    return 0.0 if last_grade is Grade.AGAIN else r


def weakest_first(recall_now: float | None, last_grade: Grade | None) -> tuple[int, float, int]:
    """Sort key putting the weakest cards first.

    Cards whose latest grade is Again come first, then cards never reviewed
    (nothing is known of them), then the rest by recall, lowest first; ties
    go by the latest grade (Again, Hard, Good, Easy).
    """
    grade = int(last_grade) if last_grade is not None else 0
    if recall_now is None:
        return (1, 0.0, grade)
    if last_grade is Grade.AGAIN:
        return (0, recall_now, grade)
    return (2, recall_now, grade)


def replay(reviews: Iterable[tuple[Grade, dt.datetime]]) -> list[str]:
    """The card's state (JSON) after each of its reviews, from a new card.

    The same as chaining ``review`` (the tests check), without decoding each
    state again: a cold rebuild of the index replays every review there is.
    """
    import fsrs

    card = fsrs.Card(card_id=0)
    scheduler = _scheduler()
    states = []
    for grade, when in reviews:
        card, _ = scheduler.review_card(card, fsrs.Rating(int(grade)), _aware(when))
        states.append(str(card.to_json()))
    return states
