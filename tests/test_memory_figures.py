"""Memory figures: recall by the hour, weakest-first order, Mastery after Agains,
and the weakest drill's head line and end state (issue #12, item 5)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from pathlib import Path

import fsrs
import pytest

from quiz.schedule import memory
from quiz.schedule.stages import Grade
from quiz.store.queries import mastery
from quiz.tui.quiz import QuizScreen
from quiz.tui.summary import SummaryScreen

from .tui_snapshot_app import NOW, TODAY, make_app, screen_text, synchronous

IAM = "AWS/IAM 정책.md"  # five cards
T0 = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)

#: FSRS-6's default decay (its 21st parameter), written out: the expected
#: values below are computed from the published forgetting curve, not by quiz.
DECAY = 0.1542
FACTOR = 0.9 ** (1 / -DECAY) - 1


def curve(days: float, stability: float) -> float:
    return (1 + FACTOR * days / stability) ** -DECAY


# -- retrievability ---------------------------------------------------------------


@pytest.mark.parametrize("hours", [0, 1, 6, 12, 23, 30, 72])
def test_retrievability_follows_the_curve_by_the_hour(hours: int) -> None:
    state = memory.review(None, Grade.GOOD, T0)
    stability = json.loads(state)["stability"]
    got = memory.retrievability(state, T0 + dt.timedelta(hours=hours))
    assert got == pytest.approx(curve(hours / 24, stability), rel=1e-9)


def test_within_a_day_recall_falls_and_again_is_weaker_than_good() -> None:
    good = memory.review(None, Grade.GOOD, T0)
    again = memory.review(None, Grade.AGAIN, T0)
    later = T0 + dt.timedelta(hours=8)
    r_good = memory.retrievability(good, later)
    r_again = memory.retrievability(again, later)
    assert r_good is not None and r_again is not None
    assert r_again < r_good < 1.0  # whole days said 1.0 for both


def test_on_whole_days_it_agrees_with_py_fsrs() -> None:
    state = memory.review(None, Grade.HARD, T0)
    card = fsrs.Card.from_json(state)
    when = T0 + dt.timedelta(days=3)
    library = fsrs.Scheduler(enable_fuzzing=False).get_card_retrievability(card, when)
    assert memory.retrievability(state, when) == pytest.approx(library, rel=1e-9)


def test_recall_is_zero_after_again_and_none_when_never_reviewed() -> None:
    again = memory.review(None, Grade.AGAIN, T0)
    assert memory.recall(again, Grade.AGAIN, T0 + dt.timedelta(minutes=5)) == 0.0
    assert memory.recall(None, None, T0) is None
    good = memory.review(again, Grade.GOOD, T0 + dt.timedelta(minutes=10))
    assert memory.recall(good, Grade.GOOD, T0 + dt.timedelta(minutes=10)) == pytest.approx(1.0)


# -- order and Mastery in the store ------------------------------------------------


class Clock:
    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


@synchronous
async def test_note_queue_puts_agains_then_unseen_then_by_recall(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    clock = Clock(T0)
    study = replace(app.study, write=False, clock=clock)
    first = study.open(IAM)
    ids = [c.id for c in first.cards]  # note order: nothing reviewed yet
    first.grade(Grade.GOOD)  # card 0
    first.grade(Grade.AGAIN)  # card 1
    first.grade(Grade.HARD)  # card 2; cards 3 and 4 never reviewed
    first.finish()
    clock.now = T0 + dt.timedelta(hours=2)
    second = study.open(IAM)
    # Again first, then the two never reviewed, then Hard (weaker) before Good.
    assert [c.id for c in second.cards] == [ids[1], ids[3], ids[4], ids[2], ids[0]]


@synchronous
async def test_mastery_recall_agrees_with_the_week_after_a_run_of_agains(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    clock = Clock(T0)
    study = replace(app.study, write=False, clock=clock)
    session = study.open(IAM)
    for _ in session.cards:  # each card once: Agains would come back to relearn
        session.grade(Grade.AGAIN)
        clock.now += dt.timedelta(seconds=20)
    session.finish()
    (aws,) = [m for m in mastery(study.db, study.settings, TODAY, clock.now) if m.name == "AWS"]
    assert aws.accuracy_7d == 0.0
    assert aws.retrievability == 0.0  # was 1.0: "Recall 100%" after five Agains
    # Graded Good again later that day: recalled, and the recall says so.
    clock.now += dt.timedelta(hours=1)
    session = study.open(IAM)
    while session.current is not None:
        session.grade(Grade.GOOD)
    session.finish()
    (aws,) = [m for m in mastery(study.db, study.settings, TODAY, clock.now) if m.name == "AWS"]
    assert aws.accuracy_7d == 0.5
    assert aws.retrievability is not None and aws.retrievability > 0.99


# -- the drill ---------------------------------------------------------------------


@synchronous
async def test_drill_orders_by_hours_and_breaks_ties_by_last_grade(tmp_path: Path) -> None:
    app = make_app(tmp_path)  # the app's clock says NOW (09:30)
    clock = Clock(NOW - dt.timedelta(hours=20))
    study = replace(app.study, write=False, clock=clock)
    session = study.open(IAM)
    ids = [c.id for c in session.cards]
    session.grade(Grade.GOOD)  # card 0: Good 20 hours before the drill
    clock.now = NOW
    session.grade(Grade.GOOD)  # card 1: Good just now
    session.grade(Grade.HARD)  # card 2: Hard just now
    session.grade(Grade.GOOD)  # card 3: Good just now
    session.grade(Grade.AGAIN)  # card 4: Again just now
    session.finish()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("w")
        drill = app.screen
        assert isinstance(drill, QuizScreen)
        # Again; then card 0 (20 hours old); then the ones reviewed just now,
        # all at recall 1.0: Hard before Good, then note order.
        assert [c.id for c in drill.session.cards] == [ids[4], ids[0], ids[2], ids[1], ids[3]]


@synchronous
async def test_drill_head_line_and_end_state(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    session = replace(app.study, write=False).open(IAM)
    while session.current is not None:
        session.grade(Grade.GOOD)
    session.finish()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("w")
        assert isinstance(app.screen, QuizScreen)
        head = screen_text(app)
        assert "Weakest cards · 5 cards · practice" in head
        assert "no subject" not in head and "first study" not in head
        for _ in range(5):
            await pilot.press("space", "3")
        summary = app.screen
        assert isinstance(summary, SummaryScreen)
        assert summary.lines["title"] == "Weakest cards · 5 cards"
        assert summary.lines["outcome"] == (
            "Drill finished: 5 cards graded; the memory model has them."
        )
        assert "Not finished" not in screen_text(app)
