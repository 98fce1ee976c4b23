"""Find and parse a note's YAML frontmatter (safe loader, never fatal)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

from quiz.notes.fields import Field, field_for_key

try:  # The C loader is several times faster; fall back where it isn't built.
    _Loader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on the PyYAML build
    _Loader = yaml.SafeLoader

_OPEN = re.compile(r"---[ \t]*\r?\n")
_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*\r?$", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class Frontmatter:
    """The frontmatter of one note.

    Attributes:
        data: the parsed mapping; empty when absent or broken.
        ok: ``False`` when a block exists but could not be used.
        problem: why it could not be used, phrased for the learner.
        body: the text after the block.
        body_line: 0-based line number in the file where ``body`` starts.
    """

    data: dict[str, Any]
    ok: bool
    problem: str
    body: str
    body_line: int

    @property
    def fields(self) -> dict[Field, object]:
        """Values by meaning; the first key wins when two mean the same."""
        found: dict[Field, object] = {}
        for key, value in self.data.items():
            meaning = field_for_key(key)
            if meaning is not None and meaning not in found:
                found[meaning] = value
        return found


def split(text: str) -> Frontmatter:
    """Split ``text`` (BOM already removed) into frontmatter and body."""
    opening = _OPEN.match(text)
    if opening is None:
        return Frontmatter({}, True, "", text, 0)
    closing = _CLOSE.search(text, opening.end())
    if closing is None:
        return Frontmatter({}, False, "the frontmatter block is never closed with ---", text, 0)
    source = text[opening.end() : closing.start()]
    end = closing.end()
    if text.startswith("\r\n", end):
        end += 2
    elif text.startswith("\n", end):
        end += 1
    body_line = text.count("\n", 0, end)
    body = text[end:]
    try:
        data = yaml.load(source, Loader=_Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 2}" if mark is not None else ""
        reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        return Frontmatter(
            {}, False, f"frontmatter is not valid YAML{where}: {reason}", body, body_line
        )
    if data is None:
        return Frontmatter({}, True, "", body, body_line)
    if not isinstance(data, dict):
        kind = type(data).__name__
        return Frontmatter(
            {}, False, f"frontmatter is a {kind}, not key: value pairs", body, body_line
        )
    return Frontmatter({str(k): v for k, v in data.items()}, True, "", body, body_line)
