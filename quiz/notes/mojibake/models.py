"""What decides a gap: priors for symbols and emoji, the Hangul syllable
bigram model (with KS X 1001 as a prior) and the optional Kiwi analyser,
both loaded once and shared. See :mod:`quiz.notes.mojibake`."""

from __future__ import annotations

import functools
import gzip
import importlib.resources
import importlib.util
import json
import math
import threading
import unicodedata
from typing import Any

#: What an undecided gap shows.
REPLACEMENT = "\ufffd"


# --------------------------------------------------------------------------
# Priors for characters that are not Hangul syllables

# BMP code points with the Unicode Emoji property (emoji-data.txt), as ranges.
# Everything in U+1F000..U+1FAFF counts as emoji too.
_BMP_EMOJI: tuple[tuple[int, int], ...] = (
    (0x00A9, 0x00A9), (0x00AE, 0x00AE), (0x203C, 0x203C), (0x2049, 0x2049),
    (0x2122, 0x2122), (0x2139, 0x2139), (0x2194, 0x2199), (0x21A9, 0x21AA),
    (0x231A, 0x231B), (0x2328, 0x2328), (0x23CF, 0x23CF), (0x23E9, 0x23F3),
    (0x23F8, 0x23FA), (0x24C2, 0x24C2), (0x25AA, 0x25AB), (0x25B6, 0x25B6),
    (0x25C0, 0x25C0), (0x25FB, 0x25FE), (0x2600, 0x2604), (0x260E, 0x260E),
    (0x2611, 0x2611), (0x2614, 0x2615), (0x2618, 0x2618), (0x261D, 0x261D),
    (0x2620, 0x2620), (0x2622, 0x2623), (0x2626, 0x2626), (0x262A, 0x262A),
    (0x262E, 0x262F), (0x2638, 0x263A), (0x2640, 0x2640), (0x2642, 0x2642),
    (0x2648, 0x2653), (0x265F, 0x2660), (0x2663, 0x2663), (0x2665, 0x2666),
    (0x2668, 0x2668), (0x267B, 0x267B), (0x267E, 0x267F), (0x2692, 0x2697),
    (0x2699, 0x2699), (0x269B, 0x269C), (0x26A0, 0x26A1), (0x26A7, 0x26A7),
    (0x26AA, 0x26AB), (0x26B0, 0x26B1), (0x26BD, 0x26BE), (0x26C4, 0x26C5),
    (0x26C8, 0x26C8), (0x26CE, 0x26CF), (0x26D1, 0x26D1), (0x26D3, 0x26D4),
    (0x26E9, 0x26EA), (0x26F0, 0x26F5), (0x26F7, 0x26FA), (0x26FD, 0x26FD),
    (0x2702, 0x2702), (0x2705, 0x2705), (0x2708, 0x270D), (0x270F, 0x270F),
    (0x2712, 0x2712), (0x2714, 0x2714), (0x2716, 0x2716), (0x271D, 0x271D),
    (0x2721, 0x2721), (0x2728, 0x2728), (0x2733, 0x2734), (0x2744, 0x2744),
    (0x2747, 0x2747), (0x274C, 0x274C), (0x274E, 0x274E), (0x2753, 0x2755),
    (0x2757, 0x2757), (0x2763, 0x2764), (0x2795, 0x2797), (0x27A1, 0x27A1),
    (0x27B0, 0x27B0), (0x27BF, 0x27BF), (0x2934, 0x2935), (0x2B05, 0x2B07),
    (0x2B1B, 0x2B1C), (0x2B50, 0x2B50), (0x2B55, 0x2B55), (0x3030, 0x3030),
    (0x303D, 0x303D), (0x3297, 0x3297), (0x3299, 0x3299),
)  # fmt: skip


def _is_emoji(cp: int) -> bool:
    if 0x1F000 <= cp <= 0x1FAFF:
        return True
    return any(lo <= cp <= hi for lo, hi in _BMP_EMOJI)


# (first, last, log prior) for characters that are not emoji: how likely a
# study note is to contain a character of that block at all. Unlisted: -9.
_BLOCK_PRIOR: tuple[tuple[int, int, float], ...] = (
    (0x00A0, 0x00FF, -3.0),  # Latin-1 letters and signs
    (0x0100, 0x024F, -5.0),  # Latin Extended-A/B
    (0x0370, 0x03FF, -4.0),  # Greek
    (0x0400, 0x045F, -4.0),  # Cyrillic (basic)
    (0x2000, 0x206F, -4.0),  # General Punctuation (common ones below)
    (0x20A0, 0x20CF, -4.0),  # currency signs
    (0x2100, 0x214F, -5.0),  # letterlike symbols
    (0x2150, 0x218F, -5.0),  # number forms
    (0x2190, 0x21FF, -4.0),  # arrows
    (0x2200, 0x22FF, -5.0),  # mathematical operators
    (0x2300, 0x23FF, -7.0),  # miscellaneous technical (APL, ...)
    (0x2460, 0x24FF, -4.0),  # enclosed alphanumerics
    (0x2500, 0x257F, -6.0),  # box drawing
    (0x2580, 0x25FF, -4.0),  # block elements, geometric shapes
    (0x2600, 0x26FF, -3.0),  # miscellaneous symbols
    (0x2700, 0x27BF, -3.0),  # dingbats
    (0x27C0, 0x2BFF, -6.0),  # math symbols, supplemental arrows, misc symbols
    (0x3000, 0x303F, -3.0),  # CJK symbols and punctuation
    (0x3040, 0x30FF, -3.0),  # kana
    (0x3130, 0x318F, -3.0),  # Hangul compatibility jamo (ㅋㅋ, ㅠㅠ)
    (0x3200, 0x33FF, -5.0),  # enclosed CJK, CJK compatibility (㎏)
    (0x4E00, 0x9FFF, -4.0),  # CJK unified ideographs (hanja)
    (0xFF00, 0xFFEF, -4.0),  # fullwidth forms
)
# Punctuation a note really uses, among General Punctuation. Not U+2010/2011:
# people type "-", and U+2010 (E2 80 90) would otherwise tie with ” (E2 80 9D).
_COMMON_PUNCTUATION = frozenset("–—―‘’‚“”„†‡•‥…‰′″‹›※‼⁉")
_ZWJ = "\u200d"
_VS16 = "\ufe0f"
# Emoji blocks where text-style pictographs live; elsewhere an emoji is rarer.
_CORE_EMOJI_BLOCKS = ((0x2600, 0x27BF), (0x1F300, 0x1FAFF))


def _is_pictograph(ch: str | None) -> bool:
    if ch is None or ch == REPLACEMENT:
        return False
    return _is_emoji(ord(ch)) or unicodedata.category(ch) == "So"


def symbol_prior(ch: str, before: str | None, after: str | None) -> float:
    """Log prior of a non-Hangul candidate ``ch`` between ``before`` and ``after``."""
    cp = ord(ch)
    if ch in (_VS16, _ZWJ):
        # Emoji glue: right after a pictograph (and, for ZWJ, before one).
        ok = _is_pictograph(before) and (ch == _VS16 or _is_pictograph(after))
        return -0.5 if ok else -12.0
    if _is_emoji(cp):
        core = any(lo <= cp <= hi for lo, hi in _CORE_EMOJI_BLOCKS)
        return 0.0 if core else -0.5
    cat = unicodedata.category(ch)
    if cat.startswith(("C", "M")) or cat in ("Zl", "Zp"):
        return -10.0  # format characters, combining marks, odd spaces
    if cat == "Zs":
        return -8.0
    if ch in _COMMON_PUNCTUATION:
        return -1.0
    prior = next((p for lo, hi, p in _BLOCK_PRIOR if lo <= cp <= hi), -9.0)
    # A letter among letters of its own script (and case) is more likely.
    if (
        cat.startswith("L")
        and before is not None
        and before.isalpha()
        and _script_block(before) == _script_block(ch)
    ):
        prior += 1.5 if before.islower() != ch.islower() else 2.5
    return prior


def _script_block(ch: str) -> int:
    """A coarse script key: the start of the block-prior range, or -1."""
    cp = ord(ch)
    if cp < 0x250:
        return 0  # ASCII, Latin-1 and Latin Extended letters are one script
    return next((lo for lo, hi, _ in _BLOCK_PRIOR if lo <= cp <= hi), -1)


# --------------------------------------------------------------------------
# Hangul: KS X 1001 prior and the syllable model


def is_hangul(ch: str) -> bool:
    return "\uac00" <= ch <= "\ud7a3"


@functools.cache
def is_common_syllable(ch: str) -> bool:
    """KS X 1001 (EUC-KR) has the 2,350 syllables that ordinary text uses."""
    try:
        ch.encode("euc-kr")
    except UnicodeEncodeError:
        return False
    return True


RARE_SYLLABLE = -4.0  # log prior for a syllable outside KS X 1001


def boundary_class(ch: str | None) -> str:
    """Which boundary class the character next to a Hangul run belongs to."""
    if ch is None or ch.isspace():
        return "space"
    if ch.isdigit():
        return "digit"
    if unicodedata.category(ch).startswith("L"):
        return "letter"
    return "other"


class SyllableModel:
    """Witten-Bell smoothed syllable bigrams with word-boundary markers."""

    _SYLLABLES = 11172

    def __init__(self, data: dict[str, Any]) -> None:
        self.left: dict[str, str] = data["left"]
        self.right: dict[str, str] = data["right"]
        self.unigram: dict[str, int] = data["unigram"]
        self.bigram: dict[str, int] = data["bigram"]
        markers = set(self.left.values()) | set(self.right.values())
        self.total = sum(n for s, n in self.unigram.items() if s not in markers)
        # Witten-Bell needs the number of distinct followers of each context.
        types: dict[str, int] = {}
        for pair in self.bigram:
            types[pair[0]] = types.get(pair[0], 0) + 1
        self.types = types
        self._memo: dict[tuple[str, str], float] = {}

    def unigram_logp(self, ch: str) -> float:
        count = self.unigram.get(ch, 0)
        if not is_hangul(ch):  # a right-boundary marker
            return math.log(max(count, 1) / self.total)
        p = (count + 0.5) / (self.total + 0.5 * self._SYLLABLES)
        return math.log(p) + (0.0 if is_common_syllable(ch) else RARE_SYLLABLE)

    def logp(self, prev: str, ch: str) -> float:
        """log P(ch | prev), Witten-Bell interpolated with the unigram."""
        key = (prev, ch)
        cached = self._memo.get(key)
        if cached is not None:
            return cached
        backoff = math.exp(self.unigram_logp(ch))
        context = self.unigram.get(prev, 0)
        if context == 0:
            result = math.log(backoff)
        else:
            t = self.types.get(prev, 1)
            result = math.log((self.bigram.get(prev + ch, 0) + t * backoff) / (context + t))
        if len(self._memo) < 200_000:  # bounded: a vault scan reuses one model
            self._memo[key] = result
        return result


_SYLLABLE_LOCK = threading.Lock()
_KIWI_LOCK = threading.Lock()
_SYLLABLE_MODEL: SyllableModel | None = None
_KIWI: Any = None


def syllable_model() -> SyllableModel:
    global _SYLLABLE_MODEL
    with _SYLLABLE_LOCK:
        if _SYLLABLE_MODEL is None:
            resource = importlib.resources.files("quiz.notes.data") / "hangul_syllables.json.gz"
            data = json.loads(gzip.decompress(resource.read_bytes()))
            _SYLLABLE_MODEL = SyllableModel(data)
        return _SYLLABLE_MODEL


def load_kiwi() -> Any | None:
    """The shared Kiwi analyser, or None when kiwipiepy is not installed.

    Imported lazily (it is an optional dependency, and loading its model takes
    about three seconds); only a successful load is cached, so a later install or
    a test that blocks the import sees the truth.
    """
    global _KIWI
    with _KIWI_LOCK:
        if _KIWI is None:
            try:
                from kiwipiepy import Kiwi
            except ImportError:
                return None
            try:
                kiwi = Kiwi()
                # The first analysis loads the rest of the model (~2 s): pay
                # it here, once, rather than inside the first repair.
                kiwi.analyze("준비")
            except Exception:  # e.g. model files missing: the fallback is fine
                return None
            _KIWI = kiwi
        return _KIWI


def kiwi_available() -> bool:
    """Whether :func:`load_kiwi` would (probably) succeed, without loading it."""
    if _KIWI is not None:
        return True
    try:
        return importlib.util.find_spec("kiwipiepy") is not None
    except (ImportError, ValueError):
        return False
