"""The interval each grade key shows: FSRS's next due time, written short."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from quiz.schedule import memory
from quiz.schedule.stages import Grade

T0 = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)
MIN, HOUR, DAY = dt.timedelta(minutes=1), dt.timedelta(hours=1), dt.timedelta(days=1)


def test_a_new_cards_intervals_are_fsrs_default_steps() -> None:
    # Learning steps of 1 and 10 minutes (Hard halfway), Easy its first
    # stability of 8.2956 days, rounded to whole days by the scheduler.
    assert memory.preview(None, T0) == {
        Grade.AGAIN: MIN,
        Grade.HARD: 5.5 * MIN,
        Grade.GOOD: 10 * MIN,
        Grade.EASY: 8 * DAY,
    }


@pytest.mark.parametrize("hours", [0, 2, 30, 24 * 9])
def test_each_interval_is_the_one_that_grade_gives(hours: int) -> None:
    state = memory.review(memory.review(None, Grade.GOOD, T0), Grade.GOOD, T0 + 10 * MIN)
    now = T0 + dt.timedelta(hours=hours)
    preview = memory.preview(state, now)
    for grade in Grade:
        after = json.loads(memory.review(state, grade, now))
        assert preview[grade] == dt.datetime.fromisoformat(after["due"]) - now
    # Longer for a better grade; a lapse comes back within the day.
    assert preview[Grade.AGAIN] < DAY
    assert preview[Grade.AGAIN] < preview[Grade.HARD] <= preview[Grade.GOOD] < preview[Grade.EASY]


def test_preview_needs_an_aware_time() -> None:
    with pytest.raises(ValueError):
        memory.preview(None, dt.datetime(2026, 11, 25, 9, 0))


@pytest.mark.parametrize(
    ("span", "text"),
    [
        (dt.timedelta(seconds=20), "<1m"),
        (MIN, "1m"),
        (5.5 * MIN, "6m"),
        (59 * MIN + dt.timedelta(seconds=50), "59m"),
        (HOUR, "1h"),
        (23.9 * HOUR, "23h"),
        (DAY, "1d"),
        (4 * DAY + 3 * HOUR, "4d"),
        (29.9 * DAY, "29d"),
        (45 * DAY, "1.5mo"),
        (60 * DAY, "2mo"),
        (365 * DAY, "1y"),
        (500 * DAY, "1.4y"),
    ],
)
def test_format_interval(span: dt.timedelta, text: str) -> None:
    assert memory.format_interval(span) == text
