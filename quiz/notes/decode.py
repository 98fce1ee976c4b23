"""Turn a note's bytes into text: UTF-8 (BOM or not), CP949, mojibake repair."""

from __future__ import annotations

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
        encoding: ``utf-8``, ``utf-8-sig`` (had a BOM) or ``cp949``.
        repair: set when the text was mojibake and was repaired in memory.
    """

    text: str
    encoding: str
    repair: mojibake.Repair | None = None


def decode(raw: bytes) -> Decoded:
    """Decode a note, trying UTF-8 first, then CP949 (Korean Windows)."""
    if b"\x00" in raw[:8192]:
        raise UndecodableError("binary file (contains NUL bytes), not a Markdown note")
    encoding = "utf-8-sig" if raw.startswith(_BOM) else "utf-8"
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError:
        pass
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
    except UnicodeDecodeError as exc:
        raise UndecodableError(
            f"not UTF-8 and not CP949/EUC-KR (bad byte 0x{raw[exc.start]:02x} "
            f"at offset {exc.start})"
        ) from None
