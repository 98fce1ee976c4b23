"""The pure edit: new bytes for a note with only some values changed.

:func:`update_frontmatter` locates each field's value (``slots``), renders the
new one (``scalars``), splices it into the original bytes and verifies the
result by parsing old and new frontmatter again. It touches no file; the
package's :func:`~quiz.writeback.write_back` adds the disk.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping

import yaml

from quiz.notes.fields import Field, field_for_key
from quiz.notes.frontmatter import Parsed, Slot, describe, parse
from quiz.writeback.scalars import _render
from quiz.writeback.slots import (
    EditRefused,
    _content,
    _same,
    _span_matches,
    _Split,
    _split,
    _why_not_editable,
)

__all__ = ["EditRefused", "update_frontmatter"]


def _parse(text: str) -> Parsed:
    """The frontmatter parsed by the reader's parser, refused unless a mapping."""
    try:
        parsed = parse(text)
    except yaml.YAMLError as exc:  # not YAML, aliases over budget, a key given twice
        raise EditRefused(f"its {describe(exc)}") from None
    if parsed.data is not None and not isinstance(parsed.data, dict):
        raise EditRefused("its frontmatter is not a YAML mapping of keys to values")
    return parsed


def _mapping(parsed: Parsed) -> dict[object, object]:
    return parsed.data if isinstance(parsed.data, dict) else {}


def _verify(
    old: _Split,
    before: dict[object, object],
    new_raw: bytes,
    encoding: str,
    expected: Mapping[str, object],
) -> None:
    """Refuse unless ``new_raw`` differs from the old note exactly as intended.

    ``before`` is the old frontmatter as parsed already.
    """
    new = _split(new_raw, encoding)
    if new.bom != old.bom or new.close != old.close or new.tail != old.tail:
        raise EditRefused("the edit would have moved the end of the frontmatter")
    if new.lines[0] != old.lines[0]:
        raise EditRefused("the edit would have touched the opening '---' line")
    after = _mapping(_parse(new.frontmatter))
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
    parsed = _parse(text)  # refuses broken YAML before anything else
    before = _mapping(parsed)
    block = parsed.block

    found: dict[Field, list[Slot]] = {}
    for slot in parsed.slots:
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
    _verify(split, before, new_raw, encoding, expected)
    return new_raw
