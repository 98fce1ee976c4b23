"""Modal screens: help and a note's text shown on demand."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.actions import parse as parse_action
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from quiz.tui.answer import AnswerView
from quiz.tui.safe import plain, title

if TYPE_CHECKING:
    from quiz.study import Unfinished


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
        # The screen's own keys, not ``active_bindings``: that also holds every
        # inherited widget key (cursor, scroll, copy: too long for 24 rows), lets
        # a focused table's Enter hide the screen's, and drops the keys that
        # ``check_action`` turns off, which are the ones to show as "not now".
        lines = []
        for binding in Binding.make_bindings(type(self.under).BINDINGS):
            if binding.description:
                namespace, action, params = parse_action(binding.action)
                enabled = bool(namespace) or bool(self.under.check_action(action, params))
                # A footer key standing for several ("1-4 Grade") is listed
                # by its own key and name here ("1 Again"), beside 2, 3 and 4.
                own = binding.tooltip and binding.key_display
                key = binding.key if own else self.app.get_key_display(binding)
                what = binding.tooltip if own else binding.description
                lines.append(f"{key:>8}  {what}{'' if enabled else '  (not now)'}")
        lines.append(f"{'ctrl+p':>8}  Command palette")
        lines.append(f"{'ctrl+t':>8}  Light / dark theme")
        with Vertical(id="help"):
            yield Static(plain("Keys"), classes="heading")
            yield Static(plain("\n".join(lines)), id="help-keys")
            yield Static(plain("Esc closes"), classes="dim")


class TextScreen(ModalScreen[None]):
    """A note's section (Markdown) over the quiz, drawn as the answer is."""

    #: Close keys; ``o`` opens an embedded file (a modal screen hides the
    #: app's own ``o``).
    BINDINGS = [
        Binding("escape", "dismiss", "Close"),
        Binding("c", "dismiss", "Close", show=False),
        Binding("o", "app.open_link", "Open embedded file", show=False),
    ]

    def __init__(self, title: str, text: str) -> None:
        super().__init__()
        self.title_text = title
        self.text = text

    def compose(self) -> ComposeResult:
        with Vertical(id="text-dialog"):
            yield Static(title(self.title_text), classes="heading")
            with VerticalScroll():
                yield AnswerView(id="note-text")

    def on_mount(self) -> None:
        # One renderable, as the answer: highlights, callouts and embeds look
        # the same, and links click through the app's link handling.
        self.query_one("#note-text", AnswerView).show(self.text)


def link_label(href: str) -> str:
    """How a link target reads in the list: a note's name, a path or a URL."""
    from urllib.parse import unquote

    if href.startswith("wikilink:"):
        return unquote(href.removeprefix("wikilink:"))
    return unquote(href) if "://" not in href else href


class LinksScreen(ModalScreen[str | None]):
    """The links of the shown answer, to follow one without a mouse."""

    #: Close keys (Enter on a link follows it).
    BINDINGS = [Binding("escape", "dismiss", "Close"), Binding("l", "dismiss", "Close", show=False)]

    def __init__(self, links: list[str]) -> None:
        super().__init__()
        self.links = links

    def compose(self) -> ComposeResult:
        with Vertical(id="links-dialog"):
            yield Static(plain("Links in this answer"), classes="heading")
            yield OptionList(*(Option(plain(link_label(h))) for h in self.links), id="links")
            yield Static(plain("Enter follows · Esc closes"), classes="dim")

    @on(OptionList.OptionSelected, "#links")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.links[event.option_index])


class ResumeScreen(ModalScreen[bool]):
    """Offer to resume a note's session left unfinished today.

    Dismissed with ``True`` to resume at the first ungraded card, ``False``
    to start the note over (the grades given stay given either way).
    """

    BINDINGS = [
        Binding("y", "answer(True)", "Resume"),
        Binding("enter", "answer(True)", "Resume", show=False),
        Binding("n", "answer(False)", "Start over"),
        Binding("escape", "answer(False)", "Start over", show=False),
    ]

    def __init__(self, left: Unfinished) -> None:
        super().__init__()
        self.left = left

    def compose(self) -> ComposeResult:
        from quiz.wording import plural

        left = self.left
        with Vertical(id="resume-dialog"):
            yield Static(title(f"{left.title}: left unfinished today"), classes="heading")
            yield Static(
                plain(
                    f"You graded {left.graded} of {plural(left.total, 'card')} earlier today. "
                    f"Resume {left.where()}? The grades you gave are kept either way."
                ),
                id="resume-text",
            )
            yield Static(plain("y/Enter resume · n/Esc start over"), classes="dim")

    def action_answer(self, resume: bool) -> None:
        """Close with the learner's choice."""
        self.dismiss(resume)
