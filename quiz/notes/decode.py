"""Turn a note's bytes into text: UTF-8 (BOM or not), CP949, mojibake repair."""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from quiz.notes import mojibake

_BOM = b"\xef\xbb\xbf"


class UndecodableError(ValueError):
    """The bytes are not a text note we can read; the message says why."""


@dataclass(frozen=True, slots=True)
class Decoded:
    """Decoded note text.

    Attributes:
        text: the text, BOM removed, line endings as in the file.
        encoding: ``utf-8``, ``utf-8-sig`` (had a BOM), ``cp949``, or
            ``utf-16`` (with a BOM), ``utf-16-le``, ``utf-16-be``.
        repair: set when the text was mojibake and was repaired in memory.
    """

    text: str
    encoding: str
    repair: mojibake.Repair | None = None


def _utf16(raw: bytes) -> str | None:
    """The UTF-16 codec ``raw`` looks written in, or ``None``.

    A byte order mark says so; without one, text in UTF-16 has a NUL as
    every other byte wherever it is ASCII (line ends, Markdown, spaces), on
    the odd positions in little-endian and the even ones in big-endian,
    while a binary file's NULs fall on both.
    """
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    head = raw[:8192]
    if len(head) < 2 or len(head) % 2:
        return None
    even, odd = head[0::2].count(0), head[1::2].count(0)
    # Some characters have a NUL low byte too (U+AC00 '가'), so "mostly on
    # one side", and a strict decode by the caller must then succeed.
    enough = max(1, len(head) // 40)  # one character in twenty is ASCII
    if odd >= enough and odd >= 3 * even:
        return "utf-16-le"
    if even >= enough and even >= 3 * odd:
        return "utf-16-be"
    return None


def decode(raw: bytes) -> Decoded:
    """Decode a note, trying UTF-8 first, then CP949 (Korean Windows).

    UTF-16 (Windows Notepad's "Unicode") is read too when it looks like it.
    """
    wide = _utf16(raw)
    if wide is not None:
        try:
            # The "utf-16" codec reads and drops the byte order mark.
            return Decoded(raw.decode(wide), wide)
        except UnicodeDecodeError as exc:
            if wide == "utf-16" or b"\x00" not in raw[:8192]:
                raise UndecodableError(
                    f"starts like UTF-16 text but does not decode as it "
                    f"({exc.reason} at offset {exc.start})"
                ) from None
    if b"\x00" in raw[:8192]:
        raise UndecodableError("binary file (contains NUL bytes), not a Markdown note")
    encoding = "utf-8-sig" if raw.startswith(_BOM) else "utf-8"
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError:
        # Report where UTF-8 broke (in the file, BOM counted): CP949's
        # complaint below is about a later byte or a different reading.
        skip = len(_BOM) if encoding == "utf-8-sig" else 0
        try:
            raw[skip:].decode("utf-8")
        except UnicodeDecodeError as exc:
            where = exc.start + skip
            utf8_problem = f"invalid UTF-8 byte 0x{raw[where]:02x} at offset {where}"
    else:
        if mojibake.may_be_mojibake(raw) and mojibake.looks_like_mojibake(text):
            try:
                repair = mojibake.repair(text)
            except (OSError, ValueError) as exc:  # e.g. the syllable table is missing
                raise UndecodableError(
                    f"looks like mojibake (UTF-8 read as Windows-1252) but could not be "
                    f"repaired: {exc}"
                ) from None
            if repair is not None:
                return Decoded(repair.text, encoding, repair)
        return Decoded(text, encoding)
    try:
        return Decoded(raw.decode("cp949"), "cp949")
    except UnicodeDecodeError:
        raise UndecodableError(f"not UTF-8 and not CP949/EUC-KR ({utf8_problem})") from None
