"""A question's inline Markdown as styled text, without a widget tree.

The ``Markdown`` widget builds a tree of block widgets on every update; a
question is one line of inline Markdown, and rebuilding that tree on every
card cost more than the rest of a key press. markdown-it's inline tokens are
turned into a ``rich.text.Text`` here instead: the note's characters are only
ever appended as plain text, so nothing in them is read as markup.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from rich.text import Text

from quiz.text import safe_text

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

_STYLE_OF = {
    "strong_open": "bold",
    "em_open": "italic",
    "s_open": "strike",
    "link_open": "underline",
    "mark_open": "black on yellow",
}


@cache
def _parser() -> MarkdownIt:
    # The answer's parser (CJK-friendly bold, highlights, embeds): a
    # question such as ``**용어(영어)**는?`` is bold as in Obsidian too.
    from quiz.render.obsidian import parser

    return parser()


def inline_text(source: str, base_style: str = "") -> Text:
    """Render inline Markdown (bold, italic, code, links, breaks) as ``Text``."""
    text = Text(style=base_style)
    styles: list[str] = []
    for block in _parser().parseInline(safe_text(source)):
        for token in block.children or []:
            kind = token.type
            if kind in _STYLE_OF:
                styles.append(_STYLE_OF[kind])
            elif kind.endswith("_close") and styles:
                styles.pop()
            elif kind == "code_inline":
                text.append(token.content, style=" ".join([*styles, "reverse"]))
            elif kind in ("softbreak", "hardbreak"):
                text.append("\n")
            elif kind == "embed":
                text.append(token.content, style="underline")
            elif kind == "image":
                text.append(f"[image: {token.content or token.attrGet('src') or ''}]", style="dim")
            elif kind in ("text", "html_inline"):
                text.append(token.content, style=" ".join(styles))
    return text
