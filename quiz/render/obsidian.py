"""The markdown-it-py parser for notes, with Obsidian's additions.

CommonMark (with tables and ``~~strike~~``, as Rich's ``Markdown`` has) plus:

- CJK-friendly emphasis (:mod:`quiz.render.cjk`), also for ``~~`` and ``==``;
- ``==highlight==`` as ``mark_open``/``mark_close`` tokens (tag ``mark``);
- callouts: a block quote whose first line is ``[!type] Title`` becomes
  ``callout_open``/``callout_close`` with ``meta`` ``kind`` and ``title``
  (the first line removed from its text); ``[!type]-``/``+`` fold marks are
  dropped;
- task boxes: ``- [ ]`` and ``- [x]`` list items start with ☐ and ☑;
- ``![[file]]`` embeds as one ``embed`` token (tag ``embed``, ``attrs``
  ``src`` the target and ``href`` an ``embed:``/``wikilink:`` link, content
  the label shown);
- ``$math$`` and ``$$math$$`` kept as the text written (a ``$$`` block as a
  plain code block), so nothing inside reads as emphasis.

Every token's text is still the note's text; the renderer must treat it as
untrusted (never as markup).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from urllib.parse import quote

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline.state_inline import Delimiter, StateInline
from markdown_it.token import Token
from mdit_py_plugins.dollarmath import dollarmath_plugin

from quiz.notes import links
from quiz.render.cjk import cjk_emphasis_plugin, scan_delims

# -- ~~strike~~ and ==highlight== -------------------------------------------


def _pair_tokenize(marker: str) -> Callable[[StateInline, bool], bool]:
    """markdown-it's ``~~`` rule for any doubled ``marker``, CJK-friendly."""

    def tokenize(state: StateInline, silent: bool) -> bool:
        if silent or state.src[state.pos] != marker:
            return False
        scanned = scan_delims(state, state.pos, True)
        length = scanned.length
        if length < 2:
            return False
        if length % 2:
            token = state.push("text", "", 0)
            token.content = marker
            length -= 1
        for _ in range(length // 2):
            token = state.push("text", "", 0)
            token.content = marker * 2
            state.delimiters.append(
                Delimiter(
                    marker=ord(marker),
                    length=0,  # no "rule of 3" for doubled markers
                    token=len(state.tokens) - 1,
                    end=-1,
                    open=scanned.can_open,
                    close=scanned.can_close,
                )
            )
        state.pos += scanned.length
        return True

    return tokenize


def _pair_post(marker: str, tag: str) -> Callable[[StateInline], None]:
    """Turn matched ``marker`` delimiters into ``<tag>_open``/``_close`` tokens."""

    def one_list(state: StateInline, delimiters: list[Delimiter]) -> None:
        lone: list[int] = []
        for start in delimiters:
            if start.marker != ord(marker) or start.end == -1:
                continue
            end = delimiters[start.end]
            for index, kind in ((start.token, "open"), (end.token, "close")):
                token = state.tokens[index]
                token.type, token.tag = f"{tag}_{kind}", tag
                token.nesting = 1 if kind == "open" else -1
                token.markup, token.content = marker * 2, ""
            before = state.tokens[end.token - 1]
            if before.type == "text" and before.content == marker:
                lone.append(end.token - 1)
        # An odd run ``~~~`` was split ``~`` + ``~~``: move the lone marker
        # after the closing tags, as markdown-it does.
        while lone:
            i = lone.pop()
            j = i + 1
            while j < len(state.tokens) and state.tokens[j].type == f"{tag}_close":
                j += 1
            j -= 1
            if i != j:
                state.tokens[i], state.tokens[j] = state.tokens[j], state.tokens[i]

    def post(state: StateInline) -> None:
        one_list(state, state.delimiters)
        for meta in state.tokens_meta:
            if meta and "delimiters" in meta:
                one_list(state, meta["delimiters"])

    return post


# -- callouts -----------------------------------------------------------------

_CALLOUT = re.compile(r"\[!([A-Za-z0-9_-]{1,40})\][+-]?[ \t]*([^\n]*)(?:\n|$)")


def _callouts(state: StateCore) -> None:
    tokens = state.tokens
    drop: set[int] = set()
    for i, token in enumerate(tokens):
        if token.type != "blockquote_open" or i + 2 >= len(tokens):
            continue
        para, inline = tokens[i + 1], tokens[i + 2]
        if para.type != "paragraph_open" or inline.type != "inline":
            continue
        match = _CALLOUT.match(inline.content)
        if match is None:
            continue
        kind = match.group(1).lower()
        title = match.group(2).strip() or kind.replace("-", " ").replace("_", " ").capitalize()
        token.type = "callout_open"
        token.meta = {"kind": kind, "title": title}
        for close in tokens[i + 1 :]:
            if close.type == "blockquote_close" and close.level == token.level:
                close.type = "callout_close"
                break
        inline.content = inline.content[match.end() :]
        if not inline.content.strip():
            drop.update((i + 1, i + 2, i + 3))  # the paragraph held only the title
    if drop:
        state.tokens = [t for i, t in enumerate(tokens) if i not in drop]


# -- task boxes ---------------------------------------------------------------

_TASK = re.compile(r"\[([ xX])\](?=[ \t]|$)")


def _tasks(state: StateCore) -> None:
    tokens = state.tokens
    for i in range(2, len(tokens)):
        inline = tokens[i]
        if (
            inline.type == "inline"
            and tokens[i - 1].type == "paragraph_open"
            and tokens[i - 2].type == "list_item_open"
        ):
            match = _TASK.match(inline.content)
            if match:
                box = "☐" if match.group(1) == " " else "☑"
                inline.content = box + inline.content[match.end() :]
                tokens[i - 2].meta["task"] = box


# -- ![[embeds]] --------------------------------------------------------------

_IMAGES = frozenset(["png", "jpg", "jpeg", "gif", "webp", "svg", "bmp", "avif", "tif", "tiff"])


def _embed(state: StateInline, silent: bool) -> bool:
    if not state.src.startswith("![[", state.pos):
        return False
    found = links.match_at(state.src, state.pos, state.posMax)
    if found is None:
        return False
    link, end = found
    # What follows a "^" is a block, as what follows a "#" is a heading.
    target = link.target.split("^", 1)[0].strip()
    if not target:
        return False
    if not silent:
        ext = target.rsplit(".", 1)[-1].lower() if "." in target else ""
        token = state.push("embed", "embed", 0)
        if ext in ("", "md"):
            # A note embedded in a note: a link to it, opened in the app.
            token.attrs = {"src": target, "href": f"wikilink:{quote(target)}"}
            token.content = f"↪ {target}"
        else:
            token.attrs = {"src": target, "href": f"embed:{quote(target)}"}
            token.content = f"{'🖼' if ext in _IMAGES else '📎'} {target}"
        token.markup = link.written
    state.pos = end
    return True


# -- $math$ as written ----------------------------------------------------------


def _math_inline(state: StateInline, silent: bool) -> bool:
    """``$x$`` or ``$$x$$`` inside a paragraph, as dollarmath reads it.

    dollarmath's own inline rule reads the character before a ``$`` at the
    start of a paragraph as the paragraph's last one (``src[-1]``), so
    ``$x$ costs $5`` lost its math; the rules here are the same otherwise:
    no space inside the dollars, no digit outside them, ``\\$`` escapes.
    """
    src, start = state.src, state.pos
    if src[start] != "$" or (start > 0 and (src[start - 1].isdigit() or src[start - 1] == "\\")):
        return False
    marker = "$$" if src.startswith("$$", start) else "$"
    first = start + len(marker)
    if first >= state.posMax or src[first].isspace():
        return False
    end = first
    while True:
        end = src.find(marker, end, state.posMax)
        if end == -1:
            return False
        if src[end - 1] != "\\":
            break
        end += 1
    after = end + len(marker)
    if end == first or src[end - 1].isspace() or src[after : after + 1].isdigit():
        return False
    if not silent:
        token = state.push("math_inline", "math", 0)
        token.content, token.markup = src[first:end], marker
    state.pos = after
    return True


def _math_as_text(state: StateCore) -> None:
    for token in state.tokens:
        if token.type in ("math_block", "math_block_label"):
            token.type, token.tag, token.info = "fence", "code", ""
            token.content = f"$$\n{token.content.strip(chr(10))}\n$$\n"
        for child in token.children or ():
            if child.type == "math_inline":
                child.type = "text"
                child.content = f"{child.markup}{child.content}{child.markup}"


# -- the parser -------------------------------------------------------------------


def obsidian_plugin(md: MarkdownIt) -> None:
    """Everything above, on a CommonMark parser with tables and strikethrough."""
    cjk_emphasis_plugin(md)
    md.enable(["strikethrough", "table"])
    md.inline.ruler.at("strikethrough", _pair_tokenize("~"))
    md.inline.ruler2.at("strikethrough", _pair_post("~", "s"))
    md.inline.ruler.after("emphasis", "mark", _pair_tokenize("="))
    md.inline.ruler2.after("emphasis", "mark", _pair_post("=", "mark"))
    md.inline.ruler.before("image", "embed", _embed)
    dollarmath_plugin(md, allow_labels=False, allow_space=False, allow_digits=False)
    md.inline.ruler.at("math_inline", _math_inline)
    md.core.ruler.after("block", "callouts", _callouts)
    md.core.ruler.after("callouts", "tasks", _tasks)
    md.core.ruler.after("inline", "math_as_text", _math_as_text)


@functools.cache
def parser() -> MarkdownIt:
    """The shared parser (markdown-it parsers hold no per-document state)."""
    return MarkdownIt("commonmark").use(obsidian_plugin)


def parse(text: str) -> list[Token]:
    """The tokens of ``text`` (a note's Markdown)."""
    return parser().parse(text)
