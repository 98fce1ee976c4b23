"""Rich ``Markdown`` drawing the tokens of :mod:`quiz.render.obsidian`.

Rich builds its own CommonMark parser; this subclass parses with ours and
adds the elements Rich lacks: highlights, callouts as titled panels and
embeds as a labelled line. Note text only ever reaches Rich as ``Text``
content (never as a markup string), so ``[bold]`` or ``[@click=…]`` in a
note is shown as written.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from markdown_it.token import Token
from rich import box
from rich.console import Console, ConsoleOptions, JustifyMethod, RenderResult
from rich.containers import Renderables
from rich.markdown import Markdown as RichMarkdown
from rich.markdown import MarkdownContext, MarkdownElement, TextElement
from rich.panel import Panel
from rich.style import Style
from rich.text import Text
from rich.theme import Theme

from quiz.render.obsidian import parse

#: Callout types by the colour Obsidian gives them, with an icon each.
CALLOUTS: dict[str, tuple[str, str]] = {}
for _names, _colour, _icon in (
    ("note", "blue", "✎"),
    ("abstract summary tldr", "cyan", "≡"),
    ("info todo", "blue", "ℹ"),
    ("tip hint important", "cyan", "✦"),
    ("success check done", "green", "✔"),
    ("question help faq", "yellow", "?"),
    ("warning caution attention", "yellow", "⚠"),
    ("failure fail missing danger error bug", "red", "✖"),
    ("example", "magenta", "▸"),
    ("quote cite", "grey50", "❝"),
):
    for _name in _names.split():
        CALLOUTS[_name] = (_colour, _icon)

#: Unknown callout types: a neutral panel.
NEUTRAL = ("grey50", "▪")

#: Styles for the tags Rich has no style for.
THEME = Theme(
    {
        "markdown.mark": Style(color="black", bgcolor="yellow"),
        "markdown.embed": Style(color="cyan", underline=True),
    },
    inherit=False,
)


class Callout(TextElement):
    """``> [!kind] Title``: its blocks in a panel titled with the type's icon."""

    style_name = "none"

    @classmethod
    def create(cls, markdown: RichMarkdown, token: Token) -> MarkdownElement:
        meta = token.meta or {}
        return cls(str(meta.get("kind", "")), str(meta.get("title", "")))

    def __init__(self, kind: str, title: str) -> None:
        self.kind = kind
        self.title = title
        self.elements: Renderables = Renderables()

    def on_child_close(self, context: MarkdownContext, child: MarkdownElement) -> bool:
        self.elements.append(child)
        return False

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        colour, icon = CALLOUTS.get(self.kind, NEUTRAL)
        # The title is the note's text: a Text, never parsed as markup.
        title = Text.assemble((f"{icon} ", colour), (self.title, f"bold {colour}"))
        yield Panel(
            self.elements,
            title=title,
            title_align="left",
            border_style=colour,
            box=box.ROUNDED,
            expand=True,
        )


class ObsidianMarkdown(RichMarkdown):
    """Rich ``Markdown`` of a note as Obsidian shows it."""

    elements: ClassVar[dict[str, type[MarkdownElement]]] = {
        **RichMarkdown.elements,
        "callout_open": Callout,
    }
    inlines = RichMarkdown.inlines | {"mark", "embed"}

    def __init__(
        self,
        markup: str,
        code_theme: str = "monokai",
        justify: JustifyMethod | None = None,
        style: str | Style = "none",
        hyperlinks: bool = True,
    ) -> None:
        # Rich's own ``__init__`` builds a new parser per document (0.6 ms of
        # a reveal); ours is built once. These are the attributes it sets.
        self.markup = markup
        self.parsed = parse(markup)
        self.code_theme = code_theme
        self.justify: JustifyMethod | None = justify
        self.style = style
        self.hyperlinks = hyperlinks
        self.inline_code_lexer: str | None = None
        self.inline_code_theme = code_theme

    def _flatten_tokens(self, tokens: Iterable[Token]) -> Iterable[Token]:
        for token in super()._flatten_tokens(tokens):
            if token.type == "embed" and self.hyperlinks:
                # A link around the label: clicks and ``o`` find it as one.
                yield Token("link_open", "a", 1, attrs={"href": str(token.attrs["href"])})
                yield token
                yield Token("link_close", "a", -1)
            else:
                yield token

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        # The styles of highlights and embeds, for this render only; drawn
        # eagerly so the theme is popped before anything else is drawn.
        console.push_theme(THEME)
        try:
            segments = list(super().__rich_console__(console, options))
        finally:
            console.pop_theme()
        yield from segments
