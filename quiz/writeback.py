"""The only code that writes to a learner's note.

The learner's notes are sacred (SPEC, "Write-back"): after a session only the
*values* of frontmatter fields that already exist change, and every other byte
of the file -- BOM, line endings, trailing spaces, quoting, comments, key order,
keys we do not understand -- stays exactly as it was.

So this module never re-serialises YAML. It locates each value's exact span in
the original text with PyYAML's event parser (whose marks are character
offsets), splices the new value's bytes into the original bytes, and then
proves the result: old and new frontmatter are parsed again and must agree on
every key except the updated ones, which must read back as the intended values.
Anything it cannot edit with certainty (block scalars, flow collections,
anchors, tags, a field given twice, a codec that cannot hold the new value) is
refused rather than guessed at.

:func:`update_frontmatter` is the pure edit; :func:`write_back` adds the disk:
a check that the file did not change since it was read, and an atomic replace.
"""

from __future__ import annotations

import bisect
import codecs
import datetime as dt
import hashlib
import math
import os
import re
import stat
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import suppress
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Protocol

import yaml

from quiz.notes.fields import Field, field_for_key

__all__ = ["EditRefused", "WriteRefused", "update_frontmatter", "write_back"]

try:  # libyaml is much faster; the pure-Python loader reads the same YAML 1.1.
    from yaml import CSafeLoader as _VerifyLoader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _VerifyLoader  # type: ignore[assignment]

_UTF8_BOM = codecs.BOM_UTF8
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


class EditRefused(ValueError):
    """:func:`update_frontmatter` cannot change the text safely.

    Attributes:
        reason: A sentence for the learner saying why (no file name; the caller
            knows which note it is).
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class WriteRefused(Exception):
    """A note was not written; the file on disk is exactly as it was.

    ``str()`` gives ``"<path>: <reason>."``, for the caller to put after its
    own "Not written:".

    Attributes:
        path: The note that was not written.
        reason: Why, as a phrase such as ``"it changed on disk since it was read"``.
    """

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}.")
        self.path = path
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
    if texts and _content(texts[0]) == "---":
        for i in range(1, len(texts)):
            if _content(texts[i]) in ("---", "..."):
                close = i
                break
        else:
            raise EditRefused("the frontmatter has no closing '---' line")
    return _Split(codec=codec, bom=bom, lines=lines, texts=texts, close=close)


# --------------------------------------------------------------------------- locating


@dataclass(frozen=True)
class _Slot:
    """Where one top-level key's value sits in the frontmatter text."""

    key: str
    key_line: int  # PyYAML's line number of the key
    key_column: int
    key_single_line: bool
    kind: str  # "scalar", "collection" or "alias"
    start: int = 0  # character offsets of the value in the frontmatter text
    end: int = 0
    style: str | None = None  # None (plain), "'", '"', "|" or ">"
    anchor: str | None = None
    tag: str | None = None
    value: str = ""
    value_line: int = -1
    value_end_line: int = -1


def _skip_node(events: Iterator[yaml.Event], first: yaml.Event) -> None:
    """Consume the events of a node that started with ``first``."""
    depth = 1 if isinstance(first, yaml.CollectionStartEvent) else 0
    while depth:
        event = next(events)
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


class _Mark(Protocol):
    """What we read of a PyYAML mark (pure-Python and libyaml marks alike)."""

    index: int
    line: int
    column: int


def _marks(event: yaml.Event) -> tuple[_Mark, _Mark]:
    """Start and end mark of an event (the parser always sets both)."""
    start, end = event.start_mark, event.end_mark
    if start is None or end is None:  # pragma: no cover - PyYAML's parser sets them
        raise EditRefused("the YAML parser gave no positions")
    return start, end


def _slots(text: str) -> tuple[bool, list[_Slot]]:
    """Return (root is a block mapping, one slot per top-level scalar key).

    Both PyYAML's parser and libyaml give marks as character offsets into
    ``text``; :func:`_span_matches` re-checks that before a span is used.
    The same loader as the verification parses, so a note libyaml accepts
    (say, a tab after a colon) is not refused by the stricter pure-Python scanner.
    """
    events = iter(yaml.parse(text, Loader=_VerifyLoader))
    slots: list[_Slot] = []
    root: yaml.Event | None = None
    for event in events:
        if isinstance(event, yaml.StreamStartEvent | yaml.DocumentStartEvent):
            continue
        root = event
        break
    if not isinstance(root, yaml.MappingStartEvent):
        return False, slots
    block = not root.flow_style
    while True:
        key = next(events)
        if isinstance(key, yaml.MappingEndEvent):
            break
        value = next(events)
        if not isinstance(key, yaml.ScalarEvent):
            # A complex key (a mapping or list used as a key) names no field of ours.
            _skip_node(events, key)
            _skip_node(events, value)
            continue
        key_start, key_end = _marks(key)
        slot = _Slot(
            key=key.value,
            key_line=key_start.line,
            key_column=key_start.column,
            key_single_line=key_start.line == key_end.line,
            kind="alias" if isinstance(value, yaml.AliasEvent) else "collection",
        )
        if isinstance(value, yaml.ScalarEvent):
            start, end = _marks(value)
            slot = replace(
                slot,
                kind="scalar",
                start=start.index,
                end=end.index,
                style=value.style or None,  # libyaml spells plain "", PyYAML None
                anchor=value.anchor,
                tag=value.tag,
                value=value.value,
                value_line=start.line,
                value_end_line=end.line,
            )
        else:
            _skip_node(events, value)
        slots.append(slot)
    return block, slots


def _span_matches(text: str, slot: _Slot) -> bool:
    """Whether ``text[slot.start:slot.end]`` really is the value the parser saw."""
    span = text[slot.start : slot.end]
    if slot.style is None:
        if not span:
            return text[slot.start - 1 : slot.start] == ":"
        return span == slot.value
    if len(span) < 2 or span[0] != slot.style or span[-1] != slot.style:
        return False
    try:
        return _same(yaml.load(span, Loader=_VerifyLoader), slot.value)
    except yaml.YAMLError:
        return False


def _why_not_editable(slot: _Slot) -> str | None:
    """Why the value of ``slot`` cannot be replaced in place, or None if it can."""
    where = f"the value of {slot.key!r}"
    if slot.kind == "alias":
        return f"{where} is an alias (*name)"
    if slot.kind == "collection":
        return f"{where} is a list or mapping, not a single value"
    if slot.anchor is not None or slot.tag is not None:
        return f"{where} carries an anchor or a tag"
    if slot.style not in (None, "'", '"'):
        return f"{where} is a block scalar ({slot.style})"
    if slot.key_column != 0 or not slot.key_single_line:
        return f"the key {slot.key!r} is not a simple 'key: value' line"
    if slot.value_line != slot.key_line or slot.value_end_line != slot.key_line:
        return f"{where} is not on the key's line alone"
    return None


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
        loaded = yaml.load(f"k: {text}\n", Loader=_VerifyLoader)
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


def _render(value: object, slot: _Slot) -> tuple[str, object]:
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


# --------------------------------------------------------------------------- verifying


def _same(a: object, b: object) -> bool:
    """Equal values of the same type (True is not 1, a datetime is not a date)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return a == b


def _yaml_problem(exc: yaml.YAMLError) -> str:
    """A one-line reason naming the note's line (the frontmatter starts on line 2)."""
    if isinstance(exc, yaml.MarkedYAMLError) and exc.problem:
        where = f" on line {exc.problem_mark.line + 2}" if exc.problem_mark else ""
        return f"its frontmatter is not valid YAML: {exc.problem}{where}"
    return f"its frontmatter is not valid YAML: {str(exc).splitlines()[0] if str(exc) else exc!r}"


def _load_mapping(text: str) -> dict[object, object]:
    try:
        data = yaml.load(text, Loader=_VerifyLoader)
    except yaml.YAMLError as exc:
        raise EditRefused(_yaml_problem(exc)) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise EditRefused("its frontmatter is not a YAML mapping of keys to values")
    return data


def _verify(
    old: _Split,
    new_raw: bytes,
    encoding: str,
    expected: Mapping[str, object],
) -> None:
    """Refuse unless ``new_raw`` differs from the old note exactly as intended."""
    new = _split(new_raw, encoding)
    if new.bom != old.bom or new.close != old.close or new.tail != old.tail:
        raise EditRefused("the edit would have moved the end of the frontmatter")
    if new.lines[0] != old.lines[0]:
        raise EditRefused("the edit would have touched the opening '---' line")
    before = _load_mapping(old.frontmatter)
    after = _load_mapping(new.frontmatter)
    if before.keys() != after.keys():
        raise EditRefused("the edit would have changed which keys the frontmatter has")
    for key, old_value in before.items():
        want = expected[key] if isinstance(key, str) and key in expected else old_value
        if not _same(after[key], want):
            raise EditRefused(f"the edit would not have read back as intended for {key!r}")


# --------------------------------------------------------------------------- the edit


def update_frontmatter(raw: bytes, encoding: str, updates: Mapping[Field, object]) -> bytes:
    """Return ``raw`` with only the values of the named fields changed.

    Fields absent from the frontmatter are skipped (never added), and so is a
    field whose value already reads as the new one, so an unchanged note comes
    back byte for byte. ``encoding`` is the codec the note was read with
    (``"utf-8"``, ``"utf-8-sig"``, ``"cp949"``); a BOM stays if it was there.

    Values may be ``bool``, ``str``, ``datetime.date`` (written ``YYYY-MM-DD``),
    ``int`` or ``float``. A value keeps its quoting style; a plain string YAML
    would misread (``yes``, ``#x``, ``0.8`` meant as text ...) is double-quoted.

    Raises:
        EditRefused: The frontmatter is not a YAML mapping, a field to update is
            given twice or is not a single-line scalar, the new value cannot be
            encoded in ``encoding``, or the result failed verification.
        TypeError: A value of an unsupported type was given.
    """
    split = _split(raw, encoding)
    if not split.has_frontmatter:
        return raw
    text = split.frontmatter
    if any("\r" in _content(line) for line in split.texts[1 : split.close]):
        # A lone CR is a line break to YAML but not to us: spans would not line up.
        raise EditRefused("its frontmatter has a line ending in a lone carriage return")
    before = _load_mapping(text)  # refuses broken YAML before anything else
    try:
        block, slots = _slots(text)
    except yaml.YAMLError as exc:
        raise EditRefused(_yaml_problem(exc)) from None

    found: dict[Field, list[_Slot]] = {}
    for slot in slots:
        field = field_for_key(slot.key)
        if field is not None and field in updates:
            found.setdefault(field, []).append(slot)

    # Offsets of each frontmatter line within ``text``, to map spans to lines.
    starts: list[int] = []
    offset = 0
    for line in split.texts[1 : split.close]:
        starts.append(offset)
        offset += len(line)

    new_lines = list(split.lines)
    expected: dict[str, object] = {}
    edited_lines: set[int] = set()
    for field, occurrences in found.items():
        if len(occurrences) > 1:
            keys = ", ".join(repr(s.key) for s in occurrences)
            raise EditRefused(f"the field {field.value} is given more than once ({keys})")
        slot = occurrences[0]
        if not block:
            raise EditRefused(
                "its frontmatter is a {...} flow mapping; only block mappings are edited"
            )
        reason = _why_not_editable(slot)
        if reason is not None:
            raise EditRefused(reason)
        if not _span_matches(text, slot):
            raise EditRefused(f"could not locate the value of {slot.key!r} exactly")
        new_text, want = _render(updates[field], slot)
        if _same(before.get(slot.key), want):
            continue  # already says this; leave the bytes alone
        expected[slot.key] = want

        index = bisect.bisect_right(starts, slot.start) - 1
        line_text = split.texts[1 + index]
        line_bytes = split.lines[1 + index]
        begin = slot.start - starts[index]
        finish = slot.end - starts[index]
        if finish > len(_content(line_text)) or index in edited_lines:
            raise EditRefused(f"the value of {slot.key!r} is not on a line of its own")
        if begin == finish:
            # An empty value is an insertion right after the colon. Reuse the first
            # blank there when a blank still follows it (or nothing does), so
            # "key: " becomes "key: value" and "key:   # note" keeps a blank
            # before its comment; otherwise bring our own: "key: value # note".
            rest = _content(line_text)[begin:]
            blanks = len(rest) - len(rest.lstrip(" \t"))
            if blanks >= 2 or (blanks == 1 and len(rest) == 1):
                begin = finish = begin + 1
            else:
                new_text = " " + new_text
        try:
            value_bytes = new_text.encode(split.codec)
        except UnicodeEncodeError:
            raise EditRefused(
                f"the new value of {slot.key!r} cannot be written in the {encoding} encoding"
            ) from None
        if line_text.encode(split.codec) != line_bytes:
            raise EditRefused(f"the line of {slot.key!r} does not round-trip in {encoding}")
        cut_begin = len(line_text[:begin].encode(split.codec))
        cut_end = len(line_text[:finish].encode(split.codec))
        new_lines[1 + index] = line_bytes[:cut_begin] + value_bytes + line_bytes[cut_end:]
        edited_lines.add(index)

    if not expected:
        return raw
    new_raw = split.bom + b"".join(new_lines)
    _verify(split, new_raw, encoding, expected)
    return new_raw


# --------------------------------------------------------------------------- the disk


def _digest(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def _unchanged_on_disk(path: Path, original: bytes) -> bool:
    """Whether ``path`` still holds exactly ``original`` (size, then hash)."""
    if path.stat().st_size != len(original):
        return False
    return _digest(path.read_bytes()) == _digest(original)


def _fsync_dir(folder: Path) -> None:
    """Make the rename durable; best effort where folders cannot be opened (Windows)."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        with suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)


def write_back(
    path: Path,
    original: bytes,
    encoding: str,
    updates: Mapping[Field, object],
    *,
    repaired: bool = False,
) -> bool:
    """Atomically write the updated note; return False when nothing changed.

    ``original`` is the exact content the note was read with and ``encoding``
    the codec it was decoded with. The new content is written to a temporary
    file in the note's folder, fsynced, given the note's permission bits, and
    renamed over the note, but only if the note still holds ``original``.

    Raises:
        WriteRefused: The note was mojibake-repaired, changed on disk or was
            deleted since it was read, its frontmatter could not be edited
            safely (see :func:`update_frontmatter`), it or its folder is not
            writable, or writing failed. The note is then byte-identical.
        TypeError: A value of an unsupported type was given.
    """
    if repaired:
        raise WriteRefused(
            path, "its text was repaired from a garbled export; it is only rewritten on request"
        )
    # Replace the file a symlink points at, not the link itself.
    target = Path(os.path.realpath(path))
    try:
        unchanged = _unchanged_on_disk(target, original)
    except FileNotFoundError:
        raise WriteRefused(path, "it was deleted since it was read") from None
    except OSError as exc:
        raise WriteRefused(path, f"it could not be read again ({exc.strerror})") from None
    if not unchanged:
        raise WriteRefused(path, "it changed on disk since it was read")
    try:
        new = update_frontmatter(original, encoding, updates)
    except EditRefused as exc:
        raise WriteRefused(path, exc.reason) from None
    if new == original:
        return False

    info = target.stat()
    if not stat.S_ISREG(info.st_mode):
        raise WriteRefused(path, "it is not a regular file")
    # The owner's write bit, not os.access alone: as root os.access says yes to
    # a read-only file, and os.replace would overwrite it anyway.
    if not info.st_mode & stat.S_IWUSR or not os.access(target, os.W_OK):
        raise WriteRefused(path, "it is read-only")
    _replace_atomically(path, target, original, new, info)
    return True


def _replace_atomically(
    path: Path, target: Path, original: bytes, new: bytes, info: os.stat_result
) -> None:
    folder = target.parent
    try:
        # A dot name without .md: neither Obsidian nor a vault scan takes it for a note.
        fd, tmp_name = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise WriteRefused(path, f"its folder is not writable ({exc.strerror})") from None
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(new)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, stat.S_IMODE(info.st_mode))
        if hasattr(os, "chown"):
            # Keep owner and group when we may (root, or a group we belong to).
            with suppress(OSError):
                os.chown(tmp, info.st_uid, info.st_gid)
        # Last look just before the rename: an editor may have saved meanwhile.
        try:
            unchanged = _unchanged_on_disk(target, original)
        except FileNotFoundError:
            raise WriteRefused(path, "it was deleted since it was read") from None
        if not unchanged:
            raise WriteRefused(path, "it changed on disk since it was read")
        os.replace(tmp, target)
    except OSError as exc:
        with suppress(OSError):
            tmp.unlink()
        raise WriteRefused(path, f"writing failed ({exc.strerror or exc})") from None
    except BaseException:
        with suppress(OSError):
            tmp.unlink()
        raise
    _fsync_dir(folder)
