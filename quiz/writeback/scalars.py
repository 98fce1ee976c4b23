"""Spelling a new value in the style of the value it replaces.

A flag keeps ``yes``/``On``/``TRUE`` spelling, a quoted value keeps its quotes,
and a plain string YAML would misread (``yes``, ``#x``, ``0.8``) is
double-quoted. Each rendering also says what YAML must read back, which the
edit then proves.
"""

from __future__ import annotations

import datetime as dt
import math
import re

import yaml

from quiz.notes.frontmatter import Slot, parse
from quiz.writeback.slots import _same

#: What the package's other modules import from here (not a public API).
__all__ = ["_render"]

#: Characters YAML allows in a stream (YAML 1.1 "printable"); anything else
#: must be escaped inside double quotes.
_NON_PRINTABLE = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)
#: YAML 1.1 line breaks besides LF: a value holding one would not stay on its line.
_LINE_BREAKS = frozenset("\r\n\x85\u2028\u2029")
#: A plain scalar starting with one of these is an indicator or reads as
#: something else (a sequence entry, a negative number, a directive ...).
_PLAIN_BAD_START = frozenset("-?:,[]{}#&*!|>'\"%@`~= \t")
_ESCAPES = {
    "\\": "\\\\",
    '"': '\\"',
    "\0": "\\0",
    "\a": "\\a",
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\v": "\\v",
    "\f": "\\f",
    "\r": "\\r",
    "\x1b": "\\e",
    "\x85": "\\N",
    "\u2028": "\\L",
    "\u2029": "\\P",
    "\ufeff": "\\uFEFF",
}
#: Spellings of YAML 1.1 booleans as (true, false) pairs; a flag keeps the
#: family and letter case the learner used.
_BOOL_FAMILIES = (("true", "false"), ("yes", "no"), ("on", "off"))


# --------------------------------------------------------------------------- rendering


def _plain_ok(text: str) -> bool:
    """Whether ``text`` can be written unquoted and read back as the same string."""
    if not text or text[0] in _PLAIN_BAD_START or text[-1] in " \t:":
        return False
    if ": " in text or " #" in text or "\t" in text or _NON_PRINTABLE.search(text):
        return False
    if any(ch in _LINE_BREAKS for ch in text):
        return False
    try:
        loaded = parse(f"k: {text}\n").data
    except yaml.YAMLError:
        return False
    # Catches what YAML 1.1 would read as another type: yes, 1:20, 0x1F, ~, 2024-01-01 ...
    return isinstance(loaded, dict) and _same(loaded.get("k"), text)


def _double_quoted(text: str) -> str:
    out = ['"']
    for ch in text:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif _NON_PRINTABLE.match(ch):
            code = ord(ch)
            if code <= 0xFF:
                out.append(f"\\x{code:02X}")
            elif code <= 0xFFFF:
                out.append(f"\\u{code:04X}")
            else:
                out.append(f"\\U{code:08X}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def _single_quoted(text: str) -> str:
    if _NON_PRINTABLE.search(text) or any(ch in _LINE_BREAKS or ch in "\t\ufeff" for ch in text):
        # Single quotes have no escapes: keep the meaning, give up the style.
        return _double_quoted(text)
    return "'" + text.replace("'", "''") + "'"


def _bool_text(flag: bool, old: str) -> str:
    """``true``/``false`` in the spelling family and letter case of ``old``."""
    for family in _BOOL_FAMILIES:
        if old.lower() in family:
            word = family[0] if flag else family[1]
            if old.isupper():
                return word.upper()
            if old[:1].isupper():
                return word.capitalize()
            return word
    return "true" if flag else "false"


def _float_text(number: float) -> str:
    if math.isnan(number):
        return ".nan"
    if math.isinf(number):
        return ".inf" if number > 0 else "-.inf"
    text = str(number)
    # YAML 1.1 reads 1e+20 as a string; it needs a dot in the mantissa.
    if "e" in text and "." not in text:
        text = text.replace("e", ".0e", 1)
    return text


def _as_text(value: object, old: str) -> str:
    """The natural text of a Python value as YAML would spell it."""
    if isinstance(value, bool):
        return _bool_text(value, old)
    if isinstance(value, str):
        return value
    if isinstance(value, dt.datetime):
        raise TypeError("write a datetime.date, not a datetime, to a frontmatter field")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _float_text(value)
    raise TypeError(f"cannot write a {type(value).__name__} to a frontmatter field")


def _canonical(value: object) -> object:
    """The built-in type YAML reads back (an IntEnum comes back as an int ...)."""
    if isinstance(value, bool):
        return bool(value)
    if isinstance(value, str):
        return str(value)
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return dt.date(value.year, value.month, value.day)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    return value


def _render(value: object, slot: Slot) -> tuple[str, object]:
    """Return (text to put in the value span, what YAML must read back)."""
    value = _canonical(value)
    text = _as_text(value, slot.value)
    if slot.style == '"':
        return _double_quoted(text), text
    if slot.style == "'":
        return _single_quoted(text), text
    if isinstance(value, str):
        if _plain_ok(value):
            return value, value
        # A plain string that YAML would misread (yes, #x, 0.8 ...) is quoted
        # rather than written with another meaning.
        return _double_quoted(value), value
    return text, value
