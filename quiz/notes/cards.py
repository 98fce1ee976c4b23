"""Cornell sections and cue cards of a note body.

Sections are found by a cheap line scan (headings outside code fences), so a
large notes section costs almost nothing; only the cue section goes through
markdown-it, which decides what a list item and its nested content are.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")


@dataclass(frozen=True, slots=True)
class Section:
    """A Cornell section: its role, its text, and where the text starts."""

    role: str
    text: str
    first_line: int  # 0-based line of ``text`` within the body
    heading: str = ""  # the heading as written (``핵심 필기``)
    level: int = 0  # the heading's level (1-6)


@dataclass(frozen=True, slots=True)
class RawCard:
    """A card before it gets an id: question, answer, line within the section.

    An empty ``answer`` is a bare cue: a question with nothing nested under
    it, answered later from the note's notes or summary.
    """

    question: str
    answer: str
    line: int  # 0-based, within the section text


def _heading(line: str) -> tuple[int, str] | None:
    """Level and text of an ATX heading line (CommonMark), or ``None``.

    A scan rather than a regex: ``(.*?)`` before an optional closing ``#``
    run and trailing blanks backtracks over every split of a long line
    (60,000 spaces took 27 s); here each character is looked at a few times.
    """
    stripped = line.lstrip(" ")
    if len(line) - len(stripped) > 3:
        return None
    rest = stripped.lstrip("#")
    level = len(stripped) - len(rest)
    if not 1 <= level <= 6 or (rest and rest[0] not in " \t"):
        return None
    title = rest.strip(" \t")
    bare = title.rstrip("#")
    # A closing run of # counts when a blank stands before it (or it is all).
    if not bare:
        title = ""
    elif bare[-1] in " \t":
        title = bare.rstrip(" \t")
    return level, title


_LEADING_JUNK = frozenset({"So", "Sk", "Cf", "Zs", "Mn", "Me"})
_AROUND_SLASH = re.compile(r"\s*([/&])\s*")


@lru_cache(maxsize=4096)
def heading_key(title: str) -> str:
    """What makes two section names the same.

    Case, blanks around ``/`` and ``&``, emphasis and a leading emoji do not
    count: ``❓ Cues/Questions`` names the section ``Cues / Questions``.
    Cached: the same few headings come back in every note.
    """
    title = unicodedata.normalize("NFC", title).strip().strip("*_ \t:").strip()
    if title and unicodedata.category(title[0]) in _LEADING_JUNK:
        start = 0
        while start < len(title) and unicodedata.category(title[start]) in _LEADING_JUNK:
            start += 1
        title = title[start:].strip("*_ \t:")
    if "/" in title or "&" in title:
        title = _AROUND_SLASH.sub(r"\1", title)
    return " ".join(title.split()).casefold()


_heading_key = heading_key


#: Lines that can open or close a section or a fence; the rest is skipped
#: by the regex engine instead of a Python loop (notes sections are long).
_CANDIDATE = re.compile(r"^ {0,3}(?:#|```|~~~)[^\n]*", re.MULTILINE)


@cache
def _roles(names: tuple[tuple[str, tuple[str, ...]], ...]) -> dict[str, str]:
    """Section role by heading key; built once per set of names, not per note."""
    return {heading_key(name): role for role, ns in names for name in ns}


def find_sections(body: str, names: Mapping[str, Sequence[str]]) -> dict[str, Section]:
    """Return the first section of each role in ``body`` (LF line endings).

    The scan stops once every role in ``names`` has its section.
    """
    role_of = _roles(tuple((role, tuple(ns)) for role, ns in names.items()))
    found: dict[str, Section] = {}
    # role, level, first line, offset, heading as written
    open_role: tuple[str, int, int, int, str] | None = None
    fence: str | None = None
    number, counted = 0, 0  # line number of offset ``counted``

    def close(offset: int) -> None:
        if open_role is not None:
            role, level, first, begin, title = open_role
            text = body[begin:offset].removesuffix("\n")
            found.setdefault(role, Section(role, text, first, title, level))

    for match in _CANDIDATE.finditer(body):
        line = match.group()
        if fence is not None:
            if line.lstrip(" ").startswith(fence):
                fence = None
            continue
        opener = _FENCE.match(line)
        if opener is not None:
            fence = opener.group(1)[0] * 3
            continue
        heading = _heading(line)
        if heading is None:
            continue
        number += body.count("\n", counted, match.start())
        counted = match.start()
        level, title = heading
        if open_role is not None and level <= open_role[1]:
            close(match.start())
            open_role = None
            if len(found) == len(names):
                return found  # the rest of the body cannot add a section
        role = role_of.get(heading_key(title)) if title else None
        if role is not None and role not in found and open_role is None:
            after = match.end() + 1 if match.end() < len(body) else match.end()
            open_role = (role, level, number + 1, after, title.strip())
    close(len(body))
    return found


#: Block rules that can only fire where their marker character begins a
#: line's content, each with a test that every text where the rule could fire
#: passes (it may pass on more). A rule whose test fails cannot fire anywhere
#: in the text, so markdown-it need not try it on every line: the parse is
#: the same and takes half the time on a typical cue section. Code, list and
#: paragraph are always on.
_OPTIONAL_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("fence", re.compile("[`~]")),
    ("blockquote", re.compile(">")),
    # Three markers, only blanks between them, then the end of the line.
    ("hr", re.compile(r"([*_-])[ \t]*\1[ \t]*\1[ \t]*$", re.MULTILINE)),
    ("reference", re.compile(r"\[")),
    ("html_block", re.compile("<")),
    ("heading", re.compile("#")),
    # A setext underline: a run of - or = alone on its line (after indent
    # or a quote marker).
    ("lheading", re.compile(r"(?:^|[ \t>])(?:-+|=+)[ \t]*$", re.MULTILINE)),
)


def _block_tokens(text: str, *, prune: bool = True) -> list[Token]:
    """markdown-it's block tokens of ``text``, with the rules it cannot need off."""
    off = frozenset(
        name for name, needed in _OPTIONAL_RULES if prune and needed.search(text) is None
    )
    return _markdown(off).parse(text)


@cache
def _markdown(off: frozenset[str] = frozenset()) -> MarkdownIt:
    from markdown_it import MarkdownIt

    # Only the block structure is needed (an inline token's ``content`` is the
    # raw inline Markdown we keep), so the inline pass is skipped: it is half
    # of the parse time on a real cue section.
    md = MarkdownIt("commonmark")
    md.core.ruler.disable(["inline", "text_join"])
    if off:
        md.block.ruler.disable(sorted(off))
    return md


def _dedent(lines: list[str]) -> str:
    """The lines without their common indentation, blank lines at the ends dropped.

    Notion indents blank lines (sometimes with NBSP): they are blank.
    Tabs in the indentation are expanded to Markdown's 4-column stops so
    tab-indented and space-indented notes dedent alike.
    """
    # (indent, text after it) per line; None for a blank line.
    split: list[tuple[int, str] | None] = []
    for line in lines:
        if not line.strip():
            split.append(None)
            continue
        body = line.lstrip(" \t")
        lead = len(line) - len(body)
        if "\t" in line[:lead]:
            lead = len(line[:lead].expandtabs(4))
        split.append((lead, body))
    kept = [part for part in split if part is not None]
    if not kept:
        return ""
    first = split.index(kept[0])
    last = len(split) - 1 - split[::-1].index(kept[-1])
    margin = min(lead for lead, _ in kept)
    return "\n".join(
        "" if part is None else " " * (part[0] - margin) + part[1]
        for part in split[first : last + 1]
    )


_MARKER = re.compile(r"^[ \t]*(?:[-+*]|\d{1,9}[.)])(?:[ \t]+|$)")


def _indent(line: str) -> int:
    """Columns of indentation (tabs to 4-column stops); -1 for a blank line."""
    body = line.lstrip(" \t")
    if not body:
        return -1
    lead = len(line) - len(body)
    return len(line[:lead].expandtabs(4)) if "\t" in line[:lead] else lead


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


_FENCE_ANYWHERE = re.compile(r"[ \t]*(?:```|~~~)")
#: A nested list item that can interrupt a paragraph (bullet, or ordered from 1).
_INTERRUPTS = re.compile(r"[ \t]*(?:[-+*]|1[.)])[ \t]+\S")
_TOP_ITEM_PREFIX = re.compile(r" {0,3}(?:[-+*]|\d{1,9}[.)])(?:[ \t]+|$)")
_TOP_ITEM = re.compile(r" {0,3}(?:[-+*]|\d{1,9}[.)])(?:[ \t]|$)")
#: What a collapsed run of nested lines becomes (see ``_skeleton``): a
#: thematic break, which ends a paragraph before it as a list would and is
#: the cheapest block for markdown-it to parse.
_PLACEHOLDER = "***"


def _content_column(line: str, prefix: str) -> int:
    """Column where a list item's content starts, as CommonMark counts it.

    ``prefix`` is the marker with the blanks after it. One to four columns of
    blank after the marker belong to it; with more, or none before the end of
    the line, the content starts one column after the marker.
    """
    marker = len(prefix.rstrip(" \t").expandtabs(4))
    full = len(prefix.expandtabs(4))
    if len(prefix) == len(line) or full - marker > 4:
        return marker + 1
    return full


def _skeleton(lines: list[str]) -> tuple[list[str], list[int], list[int]]:
    """Collapse runs of deeply indented lines into one line each.

    markdown-it-py spends most of a cue section's parse on the nested answer
    content, yet only the top-level items and each one's first paragraph
    matter here (answers are cut from the original lines). A run of lines
    indented 4 or more (blank lines inside it included) can never start,
    end or split a top-level item, so it is replaced by a single placeholder
    line at the run's indentation: a thematic break, or an indented code line
    where the run itself was that deep. Runs that could join the paragraph
    before them, that hold a fence or HTML block end, or that are followed by a
    line a lazy paragraph could swallow, are kept as they are, so the
    top-level structure is the same as the full parse's (a property test in
    ``tests/test_cards_skeleton.py`` checks this on random sections).

    Returns the short lines and, for each, the range of original lines it
    stands for (``start[k]`` to ``stop[k]``).
    """
    short: list[str] = []
    start: list[int] = []
    stop: list[int] = []
    count = len(lines)
    html = any("<" in line for line in lines)
    depth = [_indent(line) for line in lines]  # -1: blank
    # At least the content column of the current top-level item (an upper
    # bound of it: every blank after the marker counted), so a collapsed run
    # lies inside that item; None before the first item.
    column: int | None = None
    content = 0  # the exact content column of that item
    # The run of deep lines measured last: its last non-blank line, and the
    # last line in it that opens a fence or holds a '>' (-1: none).
    last = fence = quote = -1
    i = 0
    while i < count:
        line = lines[i]
        top = _TOP_ITEM_PREFIX.match(line)
        if top is not None:
            column = max(4, len(top.group().expandtabs(4)))
            content = _content_column(line, top.group())
        elif column is not None and depth[i] >= column:
            if i > last:
                # A new run: measure it once. A line of it that cannot start
                # the collapse leaves the next line to try, with the same end
                # and the same lines inside (measuring again from each line
                # made a long nested answer quadratic: 8,000 lines, 27 s).
                j = last = i
                while j < count and (depth[j] < 0 or depth[j] >= column):
                    if depth[j] >= 0:
                        last = j
                    j += 1
                fence = max(
                    (k for k in range(i, last + 1) if _FENCE_ANYWHERE.match(lines[k])), default=-1
                )
                quote = max((k for k in range(i, last + 1) if ">" in lines[k]), default=-1)
            after = last + 1
            collapsible = (
                last > i
                # Nothing before it that the run could continue or underline
                # (a list that starts less than 4 columns into the item ends
                # the paragraph before it; one deeper would continue it)...
                and (
                    i == 0
                    or depth[i - 1] < 0
                    or (_INTERRUPTS.match(line) is not None and depth[i] < content + 4)
                )
                # ...and nothing after it that could continue the run.
                and (
                    after == count or depth[after] < 0 or _TOP_ITEM.match(lines[after]) is not None
                )
                and fence < i  # no fence from here to the end of the run
                # An HTML block open before the run may end inside it (every
                # kind's end marker holds a '>').
                and not (html and quote >= i)
            )
            if collapsible:
                short.append(line[: len(line) - len(line.lstrip(" \t"))] + _PLACEHOLDER)
                start.append(i)
                stop.append(last + 1)
                i = last + 1
                continue
        short.append(line)
        start.append(i)
        stop.append(i + 1)
        i += 1
    return short, start, stop


def extract_cards(section: str) -> tuple[list[RawCard], list[str]]:
    """Cards of a cue section and warnings about items that are not cards.

    A question with nothing nested under it comes back with an empty answer
    (a bare cue): the caller answers it from the notes or summary.
    """
    lines = section.split("\n")
    short, start, stop = _skeleton(lines)
    if len(short) < len(lines):
        found = _cards_from(lines, short, start, stop)
        if found is not None:
            return found
    full = _cards_from(lines, lines, list(range(len(lines))), list(range(1, len(lines) + 1)))
    assert full is not None  # only a placeholder can make it give up
    return full


def _cards_from(
    lines: list[str], short: list[str], start: list[int], stop: list[int], *, prune: bool = True
) -> tuple[list[RawCard], list[str]] | None:
    """Cards from a parse of ``short``, cut from the original ``lines``.

    Returns ``None`` when a placeholder ended up inside a question, which a
    full parse must then decide.
    """
    tokens = _block_tokens("\n".join(short), prune=prune)
    cards: list[RawCard] = []
    warnings: list[str] = []
    for index, token in enumerate(tokens):
        if token.type != "list_item_open" or token.level != 1 or token.map is None:
            continue
        item_start, item_end = token.map
        line_no = start[item_start]
        first = tokens[index + 1]
        if first.type != "paragraph_open" or first.map is None:
            what = "is empty" if first.type == "list_item_close" else "has no question text"
            warnings.append(f"line {line_no + 1}: cue item {what}; not a card")
            continue
        para_start, para_end = first.map
        split = _nested_continuation(short, para_start, para_end)
        if any(stop[k] - start[k] > 1 for k in range(para_start, split)):
            return None
        if split == para_end:
            question = tokens[index + 2].content.strip()
        else:
            question = " ".join(short[k].strip() for k in range(para_start, split))
            question = _MARKER.sub("", question, count=1).strip()
        answer = _dedent(lines[start[split] : stop[item_end - 1]]) if split < item_end else ""
        cards.append(RawCard(question, answer, line_no))  # empty answer: a bare cue
    return cards, warnings


#: A question's own numbering, written where Markdown does not take it for a
#: list marker (``### Q1: ...``, ``#### 1. ...``, ``> Q2) ...``), possibly
#: inside the bold that starts the question.
_NUMBERING = re.compile(
    r"(\*{0,2})[ \t]*(?:Q[ \t]?\d{1,3}[ \t]*[:.)]|\d{1,3}[.)]|Q[.:])[ \t]+", re.I
)


def clean_question(text: str) -> str:
    """A cue's question as every layout gives it: numbering gone, blanks trimmed.

    ``Q1: Was ist X?``, ``1. Was ist X?`` and ``**Q1: Was ist X?**`` become
    ``Was ist X?`` (bold kept), so a cue moved from a heading to a list item
    keeps its text and so its id.
    """
    text = text.strip()
    match = _NUMBERING.match(text)
    if match is not None and match.end() < len(text):
        text = match.group(1) + text[match.end() :]
    return text
