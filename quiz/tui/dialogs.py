"""Modal screens: help and a note's text shown on demand."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Markdown, Static

from quiz.tui.safe import markdown, plain


class HelpScreen(ModalScreen[None]):
    """Every key of the screen underneath."""

    #: Any of these closes the help.
    BINDINGS = [
        Binding("escape", "dismiss", "Close"),
        Binding("question_mark", "dismiss", "Close", show=False),
        Binding("q", "dismiss", "Close", show=False),
    ]

    def __init__(self, under: Screen[object]) -> None:
        super().__init__()
        self.under = under

    def compose(self) -> ComposeResult:
        lines = []
        for _, binding, enabled, _tooltip in self.under.active_bindings.values():
            if binding.description:
                key = self.app.get_key_display(binding)
                lines.append(f"{key:>8}  {binding.description}{'' if enabled else '  (not now)'}")
        lines.append(f"{'ctrl+p':>8}  Command palette")
        lines.append(f"{'ctrl+t':>8}  Light / dark theme")
        with Vertical(id="help"):
            yield Static(plain("Keys"), classes="heading")
            yield Static(plain("\n".join(lines)), id="help-keys")
            yield Static(plain("Esc closes"), classes="dim")


class TextScreen(ModalScreen[None]):
    """A note's section (Markdown) over the quiz."""

    #: Close keys.
    BINDINGS = [Binding("escape", "dismiss", "Close"), Binding("c", "dismiss", "Close", show=False)]

    def __init__(self, title: str, text: str) -> None:
        super().__init__()
        self.title_text = title
        self.text = text

    def compose(self) -> ComposeResult:
        with Vertical(id="text-dialog"):
            yield Static(plain(self.title_text), classes="heading")
            with VerticalScroll():
                yield Markdown(markdown(self.text), open_links=False)
