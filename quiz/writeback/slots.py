"""Where the frontmatter is, and where each value sits in it.

The edit never re-serialises YAML; it splices bytes into the note. This module
finds what to splice: it cuts the note into BOM, lines and frontmatter (the
delimiter lines as the reader finds them, ``frontmatter.OPEN_LINE`` and
``CLOSE_LINE``), and judges each top-level value's span, which the one
frontmatter parser (``quiz.notes.frontmatter.parse``) gives with the values.

It is the bottom of the package, so it also holds what every other module
shares: :class:`EditRefused` and :func:`_same`, the strict equality every
read-back check uses. ``scalars`` and ``edit`` import from here; this module
imports from neither.
"""

from __future__ import annotations

import codecs
import math
import re
from dataclasses import dataclass

import yaml

from quiz.notes.frontmatter import CLOSE_LINE, OPEN_LINE, Slot, parse

#: What the package's other modules import from here (not a public API).
__all__ = [
    "EditRefused",
    "_Split",
    "_content",
    "_same",
    "_span_matches",
    "_split",
    "_why_not_editable",
]


_UTF8_BOM = codecs.BOM_UTF8


class EditRefused(ValueError):
    """:func:`update_frontmatter` cannot change the text safely.

    Attributes:
        reason: A sentence for the learner saying why (no file name; the caller
            knows which note it is).
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# --------------------------------------------------------------------------- splitting


@dataclass(frozen=True)
class _Split:
    """A note cut into the parts the edit must keep apart."""

    codec: str  # codec of everything after the BOM
    bom: bytes
    lines: list[bytes]  # every line of the note after the BOM, with its line ending
    texts: list[str]  # the same lines decoded
    close: int  # index in ``lines`` of the closing ``---``/``...``; 0 if no frontmatter

    @property
    def has_frontmatter(self) -> bool:
        return self.close > 0

    @property
    def frontmatter(self) -> str:
        """The text between the delimiter lines, line endings included."""
        return "".join(self.texts[1 : self.close])

    @property
    def tail(self) -> bytes:
        """Every byte from the closing delimiter line on."""
        return b"".join(self.lines[self.close :]) if self.has_frontmatter else b""


def _content(line: str) -> str:
    """A line without its LF or CRLF ending."""
    if line.endswith("\n"):
        line = line[:-1]
        if line.endswith("\r"):
            line = line[:-1]
    return line


def _split(raw: bytes, encoding: str) -> _Split:
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        raise EditRefused(f"unknown text encoding {encoding!r}") from None
    bom = b""
    codec = name
    if name in ("utf-8", "utf-8-sig"):
        # Keep the BOM as bytes of its own so it is written back only if it was there:
        # encoding with "utf-8-sig" would add one to a file that had none.
        codec = "utf-8"
        if raw.startswith(_UTF8_BOM):
            bom = _UTF8_BOM
    # Lines are cut on the byte b"\n", which is only sound for codecs in which
    # ASCII is ASCII (UTF-8, CP949/EUC-KR): there b"\n" is never inside a character.
    probe = "---\r\n:#'\" ."
    try:
        ascii_safe = probe.encode(codec) == probe.encode("ascii")
    except UnicodeError:
        ascii_safe = False
    if not ascii_safe:
        raise EditRefused(f"cannot edit text in the {encoding} encoding safely")
    body = raw[len(bom) :]
    # Not bytes.splitlines: it also cuts on a lone b"\r", b"\x0b", b"\x1c" ...;
    # a line here is exactly what ends in LF or CRLF (or the end of the file).
    lines = [seg for seg in re.split(b"(?<=\n)", body) if seg]
    try:
        texts = [seg.decode(codec) for seg in lines]
    except UnicodeDecodeError as exc:
        raise EditRefused(f"the text is not valid {encoding}: {exc.reason}") from None
    close = 0
    if texts and OPEN_LINE.fullmatch(_content(texts[0])):
        for i in range(1, len(texts)):
            if CLOSE_LINE.fullmatch(_content(texts[i])):
                close = i
                break
        else:
            raise EditRefused("the frontmatter has no closing '---' line")
    return _Split(codec=codec, bom=bom, lines=lines, texts=texts, close=close)


# --------------------------------------------------------------------------- locating


def _span_matches(text: str, slot: Slot) -> bool:
    """Whether ``text[slot.start:slot.end]`` really is the value the parser saw."""
    span = text[slot.start : slot.end]
    if slot.style is None:
        if not span:
            return text[slot.start - 1 : slot.start] == ":"
        return span == slot.value
    if len(span) < 2 or span[0] != slot.style or span[-1] != slot.style:
        return False
    try:
        return _same(parse(span).data, slot.value)
    except yaml.YAMLError:
        return False


def _why_not_editable(slot: Slot) -> str | None:
    """Why the value of ``slot`` cannot be replaced in place, or None if it can."""
    where = f"the value of {slot.key!r}"
    if slot.kind == "alias":
        return f"{where} is an alias (*name)"
    if slot.kind == "collection":
        return f"{where} is a list or mapping, not a single value"
    if slot.properties:
        return f"{where} carries an anchor or a tag"
    if slot.style not in (None, "'", '"'):
        return f"{where} is a block scalar ({slot.style})"
    if slot.key_column != 0 or not slot.key_single_line:
        return f"the key {slot.key!r} is not a simple 'key: value' line"
    if slot.value_line != slot.key_line or slot.value_end_line != slot.key_line:
        return f"{where} is not on the key's line alone"
    return None


# --------------------------------------------------------------------------- verifying


def _same(a: object, b: object) -> bool:
    """Equal values of the same type (True is not 1, a datetime is not a date).

    Linear in the values' distinct nodes: an explicit stack (a list nested
    600 deep broke the recursion limit), and a pair of collections compared
    once is not compared again, so values that share nodes through YAML
    aliases cost what they hold, not what they expand to.
    """
    compared: set[tuple[int, int]] = set()
    stack: list[tuple[object, object]] = [(a, b)]
    while stack:
        x, y = stack.pop()
        if type(x) is not type(y):
            return False
        if isinstance(x, dict | list):
            pair = (id(x), id(y))
            if pair in compared:
                continue
            compared.add(pair)
            if isinstance(x, dict) and isinstance(y, dict):
                if x.keys() != y.keys():
                    return False
                stack.extend((x[k], y[k]) for k in x)
            elif isinstance(x, list) and isinstance(y, list):
                if len(x) != len(y):
                    return False
                stack.extend(zip(x, y, strict=True))
        elif isinstance(x, float) and isinstance(y, float) and math.isnan(x) and math.isnan(y):
            continue
        elif x != y:
            return False
    return True
