"""Habit figures: streaks, study time, reviews per day, the forecast, and their charts.

The rules are pure functions (``quiz.store.habits``) tested on plain values;
expected figures are counted by hand from the calendar.
"""

from __future__ import annotations

import datetime as dt

from quiz.charts import bars, forecast_chart, habit_line, heatmap, level
from quiz.schedule.stages import StageState
from quiz.store.habits import (
    ForecastDay,
    Habits,
    Streaks,
    TodayWork,
    forecast,
    note_due_days,
    per_day,
    streaks,
    study_time,
)

D = dt.date
TODAY = D(2026, 11, 25)  # a Wednesday
OFFSETS = (1, 4, 7, 14, 30)


def days(*items: str) -> list[dt.date]:
    return [D.fromisoformat(i) for i in items]


# -- streaks -------------------------------------------------------------------------


def test_no_review_ever_is_no_streak() -> None:
    assert streaks([], TODAY) == Streaks(0, 0, False)


def test_a_run_ending_today_is_the_current_streak() -> None:
    history = days("2026-11-23", "2026-11-24", "2026-11-25")
    assert streaks(history, TODAY) == Streaks(3, 3, True)


def test_today_not_yet_studied_does_not_break_the_run() -> None:
    # The day is not over: the run that ended yesterday is still current.
    history = days("2026-11-22", "2026-11-23", "2026-11-24")
    assert streaks(history, TODAY) == Streaks(3, 3, False)


def test_a_day_without_review_breaks_the_run() -> None:
    # 11-24 missed: the run ending 11-23 is over once 11-24 is.
    history = days("2026-11-21", "2026-11-22", "2026-11-23")
    assert streaks(history, TODAY) == Streaks(0, 3, False)


def test_the_longest_run_is_kept_after_a_gap() -> None:
    history = days(
        "2026-11-01", "2026-11-02", "2026-11-03", "2026-11-04",  # 4 days
        "2026-11-10",
        "2026-11-24", "2026-11-25",  # 2 days, current
    )  # fmt: skip
    assert streaks(history, TODAY) == Streaks(2, 4, True)


def test_runs_cross_month_and_year_ends() -> None:
    history = days("2025-12-30", "2025-12-31", "2026-01-01", "2026-01-02")
    assert streaks(history, D(2026, 1, 2)) == Streaks(4, 4, True)
    leap = days("2028-02-28", "2028-02-29", "2028-03-01")
    assert streaks(leap, D(2028, 3, 1)).current == 3


def test_days_after_today_are_not_counted() -> None:
    # `--today` in the past sees the history as it stood that day.
    history = days("2026-11-23", "2026-11-24", "2026-11-25", "2026-11-26")
    assert streaks(history, D(2026, 11, 24)) == Streaks(2, 2, True)
    assert streaks(history, D(2026, 11, 23)) == Streaks(1, 1, True)


def test_the_day_boundary_follows_today_not_the_clock() -> None:
    # Reviews of 11-24 only: on 11-25 the streak holds (not studied yet),
    # on 11-26 it is broken; the history itself is the same.
    history = days("2026-11-24")
    assert streaks(history, D(2026, 11, 25)) == Streaks(1, 1, False)
    assert streaks(history, D(2026, 11, 26)) == Streaks(0, 1, False)


def test_repeated_days_count_once() -> None:
    history = days("2026-11-24", "2026-11-24", "2026-11-25", "2026-11-25")
    assert streaks(history, TODAY) == Streaks(2, 2, True)


# -- study time ---------------------------------------------------------------------


def at(hh: int, mm: int, ss: int = 0) -> dt.datetime:
    return dt.datetime(2026, 11, 25, hh, mm, ss, tzinfo=dt.UTC)


def test_study_time_adds_the_recorded_durations() -> None:
    reviews = [(1, at(9, 0, 10), 8000), (1, at(9, 0, 30), 15000)]
    assert study_time({1: at(9, 0)}, reviews) == 23000


def test_study_time_without_durations_counts_the_gaps_capped() -> None:
    # First card 30 s after the start, then 45 s, then a 20-minute break
    # that counts as the cap (2 minutes).
    reviews = [(7, at(9, 0, 30), None), (7, at(9, 1, 15), None), (7, at(9, 21, 15), None)]
    assert study_time({7: at(9, 0)}, reviews) == 30000 + 45000 + 120000
    assert study_time({7: at(9, 0)}, reviews, cap_ms=60000) == 30000 + 45000 + 60000


def test_study_time_skips_a_review_of_unknown_time() -> None:
    # A damaged row: its own duration counts, and the gap after it runs
    # from the previous known time.
    reviews = [(2, at(9, 0, 20), None), (2, None, 5000), (2, at(9, 0, 50), None)]
    assert study_time({2: at(9, 0)}, reviews) == 20000 + 5000 + 30000


def test_study_time_of_a_session_started_another_day() -> None:
    # Its start is unknown here: its first review today counts nothing.
    reviews = [(3, at(0, 5), None), (3, at(0, 6), None)]
    assert study_time({}, reviews) == 60000


# -- reviews per day and the forecast ----------------------------------------------------


def test_per_day_is_84_days_oldest_first_with_the_gaps_filled() -> None:
    got = per_day({D(2026, 11, 25): 4, D(2026, 9, 3): 2, D(2026, 9, 2): 9}, TODAY)
    assert len(got) == 84
    assert got[0] == (D(2026, 9, 3), 2)  # 83 days before 11-25; 09-02 is outside
    assert got[-1] == (TODAY, 4)
    assert sum(n for _, n in got) == 6


def test_forecast_folds_overdue_into_today_and_stops_after_30_days() -> None:
    notes = {D(2026, 11, 20): 3, TODAY: 1, D(2026, 11, 27): 2, D(2026, 12, 24): 5}
    cards = {D(2026, 11, 1): 10, D(2026, 11, 26): 4, D(2026, 12, 25): 99}
    got = forecast(notes, cards, TODAY)
    assert len(got) == 30 and got[0].day == TODAY and got[-1].day == D(2026, 12, 24)
    assert got[0] == ForecastDay(TODAY, 4, 10)
    assert got[1] == ForecastDay(D(2026, 11, 26), 0, 4)
    assert got[2] == ForecastDay(D(2026, 11, 27), 2, 0)
    assert got[-1] == ForecastDay(D(2026, 12, 24), 5, 0)  # 12-25's 99 cards are day 31
    assert sum(d.cards for d in got) == 14


def test_note_due_days_take_each_notes_next_stage() -> None:
    states = [
        StageState(None),  # new: nothing due
        StageState(D(2026, 11, 20)),  # day 1 on 11-21
        StageState(D(2026, 11, 20)),  # the same again
        StageState.of(D(2026, 11, 20), [True]),  # day 4 on 11-24
        StageState.of(D(2026, 11, 1), [True, True, True, True]),  # long-term on 12-01
        StageState.of(D(2026, 10, 1), [True] * 5),  # finished
    ]
    assert note_due_days(states, OFFSETS) == {
        D(2026, 11, 21): 2,
        D(2026, 11, 24): 1,
        D(2026, 12, 1): 1,
    }


def test_note_due_days_follow_the_catching_up_rule() -> None:
    # Day 1 (due 11-21) passed late on 11-24: day 4 is due the day after
    # the pass, 11-25, not on its own day 11-24.
    late = StageState.of(D(2026, 11, 20), [True]).with_pass_days({0: D(2026, 11, 24)})
    assert note_due_days([late], OFFSETS) == {D(2026, 11, 25): 1}


# -- charts ------------------------------------------------------------------------------


def test_levels_are_quarters_of_the_busiest_day() -> None:
    assert [level(n, 8) for n in (0, 1, 2, 3, 4, 5, 8)] == [0, 1, 1, 2, 2, 3, 4]
    assert level(3, 0) == 0


def test_bars_scale_to_the_largest_value() -> None:
    assert bars([0, 1, 2, 4], 2) == ["   █", " ▄██"]
    assert bars([0, 0], 2) == ["  ", "  "]
    # A small value still shows its lowest eighth.
    assert bars([1, 100], 1) == ["▁█"]


def test_heatmap_puts_each_day_under_its_weekday_and_month() -> None:
    history = per_day({TODAY: 8, D(2026, 11, 23): 2, D(2026, 10, 1): 4}, TODAY)
    lines = heatmap(history).plain.split("\n")
    assert lines[0] == "Reviews per day  09-03 – 11-25"
    assert lines[1] == "    Sep     Oct     Nov"
    # 09-03 is a Thursday: the first week has no Monday to Wednesday.
    monday, wednesday, thursday = lines[2], lines[4], lines[5]
    assert monday.startswith("Mon   · ")
    assert wednesday.startswith("Wed   · ")
    assert thursday.startswith("    · ")
    # 11-23 (a Monday, 2 of 8: the first quarter) and today (8: the top)
    # close their rows; Thursday to Sunday of this week are still to come.
    assert monday.endswith("· ░")
    assert wednesday.endswith("· █")
    assert len(thursday) == len(wednesday) - 2
    # 10-01, a Thursday, 4 of 8: the second quarter, in the fifth week.
    assert thursday.split() == ["·"] * 4 + ["▒"] + ["·"] * 7
    assert lines[-1] == "    less · ░ ▒ ▓ █ more · max 8"


def test_forecast_chart_labels_today_and_the_totals() -> None:
    days_ = forecast({TODAY: 2, D(2026, 11, 26): 1}, {D(2026, 11, 27): 6}, TODAY)
    lines = forecast_chart(days_, height=2).plain.split("\n")
    assert lines[0] == "Due in 30 days  3 notes · 6 cards"
    # The maximum stands right of the 30 days' columns.
    assert lines[1] == "      █" + " " * 29 + " max 2"
    assert lines[2] == "notes ██"
    assert lines[3] == "        █" + " " * 27 + " max 6"
    assert lines[4] == "cards   █"
    assert lines[5] == "      today     12-05     12-15"


def test_habit_line_says_when_today_keeps_the_streak() -> None:
    quiet = Habits(TODAY, TodayWork(), Streaks(4, 9, False), [], [])
    assert habit_line(quiet) == (
        "Today: 0 reviews · Streak: 4 days, study today to keep it (longest 9)"
    )
    busy = Habits(TODAY, TodayWork(31, 754_000, 3, 2), Streaks(5, 9, True), [], [])
    assert habit_line(busy) == (
        "Today: 31 reviews, 13 min, 2 of 3 sessions finished · Streak: 5 days (longest 9)"
    )
