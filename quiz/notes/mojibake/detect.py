"""Finding mojibake: cp1252 characters back to their bytes, the bytes split
into decodable text and gaps (with each gap's candidates), and the cheap tests
that tell a mangled note from a clean one. See :mod:`quiz.notes.mojibake`."""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

#: Bytes the export dropped: undefined in cp1252, plus 0xAD (soft hyphen).
DROPPED_BYTES: tuple[int, ...] = (0x81, 0x8D, 0x8F, 0x90, 0x9D, 0xAD)


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


def to_bytes(text: str) -> bytes:
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
class Gap:
    raw: bytes  # the short sequence as it arrived
    missing: int  # how many bytes were dropped from it
    candidates: tuple[str, ...]  # characters it may have been


Piece = str | Gap


def split_pieces(data: bytes) -> Iterator[Piece]:
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
                        yield Gap(seq, 0, ())
        elif kind == "short":
            missing = _sequence_length(raw[0]) - len(raw)
            yield Gap(raw, missing, _candidates(raw))
        else:
            yield Gap(raw, 0, ())  # undecodable: stays U+FFFD


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
    for m in _PIECES.finditer(to_bytes(text)):
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
