"""Values read from a note: ``Note`` and ``Card``."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from quiz.notes.fields import STAGE_FLAGS, STAGE_MIRRORS, Field

if TYPE_CHECKING:
    from quiz.schedule.stages import Mirrors


@dataclass(frozen=True, slots=True)
class Card:
    """One cue question and its answer.

    Attributes:
        id: stable id: survives answer edits, reordering and moving the note.
        note: path of the note relative to the vault, ``/``-separated.
        ordinal: position of the card in its note, from 0.
        question: the item's first paragraph, inline Markdown kept.
        answer: everything nested under the item, dedented, Markdown kept.
        line: 1-based line of the question in the file (for ``$EDITOR``).
        answer_source: where the answer came from: ``nested`` (under the
            question), ``heading``, ``callout``, ``definition``, ``aside``,
            ``table`` (the cue's own), or ``notes`` / ``summary`` (a bare
            cue answered from that section).
        answer_from: where a borrowed answer was found, for "answer from
            …" (``핵심 필기 › Check Mode``); empty when the answer is the cue's own.
    """

    id: str
    note: str
    ordinal: int
    question: str
    answer: str
    line: int
    answer_source: str = "nested"
    answer_from: str = ""


@dataclass(frozen=True, slots=True)
class Note:
    """One note of the vault, as read.

    Attributes:
        path: relative to the vault, ``/``-separated.
        title: the file name without ``.md``.
        fields: frontmatter values by meaning (only the fields present).
        frontmatter: the whole parsed frontmatter mapping (empty if broken).
        frontmatter_ok: ``False`` when a frontmatter block exists but did not
            parse as a mapping; such a note is never written back.
        encoding: the codec the bytes were read with.
        repaired: the text was mojibake and was repaired in memory.
        cards: the cards of the cue section, in note order.
        sections: text of the other Cornell sections by role (``notes``,
            ``summary``, ``reminders``), Markdown as written.
        warnings: problems worth telling the learner, already phrased.
        has_cues: the note has a cue section in some layout; without one it
            is simply not a Cornell note (a tag page, a daily note): not a
            problem, so counted by the scan report instead of warned about.
    """

    path: str
    title: str
    fields: Mapping[Field, object]
    frontmatter: Mapping[str, object]
    frontmatter_ok: bool
    encoding: str
    repaired: bool
    cards: tuple[Card, ...]
    sections: Mapping[str, str] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    has_cues: bool = True

    @property
    def subject(self) -> str:
        """The subject, or an empty string."""
        return _text(self.fields.get(Field.SUBJECT))

    @property
    def textbook(self) -> str:
        """The textbook, or an empty string."""
        return _text(self.fields.get(Field.TEXTBOOK))

    @property
    def first_studied(self) -> dt.date | None:
        """The first study day, or ``None`` for a new note."""
        return as_date(self.fields.get(Field.FIRST_STUDIED))

    @property
    def stages_done(self) -> tuple[bool, ...]:
        """Done flags of day 1, 4, 7, 14 and long-term, in order."""
        return tuple(as_bool(self.fields.get(f)) for f in STAGE_FLAGS)

    @property
    def mirrors(self) -> Mirrors:
        """The numeric mirror fields' values in stage order (``None`` where the
        note has none): what its learning-rate formula sums (SPEC "Stages")."""
        values = [mirror_value(self.fields[f]) if f in self.fields else None for f in STAGE_MIRRORS]
        return (values[0], values[1], values[2], values[3], values[4])


#: Longest text a frontmatter value becomes (a subject, a textbook, a
#: status): a list or a long string there is not a title to show whole.
MAX_VALUE_CHARS = 200


def as_text(value: object) -> str:
    """A frontmatter value as one bounded piece of text (``""`` for none)."""
    if value is None:
        return ""
    if isinstance(value, str):
        text = value
    elif isinstance(value, list | dict):
        # Bounded by the loader's alias budget, but still no title.
        text = str(value)[: MAX_VALUE_CHARS + 1]
    else:
        text = str(value)
    return text if len(text) <= MAX_VALUE_CHARS else text[: MAX_VALUE_CHARS - 1] + "…"


def _text(value: object) -> str:
    return as_text(value).strip()


def as_bool(value: object) -> bool:
    """Read a stage flag leniently: YAML booleans, ``"1"``/``"true"``/``"✅"``."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return value != 0
    if isinstance(value, str):
        return value.strip().casefold() in {"true", "1", "yes", "y", "o", "✅", "v", "x", "done"}
    return False


def as_date(value: object) -> dt.date | None:
    """Read a date written as YAML date, ISO text or ``YYYY/MM/DD``."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        text = value.strip().replace("/", "-").replace(".", "-")
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            return None
    return None


def mirror_value(value: object) -> float:
    """A numeric mirror field's value, 0 to 1: ``"1"``/``"0"``, a number, or a flag.

    The template's mirrors are 1 or 0; anything else (``"2"``, ``"nan"``, a
    word) is read as the flag it stands for, so the rate stays within 0..1.
    """
    if isinstance(value, bool):
        return float(value)
    try:
        number = float(value) if isinstance(value, int | float) else float(str(value).strip())
    except ValueError:
        number = math.nan
    if math.isfinite(number) and 0 <= number <= 1:
        return number
    return 1.0 if as_bool(value) or (math.isfinite(number) and number > 1) else 0.0
