"""Answer a bare cue from the note's notes or summary section.

Minimal version: every question gets the whole notes section, else the
whole summary, else ``None``. The matching version replaces it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Passage:
    """The passage of a note that answers a cue."""

    text: str  # Markdown of the answer passage
    source: str  # "notes" or "summary"
    where: str  # shown as "answer from {where}", e.g. "핵심 필기 › Check Mode"


def answer_from_note(
    questions: Sequence[str],
    notes: tuple[str, str] | None,
    summary: tuple[str, str] | None,
) -> list[Passage | None]:
    """One passage per question, in order; ``None`` without notes or summary."""
    for source, section in (("notes", notes), ("summary", summary)):
        if section is not None and section[1].strip():
            heading, text = section
            passage = Passage(text.strip("\n"), source, heading)
            return [passage for _ in questions]
    return [None for _ in questions]
