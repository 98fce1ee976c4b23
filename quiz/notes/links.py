"""Obsidian's links in note text, one pattern: ``[[target#heading|alias]]``
and the embed ``![[file|size]]``.

Everything that reads a wikilink (the app's answer view, the answer search's
plain text, the Obsidian renderer's embeds, the Anki exporter) matches it
here and keeps what it needs.

No part may hold a ``[`` (Obsidian forbids it in link names) or a line
break: each attempt then stops at the next ``[``, where a class allowing it
ran to the end of the line from every ``[[`` of a long run (``[[`` x 20,000
froze the app for 50 s and the answer search for 70 s).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

LINK = re.compile(
    r"(?P<bang>!?)\[\[(?P<target>[^\[\]|#\n]*)(?P<anchor>#[^\[\]|\n]*)?(?:\|(?P<alias>[^\[\]\n]*))?\]\]"
)


@dataclass(frozen=True, slots=True)
class Wikilink:
    """One ``[[...]]`` as written, in its parts.

    Attributes:
        embed: Written ``![[...]]``.
        target: What comes before the first ``#`` or ``|`` (may be empty or
            blank: ``[[#heading]]`` links inside the note).
        anchor: ``#heading`` or ``#^block`` with its ``#``, else ``""``.
        alias: What follows the first ``|`` (an embed's size), ``None``
            without a ``|``.
        written: The whole link as it stands in the text.
    """

    embed: bool
    target: str
    anchor: str
    alias: str | None
    written: str

    @property
    def inner(self) -> str:
        """What stands between ``[[`` and ``]]``."""
        return self.written[3 if self.embed else 2 : -2]


def _parts(match: re.Match[str]) -> Wikilink:
    return Wikilink(
        embed=bool(match.group("bang")),
        target=match.group("target"),
        anchor=match.group("anchor") or "",
        alias=match.group("alias"),
        written=match.group(0),
    )


def match_at(text: str, pos: int, end: int | None = None) -> tuple[Wikilink, int] | None:
    """The link starting exactly at ``pos`` (before ``end``) and where it ends."""
    found = LINK.match(text, pos, len(text) if end is None else end)
    return None if found is None else (_parts(found), found.end())


def find(text: str) -> Iterator[tuple[Wikilink, int, int]]:
    """Every link of ``text``, left to right, with its start and end."""
    for found in LINK.finditer(text):
        yield _parts(found), found.start(), found.end()


def replace(text: str, by: Callable[[Wikilink], str]) -> str:
    """``text`` with every link replaced by what ``by`` gives for it."""
    return LINK.sub(lambda found: by(_parts(found)), text)
