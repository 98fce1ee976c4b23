"""How close a typed answer is to the card's answer: a hint for self-grading.

The typed answer is compared with the answer's *key part*, not with all of
it: an answer is often one line that matters and a sentence or a code block
that explains it, and the learner types the line. The key part is

- the answer's bold span(s), when it has any (the learner's own mark of what
  matters; CJK-friendly emphasis, as Obsidian reads ``**용어(영어)**는``);
- else its first line, when the answer starts with a paragraph of several
  lines or blocks;
- else the whole answer (one line, or one starting with a list, a code
  block, a table or a quote).

The comparison is word by word: the key part's words are aligned with the
typed ones in order, and each pair is compared by jamo (Hangul syllables
split into their letters, so ``이겼다`` for ``이긴다`` is a near miss, not a
wrong word). The similarity is the share of the key part (by letters)
matched; typed words beyond the key part are shown but cost nothing, since
the learner may type the explanation too.
"""

from __future__ import annotations

import enum
import functools
import re
import unicodedata
from dataclasses import dataclass

from quiz.notes import links

#: Words compared at most, of the key part and of the typed answer: the
#: alignment is quadratic, and an answer is untrusted text of any length.
MAX_KEY_WORDS = 120
MAX_TYPED_WORDS = 60
#: A typed word at least this similar (by jamo) to a key word is a near miss.
NEAR = 0.5

_WORD = re.compile(r"\w+")


class Match(enum.Enum):
    """How one word of the key part and one typed word compare."""

    SAME = "same"  #: typed as in the key part (case and accents aside)
    NEAR = "near"  #: a near miss: some letters (jamo) off
    MISSING = "missing"  #: a key word not typed
    EXTRA = "extra"  #: a typed word the key part does not have


@dataclass(frozen=True, slots=True)
class Word:
    """One step of the word diff: a key word, a typed word or a pair."""

    match: Match
    key: str = ""
    typed: str = ""
    score: float = 0.0


@dataclass(frozen=True, slots=True)
class Comparison:
    """A typed answer against the answer's key part.

    Attributes:
        key: the key part, as plain text (note text: untrusted).
        source: where the key part came from: ``bold``, ``first line`` or
            ``answer`` (the whole answer).
        words: the word diff, in the key part's order, typed extras where
            they were typed.
        similarity: the share of the key part matched, in [0, 1].
    """

    key: str
    source: str
    words: tuple[Word, ...]
    similarity: float


def key_part(answer: str) -> tuple[str, str]:
    """The part of ``answer`` a typed answer is compared with, and its source.

    Returns ``(text, source)``: the bold spans joined with `` … `` (source
    ``bold``), the first line (``first line``) or the whole answer
    (``answer``), as plain text without Markdown markup.
    """
    from quiz.render.obsidian import parse

    tokens = parse(answer)
    spans: list[str] = []
    for token in tokens:
        depth = 0
        span: list[str] = []
        for child in token.children or ():
            if child.type == "strong_open":
                depth += 1
            elif child.type == "strong_close" and depth:
                depth -= 1
                if not depth:
                    if "".join(span).strip():
                        spans.append(" ".join("".join(span).split()))
                    span = []
            elif depth:
                span.append(_text_of(child.type, child.content))
    if spans:
        return _display(" … ".join(spans)), "bold"
    blocks = [t for t in tokens if t.level == 0 and t.nesting != -1]
    first = blocks[0] if blocks else None
    if first is not None and first.type in ("paragraph_open", "heading_open"):
        inline = tokens[tokens.index(first) + 1]
        line: list[str] = []
        for child in inline.children or ():
            if child.type in ("softbreak", "hardbreak"):
                break
            line.append(_text_of(child.type, child.content))
        # The first line of a one-line answer is the whole answer.
        breaks = any(c.type in ("softbreak", "hardbreak") for c in inline.children or ())
        if len(blocks) > 1 or breaks:
            return _display("".join(line)), "first line"
    return _display(_plain(answer)), "answer"


def _text_of(kind: str, content: str) -> str:
    if kind in ("softbreak", "hardbreak"):
        return " "
    return content if kind in ("text", "code_inline", "math_inline", "embed") else ""


_MARKUP = re.compile(
    r"(\*\*|__|[*_`>#]|^[ \t]*(?:[-+*]|\d+[.)])\s+|\$|==|\[![\w-]+\][+-]?|^[ \t]*\[[ xX]\])",
    re.MULTILINE,
)


def _plain(text: str) -> str:
    # The whole answer without Markdown's marks (list markers, emphasis,
    # code ticks), for the words; code blocks keep their text.
    return _display(_MARKUP.sub(" ", text))


def _display(text: str) -> str:
    # [[target|alias]] reads as its alias, [[target]] as the target.
    text = links.replace(text, lambda link: link.alias if link.alias is not None else link.target)
    return " ".join(unicodedata.normalize("NFC", text).split())


def _words(text: str, most: int) -> list[str]:
    return _WORD.findall(unicodedata.normalize("NFC", text))[:most]


def _jamo(word: str) -> str:
    # NFD splits each Hangul syllable into its jamo, so one wrong vowel is a
    # small edit (one jamo of three), not a whole wrong character.
    return unicodedata.normalize("NFD", word.casefold())


@functools.lru_cache(maxsize=16)
def compare(typed: str, answer: str) -> Comparison | None:
    """The typed answer against the answer's key part; ``None`` when nothing was typed.

    Cached: the reveal shows it and the grade stores its similarity.
    """
    from rapidfuzz.distance import Levenshtein

    typed_words = _words(typed, MAX_TYPED_WORDS)
    if not typed_words:
        return None
    key, source = key_part(answer)
    key_words = _words(key, MAX_KEY_WORDS)
    if not key_words:
        return Comparison(key, source, tuple(Word(Match.EXTRA, typed=w) for w in typed_words), 0.0)
    kj = [_jamo(w) for w in key_words]
    tj = [_jamo(w) for w in typed_words]
    weight = [len(w) for w in kj]
    n, m = len(kj), len(tj)
    sim = [[Levenshtein.normalized_similarity(a, b) for b in tj] for a in kj]
    # Weighted alignment in order (the longest common subsequence, where a
    # pair counts by its key word's length times its similarity).
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        row, above, s = best[i], best[i - 1], sim[i - 1]
        for j in range(1, m + 1):
            value = max(above[j], row[j - 1])
            if s[j - 1] >= NEAR:
                value = max(value, above[j - 1] + weight[i - 1] * s[j - 1])
            row[j] = value
    steps: list[Word] = []
    i, j = n, m
    while i or j:
        if i and j and sim[i - 1][j - 1] >= NEAR:
            paired = best[i - 1][j - 1] + weight[i - 1] * sim[i - 1][j - 1]
            if abs(best[i][j] - paired) < 1e-9:
                score = sim[i - 1][j - 1]
                kind = Match.SAME if kj[i - 1] == tj[j - 1] else Match.NEAR
                steps.append(Word(kind, key_words[i - 1], typed_words[j - 1], score))
                i, j = i - 1, j - 1
                continue
        if j and (not i or best[i][j] == best[i][j - 1]):
            steps.append(Word(Match.EXTRA, typed=typed_words[j - 1]))
            j -= 1
        else:
            steps.append(Word(Match.MISSING, key=key_words[i - 1]))
            i -= 1
    steps.reverse()
    score = best[n][m] / sum(weight)
    return Comparison(key, source, tuple(steps), round(min(1.0, score), 3))


def similarity(typed: str, answer: str) -> float:
    """Score in [0, 1] of a typed answer against the answer's key part: 0
    when nothing was typed, 1 when every word of the key part was typed."""
    found = compare(typed, answer)
    return found.similarity if found is not None else 0.0


def diff_text(comparison: Comparison) -> str:
    """The word diff as plain text (``--plain``): a word typed right as it
    is, ``[-missing-]``, ``{+extra+}`` and ``[~typed→key~]`` for a near miss."""
    out = []
    for word in comparison.words:
        if word.match is Match.SAME:
            out.append(word.key)
        elif word.match is Match.NEAR:
            out.append(f"[~{word.typed}→{word.key}~]")
        elif word.match is Match.MISSING:
            out.append(f"[-{word.key}-]")
        else:
            out.append(f"{{+{word.typed}+}}")
    return " ".join(out)
