"""One spelling of stages, due phrases and plurals."""

from __future__ import annotations

from quiz.schedule.stages import Stage
from quiz.wording import due_phrase, plural, stage_korean, stage_name, stage_review, when_due


def test_stage_names_in_english_and_in_the_learners_words() -> None:
    assert [stage_name(s) for s in Stage] == [
        "❤ day 1",
        "🧡 day 4",
        "💛 day 7",
        "💚 day 14",
        "🧠 long-term",
    ]
    assert stage_review(Stage.DAY_7) == "💛 day 7 review"
    assert stage_korean(Stage.DAY_14) == "💚 14일 복습"
    assert stage_korean(Stage.LONG_TERM) == "🧠 장기기억"


def test_due_phrases_say_overdue_everywhere() -> None:
    assert [due_phrase(n) for n in (0, 1, 3)] == ["due today", "1 day overdue", "3 days overdue"]
    assert [when_due(n) for n in (0, 1, 12)] == ["today", "1 day overdue", "12 days overdue"]


def test_plurals() -> None:
    assert [plural(n, "card") for n in (0, 1, 2)] == ["0 cards", "1 card", "2 cards"]
