"""The order a session shows its cards in: each card once, then relearning.

A card given a relearning grade (Again by default, ``[session] relearn``)
comes back after the cards still waiting, and again until it gets a grade
that is not one of those (SPEC "Stages": "cards graded Again come back until
graded Hard or better"). The note's pass or fail counts each card's *first*
grade only; every grade still feeds the memory model.

Pure bookkeeping over cards and grades: no store, no clock, no UI.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from quiz.notes.model import Card
from quiz.schedule.stages import Grade

#: The grade names ``[session] relearn`` takes.
GRADE_NAMES = {"again": Grade.AGAIN, "hard": Grade.HARD}


def relearn_grades(names: Iterable[str]) -> frozenset[Grade]:
    """The grades named in settings (``("again", "hard")``)."""
    return frozenset(GRADE_NAMES[name] for name in names)


@dataclass(frozen=True, slots=True)
class Given:
    """One grade as the queue keeps it.

    Attributes:
        card: the card graded.
        grade: the grade.
        first: the card's first grade in this session (what pass/fail counts).
        requeued: the grade sent the card back to the end of the queue.
    """

    card: Card
    grade: Grade
    first: bool
    requeued: bool


class CardQueue:
    """Which card is next, given the grades so far."""

    def __init__(self, deck: Sequence[Card], relearn: Iterable[Grade] = (Grade.AGAIN,)) -> None:
        #: The session's cards, each once, in the order first shown.
        self.deck: tuple[Card, ...] = tuple(deck)
        self.relearn = frozenset(relearn)
        self._shows: list[Card] = list(self.deck)
        self._given: list[Given] = []

    @property
    def given(self) -> tuple[Given, ...]:
        """Every grade so far, in order."""
        return tuple(self._given)

    @property
    def position(self) -> int:
        """How many grades were given."""
        return len(self._given)

    @property
    def current(self) -> Card | None:
        """The card to show now, or ``None`` when the queue is done."""
        return self._shows[self.position] if self.position < len(self._shows) else None

    @property
    def finished(self) -> bool:
        """Every card was graded and none waits to be relearned."""
        return self.position >= len(self._shows)

    @property
    def relearning(self) -> bool:
        """The current card was graded before in this session."""
        card = self.current
        return card is not None and any(g.card.id == card.id for g in self._given)

    @property
    def left(self) -> int:
        """Showings still to come, the current one included."""
        return len(self._shows) - self.position

    @property
    def first_pass(self) -> int:
        """Cards graded at least once."""
        return sum(g.first for g in self._given)

    def first_grades(self) -> tuple[Given, ...]:
        """Each card's first grade, in the order given."""
        return tuple(g for g in self._given if g.first)

    def record(self, grade: Grade) -> Given:
        """Grade the current card; a relearning grade sends it back to the end."""
        card = self.current
        if card is None:
            raise IndexError("every card of this session is already graded")
        first = not any(g.card.id == card.id for g in self._given)
        requeued = grade in self.relearn
        if requeued:
            self._shows.append(card)
        given = Given(card, grade, first, requeued)
        self._given.append(given)
        return given

    def unrecord(self) -> Given | None:
        """Take back the last grade; its card is current again."""
        if not self._given:
            return None
        last = self._given.pop()
        if last.requeued:
            # The showing it added is the last one of that card after now.
            for i in range(len(self._shows) - 1, self.position, -1):
                if self._shows[i].id == last.card.id:
                    del self._shows[i]
                    break
        return last

    def restore(
        self, grades: Sequence[tuple[Card, Grade]], deck: Sequence[Card] | None = None
    ) -> None:
        """Rebuild the queue from grades already given (a resumed session,
        a note re-read after an edit): the graded showings, then the cards
        never graded in deck order, then the ones waiting to be relearned.

        ``deck`` replaces the session's cards (a card edited away is dropped
        from what is still to come; its grades stay given).
        """
        if deck is not None:
            self.deck = tuple(deck)
        live = {c.id: c for c in self.deck}
        self._given = []
        self._shows = []
        last: dict[str, Grade] = {}  # in the order first graded
        for card, grade in grades:
            first = card.id not in last
            self._given.append(Given(card, grade, first, grade in self.relearn))
            self._shows.append(card)
            last[card.id] = grade
        self._shows += [c for c in self.deck if c.id not in last]
        # Waiting cards come back (as the note says them now) in the order
        # they were first graded.
        self._shows += [live[cid] for cid, g in last.items() if cid in live and g in self.relearn]
