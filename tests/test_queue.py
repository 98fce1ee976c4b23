"""The session's card order: each card once, then the ones to relearn."""

from __future__ import annotations

import pytest

from quiz.notes.model import Card
from quiz.queue import CardQueue, relearn_grades
from quiz.schedule.stages import Grade

A, H, G, E = Grade.AGAIN, Grade.HARD, Grade.GOOD, Grade.EASY


def deck(*names: str) -> list[Card]:
    return [Card(n, "n.md", i, f"{n}?", f"{n}!", i + 1) for i, n in enumerate(names)]


def run(queue: CardQueue, grades: list[Grade]) -> list[str]:
    """Grade the current card with each grade; the card ids shown, in order."""
    shown = []
    for grade in grades:
        card = queue.current
        assert card is not None
        shown.append(card.id)
        queue.record(grade)
    return shown


def test_again_cards_come_back_after_the_rest_until_passed() -> None:
    q = CardQueue(deck("a", "b", "c", "d"))
    assert run(q, [A, G, A, H]) == ["a", "b", "c", "d"]
    assert not q.finished and q.relearning and q.left == 2
    # a, then c; a failed again goes behind c.
    assert run(q, [A, G, H]) == ["a", "c", "a"]
    assert q.finished and q.current is None
    assert [(g.card.id, g.grade) for g in q.first_grades()] == [
        ("a", A),
        ("b", G),
        ("c", A),
        ("d", H),
    ]
    assert [g.first for g in q.given] == [True, True, True, True, False, False, False]


def test_hard_comes_back_only_when_configured() -> None:
    q = CardQueue(deck("a", "b"), relearn_grades(["again", "hard"]))
    assert run(q, [H, G, H, G]) == ["a", "b", "a", "a"]
    assert q.finished
    q = CardQueue(deck("a", "b"), relearn_grades([]))
    assert run(q, [A, A]) == ["a", "b"] and q.finished


def test_undo_takes_back_the_showing_a_grade_added() -> None:
    q = CardQueue(deck("a", "b"))
    run(q, [A, A])
    assert q.left == 2
    undone = q.unrecord()
    assert undone is not None and undone.card.id == "b" and undone.requeued
    assert q.current is not None and q.current.id == "b" and q.left == 2  # b, then a again
    run(q, [G])
    assert run(q, [G]) == ["a"] and q.finished
    assert q.unrecord() is not None and q.current is not None and q.current.id == "a"


def test_grading_past_the_end_is_an_error() -> None:
    q = CardQueue(deck("a"))
    run(q, [E])
    with pytest.raises(IndexError):
        q.record(G)


def test_restore_puts_graded_first_then_new_then_the_ones_waiting() -> None:
    cards = {c.id: c for c in deck("a", "b", "c", "d", "e")}
    q = CardQueue(list(cards.values()))
    q.restore([(cards["c"], A), (cards["a"], G), (cards["e"], A), (cards["e"], A)])
    assert q.position == 4 and q.relearning is False
    assert [g.first for g in q.given] == [True, True, True, False]
    assert run(q, [G, G, G, G]) == ["b", "d", "c", "e"] and q.finished


def test_restore_with_a_new_deck_drops_cards_edited_away() -> None:
    a, b, c = deck("a", "b", "c")
    q = CardQueue([a, b, c])
    run(q, [A])
    b2 = Card("b", "n.md", 1, "b, edited?", "b!", 2)
    q.restore([(g.card, g.grade) for g in q.given], deck=[b2, c])
    # a was edited away: its grade stays, it does not come back.
    assert q.first_pass == 1
    assert run(q, [G, G]) == ["b", "c"] and q.finished
    assert q.given[1].card.question == "b, edited?"
