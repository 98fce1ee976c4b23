"""Cornell sections and cue cards of a note body.

Sections are found by a cheap line scan (headings outside code fences), so a
large notes section costs almost nothing; only the cue section goes through
markdown-it, which decides what a list item and its nested content are.
"""

from __future__ import annotations

import hashlib
import re
import textwrap
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

_HEADING = re.compile(r" {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
_LEADING_WS = re.compile(r"^[ \t]+")


@dataclass(frozen=True, slots=True)
class Section:
    """A Cornell section: its role, its text, and where the text starts."""

    role: str
    text: str
    first_line: int  # 0-based line of ``text`` within the body


@dataclass(frozen=True, slots=True)
class RawCard:
    """A card before it gets an id: question, answer, line within the section."""

    question: str
    answer: str
    line: int  # 0-based, within the section text


def _heading_key(title: str) -> str:
    title = unicodedata.normalize("NFC", title).strip().strip("*_ \t:").strip()
    return " ".join(title.split()).casefold()


def find_sections(body: str, names: Mapping[str, Sequence[str]]) -> dict[str, Section]:
    """Return the first section of each role in ``body`` (LF line endings)."""
    role_of = {_heading_key(name): role for role, ns in names.items() for name in ns}
    lines = body.split("\n")
    found: dict[str, Section] = {}
    open_role: tuple[str, int, int] | None = None  # role, level, first line
    fence: str | None = None

    def close(end: int) -> None:
        if open_role is not None:
            role, _, start = open_role
            found.setdefault(role, Section(role, "\n".join(lines[start:end]), start))

    for number, line in enumerate(lines):
        if fence is not None:
            if line.lstrip(" ").startswith(fence):
                fence = None
            continue
        opener = _FENCE.match(line)
        if opener is not None:
            fence = opener.group(1)[0] * 3
            continue
        if "#" not in line[:4]:
            continue
        heading = _HEADING.match(line)
        if heading is None:
            continue
        level = len(heading.group(1))
        if open_role is not None and level <= open_role[1]:
            close(number)
            open_role = None
        role = role_of.get(_heading_key(heading.group(2) or ""))
        if role is not None and role not in found and open_role is None:
            open_role = (role, level, number + 1)
    close(len(lines))
    return found


@cache
def _markdown() -> MarkdownIt:
    from markdown_it import MarkdownIt

    # Only the block structure is needed (an inline token's ``content`` is the
    # raw inline Markdown we keep), so the inline pass is skipped: it is half
    # of the parse time on a real cue section.
    md = MarkdownIt("commonmark")
    md.core.ruler.disable(["inline", "text_join"])
    return md


def _dedent(lines: list[str]) -> str:
    # Notion indents blank lines (sometimes with NBSP): they are blank.
    # Tabs in the indentation are expanded to Markdown's 4-column stops so
    # tab-indented and space-indented notes dedent alike.
    cleaned = [
        "" if not line.strip() else _LEADING_WS.sub(lambda m: m.group().expandtabs(4), line)
        for line in lines
    ]
    while cleaned and not cleaned[0]:
        cleaned.pop(0)
    while cleaned and not cleaned[-1]:
        cleaned.pop()
    return textwrap.dedent("\n".join(cleaned))


_MARKER = re.compile(r"^[ \t]*(?:[-+*]|\d{1,9}[.)])(?:[ \t]+|$)")


def _indent(line: str) -> int:
    stripped = line.lstrip(" \t")
    return len(line[: len(line) - len(stripped)].expandtabs(4))


def _nested_continuation(lines: list[str], start: int, end: int) -> int:
    """Where an answer written right under its question begins.

    ``- q`` followed by a more deeply indented ``    a`` with no blank line
    between is, to CommonMark, one paragraph; to the learner (and to how
    Obsidian shows it) the indented line is the answer nested under the
    question. Lines indented past the item's content column start the answer;
    a wrapped question (continuation at or left of that column) stays whole.
    """
    marker = _MARKER.match(lines[start])
    column = len(marker.group().expandtabs(4)) if marker else 0
    for number in range(start + 1, end):
        if lines[number].strip() and _indent(lines[number]) > column:
            return number
    return end


def extract_cards(section: str) -> tuple[list[RawCard], list[str]]:
    """Cards of a cue section and warnings about items that are not cards."""
    tokens = _markdown().parse(section)
    lines = section.split("\n")
    cards: list[RawCard] = []
    warnings: list[str] = []
    for index, token in enumerate(tokens):
        if token.type != "list_item_open" or token.level != 1 or token.map is None:
            continue
        item_start, item_end = token.map
        first = tokens[index + 1]
        if first.type != "paragraph_open" or first.map is None:
            what = "is empty" if first.type == "list_item_close" else "has no question text"
            warnings.append(f"line {item_start + 1}: cue item {what}; not a card")
            continue
        para_start, para_end = first.map
        split = _nested_continuation(lines, para_start, para_end)
        if split == para_end:
            question = tokens[index + 2].content.strip()
        else:
            question = " ".join(line.strip() for line in lines[para_start:split])
            question = _MARKER.sub("", question, count=1).strip()
        answer = _dedent(lines[split:item_end])
        if not answer:
            warnings.append(
                f"line {item_start + 1}: cue question {question!r} has no answer; not a card"
            )
            continue
        cards.append(RawCard(question, answer, item_start))
    return cards, warnings


def note_key(title: str) -> str:
    """The part of a note's identity that survives moving it in the vault."""
    return unicodedata.normalize("NFC", title).casefold()


def card_id(key: str, question: str, occurrence: int = 0, salt: str = "") -> str:
    """A stable card id from the note's key and the question text.

    The answer and the card's position do not take part, so editing an
    answer or reordering cards keeps the id; the folder does not either, so
    moving the note keeps it. ``occurrence`` separates repeated questions in
    one note; ``salt`` (the note's path) separates two same-named notes.
    """
    text = " ".join(unicodedata.normalize("NFC", question).split()).casefold()
    material = (
        f"{key}\x1f{text}\x1f{occurrence}\x1f{salt}" if occurrence or salt else f"{key}\x1f{text}"
    )
    return hashlib.blake2b(material.encode("utf-8"), digest_size=8).hexdigest()
