"""Show untrusted note text as text: never markup, never escape sequences."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import quote

from rich.text import Text
from textual.content import Content

if TYPE_CHECKING:
    from quiz.notes.links import Wikilink

from quiz.text import one_line, safe_text


def plain(text: str) -> Content:
    """Content for a ``Static``/``Label``: literal text, controls removed."""
    return Content(safe_text(text))


#: Line breaks and tabs left after ``safe_text`` (which keeps them).
_BREAKS = re.compile("[\t\n\u2028\u2029]")


def cell_text(text: str) -> str:
    """The text of a table cell: controls removed, one line.

    A line break or a tab (a file name may hold one) becomes a space; leading
    blanks (indentation) stay.
    """
    return _BREAKS.sub(" ", safe_text(text))


def cell(text: str, style: str = "") -> Text:
    """A ``DataTable`` cell (see ``cell_text``): a plain ``str`` there would
    be parsed as markup."""
    return Text(cell_text(text), style=style)


def title(text: str) -> Content:
    """A heading or title line: literal, controls removed, one line."""
    return Content(one_line(text))


_CODE = re.compile(r"(```[\s\S]*?(?:```|$)|~~~[\s\S]*?(?:~~~|$)|`[^`\n]*`)")


def _link(link: Wikilink) -> str:
    # Embeds, links to a heading of this note and empty aliases stay as written.
    if link.embed or not link.target or link.alias == "":
        return link.written
    target = link.target.strip()
    label = (link.alias or target).replace("[", "\\[").replace("]", "\\]")
    return f"[{label}](wikilink:{quote(target)})"


def markdown(text: str) -> str:
    """Markdown source for the ``Markdown`` widget, controls removed.

    ``[[wikilinks]]`` outside code become links the app opens in itself
    (``wikilink:`` targets); the ``Markdown`` widget never opens them.
    """
    # Here, not at the top: Today, the first screen, shows no Markdown.
    from quiz.notes import links

    parts = _CODE.split(safe_text(text))
    # Odd indexes are the code spans and blocks the split kept: left as written.
    return "".join(p if i % 2 else links.replace(p, _link) for i, p in enumerate(parts))
