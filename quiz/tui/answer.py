"""A card's answer as one widget: Rich Markdown with links that click safely.

Textual's ``Markdown`` widget builds a tree of block widgets; laying out and
painting that tree was most of a reveal (about 45 ms to the first frame on
the benchmark vault, against under 20 ms for one ``Static``). Here the answer
is one Rich ``Markdown`` renderable in a ``Static``.

Links are the one thing the widget tree did that a renderable does not: Rich
would write them to the terminal as OSC 8 hyperlinks, with the note's URL
inside an escape sequence. Instead every link style is removed and replaced by
a click action that carries only the link's number (``follow_link(2)``); the
URL stays in Python and goes to the app's link handling, which opens other
notes in the app and web pages only on a key.
"""

from __future__ import annotations

from collections.abc import Iterator

from rich.console import Console, ConsoleOptions
from rich.segment import Segment
from rich.style import Style
from textual.widgets import Static

from quiz.tui.obsidian import ObsidianMarkdown
from quiz.tui.safe import markdown


class LinkedMarkdown:
    """Rich Markdown (as Obsidian shows it) whose links become
    ``follow_link(n)`` click actions.

    ``links[n]`` is the target of link number ``n``, in order of appearance
    (links, images and ``![[embeds]]``, whose targets are ``embed:`` links).
    """

    def __init__(self, source: str, *, code_theme: str = "monokai") -> None:
        self.markdown = ObsidianMarkdown(source, code_theme=code_theme, hyperlinks=True)
        # The targets Rich will draw as links (links and images), in order,
        # read from its own parse so the list is whole before any drawing.
        self.links: list[str] = []
        for token in self.markdown.parsed:
            for child in token.children or ():
                target = child.attrs.get("src" if child.type == "image" else "href")
                if child.type in ("link_open", "image", "embed") and isinstance(target, str):
                    self._number(target)

    def _number(self, href: str) -> int:
        if href not in self.links:
            self.links.append(href)
        return self.links.index(href)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Segment]:
        for segment in console.render(self.markdown, options):
            style = segment.style
            if style is not None and style.link:
                action = {"@click": ("follow_link", (self._number(style.link),))}
                style = style.clear_meta_and_links() + Style.from_meta(action)
                segment = Segment(segment.text, style, segment.control)
            yield segment


class AnswerView(Static):
    """The revealed answer of the current card."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.document = LinkedMarkdown("")
        #: The Markdown shown (the card's answer, cleaned and with wikilinks).
        self.source = ""

    def on_mount(self) -> None:
        # Code blocks are coloured for the theme: redraw them when it changes.
        self.watch(self.app, "theme", self._redraw, init=False)

    def show(self, source: str) -> None:
        """Show ``source`` (a card's answer, untrusted Markdown)."""
        self.source = markdown(source)
        self._redraw()

    def _redraw(self) -> None:
        dark = self.app.current_theme.dark
        self.document = LinkedMarkdown(self.source, code_theme="monokai" if dark else "friendly")
        self.update(self.document)

    def links(self) -> list[str]:
        """The shown answer's link targets, in order."""
        return list(self.document.links)

    def embeds(self) -> list[str]:
        """The ``embed:`` targets (``![[file]]``) of the shown text, in order."""
        return [link for link in self.document.links if link.startswith("embed:")]

    def action_follow_link(self, number: int) -> None:
        """A link in the answer was clicked."""
        links = self.document.links
        # The app (QuizApp) opens it; not imported here, as the app imports
        # this view (no import cycle).
        follow = getattr(self.app, "follow_link", None)
        if callable(follow) and 0 <= number < len(links):
            follow(links[number])
