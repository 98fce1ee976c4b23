"""Show untrusted note text as text: never markup, never escape sequences."""

from __future__ import annotations

from rich.text import Text
from textual.content import Content

from quiz.text import safe_text


def plain(text: str) -> Content:
    """Content for a ``Static``/``Label``: literal text, controls removed."""
    return Content(safe_text(text))


def cell(text: str, style: str = "") -> Text:
    """A ``DataTable`` cell: a plain ``str`` there would be parsed as markup."""
    return Text(safe_text(text), style=style)


def markdown(text: str) -> str:
    """Markdown source for the ``Markdown`` widget, controls removed."""
    return safe_text(text)
