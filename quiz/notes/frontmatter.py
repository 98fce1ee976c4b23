"""Find and parse a note's YAML frontmatter: the one parser of the package.

``parse`` reads a frontmatter once and gives both its values and where each
top-level value sits (``Slot``: line and character span). The reader takes
the values; write-back takes the spans to splice new values into the bytes
and parses its result again with the same function to verify it. Which lines
open and close the block (``OPEN_LINE``, ``CLOSE_LINE``) is decided here too,
so a note the reader finds frontmatter in is one write-back can edit.

Note text is untrusted, and YAML can make a few hundred bytes stand for
billions of values: an alias (``*a``) repeats the whole node it names, so
``[*a, *a]`` nested 30 levels deep is a list of 2**30 leaves to anything that
walks it (``str()``, ``==``). PyYAML builds each node once and shares it, so
loading is quick; it is every use afterwards that never ends. ``Loader``
therefore measures what the aliases expand to before building anything and
refuses a frontmatter over budget, or one that contains itself. It also
refuses a key given twice, which plain YAML silently reads as the last one:
which one the learner meant is not ours to guess.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

import yaml
from yaml.nodes import CollectionNode, MappingNode, Node, ScalarNode

from quiz.notes.fields import Field, field_for_key

try:  # The C loader is several times faster; fall back where it isn't built.
    from yaml import CSafeLoader as _Base
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeLoader as _Base  # type: ignore[assignment]

#: Nodes that aliases may add to a frontmatter by repeating what they name.
ALIAS_NODES = 1_000
#: Characters of scalar text that aliases may add the same way.
ALIAS_CHARS = 100_000
_MERGE_TAG = "tag:yaml.org,2002:merge"
_HUGE = 1 << 62


class FrontmatterLimit(yaml.YAMLError):
    """A frontmatter that parses but is refused; ``str()`` says why."""

    def __init__(self, problem: str, mark: yaml.Mark | None = None) -> None:
        super().__init__(problem)
        self.problem = problem
        self.problem_mark = mark


def _children(node: Node) -> list[Node]:
    if isinstance(node, MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, CollectionNode):
        return list(node.value)
    return []


def check_aliases(root: Node) -> None:
    """Refuse a node graph whose aliases expand past the budget or loop.

    Time is linear in the distinct nodes: each node's expanded size (nodes
    and characters) is computed once, after its children, by an explicit
    stack (no recursion limit to hit); sizes saturate at ``_HUGE`` so the
    sums stay machine-sized however far the aliases double.
    """
    sizes: dict[int, tuple[int, int]] = {}
    path: set[int] = set()  # nodes being measured: the ancestors of the current one
    distinct_nodes = distinct_chars = 0
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        own = len(node.value) if isinstance(node, ScalarNode) else 0
        if children_done:
            nodes, chars = 1, own
            for child in _children(node):
                n, c = sizes[id(child)]
                nodes, chars = min(nodes + n, _HUGE), min(chars + c, _HUGE)
            sizes[key] = (nodes, chars)
            path.discard(key)
            continue
        if key in sizes:
            continue
        if key in path:
            raise FrontmatterLimit("frontmatter refers to itself through a YAML alias")
        path.add(key)
        distinct_nodes += 1
        distinct_chars += own
        stack.append((node, True))
        stack.extend((child, False) for child in _children(node) if id(child) not in sizes)
    nodes, chars = sizes.get(id(root), (0, 0))
    if nodes - distinct_nodes > ALIAS_NODES or chars - distinct_chars > ALIAS_CHARS:
        raise FrontmatterLimit(
            f"frontmatter uses YAML aliases beyond {ALIAS_NODES:,} nodes "
            f"or {ALIAS_CHARS:,} characters"
        )


class Loader(_Base):
    """The safe loader (C where built), with aliases bounded and duplicate keys refused.

    The write-back's verification parses with it too, so a note the reader
    refuses is never re-read there at the unbounded cost. Both checks cost
    next to nothing on an ordinary frontmatter: the node graph is measured
    only when the text has a ``*`` (no alias without one), and a mapping's
    keys are looked at only when it came out with fewer keys than pairs.
    """

    def __init__(self, stream: str | bytes) -> None:
        super().__init__(stream)
        self._may_alias = not isinstance(stream, str) or "*" in stream

    def get_single_node(self) -> Node | None:
        node = super().get_single_node()
        if node is not None and self._may_alias:
            check_aliases(node)
        return node

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
        pairs = list(node.value) if isinstance(node, MappingNode) else []
        mapping = super().construct_mapping(node, deep=deep)
        if len(mapping) < len(node.value):  # a key repeated, or one merged in with <<
            _refuse_repeated_keys(self, pairs)
        return mapping


def _refuse_repeated_keys(loader: Loader, pairs: list[tuple[Node, Node]]) -> None:
    """Raise for a key written twice (keys merged in with ``<<`` may be overridden)."""
    first: dict[Any, Node] = {}
    for key_node, _ in pairs:
        if key_node.tag == _MERGE_TAG:
            continue
        key = loader.construct_object(key_node, deep=True)  # built already: a lookup
        try:
            earlier = first.setdefault(key, key_node)
        except TypeError:  # pragma: no cover - the constructor refused it already
            continue
        if earlier is not key_node:
            a, b = earlier.start_mark.line + 2, key_node.start_mark.line + 2
            lines = f"line {a}" if a == b else f"lines {a} and {b}"
            raise FrontmatterLimit(
                f"frontmatter gives the key {str(key)[:80]!r} more than once ({lines})",
                key_node.start_mark,
            )


#: A line (without its line ending) that opens a frontmatter block: three
#: dashes, blanks after them allowed (``--- `` is how some editors save it).
OPEN_LINE = re.compile(r"---[ \t]*")
#: A line that closes it: three dashes or three dots, blanks allowed after.
CLOSE_LINE = re.compile(r"(?:---|\.\.\.)[ \t]*")
_OPEN = re.compile(OPEN_LINE.pattern + r"\r?\n")
_CLOSE = re.compile("^" + CLOSE_LINE.pattern + r"\r?$", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class Slot:
    """Where one top-level key's value sits in the frontmatter text.

    Lines are 0-based within the frontmatter text (the line after the
    opening ``---``); ``start``/``end`` are character offsets in it.
    """

    key: str
    key_line: int
    key_column: int
    key_single_line: bool
    kind: str  # "scalar", "collection" or "alias"
    start: int = 0
    end: int = 0
    style: str | None = None  # None (plain), "'", '"', "|" or ">"
    properties: bool = False  # written with an anchor (&name) or a tag (!tag)
    value: str = ""
    value_line: int = -1
    value_end_line: int = -1


@dataclass(frozen=True)
class Parsed:
    """A frontmatter text parsed once: its values and its top-level spans.

    Attributes:
        data: what the YAML says (``None`` for an empty text; it may be a
            list or a scalar, which callers refuse as frontmatter).
        block: the root is a block mapping (not a ``{...}`` flow mapping).
    """

    data: Any
    block: bool
    text: str = field(repr=False)
    _pairs: tuple[tuple[Node, Node], ...] = field(repr=False, default=())

    @cached_property
    def slots(self) -> list[Slot]:
        """One ``Slot`` per top-level key written as a single scalar.

        A complex key (a mapping or list used as a key) names no field and
        is left out; keys merged in with ``<<`` are not written at the top
        level and are left out too.
        """
        found: list[Slot] = []
        for key, value in self._pairs:
            if not isinstance(key, ScalarNode) or key.tag == _MERGE_TAG:
                continue
            slot = Slot(
                key=key.value,
                key_line=key.start_mark.line,
                key_column=key.start_mark.column,
                key_single_line=key.start_mark.line == key.end_mark.line,
                kind="collection",
            )
            if value.start_mark.index < key.end_mark.index:
                # The node was written before its key: an alias (*name) of it.
                found.append(replace(slot, kind="alias"))
                continue
            if isinstance(value, ScalarNode):
                start, end = value.start_mark, value.end_mark
                slot = replace(
                    slot,
                    kind="scalar",
                    start=start.index,
                    end=end.index,
                    style=value.style or None,  # libyaml spells plain "", PyYAML None
                    # A node's marks take in its anchor and tag.
                    properties=self.text[start.index : start.index + 1] in ("&", "!"),
                    value=value.value,
                    value_line=start.line,
                    value_end_line=end.line,
                )
            found.append(slot)
        return found


def parse(text: str) -> Parsed:
    """Parse a frontmatter text (between the delimiter lines) once.

    Raises ``FrontmatterLimit`` for a frontmatter refused (aliases over
    budget, a key given twice) and ``yaml.YAMLError`` for one that is not YAML.
    """
    loader = Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return Parsed(None, True, text)
        # Before construction: a ``<<`` merge rewrites the mapping's pairs.
        pairs = tuple(node.value) if isinstance(node, MappingNode) else ()
        block = isinstance(node, MappingNode) and not node.flow_style
        data = loader.construct_document(node)
    finally:
        loader.dispose()
    return Parsed(data, block, text, pairs)


def describe(exc: yaml.YAMLError, first_line: int = 2) -> str:
    """Why a frontmatter was refused, for the learner: ``frontmatter is ...``.

    ``first_line`` is the note's line number of the frontmatter's first line.
    """
    if isinstance(exc, FrontmatterLimit):
        return exc.problem
    mark = getattr(exc, "problem_mark", None)
    where = f" at line {mark.line + first_line}" if mark is not None else ""
    reason = getattr(exc, "problem", None) or (str(exc).splitlines() or [repr(exc)])[0]
    return f"frontmatter is not valid YAML{where}: {reason}"


@dataclass(frozen=True, slots=True)
class Frontmatter:
    """The frontmatter of one note.

    Attributes:
        data: the parsed mapping; empty when absent or broken.
        ok: ``False`` when a block exists but could not be used.
        problem: why it could not be used, phrased for the learner.
        body: the text after the block.
        body_line: 0-based line number in the file where ``body`` starts.
        parsed: the parse (values and spans); ``None`` when there was none.
    """

    data: dict[str, Any]
    ok: bool
    problem: str
    body: str
    body_line: int
    parsed: Parsed | None = None

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
        parsed = parse(source)
    except yaml.YAMLError as exc:
        return Frontmatter({}, False, describe(exc), body, body_line)
    data = parsed.data
    if data is None:
        return Frontmatter({}, True, "", body, body_line, parsed)
    if not isinstance(data, dict):
        kind = type(data).__name__
        return Frontmatter(
            {}, False, f"frontmatter is a {kind}, not key: value pairs", body, body_line
        )
    named = {str(k): v for k, v in data.items()}
    if len(named) < len(data):  # 1 and "1", say: two keys, one name
        counts = Counter(str(k) for k in data)
        twice = next(n for n, c in counts.items() if c > 1)
        return Frontmatter(
            {}, False, f"frontmatter gives the key {twice[:80]!r} more than once", body, body_line
        )
    return Frontmatter(named, True, "", body, body_line, parsed)
