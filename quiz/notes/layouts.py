"""The Cornell layouts that learners write, each a source of cues.

1. the cue section's list, answers nested under the questions (``cards.py``);
2. the same list with bare questions (answered later from the notes);
3. questions as headings inside the cue section (``### Q1: ...``);
4. cue callouts anywhere in the note (``> [!question] Cues``);
5. ``<aside>`` margin cues, followed by the notes they label;
6. two-column tables whose header names cues and notes (``| Cue | Notes |``).

``find_cues`` returns every cue of a note in note order. A cue with an empty
answer is bare: the reader answers it from the passage given with it (the
text after a cue callout) or from the note's notes or summary section.

Layouts 4-6 cost nothing on notes without them: each is only looked for when
a substring test (``[!``, ``<aside``, ``|``) says it can be there, and then by
one regex search over the body before any line is looked at.
"""

from __future__ import annotations

import bisect
import re
import sys
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING

from quiz.notes import cards as cardlib

if TYPE_CHECKING:
    from markdown_it import MarkdownIt


@dataclass(frozen=True, slots=True)
class Cue:
    """One cue of a note before it gets an id.

    Attributes:
        question: the cue, inline Markdown kept, numbering removed.
        answer: the answer's Markdown; empty for a bare cue.
        line: 0-based line of the cue within the body.
        source: ``nested``, ``heading``, ``callout``, ``definition``,
            ``aside`` or ``table`` (for a bare cue: where it was found).
        passage: for a bare cue, the text that answers it near the cue
            (``(where, Markdown)``), else ``None``: the notes answer it.
    """

    question: str
    answer: str
    line: int
    source: str
    passage: tuple[str, str] | None = None


@dataclass(slots=True)
class Found:
    """What ``find_cues`` found in a note body."""

    cues: list[Cue] = field(default_factory=list)
    #: (0-based body line, message) of things that look like cues but are not.
    problems: list[tuple[int, str]] = field(default_factory=list)
    #: Any cue source at all (a cue section, callout, aside or table).
    has_cues: bool = False
    #: The body of a ``> [!summary]`` callout, the summary when no section is.
    summary_callout: str | None = None
    #: Lines where a cue callout, summary callout or cue table begins: the
    #: notes a margin cue labels end there.
    starts: list[int] = field(default_factory=list)


#: Names of the cue and notes columns of a table and of a cue callout's
#: generic title, besides the configured section names.
CUE_NAMES = (
    "cue", "cues", "question", "questions", "cue questions", "cues/questions",
    "questions/cues", "keywords", "keyword", "단서", "질문", "단서 질문", "키워드",
    "fragen", "frage", "stichwort", "stichwörter", "questions clés", "indices",
)  # fmt: skip
NOTE_NAMES = (
    "notes", "note", "answer", "answers", "필기", "핵심 필기", "노트", "답",
    "notizen", "antwort", "antworten", "réponse", "réponses",
)  # fmt: skip
CUE_CALLOUTS = frozenset({"cue", "cues", "question", "questions", "faq", "단서", "질문"})
SUMMARY_CALLOUTS = frozenset({"summary", "tldr", "abstract", "요약"})
NOTE_CALLOUTS = frozenset({"note", "notes"})


def find_cues(
    body: str, cue_section: cardlib.Section | None, names: Mapping[str, Sequence[str]]
) -> Found:
    """Every cue of ``body`` (LF line endings), in note order."""
    found = Found()
    if cue_section is not None:
        found.has_cues = True
        _section_cues(cue_section, found)
    has_callout = _has_cue_callout(body)
    has_aside = "<aside" in body and _ASIDE_OPEN.search(body) is not None
    has_table = "|" in body and _cue_table_header(body, names)
    if not (has_callout or has_aside or has_table):
        return found
    lines, fenced = body.split("\n"), _fences(body)
    # Tables first, then callouts, then asides: the text a cue callout or a
    # margin cue claims ends where the next cue source begins.
    if has_table:
        _table_cues(lines, fenced, names, found)
    if has_aside:
        found.starts.extend(
            number for number, line in enumerate(lines) if _ASIDE_LINE.match(line) is not None
        )
    if has_callout:
        _callout_cues(body, lines, fenced, names, found)
    if has_aside:
        found.starts.sort()
        _aside_cues(lines, fenced, found)
    if len(found.cues) > 1:
        found.cues.sort(key=lambda cue: cue.line)
    return found


# -- fences ------------------------------------------------------------------

_FENCE_LINE = re.compile(r"^ {0,3}(`{3,}|~{3,})", re.MULTILINE)


def _fences(body: str) -> list[tuple[int, int]]:
    """0-based line ranges ``[start, end)`` of fenced code blocks."""
    ranges: list[tuple[int, int]] = []
    open_at: tuple[int, str] | None = None
    for match in _FENCE_LINE.finditer(body):
        line = body.count("\n", 0, match.start())
        marker = match.group(1)
        if open_at is None:
            open_at = (line, marker[0] * 3)
        elif marker.startswith(open_at[1]):
            ranges.append((open_at[0], line + 1))
            open_at = None
    if open_at is not None:
        ranges.append((open_at[0], body.count("\n") + 1))
    return ranges


def _in_fence(line: int, fenced: Sequence[tuple[int, int]]) -> bool:
    """Whether ``line`` is inside one of ``fenced`` (sorted, not overlapping)."""
    at = bisect.bisect_right(fenced, (line, sys.maxsize)) - 1
    return at >= 0 and fenced[at][0] <= line < fenced[at][1]


def _next_start(starts: list[int], after: int, default: int) -> int:
    """The first of the sorted ``starts`` at or after line ``after``."""
    at = bisect.bisect_left(starts, after)
    return starts[at] if at < len(starts) else default


# -- layouts 1-3: the cue section ----------------------------------------------

_THEMATIC_BREAK = re.compile(r" {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_QUESTION_LIKE = re.compile(
    r"(?:^\**[ \t]*(?:Q[ \t]?\d|\d{1,3}[.)][ \t]|Q[.:][ \t]))|[?？]\**$", re.I
)


_SUB_HEADING = re.compile(r"^ {0,3}#{1,6}(?:[ \t]|$)", re.MULTILINE)


def _trim_breaks(lines: list[str]) -> list[str]:
    """``lines`` without the blank lines and ``---`` separators at their end."""
    end = len(lines)
    while end and (not lines[end - 1].strip() or _THEMATIC_BREAK.match(lines[end - 1])):
        end -= 1
    return lines[:end]


def _section_cues(section: cardlib.Section, found: Found) -> None:
    """Layouts 1-3: list items of the cue section, and questions as headings.

    A ``---`` in the section does not end it (sections end at a heading); a
    sub-heading is a question when it looks like one (numbered, or ending in
    ``?``) or when what follows it is not a list; a sub-heading over a list
    only groups the list's questions.
    """
    text = section.text
    offset = section.first_line
    if "#" not in text or _SUB_HEADING.search(text) is None:
        _list_cues(text, offset, found)  # the seed's layout: no sub-headings
        return
    lines = text.split("\n")
    headings: list[tuple[int, int, str]] = []  # line, level, title
    fence: str | None = None
    for number, line in enumerate(lines):
        stripped = line.lstrip(" ")
        if fence is not None:
            if stripped.startswith(fence):
                fence = None
            continue
        opener = cardlib._FENCE.match(line)
        if opener is not None:
            fence = opener.group(1)[0] * 3
            continue
        if stripped.startswith("#") and len(line) - len(stripped) <= 3:
            heading = cardlib._heading(line)
            if heading is not None:
                headings.append((number, *heading))
    first = headings[0][0] if headings else len(lines)
    _list_cues("\n".join(lines[:first]), offset, found)
    if not headings:
        return
    level = min(lvl for _, lvl, _ in headings)
    tops = [(n, title) for n, lvl, title in headings if lvl == level]
    for index, (number, title) in enumerate(tops):
        end = tops[index + 1][0] if index + 1 < len(tops) else len(lines)
        content = _trim_breaks(lines[number + 1 : end])
        question = cardlib.clean_question(title)
        first_text = next((line for line in content if line.strip()), None)
        looks_like = _QUESTION_LIKE.search(title.strip()) is not None
        if not looks_like and first_text is not None and cardlib._TOP_ITEM.match(first_text):
            _list_cues("\n".join(content), offset + number + 1, found)
            continue
        if not question:
            continue
        if first_text is None and not looks_like:
            continue  # a heading with nothing under it: a label, not a cue
        answer = cardlib._dedent(content)
        found.cues.append(Cue(question, answer, offset + number, "heading"))


def _list_cues(text: str, offset: int, found: Found) -> None:
    """Cards of the list items in ``text`` (nested answers, or bare)."""
    if not text.strip():
        return
    raw, problems = cardlib.extract_cards(text)
    for problem in problems:
        where, _, rest = problem.partition(": ")
        found.problems.append((int(where.removeprefix("line ")) - 1 + offset, rest))
    for card in raw:
        question = cardlib.clean_question(card.question)
        found.cues.append(Cue(question, card.answer, offset + card.line, "nested"))


# -- layout 4: callouts ----------------------------------------------------------

#: A cue or summary callout's first line; other callouts (``[!important]``,
#: common in notes) do not make the note's lines worth a look.
_CUE_CALLOUT_HEAD = re.compile(
    r" {0,3}>[ \t]*\[!(?:cues?|questions?|faq|단서|질문|summary|tldr|abstract|요약)\]",
    re.IGNORECASE,
)


def _has_cue_callout(body: str) -> bool:
    """Whether ``body`` has a cue or summary callout (a substring search first).

    A multi-line regex would try every position of the body; ``str.find``
    jumps from ``[!`` to ``[!``, and only those lines are matched.
    """
    at = body.find("[!")
    while at != -1:
        if _CUE_CALLOUT_HEAD.match(body, body.rfind("\n", 0, at) + 1) is not None:
            return True
        at = body.find("[!", at + 2)
    return False


_CALLOUT = re.compile(
    r"^ {0,3}>[ \t]*\[!(?:cues?|questions?|faq|단서|질문|summary|tldr|abstract|요약)\]",
    re.MULTILINE | re.IGNORECASE,
)
_CALLOUT = re.compile(r" {0,3}>[ \t]*\[!([^\]\n]{1,40})\]([+-]?)[ \t]*(.*)$")
_QUOTED = re.compile(r" {0,3}>")
_UNQUOTE = re.compile(r" {0,3}> ?")
#: ``Term: definition``, ``*Term*: definition``, ``**Term:** definition``: a
#: short term without a question mark, a colon, a blank, then the definition.
_DEFINITION = re.compile(
    r"(?:(?P<em>\*{1,2}[^*\n:：?？]{1,80}\*{1,2})[ \t]*[:：]"
    r"|(?P<inner>\*{1,2}[^*\n:：?？]{1,80})[:：](?P<close>\*{1,2})"
    r"|(?P<plain>[^:：*?？\n`\[<]{1,60}?)[ \t]*[:：])"
    r"[ \t]+(?P<definition>\S.*)$"
)


def _definition(line: str) -> tuple[str, str] | None:
    """(term, definition) of a ``Term: definition`` line, emphasis kept."""
    match = _DEFINITION.match(line)
    if match is None:
        return None
    if match.group("em") is not None:
        term = match.group("em")
    elif match.group("inner") is not None:
        term = match.group("inner").rstrip() + match.group("close")
    else:
        term = match.group("plain")
    term = cardlib.clean_question(term)
    if not term.strip("* \t"):
        return None
    return term, match.group("definition").strip()


def _callout_kind(name: str) -> str:
    return unicodedata.normalize("NFC", name).strip().casefold()


def _callout_cues(
    body: str,
    lines: list[str],
    fenced: list[tuple[int, int]],
    names: Mapping[str, Sequence[str]],
    found: Found,
) -> None:
    """Layout 4: cue callouts (and the summary callout).

    A callout's title is its question when it asks one (``> [!question]
    What is X?``) or when the body is one answer rather than a list of
    cues; a generic title (``Cues``) or a label over definitions is not.
    """
    generic = _names(names.get("cues", ()), CUE_NAMES)
    blocks = list(_callouts(lines, fenced))
    found.starts.extend(
        start for start, _, kind, _ in blocks if kind in CUE_CALLOUTS or kind in SUMMARY_CALLOUTS
    )
    found.starts.sort()
    for index, (start, end, kind, title) in enumerate(blocks):
        if kind in SUMMARY_CALLOUTS:
            if found.summary_callout is None:
                found.summary_callout = cardlib._dedent(_unquote(lines[start + 1 : end]))
            continue
        if kind not in CUE_CALLOUTS:
            continue
        found.has_cues = True
        inside = _unquote(lines[start + 1 : end])
        items = list(_callout_items(inside))
        bare: list[Cue] = []
        title_cue = cardlib.clean_question(title)
        title_is_cue = bool(title_cue) and cardlib.heading_key(title) not in generic
        if title_is_cue and _QUESTION_LIKE.search(title) is None:
            # A label over cues (``> [!cue] Begriffe``) or a term and its answer.
            labels = len(items) > 1 or any(
                not answer and _definition(question) for _, question, answer in items
            )
            title_is_cue = not labels
        if title_is_cue:
            answer = cardlib._dedent(inside)
            if answer:
                found.cues.append(Cue(title_cue, answer, start, "callout"))
            else:
                bare.append(Cue(title_cue, "", start, "callout"))
        else:
            for line, question, answer in items:
                definition = None if answer else _definition(question)
                if definition is not None:
                    term, meaning = definition
                    found.cues.append(Cue(term, meaning, start + 1 + line, "definition"))
                elif answer:
                    found.cues.append(Cue(question, answer, start + 1 + line, "callout"))
                else:
                    bare.append(Cue(question, "", start + 1 + line, "callout"))
        if bare:
            passage = _callout_passage(lines, blocks, index, found.starts)
            found.cues.extend(
                Cue(c.question, "", c.line, c.source, passage if passage[1] else None) for c in bare
            )


def _names(configured: Iterable[str], builtin: tuple[str, ...]) -> frozenset[str]:
    return _name_keys((*configured, *builtin))


@cache
def _name_keys(names: tuple[str, ...]) -> frozenset[str]:
    return frozenset(cardlib.heading_key(n) for n in names)


def _callouts(
    lines: list[str], fenced: list[tuple[int, int]]
) -> Iterable[tuple[int, int, str, str]]:
    """Each top-level callout: first line, end line, kind, title."""
    number = 0
    while number < len(lines):
        match = _CALLOUT.match(lines[number])
        if match is None or _in_fence(number, fenced):
            number += 1
            continue
        end = number + 1
        while end < len(lines) and _QUOTED.match(lines[end]):
            end += 1
        yield number, end, _callout_kind(match.group(1)), match.group(3).strip()
        number = end


def _unquote(lines: list[str]) -> list[str]:
    return [_UNQUOTE.sub("", line, count=1) for line in lines]


def _callout_items(inside: list[str]) -> Iterable[tuple[int, str, str]]:
    """(line, question, answer) of each cue in a callout's body.

    One cue per line or per list item; lines indented under an item are its
    answer.
    """
    current: tuple[int, str] | None = None
    answer: list[str] = []
    for number, line in enumerate(inside):
        if not line.strip():
            if current is not None:
                answer.append("")
            continue
        indent = cardlib._indent(line)
        item = cardlib._TOP_ITEM_PREFIX.match(line)
        if current is not None and indent >= 2:
            answer.append(line)
            continue
        if current is not None:
            yield current[0], current[1], cardlib._dedent(answer)
        text = line[item.end() :] if item is not None else line
        current, answer = (number, cardlib.clean_question(text)), []
        if not current[1]:
            current = None
    if current is not None:
        yield current[0], current[1], cardlib._dedent(answer)


def _callout_passage(
    lines: list[str],
    blocks: list[tuple[int, int, str, str]],
    index: int,
    starts: list[int],
) -> tuple[str, str]:
    """(where, Markdown) that answers the bare cues of callout ``index``.

    The ``> [!note]`` callout right after it, else the text after it up to
    the next cue source (cue or summary callout, margin cue, cue table).
    """
    end = blocks[index][1]
    following = blocks[index + 1] if index + 1 < len(blocks) else None
    if (
        following is not None
        and following[2] in NOTE_CALLOUTS
        and all(not line.strip() for line in lines[end : following[0]])
    ):
        text = cardlib._dedent(_unquote(lines[following[0] + 1 : following[1]]))
        return (following[3] or "the note callout", text)
    stop = _next_start(starts, end, len(lines))
    text = cardlib._dedent(_trim_breaks(lines[end:stop]))
    where = "the text after the cue"
    for line in text.split("\n"):
        heading = cardlib._heading(line)
        if heading is not None and heading[1]:
            where = heading[1].strip()
            break
        if line.strip():
            break
    return (where, text)


# -- layout 5: <aside> margin cues -------------------------------------------------

_ASIDE_OPEN = re.compile(r"^ {0,3}<aside\b[^>\n]*>", re.MULTILINE | re.IGNORECASE)
_ASIDE_LINE = re.compile(r" {0,3}<aside\b[^>\n]*>(.*)$", re.IGNORECASE)
_ASIDE_CLOSE = re.compile(r"</aside\s*>", re.IGNORECASE)
_TAG = re.compile(r"<[^<>\n]{0,200}>")
#: Longest margin cue kept from a multi-line ``<aside>`` (Notion callouts
#: hold whole paragraphs; those are notes, not cues).
_ASIDE_CUE_MAX = 200


def _aside_cues(lines: list[str], fenced: list[tuple[int, int]], found: Found) -> None:
    """Layout 5: ``<aside>cue</aside>`` followed by the notes it labels.

    A one-line ``<aside>`` is a margin cue. A multi-line one (how Notion
    exports its callout blocks) is a cue only when it holds one short line
    that asks a question; otherwise it is a callout of the notes.
    """
    asides: list[tuple[int, int, str, bool]] = []  # start, end (exclusive), text, one-line
    number = 0
    while number < len(lines):
        match = _ASIDE_LINE.match(lines[number])
        if match is None or _in_fence(number, fenced):
            number += 1
            continue
        rest = match.group(1)
        close = _ASIDE_CLOSE.search(rest)
        if close is not None:
            asides.append((number, number + 1, rest[: close.start()], True))
            number += 1
            continue
        end = number + 1
        parts = [rest]
        while end < len(lines) and end - number < 200:
            close = _ASIDE_CLOSE.search(lines[end])
            if close is not None:
                parts.append(lines[end][: close.start()])
                break
            parts.append(lines[end])
            end += 1
        asides.append((number, end + 1, "\n".join(parts), False))
        number = end + 1
    for start, end, inner, one_line in asides:
        text = _TAG.sub(" ", inner)
        cue_lines = [line.strip() for line in text.split("\n") if line.strip()]
        if not cue_lines:
            continue
        cue = _strip_icon(" ".join(cue_lines))
        if not one_line and (
            len(cue_lines) > 1
            or len(cue) > _ASIDE_CUE_MAX
            or not cue.rstrip("*").endswith(("?", "？"))
        ):
            continue
        question = cardlib.clean_question(cue)
        if not question:
            continue
        found.has_cues = True
        stop = _next_start(found.starts, end, len(lines))
        body: list[str] = []
        for line in lines[end:stop]:
            if cardlib._heading(line) or _THEMATIC_BREAK.match(line):
                break
            body.append(line)
        found.cues.append(Cue(question, cardlib._dedent(body), start, "aside"))


def _strip_icon(text: str) -> str:
    """``text`` without the emoji Notion puts before a callout's text."""
    start = 0
    while start < len(text) and (
        text[start].isspace() or unicodedata.category(text[start]) in {"So", "Sk", "Cf", "Mn"}
    ):
        start += 1
    return text[start:]


# -- layout 6: tables ------------------------------------------------------------------

#: A table's delimiter row of exactly two columns.
_TABLE_RULE = re.compile(
    r"^ {0,3}\|?[ \t]*:?-{1,}:?[ \t]*\|[ \t]*:?-{1,}:?[ \t]*\|?[ \t]*$", re.MULTILINE
)
_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)


@cache
def _table_parser() -> MarkdownIt:
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark").enable("table")
    md.core.ruler.disable(["inline", "text_join"])
    return md


def _cue_table_header(body: str, names: Mapping[str, Sequence[str]]) -> bool:
    """Whether a two-column table in ``body`` has a cue/notes header (cheap)."""
    cue_names: frozenset[str] | None = None
    for match in _TABLE_RULE.finditer(body):
        end = match.start() - 1
        if end < 0:
            continue
        header = body[body.rfind("\n", 0, end) + 1 : end]
        cells = [cell for cell in header.strip().strip("|").split("|")]
        if len(cells) != 2:
            continue
        if cue_names is None:
            cue_names = _names(names.get("cues", ()), CUE_NAMES)
        if cardlib.heading_key(cells[0]) in cue_names:
            return True
    return False


def _table_cues(
    lines: list[str],
    fenced: list[tuple[int, int]],
    names: Mapping[str, Sequence[str]],
    found: Found,
) -> None:
    """Layout 6: one card per row of a ``| Cue | Notes |`` table."""
    cue_names = _names(names.get("cues", ()), CUE_NAMES)
    note_names = _names(names.get("notes", ()), NOTE_NAMES)
    number = 1
    while number < len(lines):
        if not _TABLE_RULE.match(lines[number]) or _in_fence(number, fenced):
            number += 1
            continue
        start = number - 1
        end = number + 1
        while end < len(lines) and "|" in lines[end] and lines[end].strip():
            end += 1
        number = end
        rows = _table_rows(lines[start:end])
        if len(rows) < 1 or len(rows[0][1]) != 2:
            continue
        head = [cardlib.heading_key(cell) for cell in rows[0][1]]
        if head[0] not in cue_names or head[1] not in note_names:
            continue
        found.has_cues = True
        found.starts.append(start)
        last: Cue | None = None
        for row_line, (cue_cell, note_cell) in rows[1:]:
            question = cardlib.clean_question(cue_cell)
            answer = cardlib._dedent(_BR.sub("\n", note_cell).split("\n"))
            if not question:
                if last is not None and answer:
                    # A row without a cue continues the cue above it.
                    merged = f"{last.answer}\n{answer}" if last.answer else answer
                    found.cues[-1] = last = Cue(last.question, merged, last.line, "table")
                continue
            last = Cue(question, answer, start + row_line, "table")
            found.cues.append(last)


def _table_rows(lines: list[str]) -> list[tuple[int, list[str]]]:
    """(line within ``lines``, cells) of each row of the table in ``lines``."""
    rows: list[tuple[int, list[str]]] = []
    cells: list[str] = []
    row_line = 0
    for token in _table_parser().parse("\n".join(lines)):
        if token.type == "tr_open":
            cells = []
            row_line = token.map[0] if token.map else row_line
        elif token.type == "inline" and token.level == 4:
            cells.append(token.content.strip().replace("\\|", "|"))
        elif token.type == "tr_close":
            rows.append((row_line, cells))
    return rows
