"""Answer a bare cue from the note itself (SPEC "Cornell layouts in the wild", shape 2).

In the Cornell method the learner covers the notes column, answers the cue
from memory, then checks the notes. A cue written without an answer of its
own is therefore answered by the passage of the note that answers it:

1. the notes subsection (by its heading and its content) or the notes
   paragraph / list item (by its content) that best matches the question;
2. else the summary bullet that matches (summaries often answer the cues in
   the same order, so the order breaks near-ties);
3. else the whole notes section (or, without one, the whole summary), cut
   at a paragraph when it is longer than ``MAX_WHOLE_CHARS``.

Matching works on text stripped of Markdown decoration, NFC and case-folded.
Latin words are compared whole (lightly stemmed, stop words dropped); Hangul
words lose a trailing particle and are compared by character bigrams, so
``방식은`` meets ``방식`` and ``저장소에서`` meets ``저장소``. Kiwi's noun
analysis is deliberately not used even when installed: the same note must
give the same answers on every install. rapidfuzz scores how well a
passage's lead (its heading, its bold term, the words before its colon)
appears in the question.

Cost is bounded: at most ``MAX_PASSAGES`` candidate passages per section,
each matched on its first ``MATCH_CHARS`` characters, and a section is split
only over its first ``MAX_SECTION_CHARS`` characters; the whole section is
still the fallback answer.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from quiz.notes import links
from quiz.notes.links import Wikilink

#: Candidate passages considered per section (subsections, paragraphs, items).
MAX_PASSAGES = 300
#: Characters of a passage (and of a question) that take part in matching.
MATCH_CHARS = 3000
#: Characters of a section that are split into passages.
MAX_SECTION_CHARS = 400_000
#: A whole section longer than this is cut (at a paragraph) as a fallback answer.
MAX_WHOLE_CHARS = 20_000
#: A passage's lead must appear in the question at least this well (0-100).
LEAD_THRESHOLD = 85.0
#: Leads shorter than this (after normalisation) are too vague to count.
MIN_LEAD_CHARS = 3
#: Share of the question's (weighted) words a passage must hold to count.
COVER_THRESHOLD = 0.4
#: Summary bullets this close to the best score count as a tie: order decides.
TIE_MARGIN = 0.1


@dataclass(frozen=True, slots=True)
class Passage:
    """The answer of a bare cue, cut from the note.

    Attributes:
        text: Markdown of the answer passage, as written in the note.
        source: ``"notes"`` or ``"summary"``.
        where: shown as "answer from {where}", e.g. ``핵심 필기 › Check Mode``.
    """

    text: str
    source: str
    where: str


def answer_from_note(
    questions: Sequence[str],
    notes: tuple[str, str] | None,
    summary: tuple[str, str] | None,
) -> list[Passage | None]:
    """The answer passage of each question, in order.

    ``notes`` and ``summary`` are ``(heading as written, section Markdown)``
    or ``None``. A question gets ``None`` only when the note has neither a
    notes nor a summary section with text in it.
    """
    if notes is not None and not notes[1].strip():
        notes = None
    if summary is not None and not summary[1].strip():
        summary = None
    if notes is None and summary is None:
        return [None for _ in questions]
    asked = [_Text.of(q) for q in questions]
    out: list[Passage | None] = [None] * len(questions)
    if notes is not None:
        pool = _Pool(_notes_candidates(*notes))
        for i, q in enumerate(asked):
            ranked = pool.ranked(q)
            if ranked:
                best = min(ranked, key=lambda r: (-r[0], len(r[2].text), r[1]))
                out[i] = Passage(best[2].text, "notes", best[2].where)
    if summary is not None and any(p is None for p in out):
        pool = _Pool(_summary_candidates(*summary))
        for i, q in enumerate(asked):
            if out[i] is not None:
                continue
            ranked = pool.ranked(q)
            if ranked:
                out[i] = _by_order(ranked, i, len(questions), len(pool.candidates))
    fallback = (
        Passage(_whole(notes[1]), "notes", _label(notes[0]))
        if notes is not None
        else Passage(_whole(summary[1]), "summary", _label(summary[0]))  # type: ignore[index]
    )
    return [p if p is not None else fallback for p in out]


def _whole(section: str) -> str:
    """A whole section as an answer, cut at a paragraph past ``MAX_WHOLE_CHARS``
    (every unanswered cue of the note stores it; ``c`` still shows it all)."""
    text = section.strip("\n")
    if len(text) <= MAX_WHOLE_CHARS:
        return text
    cut = text.rfind("\n\n", 0, MAX_WHOLE_CHARS)
    return text[: cut if cut > 0 else MAX_WHOLE_CHARS].rstrip() + "\n\n…"


def _by_order(
    ranked: list[tuple[float, int, _Candidate]], i: int, questions: int, bullets: int
) -> Passage:
    """The summary bullet for question ``i``: the best, order breaking near-ties."""
    top = max(score for score, _, _ in ranked)
    close = [r for r in ranked if r[0] >= top - TIE_MARGIN]

    def distance(index: int) -> float:
        if questions == bullets:
            return abs(index - i)
        # Positions scaled to the same 0..1 range when the counts differ.
        return abs(index / max(bullets - 1, 1) - i / max(questions - 1, 1))

    _, _, best = min(close, key=lambda r: (distance(r[1]), -r[0], r[1]))
    return Passage(best.text, "summary", best.where)


# --- text into features -----------------------------------------------------

# No part may hold the character that opens the construct again ('[' or
# '<'): each attempt then stops at the next opener instead of running to the
# end of the line from every one of them ('[[' x 20,000 took 70 s).
_LINK = re.compile(r"!?\[([^\[\]\n]*)\]\([^()\n]*\)")
_TAG = re.compile(r"</?[A-Za-z][^<>\n]*>")
_DECOR = re.compile(r"\*\*|__|~~|==|`+|(?<!\w)[*_](?=\S)|(?<=\S)[*_](?!\w)")
_LINE_MARK = re.compile(r"^[ \t]*(?:>[ \t]*)*(?:#{1,6}[ \t]+|[-+*][ \t]+|\d{1,9}[.)][ \t]+)?", re.M)
_CALLOUT = re.compile(r"^\[![^\]\n]*\][+-]?", re.M)


def plain_text(markdown: str) -> str:
    """``markdown`` without its decoration: bold, code ticks, links, markers."""
    text = _inline_plain(markdown)
    text = _LINE_MARK.sub("", text)
    text = _CALLOUT.sub("", text)
    return " ".join(text.split())


def _link_text(link: Wikilink) -> str:
    return ("!" if link.embed else "") + (link.alias or link.target + link.anchor)


def _inline_plain(markdown: str) -> str:
    """``markdown`` without bold, code ticks, links and tags; markers kept."""
    text = links.replace(markdown, lambda link: " " if link.embed else link.written)
    # A link keeps its alias, else its target (and heading); a "!" left
    # before one (a broken embed) stays.
    text = links.replace(text, _link_text)
    text = _LINK.sub(r"\1", text)
    text = _TAG.sub(" ", text)
    return _DECOR.sub("", text)


_NUMBERING = re.compile(r"(?:q?\d{1,3}[.):]|\(\d{1,3}\)|[①-⑳]|[a-z][.)]|step \d{1,3}:?)\s+")
_SYMBOLS = re.compile(r"[^\w\s]+")


def _bare(normal: str) -> str:
    """A normalised lead or question for rapidfuzz: numbering ("1.", "Q2:",
    "①") and symbols (emoji, punctuation) gone, so they cannot lower a score."""
    text = _NUMBERING.sub("", normal, count=1) if _NUMBERING.match(normal) else normal
    return " ".join(_SYMBOLS.sub(" ", text).split())


def _normal(markdown: str) -> str:
    return unicodedata.normalize("NFC", plain_text(markdown[:MATCH_CHARS])).casefold()


_WORD = re.compile(r"[가-힣]+|[^\W\d_가-힣]+|\d+")
_HANGUL = re.compile(r"[가-힣]")


def _words(text: str) -> list[str]:
    return text.split()


#: Trailing particles and endings taken off a Hangul word (longest first).
_PARTICLES = tuple(
    sorted(
        _words(
            "에서는 에서도 에게서 으로는 으로서 으로써 이라는 이라고 입니다 인가요 인지요 "
            "에서 에게 께서 부터 까지 처럼 보다 으로 로는 로서 로써 와는 과는 이란 이라 "
            "라는 라고 이다 이며 인가 인지 하는 했다 한다 하여 해서 되는 된다 "
            "은 는 이 가 을 를 의 와 과 도 로 에 만 요 란 며"
        ),
        key=len,
        reverse=True,
    )
)

#: Words of a question that say nothing about its topic.
_STOP = frozenset(
    _words(
        # English
        "a an the of to in on at for and or with from by as is are was were be been being "
        "it its this that these those there what which who whom whose why how when where "
        "does do did can could should would will shall may might must not no "
        "explain describe define definition mean meaning means give name list state "
        "about between into than then so such your you we our they their his her "
        # German, French, Spanish (short questions in other languages)
        "was ist sind ein eine einer der die das den dem des und oder wie warum wann wo wer "
        "welche welcher welches mit von zu im für "
        "est une un le la les des du et ou qu que quoi pourquoi comment quel quelle "
        "es el los las una por para qué cómo cuál "
        # Korean question words and endings (as bigrams or whole stripped words)
        "무엇 엇인 어떻 떻게 어떤 어느 언제 어디 누구 왜 설명 명하 하시 시오 "
        "말하 하라 쓰시 있는 없는 하나 대해 대한 해서 인가 무슨 뭐"
    )
)


def _stem(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


#: The particles by length, longest first, for a lookup per length.
_PARTICLES_BY_LENGTH = tuple(
    (n, frozenset(p for p in _PARTICLES if len(p) == n))
    for n in sorted({len(p) for p in _PARTICLES}, reverse=True)
)


def _hangul_stem(word: str) -> str:
    for n, endings in _PARTICLES_BY_LENGTH:
        if len(word) - n >= 2 and word[-n:] in endings:
            return word[:-n]
    return word


def features(text: str) -> frozenset[str]:
    """The words (Latin, stemmed) and Hangul bigrams that ``text`` is matched by.

    ``text`` is normalised already (see ``_normal``).
    """
    out: set[str] = set()
    for word in _WORD.findall(text):
        out.update(_word_features(word))
    return frozenset(out)


@lru_cache(maxsize=1 << 16)
def _word_features(word: str) -> tuple[str, ...]:
    """The features of one word (words repeat a lot: each is worked out once)."""
    if _HANGUL.match(word):
        word = _hangul_stem(word)
        grams = (word[k : k + 2] for k in range(len(word) - 1))
        return tuple(g for g in grams if g not in _STOP)
    if word.isdigit():
        return (word,)
    if word in _STOP:
        return ()
    word = _stem(word)
    if (len(word) >= 2 or not word.isascii()) and word not in _STOP:
        return (word,)
    return ()


@dataclass(frozen=True, slots=True)
class _Text:
    """A question (or lead) normalised, with its features."""

    normal: str
    words: frozenset[str]
    bare: str  # see ``_bare``

    @classmethod
    def of(cls, markdown: str) -> _Text:
        normal = _normal(markdown)
        return cls(normal, features(normal), _bare(normal))


# --- sections into candidate passages ---------------------------------------


@dataclass(frozen=True, slots=True)
class _Candidate:
    """A passage that may answer a cue."""

    text: str  # Markdown as written
    where: str
    lead: str  # normalised heading / bold term / term before a colon; may be ""
    words: frozenset[str]  # features of lead and body


_ATX = re.compile(r" {0,3}(#{1,6})(?:[ \t]|$)")
_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
_ITEM = re.compile(r"([ \t]*)(?:[-+*]|\d{1,9}[.)])(?:[ \t]+|$)")
_RULE = re.compile(r" {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_BOLD = re.compile(r"\*\*([^*\n]+?)\*\*|__([^_\n]+?)__")
_TERM = re.compile(r"^(.{2,60}?)\s*(?::|：| - | – | — |=)\s")


def _label(heading: str) -> str:
    """A heading as the learner reads it (decoration stripped, numbering kept)."""
    return " ".join(_inline_plain(heading).split()) or heading.strip()


def _lead_of(block: str) -> str:
    """The term a paragraph or item is about: its first bold span, or the
    words before its colon, if short."""
    first = block.lstrip().split("\n", 1)[0]
    bold = _BOLD.search(first[:200])
    if bold is not None:
        return _normal(bold.group(1) or bold.group(2))
    term = _TERM.match(plain_text(_ITEM.sub("", first, count=1)))
    return _normal(term.group(1)) if term is not None else ""


def _heading_text(rest: str) -> str:
    """An ATX heading's text without its closing ``#`` run (no regex: linear)."""
    title = rest.strip(" \t")
    bare = title.rstrip("#")
    if bare != title and (not bare or bare[-1] in " \t"):
        title = bare.rstrip(" \t")
    return title


def _split(markdown: str) -> list[tuple[int, str, list[str]]]:
    """The section's parts: ``(level, heading, lines)``; level 0 before any heading."""
    parts: list[tuple[int, str, list[str]]] = [(0, "", [])]
    fence: str | None = None
    for line in markdown[:MAX_SECTION_CHARS].split("\n"):
        if fence is not None:
            if line.lstrip(" ").startswith(fence):
                fence = None
            parts[-1][2].append(line)
            continue
        opener = _FENCE.match(line)
        if opener is not None:
            fence = opener.group(1)[0] * 3
            parts[-1][2].append(line)
            continue
        heading = _ATX.match(line)
        if heading is not None:
            parts.append((len(heading.group(1)), _heading_text(line[heading.end() :]), []))
        else:
            parts[-1][2].append(line)
    return parts


def _blocks(lines: list[str], limit: int = MAX_PASSAGES) -> list[str]:
    """Paragraphs and top-level list items of some lines, Markdown kept.

    A blank line or a thematic break ends a block, except inside a fence; a
    list item starts a block unless it is nested (indented past the first
    item); an indented block after a list item continues that item.
    """
    blocks: list[list[str]] = []
    current: list[str] = []
    item_indent: int | None = None  # indent of the current list's items
    fence: str | None = None

    def close() -> None:
        nonlocal current
        if any(line.strip() for line in current):
            blocks.append(current)
        current = []

    for line in lines:
        if len(blocks) >= limit:
            break
        if fence is not None:
            current.append(line)
            if line.lstrip(" ").startswith(fence):
                fence = None
            continue
        opener = _FENCE.match(line)
        if opener is not None:
            fence = opener.group(1)[0] * 3
            current.append(line)
            continue
        if not line.strip() or _RULE.match(line):
            close()
            continue
        indent = len(line) - len(line.lstrip(" \t"))
        item = _ITEM.match(line)
        if item is not None and (item_indent is None or indent <= item_indent):
            close()
            item_indent = indent
            current.append(line)
            continue
        if not current and blocks and item_indent is not None and indent > item_indent:
            # Continuation of the item before the blank line.
            current = blocks.pop()
            current.append("")
        elif not current:
            item_indent = None
        current.append(line)
    close()
    return [_dedent(b) for b in blocks[:limit]]


def _dedent(lines: list[str]) -> str:
    margin = min(len(x) - len(x.lstrip(" \t")) for x in lines if x.strip())
    return "\n".join(x[margin:] if x.strip() else "" for x in lines).strip("\n")


def _notes_candidates(heading: str, markdown: str) -> list[_Candidate]:
    """Subsections (a heading and everything under it up to the next heading
    of its level or higher) and paragraphs of the notes, in that order."""
    top = _label(heading)
    parts = _split(markdown)
    subsections: list[_Candidate] = []
    paragraphs: list[_Candidate] = []
    for k, (level, title, lines) in enumerate(parts):
        room = MAX_PASSAGES - len(subsections) - len(paragraphs)
        if room <= 0:
            break
        where = f"{top} › {_label(title)}" if level and _label(title) else top
        if level:
            span = list(lines)
            for deeper, sub, sublines in parts[k + 1 :]:
                if deeper <= level:
                    break
                span += [f"{'#' * deeper} {sub}", *sublines]
            text = "\n".join(span).strip("\n")
            if text.strip():
                lead = _normal(title)
                subsections.append(
                    _Candidate(text, where, lead, features(f"{lead} {_normal(text)}"))
                )
        for block in _blocks(lines, room):
            paragraphs.append(_Candidate(block, where, _lead_of(block), features(_normal(block))))
    return (subsections + paragraphs)[:MAX_PASSAGES]


def _summary_candidates(heading: str, markdown: str) -> list[_Candidate]:
    """The summary's bullets and paragraphs, in order."""
    where = _label(heading)
    out: list[_Candidate] = []
    for _, _, lines in _split(markdown):
        for block in _blocks(lines, MAX_PASSAGES - len(out)):
            out.append(_Candidate(block, where, _lead_of(block), features(_normal(block))))
    return out[:MAX_PASSAGES]


# --- scoring ----------------------------------------------------------------


class _Pool:
    """Candidates of one section; a word held by fewer of them weighs more."""

    def __init__(self, candidates: list[_Candidate]) -> None:
        # Imported here: the templates module uses this one's ``plain_text``
        # on every scan, which should not pay for rapidfuzz.
        from rapidfuzz import fuzz

        self._ratio = fuzz.partial_ratio
        self.candidates = candidates
        self._holders: dict[str, int] = {}  # word -> how many candidates hold it
        for c in candidates:
            for w in c.words:
                self._holders[w] = self._holders.get(w, 0) + 1
        self._n = len(candidates)
        leads = [_bare(c.lead) for c in candidates]
        self._leads = [lead if len(lead) >= MIN_LEAD_CHARS else "" for lead in leads]
        self._lead_words = [features(lead) for lead in self._leads]

    def weight(self, word: str) -> float:
        return 1.0 + math.log((self._n + 1) / (self._holders.get(word, 0) + 1))

    def ranked(self, question: _Text) -> list[tuple[float, int, _Candidate]]:
        """``(score, index, candidate)`` of the candidates that match ``question``."""
        if not self.candidates or not question.words:
            return []
        weights = {w: self.weight(w) for w in question.words}
        total = sum(weights.values())
        weigh = weights.__getitem__
        words = question.words
        out = []
        for index, c in enumerate(self.candidates):
            common = words & c.words
            if not common:
                continue
            share = sum(map(weigh, common)) / total
            lead = 0.0
            # The lead must also share a word with the question: two short
            # strings can align on a few letters by chance.
            if self._leads[index] and self._lead_words[index] & question.words:
                lead = self._ratio(self._leads[index], question.bare) / 100.0
                if lead * 100.0 < LEAD_THRESHOLD:
                    lead = 0.0
            if lead > 0.0 or share >= COVER_THRESHOLD:
                # The other signal breaks ties between equally good passages.
                score = max(lead, share) + 0.01 * min(lead, share)
                out.append((score, index, self.candidates[index]))
        return out
