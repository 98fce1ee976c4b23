"""Per-card memory with FSRS: every review updates a card's state.

This sits beside the learner's note stages, not in place of them: stages say
when a *note* is reviewed; the memory model says which *cards* are weak, so a
session asks the weakest first and mastery views show retrievability.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
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
    """Probability of recall at ``when``; ``None`` for a never-reviewed card."""
    if not state_json:
        return None
    import fsrs

    card = fsrs.Card.from_json(state_json)
    if card.last_review is None:
        return None
    return float(_scheduler().get_card_retrievability(card, _aware(when)))


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
