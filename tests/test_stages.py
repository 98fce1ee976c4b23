"""The learner's review stages as pure rules (SPEC "Stages"): no files, no DB."""

from __future__ import annotations

import datetime as dt

import pytest

from quiz.schedule.stages import (
    Due,
    Grade,
    Kind,
    RateRule,
    Stage,
    StageState,
    apply_session,
    due,
    due_day,
    learning_rate,
    next_stage,
    next_words,
    progress_bar,
    review_name,
    session_passed,
    stage_due_day,
    upcoming,
)

DEFAULT = (1, 4, 7, 14, 30)
FIRST = dt.date(2026, 11, 18)
T, F = True, False


def state(*done: bool, first: dt.date | None = FIRST) -> StageState:
    flags = (*done, *(False,) * (5 - len(done)))
    return StageState(first, (flags[0], flags[1], flags[2], flags[3], flags[4]))


# -- due days ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stage", "day"),
    [
        (Stage.DAY_1, dt.date(2026, 11, 19)),
        (Stage.DAY_4, dt.date(2026, 11, 22)),
        (Stage.DAY_7, dt.date(2026, 11, 25)),
        (Stage.DAY_14, dt.date(2026, 12, 2)),
        (Stage.LONG_TERM, dt.date(2026, 12, 18)),
    ],
)
def test_due_day_with_default_offsets(stage: Stage, day: dt.date) -> None:
    assert due_day(FIRST, stage, DEFAULT) == day


def test_due_day_with_custom_offsets() -> None:
    offsets = (2, 5, 10, 21, 60)
    days = [due_day(FIRST, s, offsets) for s in Stage]
    assert days == [
        dt.date(2026, 11, 20),
        dt.date(2026, 11, 23),
        dt.date(2026, 11, 28),
        dt.date(2026, 12, 9),
        dt.date(2027, 1, 17),
    ]


def test_custom_offsets_decide_what_is_due() -> None:
    s = state(T, T)  # day 7 next
    assert due(s, dt.date(2026, 11, 25), DEFAULT) == Due(Stage.DAY_7, dt.date(2026, 11, 25), 0)
    assert due(s, dt.date(2026, 11, 25), (1, 4, 10, 14, 30)) is None
    assert due(s, dt.date(2026, 11, 28), (1, 4, 10, 14, 30)) == Due(
        Stage.DAY_7, dt.date(2026, 11, 28), 0
    )


# -- due() ---------------------------------------------------------------------


def test_due_is_none_before_the_day() -> None:
    assert due(state(T, T), dt.date(2026, 11, 24), DEFAULT) is None


def test_due_on_the_day_and_overdue() -> None:
    assert due(state(T, T), dt.date(2026, 11, 25), DEFAULT) == Due(
        Stage.DAY_7, dt.date(2026, 11, 25), 0
    )
    assert due(state(T, T), dt.date(2026, 11, 28), DEFAULT) == Due(
        Stage.DAY_7, dt.date(2026, 11, 25), 3
    )


def test_due_picks_the_earliest_unpassed_stage_when_several_are_overdue() -> None:
    # Nothing done for a month: day 1, 4, 7 and 14 are all overdue.
    got = due(state(), dt.date(2026, 12, 17), DEFAULT)
    assert got == Due(Stage.DAY_1, dt.date(2026, 11, 19), 28)


def test_due_skips_done_stages_even_with_gaps() -> None:
    # Day 1 and day 7 ticked by hand, day 4 not: day 4 is the one due.
    assert due(state(T, F, T), dt.date(2026, 11, 30), DEFAULT) == Due(
        Stage.DAY_4, dt.date(2026, 11, 22), 8
    )
    assert next_stage(state(T, F, T)) is Stage.DAY_4


def test_nothing_due_for_a_new_note_or_when_all_done() -> None:
    assert due(state(first=None), dt.date(2030, 1, 1), DEFAULT) is None
    assert due(state(T, T, T, T, T), dt.date(2030, 1, 1), DEFAULT) is None
    assert next_stage(state(T, T, T, T, T)) is None


# -- apply_session -------------------------------------------------------------


def test_passing_before_the_due_day_is_practice() -> None:
    before = state(T, T)
    out = apply_session(before, True, dt.date(2026, 11, 24), DEFAULT)
    assert out.kind is Kind.PRACTICE
    assert out.after == before
    assert out.stage is None
    assert out.describe().startswith("Practice: no stage was due")


def test_passing_on_the_due_day_marks_that_stage() -> None:
    before = state(T, T)
    out = apply_session(before, True, dt.date(2026, 11, 25), DEFAULT)
    assert out.kind is Kind.STAGE_PASSED
    assert out.stage is Stage.DAY_7
    assert out.after.done == (T, T, T, F, F)
    assert out.after.first_studied == FIRST
    assert out.after.passed_on == (None, None, dt.date(2026, 11, 25), None, None)
    assert (out.rate_before, out.rate_after) == (0.4, 0.6)
    assert out.describe() == "💛 day 7 review passed (7일 복습); learning rate 0.4 → 0.6"
    assert out.next_line() == "next: 💚 day 14 on 12-02 (14일 복습)"


def test_pass_marks_exactly_one_stage_when_several_are_overdue() -> None:
    out = apply_session(state(), True, dt.date(2026, 12, 17), DEFAULT)
    assert out.kind is Kind.STAGE_PASSED
    assert out.stage is Stage.DAY_1
    assert out.after.done == (True, False, False, False, False)
    assert out.after.passed == 1
    # Catching up: a second pass the same day is practice; the next day
    # takes the next overdue stage, one a day.
    same_day = apply_session(out.after, True, dt.date(2026, 12, 17), DEFAULT)
    assert same_day.kind is Kind.PRACTICE and same_day.after.done == out.after.done
    again = apply_session(out.after, True, dt.date(2026, 12, 18), DEFAULT)
    assert again.stage is Stage.DAY_4
    assert again.after.done == (True, True, False, False, False)


def test_passing_the_last_stage_then_practice() -> None:
    out = apply_session(state(T, T, T, T), True, dt.date(2026, 12, 18), DEFAULT)
    assert out.stage is Stage.LONG_TERM
    assert out.after.done == (True,) * 5
    assert out.rate_after == 1.0
    later = apply_session(out.after, True, dt.date(2027, 6, 1), DEFAULT)
    assert later.kind is Kind.PRACTICE and later.after == out.after


def test_failing_a_due_stage_changes_no_stage() -> None:
    before = state(T, T)
    out = apply_session(before, False, dt.date(2026, 11, 26), DEFAULT)
    assert out.kind is Kind.FAILED
    assert out.after == before
    assert out.stage is Stage.DAY_7
    assert "추가 복습" not in out.describe()
    assert out.describe() == (
        "The day 7 review did not pass: it stays the next review; learning rate 0.4"
    )


def test_failing_with_nothing_due_changes_no_stage() -> None:
    before = state(T, T)
    out = apply_session(before, False, dt.date(2026, 11, 20), DEFAULT)
    assert out.kind is Kind.FAILED
    assert out.after == before
    assert out.stage is None


def test_new_note_first_complete_session_sets_the_first_study_day() -> None:
    today = dt.date(2026, 11, 25)
    out = apply_session(state(first=None), True, today, DEFAULT)
    assert out.kind is Kind.FIRST_STUDY
    assert out.after == StageState(today, (False,) * 5)
    assert out.stage is None
    assert out.describe() == "First study day set to 2026-11-25; learning rate 0.0"
    # Day 1 then falls due the next day, not today.
    assert due(out.after, today, DEFAULT) is None
    assert due(out.after, today + dt.timedelta(days=1), DEFAULT) == Due(
        Stage.DAY_1, today + dt.timedelta(days=1), 0
    )


def test_new_note_failed_first_session_still_starts_the_schedule() -> None:
    today = dt.date(2026, 11, 25)
    out = apply_session(state(first=None), False, today, DEFAULT)
    assert out.kind is Kind.FAILED
    assert out.after.first_studied == today
    assert out.after.done == (False,) * 5


# -- pass ratio ------------------------------------------------------------------


G, H, A, E = Grade.GOOD, Grade.HARD, Grade.AGAIN, Grade.EASY


@pytest.mark.parametrize(
    ("grades", "passed"),
    [
        ([G, G, G, G, A], True),  # exactly 0.8
        ([G, G, G, A, A], False),  # 0.6
        ([G] * 7 + [A] * 2, False),  # 7/9 = 0.777..., just under
        ([G] * 8 + [A] * 2, True),  # 8/10
        ([G] * 39 + [A] * 10, False),  # 39/49 = 0.7959...
        ([H, H, H, H, A], True),  # Hard counts as a pass
        ([E, H, G, H, A], True),
        ([A, A, A, A, A], False),
        ([H], True),
        ([A], False),
        ([], False),  # nothing graded is not a pass
    ],
)
def test_pass_ratio(grades: list[Grade], passed: bool) -> None:
    assert session_passed(grades, 0.8) is passed


def test_pass_ratio_is_configurable() -> None:
    grades = [G, G, G, A, A]
    assert session_passed(grades, 0.6) is True
    assert session_passed(grades, 0.61) is False
    assert session_passed([G, A], 0.5) is True
    assert session_passed(iter([G, G, G, G, A]), 0.8) is True  # any iterable


def test_grade_passed_property() -> None:
    assert [g.passed for g in Grade] == [False, True, True, True]


# -- learning rate and progress bar ------------------------------------------------


@pytest.mark.parametrize(
    ("done", "rate", "bar"),
    [
        ((F, F, F, F, F), 0.0, "⬜⬜⬜⬜⬜⬜⬜⬜⬜⬜ 0%"),
        ((T, F, F, F, F), 0.2, "🟩🟩⬜⬜⬜⬜⬜⬜⬜⬜ 20%"),
        ((T, T, F, F, F), 0.4, "🟩🟩🟩🟩⬜⬜⬜⬜⬜⬜ 40%"),
        ((T, T, T, F, F), 0.6, "🟩🟩🟩🟩🟩🟩⬜⬜⬜⬜ 60%"),
        ((T, T, T, T, F), 0.8, "🟩🟩🟩🟩🟩🟩🟩🟩⬜⬜ 80%"),
        ((T, T, T, T, T), 1.0, "🟩🟩🟩🟩🟩🟩🟩🟩🟩🟩 100%"),
        ((T, F, T, F, F), 0.4, "🟩🟩🟩🟩⬜⬜⬜⬜⬜⬜ 40%"),  # counts, not positions
    ],
)
def test_learning_rate_and_progress_bar(done: tuple[bool, ...], rate: float, bar: str) -> None:
    assert learning_rate(done) == rate
    assert progress_bar(learning_rate(done)) == bar


def test_progress_bar_has_ten_squares() -> None:
    for n in range(6):
        bar = progress_bar(learning_rate([True] * n + [False] * (5 - n)))
        squares = bar.split(" ")[0]
        assert len(squares) == 10
        assert squares.count("🟩") == 2 * n


# -- Grade.parse -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "grade"),
    [
        ("1", Grade.AGAIN),
        ("2", Grade.HARD),
        ("3", Grade.GOOD),
        ("4", Grade.EASY),
        (" 3 \n", Grade.GOOD),
        ("again", Grade.AGAIN),
        ("Hard", Grade.HARD),
        ("GOOD", Grade.GOOD),
        ("eAsY", Grade.EASY),
        ("  good\t", Grade.GOOD),
    ],
)
def test_grade_parse(text: str, grade: Grade) -> None:
    assert Grade.parse(text) is grade


@pytest.mark.parametrize(
    "text", ["", " ", "0", "5", "-1", "3.0", "go", "goodd", "good!", "1 2", "AGAIN_", "label", "x"]
)
def test_grade_parse_rejects(text: str) -> None:
    with pytest.raises(ValueError, match="not a grade"):
        Grade.parse(text)


def test_stage_words() -> None:
    assert [s.label for s in Stage] == ["day 1", "day 4", "day 7", "day 14", "long-term"]
    assert Stage.DAY_7.korean == "7일 복습"
    assert Stage.LONG_TERM.emoji == "🧠"


# -- catching up (SPEC "Stages") ---------------------------------------------------


def test_after_a_late_day4_pass_day7_is_not_due_the_same_day() -> None:
    # Day 4 was due on 11-22 and passed late, on 11-25: day 7's own day.
    passed = state(T, T).with_pass_days({Stage.DAY_4: dt.date(2026, 11, 25)})
    assert due(passed, dt.date(2026, 11, 25), DEFAULT) is None
    # The next day it is due, and counts as on time (0 days overdue).
    assert due(passed, dt.date(2026, 11, 26), DEFAULT) == Due(Stage.DAY_7, dt.date(2026, 11, 26), 0)


def test_after_a_late_pass_the_next_stage_keeps_its_own_day_when_later() -> None:
    # Day 4 passed a day late (11-23); day 7 stays on its own day, 11-25.
    passed = state(T, T).with_pass_days({Stage.DAY_4: dt.date(2026, 11, 23)})
    assert due(passed, dt.date(2026, 11, 24), DEFAULT) is None
    assert due(passed, dt.date(2026, 11, 25), DEFAULT) == Due(Stage.DAY_7, dt.date(2026, 11, 25), 0)
    assert stage_due_day(passed, Stage.DAY_7, DEFAULT) == dt.date(2026, 11, 25)


def test_a_pass_long_ago_leaves_the_next_stage_overdue_from_its_own_day() -> None:
    passed = state(T, T).with_pass_days({Stage.DAY_4: dt.date(2026, 11, 22)})
    assert due(passed, dt.date(2026, 12, 1), DEFAULT) == Due(Stage.DAY_7, dt.date(2026, 11, 25), 6)


def test_a_pass_day_of_a_stage_not_done_is_ignored() -> None:
    # The learner unticked day 4 by hand after quiz passed it: day 4 is next again.
    odd = state(T, F).with_pass_days({Stage.DAY_4: dt.date(2026, 11, 25)})
    assert due(odd, dt.date(2026, 11, 25), DEFAULT) == Due(Stage.DAY_4, dt.date(2026, 11, 22), 3)


def test_catching_up_a_month_behind_takes_one_stage_a_day() -> None:
    # Two passing sessions a day: only the first of each day marks a stage.
    s = state()
    passes = []
    for day in (dt.date(2026, 12, 17) + dt.timedelta(days=n) for n in range(6)):
        for _ in range(2):
            out = apply_session(s, True, day, DEFAULT)
            passes.append((day.day, out.stage.label if out.stage is not None else None))
            s = out.after
    assert passes == [
        (17, "day 1"),
        (17, None),
        (18, "day 4"),
        (18, None),
        (19, "day 7"),
        (19, None),
        (20, "day 14"),
        (20, None),
        (21, "long-term"),
        (21, None),
        (22, None),
        (22, None),
    ]


def test_with_pass_days_keeps_the_latest_day() -> None:
    s = (
        state(T)
        .with_pass_days({0: dt.date(2026, 11, 20)})
        .with_pass_days({0: dt.date(2026, 11, 19)})
    )
    assert s.passed_on == (dt.date(2026, 11, 20), None, None, None, None)
    # merged() keeps the pass days it knew.
    assert s.merged(None, [1]).passed_on == s.passed_on


# -- the next review's name (`복습`) -----------------------------------------------


@pytest.mark.parametrize(
    ("done", "name"),
    [
        ((F, F, F, F, F), "1일 복습"),
        ((T, F, F, F, F), "4일 복습"),
        ((T, T, F, F, F), "7일 복습"),
        ((T, T, T, F, F), "14일 복습"),
        ((T, T, T, T, F), "추가 복습"),
        ((T, T, T, T, T), "장기기억"),
    ],
)
def test_review_name_names_the_next_review(done: tuple[bool, ...], name: str) -> None:
    assert review_name(state(*done)) == name
    assert review_name(state(*done), "추가 복습") == name


@pytest.mark.parametrize(
    ("done", "current", "english", "name"),
    [
        # No space in the note's value: none written.
        ((T, F), "1일복습", False, "4일복습"),
        ((T, T, T, T), "14일복습", False, "추가복습"),
        ((T, T, T, T, T), "추가복습", False, "장기기억"),
        # A value that is not one of the names keeps the template's spacing.
        ((T, F), "복습 중", False, "4일 복습"),
        # English wording, from the value or from the key.
        ((T, F), "day 1 review", False, "day 4 review"),
        ((T, T, T, T), "Day 14 review", False, "Extra review"),
        ((T, T, T, T, T), "extra review", True, "long-term memory"),
        ((T, T), "", True, "day 7 review"),
        ((T, T), None, True, "day 7 review"),
        # Hangul wins over an English key.
        ((T, T), "4일 복습", True, "7일 복습"),
        ((T, T), "", False, "7일 복습"),
    ],
)
def test_review_name_keeps_the_notes_wording(
    done: tuple[bool, ...], current: str | None, english: bool, name: str
) -> None:
    assert review_name(state(*done), current, english=english) == name


# -- the note's learning-rate formula ------------------------------------------------

#: The template's mirrors: day 1, 4, 7 and long-term; no day 14.
TEMPLATE = RateRule((0.0, 0.0, 0.0, None, 0.0))


@pytest.mark.parametrize(
    ("done", "template", "no_mirrors", "all_five"),
    [
        ((F, F, F, F, F), 0.0, 0.0, 0.0),
        ((T, F, F, F, F), 0.2, 0.2, 0.2),
        ((T, T, T, F, F), 0.6, 0.6, 0.6),
        ((T, T, T, T, F), 0.6, 0.8, 0.8),  # days 1-14: the template reads 0.6
        ((T, T, T, T, T), 0.8, 1.0, 1.0),  # finished: the template reads 0.8
    ],
)
def test_rate_rules(
    done: tuple[bool, ...], template: float, no_mirrors: float, all_five: float
) -> None:
    assert TEMPLATE.rate(done) == template
    assert RateRule().rate(done) == no_mirrors
    assert RateRule(TEMPLATE.mirrors, count_all=True).rate(done) == all_five


def test_rate_counts_a_mirror_already_set_for_a_stage_not_done() -> None:
    # The note says "1" for day 7 though its flag is false: its formula counts it.
    rule = RateRule((1.0, 1.0, 1.0, None, 0.0))
    assert rule.rate((T, T, F, F, F)) == 0.6
    assert rule.mirrors_after((T, T, F, F, F)) == (1.0, 1.0, 1.0, None, 0.0)


def test_outcome_rates_follow_the_notes_rule() -> None:
    out = apply_session(state(T, T, T, T), True, dt.date(2026, 12, 18), DEFAULT, TEMPLATE)
    assert out.stage is Stage.LONG_TERM
    assert (out.rate_before, out.rate_after) == (0.6, 0.8)
    assert progress_bar(out.rate_after) == "🟩🟩🟩🟩🟩🟩🟩🟩⬜⬜ 80%"
    assert out.describe().endswith("(장기기억); learning rate 0.6 → 0.8")
    assert out.next_line() == "next: nothing, every stage is done (장기기억)"


# -- when the next stage is due (Summary's "next:", the notes list's Next) --------


def test_a_late_pass_says_the_next_stage_is_due_tomorrow() -> None:
    # Day 4 passed on 11-25, day 7's own day: day 7 comes the day after.
    out = apply_session(state(T), True, dt.date(2026, 11, 25), DEFAULT)
    assert out.stage is Stage.DAY_4
    assert out.upcoming == Due(Stage.DAY_7, dt.date(2026, 11, 26), 0)
    assert out.next_line() == "next: 💛 day 7 on 11-26 (7일 복습)"


def test_a_failed_review_says_the_same_stage_is_due_now() -> None:
    out = apply_session(state(T, T), False, dt.date(2026, 11, 26), DEFAULT)
    assert out.kind is Kind.FAILED
    assert out.next_line() == "next: 💛 day 7 again, due today (7일 복습)"


def test_a_first_study_says_day_1_is_tomorrow_and_names_the_year_when_it_changes() -> None:
    out = apply_session(state(first=None), True, dt.date(2026, 12, 31), DEFAULT)
    assert out.kind is Kind.FIRST_STUDY
    assert out.next_line() == "next: ❤ day 1 on 2027-01-01 (1일 복습)"


def test_upcoming_is_the_next_stage_whether_or_not_its_day_has_come() -> None:
    assert upcoming(state(T, T), dt.date(2026, 11, 20), DEFAULT) == Due(
        Stage.DAY_7, dt.date(2026, 11, 25), 0
    )
    assert upcoming(state(T, T), dt.date(2026, 11, 27), DEFAULT) == Due(
        Stage.DAY_7, dt.date(2026, 11, 25), 2
    )
    assert upcoming(state(T, T, T, T, T), dt.date(2026, 11, 27), DEFAULT) is None
    assert upcoming(state(first=None), dt.date(2026, 11, 27), DEFAULT) is None


@pytest.mark.parametrize(
    ("st", "today", "words"),
    [
        (state(T, T, T), dt.date(2026, 11, 26), "💚 day 14 · 12-02"),
        (state(T, T), dt.date(2026, 11, 25), "💛 day 7 · today"),
        (state(T, T), dt.date(2026, 11, 30), "💛 day 7 · 5 days overdue"),
        (state(T, T, T, T), dt.date(2026, 12, 5), "🧠 long-term · 12-18"),
        (state(T, T, T, T, T), dt.date(2026, 12, 5), "done"),
        (state(first=None), dt.date(2026, 12, 5), "new"),
    ],
)
def test_next_words(st: StageState, today: dt.date, words: str) -> None:
    assert next_words(st, today, DEFAULT) == words
