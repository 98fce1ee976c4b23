"""Detect and repair mojibake: UTF-8 read as Windows-1252, with dropped bytes.

What happened to the text
-------------------------
An export read UTF-8 bytes as Windows-1252 (cp1252) and wrote the characters
it got back out as UTF-8: ``한`` (ED 95 9C) became ``í•œ``. Five byte values
have no cp1252 character (0x81 0x8D 0x8F 0x90 0x9D) and 0xAD became a soft
hyphen; the exporter dropped all six. In UTF-8 they can only be
*continuation* bytes, so each loss leaves a multi-byte sequence one (rarely
two) bytes short: ``이`` (EC 9D B4) arrives as ``ì´``. Lead bytes are never
lost, so every gap is visible and sits inside one known character.

How it is undone
----------------
1. Detection (:func:`looks_like_mojibake`) must be cheap, because it runs on
   every note of a vault: one precompiled regex looks for a cp1252 "lead byte"
   letter (``Ã``, ``ì``, ``í``, ``ð`` …) followed by a "continuation byte"
   character (``€``, ``•``, ``´`` …). Clean text almost never has such a pair,
   so it is rejected right there. Only on a hit is the text mapped back to
   bytes, and it must then be made mostly of complete UTF-8 multi-byte
   sequences (``café—`` or CP949 bytes read as cp1252 are not).
2. Every character is mapped back to its cp1252 byte (the five undefined
   bytes, should they survive, to their own code point). That gives the
   original bytes minus the dropped ones; complete sequences decode as is.
   Characters cp1252 cannot produce were never mangled and keep their UTF-8.
3. Each short sequence is a *gap*. Its candidates are all the ways to put the
   missing byte(s) back (which slot x which of the six bytes) that decode to an
   assigned, printable character: usually 12 for a Hangul syllable, of which
   2-7 are syllables anyone writes (``에``/``역``/``읗``).
4. Context decides.

   * Gaps in symbols and emoji (``❕`` = E2 9D 95, ``❤``, ``✏`` …) are
     decided by a prior: emoji first, then common symbol and punctuation
     blocks; never controls; a variation selector or ZWJ only next to emoji.
   * Hangul gaps are decided per run of Hangul (a word, or the part of it
     after ``Lambda``), all the gaps of a run jointly, since many words have
     two or more (``동일``: 동 EB 8F 99 and 일 EC 9D BC). Two scorers:

     - ``"kiwi"``: Kiwi's morphological analyser (kiwipiepy, optional) scores
       the line around the run with each candidate spelling; the score of the
       best analysis is a log-probability under Kiwi's language model, so
       particles, endings and word choice all count. The syllable model's
       score is added (a product of experts: Kiwi alone prefers a frequent
       word to the right rarer one, 스탭 to 스택), and a spelling that leaves
       an unknown word where a known one was possible pays a penalty.
     - ``"syllable"``: a Hangul syllable bigram model with word-boundary
       classes (pure Python; table in ``data/hangul_syllables.json.gz``, built
       by ``data/build_syllable_model.py`` from Kiwi's dictionaries and its
       language model), searched with a beam over the run (exact for runs
       of a few gaps), with KS X 1001 (the 2,350 common syllables) as a prior.

   When the best candidates tie, nothing decides the gap: it is left as
   U+FFFD and counted as unresolved rather than guessed.
"""

from __future__ import annotations

import functools
import gzip
import importlib.resources
import importlib.util
import itertools
import json
import math
import re
import threading
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["DROPPED_BYTES", "Repair", "looks_like_mojibake", "repair"]

#: Bytes the export dropped: undefined in cp1252, plus 0xAD (soft hyphen).
DROPPED_BYTES: tuple[int, ...] = (0x81, 0x8D, 0x8F, 0x90, 0x9D, 0xAD)

_REPLACEMENT = "\ufffd"
_MODELS = ("kiwi", "syllable")


@dataclass(frozen=True)
class Repair:
    """The outcome of :func:`repair`."""

    text: str  # the repaired text
    filled: int  # gaps (dropped bytes) restored
    unresolved: int  # gaps that could not be decided (left as U+FFFD)
    model: str  # "kiwi" or "syllable": which model decided the gaps


# --------------------------------------------------------------------------
# cp1252 <-> bytes


def _cp1252_map() -> dict[int, int]:
    """Code point of each character cp1252 produces -> its byte."""
    table: dict[int, int] = {}
    for byte in range(256):
        try:
            ch = bytes([byte]).decode("cp1252")
        except UnicodeDecodeError:
            ch = chr(byte)  # undefined in cp1252: decoders that keep it keep U+0081 etc.
        table[ord(ch)] = byte
    return table


_CP1252 = _cp1252_map()
# str.translate table for the characters whose code point differs from their
# byte (the 27 in 0x80-0x9F such as € and •); the rest are Latin-1 already.
_TO_LATIN1 = {cp: chr(byte) for cp, byte in _CP1252.items() if cp != byte}
# Characters that cp1252 cannot have produced: in a partly mangled file they
# were never mangled, so they are carried over as their own UTF-8 bytes.
_FOREIGN = re.compile(
    "[^" + "".join(re.escape(chr(cp)) for cp in sorted(_CP1252)) + "]",
)

_LEADS = "".join(chr(b) for b in range(0xC2, 0xF5))  # Â .. ô
_CONTINUATIONS = "".join(
    re.escape(bytes([b]).decode("cp1252", errors="ignore") or chr(b)) for b in range(0x80, 0xC0)
)
#: A cp1252 lead-byte letter followed by a cp1252 continuation-byte character.
_TELLTALE = re.compile(f"[{_LEADS}][{_CONTINUATIONS}]")


def _to_bytes(text: str) -> bytes:
    """The bytes the mangled text was decoded from (minus the dropped ones)."""
    if _FOREIGN.search(text) is not None:
        text = _FOREIGN.sub(lambda m: m.group().encode("utf-8").decode("latin-1"), text)
    return text.translate(_TO_LATIN1).encode("latin-1")


# --------------------------------------------------------------------------
# Splitting the bytes into decodable text and gaps

# Runs of structurally complete UTF-8 | a lead byte with too few continuation
# bytes (a gap) | any other single byte (stray continuation, invalid lead).
_PIECES = re.compile(
    rb"(?P<ok>(?:[\x00-\x7f]|[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}"
    rb"|[\xf0-\xf4][\x80-\xbf]{3})+)"
    rb"|(?P<short>[\xc2-\xf4][\x80-\xbf]*)"
    rb"|(?P<bad>[\x00-\xff])"
)
_SEQUENCE = re.compile(
    rb"[\x00-\x7f]|[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
_LEAD_BYTE = re.compile(rb"[\xc2-\xf4]")


def _sequence_length(lead: int) -> int:
    return 2 if lead < 0xE0 else 3 if lead < 0xF0 else 4


@dataclass(frozen=True, slots=True)
class _Gap:
    raw: bytes  # the short sequence as it arrived
    missing: int  # how many bytes were dropped from it
    candidates: tuple[str, ...]  # characters it may have been


_Piece = str | _Gap


def _split(data: bytes) -> Iterator[_Piece]:
    for m in _PIECES.finditer(data):
        kind = m.lastgroup
        raw = m.group()
        if kind == "ok":
            try:
                yield raw.decode("utf-8")
            except UnicodeDecodeError:  # overlong forms, surrogates: rare
                for seq in _SEQUENCE.findall(raw):
                    try:
                        yield seq.decode("utf-8")
                    except UnicodeDecodeError:
                        yield _Gap(seq, 0, ())
        elif kind == "short":
            missing = _sequence_length(raw[0]) - len(raw)
            yield _Gap(raw, missing, _candidates(raw))
        else:
            yield _Gap(raw, 0, ())  # undecodable: stays U+FFFD


def _allowed(ch: str) -> bool:
    """Could a note contain this character? No controls, unassigned or private use."""
    cat = unicodedata.category(ch)
    if cat == "Cn":
        # The interpreter's Unicode database may predate the newest emoji.
        return 0x1F000 <= ord(ch) <= 0x1FAFF
    return cat not in ("Cc", "Cs", "Co")


@functools.lru_cache(maxsize=4096)
def _candidates(raw: bytes) -> tuple[str, ...]:
    """Every character the short sequence ``raw`` may have been, in byte order."""
    lead, present = raw[0], raw[1:]
    slots = _sequence_length(lead) - 1
    missing = slots - len(present)
    if not 1 <= missing <= 2:  # three lost bytes of one character: hopeless
        return ()
    found: dict[str, None] = {}
    for where in itertools.combinations(range(slots), missing):
        for fill in itertools.product(DROPPED_BYTES, repeat=missing):
            seq = bytearray(present)
            for slot, byte in zip(where, fill, strict=True):
                seq.insert(slot, byte)  # increasing slots: final positions
            try:
                ch = (bytes([lead]) + seq).decode("utf-8")
            except UnicodeDecodeError:
                continue
            if _allowed(ch):
                found[ch] = None
    return tuple(found)


# --------------------------------------------------------------------------
# Detection


def may_be_mojibake(raw: bytes) -> bool:
    """False when UTF-8 bytes cannot decode to mojibake: a cheap test first.

    Every telltale starts with a letter in U+00C2-U+00F4, encoded as 0xC3
    and one more byte; a clean Korean note has no 0xC3 byte at all, and
    ``bytes in`` finds that without decoding.
    """
    return b"\xc3" in raw


def looks_like_mojibake(text: str) -> bool:
    """True when ``text`` is UTF-8 that was read as cp1252 (possibly with dropped bytes).

    Costs one regex scan on clean text. On a hit, the text mapped back to bytes
    must consist mostly of complete UTF-8 multi-byte sequences: at least one,
    and at least twice as many as short or undecodable ones (a Korean note
    loses a byte in roughly one syllable out of ten).
    """
    if _TELLTALE.search(text) is None:
        return False
    if _FOREIGN.search(text) is not None and _foreign_share(text) > 0.5:
        return False  # mostly real non-Latin text with an odd pair in it
    complete = broken = 0
    for m in _PIECES.finditer(_to_bytes(text)):
        kind = m.lastgroup
        if kind == "ok":
            complete += len(_LEAD_BYTE.findall(m.group()))
        else:
            broken += 1
    return complete >= 1 and complete >= 2 * broken


def _foreign_share(text: str) -> float:
    """Share of non-ASCII characters that cp1252 could not have produced."""
    non_ascii = sum(1 for ch in text if ord(ch) > 0x7F)
    foreign = len(_FOREIGN.findall(text))
    return foreign / non_ascii if non_ascii else 0.0


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
    if ch is None or ch == _REPLACEMENT:
        return False
    return _is_emoji(ord(ch)) or unicodedata.category(ch) == "So"


def _symbol_prior(ch: str, before: str | None, after: str | None) -> float:
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


def _is_hangul(ch: str) -> bool:
    return "\uac00" <= ch <= "\ud7a3"


@functools.cache
def _is_common_syllable(ch: str) -> bool:
    """KS X 1001 (EUC-KR) has the 2,350 syllables that ordinary text uses."""
    try:
        ch.encode("euc-kr")
    except UnicodeEncodeError:
        return False
    return True


_RARE_SYLLABLE = -4.0  # log prior for a syllable outside KS X 1001
_TIE = 1e-6  # scores closer than this are a tie: nothing decides the gap


def _boundary_class(ch: str | None) -> str:
    """Which boundary class the character next to a Hangul run belongs to."""
    if ch is None or ch.isspace():
        return "space"
    if ch.isdigit():
        return "digit"
    if unicodedata.category(ch).startswith("L"):
        return "letter"
    return "other"


class _SyllableModel:
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
        if not _is_hangul(ch):  # a right-boundary marker
            return math.log(max(count, 1) / self.total)
        p = (count + 0.5) / (self.total + 0.5 * self._SYLLABLES)
        return math.log(p) + (0.0 if _is_common_syllable(ch) else _RARE_SYLLABLE)

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
_SYLLABLE_MODEL: _SyllableModel | None = None
_KIWI: Any = None


def _syllable_model() -> _SyllableModel:
    global _SYLLABLE_MODEL
    with _SYLLABLE_LOCK:
        if _SYLLABLE_MODEL is None:
            resource = importlib.resources.files("quiz.notes.data") / "hangul_syllables.json.gz"
            data = json.loads(gzip.decompress(resource.read_bytes()))
            _SYLLABLE_MODEL = _SyllableModel(data)
        return _SYLLABLE_MODEL


def _kiwi() -> Any | None:
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


def _kiwi_available() -> bool:
    """Whether :func:`_kiwi` would (probably) succeed, without loading it."""
    if _KIWI is not None:
        return True
    try:
        return importlib.util.find_spec("kiwipiepy") is not None
    except (ImportError, ValueError):
        return False


# --------------------------------------------------------------------------
# Repair


@dataclass(slots=True)
class _Slot:
    """One character of the output: fixed, or a gap still to decide."""

    gap: _Gap | None
    options: tuple[str, ...]  # the fixed character, or the gap's candidates
    choice: str  # current decision (U+FFFD when undecided)

    @property
    def hangul(self) -> bool:
        return bool(self.options) and _is_hangul(self.options[0])


def _slots(pieces: Sequence[_Piece]) -> list[_Slot]:
    slots: list[_Slot] = []
    for piece in pieces:
        if isinstance(piece, str):
            slots.extend(_Slot(None, (ch,), ch) for ch in piece)
            continue
        hangul = tuple(c for c in piece.candidates if _is_hangul(c))
        # A Hangul lead byte that could also be Yi or Latin Extended: in a
        # note it is Hangul whenever a Hangul reading exists.
        options = hangul or piece.candidates
        slots.append(_Slot(piece, options, _REPLACEMENT))
    return slots


def _char_at(slots: Sequence[_Slot], i: int) -> str | None:
    """The (current) character at ``i``; None off the ends."""
    return slots[i].choice if 0 <= i < len(slots) else None


def _decide_symbols(slots: list[_Slot]) -> None:
    """Non-Hangul gaps, one by one, by prior and immediate neighbours."""
    for i, slot in enumerate(slots):
        if slot.gap is None or slot.hangul or not slot.options:
            continue
        before, after = _char_at(slots, i - 1), _char_at(slots, i + 1)
        scored = sorted(
            ((_symbol_prior(c, before, after), c) for c in slot.options), key=lambda x: -x[0]
        )
        if len(scored) == 1 or scored[0][0] - scored[1][0] > _TIE:
            slot.choice = scored[0][1]


def _hangul_runs(slots: Sequence[_Slot]) -> Iterator[tuple[int, int]]:
    """(start, end) of each maximal run of Hangul slots that contains a gap."""
    i, n = 0, len(slots)
    while i < n:
        if not slots[i].hangul:
            i += 1
            continue
        j = i
        while j < n and slots[j].hangul:
            j += 1
        if any(s.gap is not None for s in slots[i:j]):
            yield i, j
        i = j


class _Run:
    """A run of Hangul with gaps, and the spellings worth scoring."""

    def __init__(self, slots: Sequence[_Slot], start: int, end: int, model: _SyllableModel):
        self.start, self.end = start, end
        self.left = model.left[_boundary_class(_char_at(slots, start - 1))]
        self.right = model.right[_boundary_class(_char_at(slots, end))]
        self.options = [s.options for s in slots[start:end]]
        self.gap_offsets = [k for k, s in enumerate(slots[start:end]) if s.gap is not None]

    def spellings(self, model: _SyllableModel, limit: int) -> list[tuple[str, float]]:
        """Up to ``limit`` spellings of the run, best syllable-model score first."""
        # Beam search over the gaps: exact for short runs, bounded for long ones.
        beam: list[tuple[float, str]] = [(0.0, "")]
        for k, opts in enumerate(self.options):
            prev_marker = self.left
            grown = []
            for score, text in beam:
                prev = text[-1] if text else prev_marker
                for ch in opts:
                    grown.append((score + model.logp(prev, ch), text + ch))
            grown.sort(key=lambda x: -x[0])
            beam = grown[: max(limit * 4, 64)] if k < len(self.options) - 1 else grown
        final = sorted(
            ((s + model.logp(t[-1], self.right), t) for s, t in beam), key=lambda x: -x[0]
        )
        return [(t, s) for s, t in final[:limit]]


def _ties(scored: Sequence[tuple[float, str]], run: _Run) -> set[int]:
    """Gap offsets whose character differs between spellings that tie for best."""
    best_score, best = scored[0]
    undecided: set[int] = set()
    for score, text in scored[1:]:
        if best_score - score > _TIE:
            break
        undecided.update(k for k in run.gap_offsets if text[k] != best[k])
    return undecided


def _apply(slots: list[_Slot], run: _Run, text: str, undecided: set[int]) -> None:
    for k in run.gap_offsets:
        slots[run.start + k].choice = _REPLACEMENT if k in undecided else text[k]


def _decide_syllable(slots: list[_Slot], runs: list[_Run], model: _SyllableModel) -> None:
    for run in runs:
        spellings = run.spellings(model, limit=8)
        scored = [(s, t) for t, s in spellings]
        _apply(slots, run, scored[0][1], _ties(scored, run))


_KIWI_SPELLINGS = 12  # at most this many spellings per run go to Kiwi ...
_KIWI_MARGIN = 15.0  # ... and only those within this many nats of the syllable model's best
_KIWI_WINDOW = 40  # about this many characters of context on each side of a run
_KIWI_OOV = 10.0  # log penalty when a gap ends up inside a word Kiwi does not know
_KIWI_PASSES = 3
_KIWI_SYLLABLE = 1.0  # weight of the syllable model's log-probability next to Kiwi's
# Markdown that is not language: list markers, headings, quotes, emphasis.
_MARKUP_PREFIX = re.compile(r"^\s*(?:(?:[-*+>]|#{1,6}|\d+[.)])\s+)+")
_MARKUP = re.compile(r"\*\*|__|`")


def _decide_kiwi(slots: list[_Slot], runs: list[_Run], model: _SyllableModel, kiwi: Any) -> None:
    """Let Kiwi re-decide every run in the context of its line.

    The syllable model decides first, so that every run sees plausible
    neighbours, and proposes the spellings worth scoring (on the seed note the
    right one is never more than 4 nats behind its best; the margin is 15).
    All runs are scored in one batch, which Kiwi spreads over its worker
    threads; a run is scored again only when a run in its context changed.
    """
    _decide_syllable(slots, runs, model)
    candidates = []
    for run in runs:
        spellings = run.spellings(model, limit=_KIWI_SPELLINGS)
        top = spellings[0][1]
        candidates.append([(t, s) for t, s in spellings if top - s <= _KIWI_MARGIN])
    dirty = [i for i, spellings in enumerate(candidates) if len(spellings) > 1]
    for _ in range(_KIWI_PASSES):
        if not dirty:
            break
        texts: list[str] = []
        jobs: list[tuple[int, int, int, int]] = []  # run, first text, gap lo, gap hi
        spans: dict[int, tuple[int, int]] = {}
        for i in dirty:
            run = runs[i]
            lo, hi, before, after = _context(slots, run.start, run.end)
            spans[i] = (lo, hi)
            jobs.append((i, len(texts), len(before), len(before) + run.end - run.start))
            texts.extend(before + text + after for text, _ in candidates[i])
        results = list(kiwi.analyze(texts, top_n=1))
        changed: list[_Run] = []
        for i, first, gap_lo, gap_hi in jobs:
            run = runs[i]
            ranked = [
                (_kiwi_score(run, text, syll, results[first + k][0], gap_lo, gap_hi), text)
                for k, (text, syll) in enumerate(candidates[i])
            ]
            ranked.sort(key=lambda x: -x[0])
            old = [slots[run.start + k].choice for k in run.gap_offsets]
            _apply(slots, run, ranked[0][1], _ties(ranked, run))
            if old != [slots[run.start + k].choice for k in run.gap_offsets]:
                changed.append(run)
        # Score again the runs whose context holds a run that just changed.
        dirty = [
            i
            for i in dirty
            if any(
                r is not runs[i] and r.start < spans[i][1] and spans[i][0] < r.end for r in changed
            )
        ]


def _overlaps(run: _Run, span: tuple[int, int]) -> bool:
    return run.start < span[1] and span[0] < run.end


def _kiwi_score(
    run: _Run, text: str, syllable_score: float, best: Any, gap_lo: int, gap_hi: int
) -> float:
    """Score of one spelling of ``run`` from Kiwi's best analysis of its line."""
    tokens, score = best
    # Kiwi's guess for an unknown word is cheap, often cheaper than a rare
    # word it knows (프로비저닐 beats 프로비저닝): a spelling that makes a
    # known word is the better evidence.
    unknown = sum(1 for t in tokens if t.oov and t.start < gap_hi and t.start + t.len > gap_lo)
    prior = sum(0.0 if _is_common_syllable(text[k]) else _RARE_SYLLABLE for k in run.gap_offsets)
    # A product of experts: Kiwi knows words and grammar, the syllable model
    # knows which syllables go together (스택 vs 스탭, where Kiwi alone picks
    # the more frequent word).
    return float(score) - _KIWI_OOV * unknown + prior + _KIWI_SYLLABLE * syllable_score


def _context(slots: Sequence[_Slot], start: int, end: int) -> tuple[int, int, str, str]:
    """Text around slots[start:end] for Kiwi: its line, cut at spaces, minus markup.

    Returns the slot span it covers and the text before and after the run.
    """
    # Stop at the first space past the window (whole words), or at three
    # windows in text without spaces.
    lo = start
    while lo > 0 and slots[lo - 1].choice != "\n" and start - lo < 3 * _KIWI_WINDOW:
        if start - lo >= _KIWI_WINDOW and slots[lo - 1].choice.isspace():
            break
        lo -= 1
    hi = end
    while hi < len(slots) and slots[hi].choice != "\n" and hi - end < 3 * _KIWI_WINDOW:
        if hi - end >= _KIWI_WINDOW and slots[hi].choice.isspace():
            break
        hi += 1
    before = "".join(s.choice for s in slots[lo:start])
    after = "".join(s.choice for s in slots[end:hi])
    if lo == 0 or slots[lo - 1].choice == "\n":
        before = _MARKUP_PREFIX.sub("", before)
    return lo, hi, _MARKUP.sub("", before), _MARKUP.sub("", after)


def repair(text: str, *, model: str | None = None) -> Repair | None:
    """Undo cp1252 mojibake in ``text``, restoring dropped bytes from context.

    None when the text is not mojibake. ``model=None`` uses Kiwi when kiwipiepy
    is importable, else the syllable model; ``model="kiwi"`` falls back to the
    syllable model the same way (``Repair.model`` says which one decided).
    """
    if model is not None and model not in _MODELS:
        raise ValueError(f"model must be one of {_MODELS} or None, not {model!r}")
    if not looks_like_mojibake(text):
        return None
    slots = _slots(list(_split(_to_bytes(text))))
    gaps = [s for s in slots if s.gap is not None]
    used = "syllable"
    if gaps:
        syllables = _syllable_model()
        _decide_symbols(slots)
        runs = [_Run(slots, i, j, syllables) for i, j in _hangul_runs(slots)]
        # Kiwi takes seconds to load: only when a Hangul gap needs it.
        kiwi = _kiwi() if runs and model != "syllable" else None
        if kiwi is not None:
            used = "kiwi"
            _decide_kiwi(slots, runs, syllables, kiwi)
        else:
            _decide_syllable(slots, runs, syllables)
            if not runs and model != "syllable" and _kiwi_available():
                used = "kiwi"  # nothing to decide: report what would have been used
    filled = unresolved = 0
    for slot in gaps:
        assert slot.gap is not None
        if slot.choice != _REPLACEMENT:
            filled += slot.gap.missing
        else:  # an undecided gap, or a byte that was never UTF-8 (missing 0)
            unresolved += max(slot.gap.missing, 1)
    return Repair("".join(s.choice for s in slots), filled, unresolved, used)
