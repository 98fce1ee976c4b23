"""CJK-friendly emphasis: ``**용어(영어)**는`` is bold, as in Obsidian.

CommonMark decides whether a run of ``*`` or ``_`` (or ``~~``, ``==``) can
open or close emphasis from the characters on each side. A run between a
punctuation mark and a letter counts only when the letter side is
whitespace or punctuation, so ``**용어(영어)**는`` stays literal: the closing
``**`` follows ``)`` and precedes ``는``. English puts a space there; Korean
puts a particle. Obsidian (and the CommonMark "CJK-friendly" amendment that
markdown-it-cjk-friendly implements) also counts a CJK character on the
other side:

- left-flanking: not followed by whitespace, and either not followed by
  punctuation, or preceded by whitespace, punctuation *or a CJK character*;
- right-flanking: not preceded by whitespace, and either not preceded by
  punctuation, or followed by whitespace, punctuation *or a CJK character*.

Everything else is CommonMark's: ``2*3*4`` and ``**foo**bar`` read as
CommonMark reads them. A general-use variation selector after a CJK
character is looked through, as the amendment says.
"""

from __future__ import annotations

import unicodedata

from markdown_it import MarkdownIt
from markdown_it.common.utils import isMdAsciiPunct, isPunctChar, isWhiteSpace
from markdown_it.rules_inline.state_inline import Delimiter, Scanned, StateInline

#: Hangul jamo blocks whose East Asian Width is not W (medial and final jamo).
_HANGUL_JAMO = ((0x1100, 0x11FF), (0x3130, 0x318F), (0xA960, 0xA97F), (0xD7B0, 0xD7FF))


def is_cjk(ch: str) -> bool:
    """A CJK letter or CJK punctuation (wide), not an emoji or other symbol."""
    code = ord(ch)
    if any(lo <= code <= hi for lo, hi in _HANGUL_JAMO):
        return True
    if unicodedata.east_asian_width(ch) not in ("W", "F", "H"):
        return False
    # Emoji and other wide pictographs are symbols (So), not writing.
    return unicodedata.category(ch) != "So"


def _is_variation_selector(ch: str) -> bool:
    # VS1-VS15 and the ideographic variation selectors; VS16 (U+FE0F) asks
    # for emoji presentation, which is not a CJK letter.
    code = ord(ch)
    return 0xFE00 <= code <= 0xFE0E or 0xE0100 <= code <= 0xE01EF


def _is_punct(ch: str) -> bool:
    return isMdAsciiPunct(ord(ch)) or isPunctChar(ch)


def scan_delims(state: StateInline, start: int, can_split_word: bool) -> Scanned:
    """``StateInline.scanDelims`` with the CJK-friendly flanking rules."""
    src, maximum = state.src, state.posMax
    marker = src[start]
    pos = start
    while pos < maximum and src[pos] == marker:
        pos += 1
    count = pos - start

    # The start and end of the line count as whitespace.
    last = src[start - 1] if start > 0 else " "
    before = start - 1
    while before > 0 and _is_variation_selector(last):
        before -= 1
        last = src[before]
    after = src[pos] if pos < maximum else " "

    last_punct, next_punct = _is_punct(last), _is_punct(after)
    last_space, next_space = isWhiteSpace(ord(last)), isWhiteSpace(ord(after))

    left = not next_space and (not next_punct or last_space or last_punct or is_cjk(last))
    right = not last_space and (not last_punct or next_space or next_punct or is_cjk(after))

    can_open = left and (can_split_word or not right or last_punct)
    can_close = right and (can_split_word or not left or next_punct)
    return Scanned(can_open, can_close, count)


def _emphasis(state: StateInline, silent: bool) -> bool:
    """The ``emphasis`` rule of markdown-it, scanning with :func:`scan_delims`."""
    marker = state.src[state.pos]
    if silent or marker not in ("_", "*"):
        return False
    scanned = scan_delims(state, state.pos, marker == "*")
    for _ in range(scanned.length):
        token = state.push("text", "", 0)
        token.content = marker
        state.delimiters.append(
            Delimiter(
                marker=ord(marker),
                length=scanned.length,
                token=len(state.tokens) - 1,
                end=-1,
                open=scanned.can_open,
                close=scanned.can_close,
            )
        )
    state.pos += scanned.length
    return True


def cjk_emphasis_plugin(md: MarkdownIt) -> None:
    """Make ``*``/``_`` emphasis CJK-friendly (the pairing stays markdown-it's)."""
    md.inline.ruler.at("emphasis", _emphasis)
