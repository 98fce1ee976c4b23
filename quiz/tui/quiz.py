"""The quiz: question, optional typed answer, reveal, grade, undo."""

from __future__ import annotations

import datetime as dt
import os
import shlex
import shutil
import subprocess
import time
from collections.abc import Mapping

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.reactive import reactive, var
from textual.widget import Widget
from textual.widgets import Footer, Input, ProgressBar, Static

from quiz.grading import Comparison, Match, compare
from quiz.schedule.memory import format_interval
from quiz.schedule.stages import Grade
from quiz.session import NoteSession, Session
from quiz.text import safe_text
from quiz.tui.answer import AnswerView
from quiz.tui.base import AppScreen
from quiz.tui.inline import inline_text
from quiz.tui.safe import plain, title
from quiz.wording import plural, stage_review

#: ``t`` stands out: Latin letters are keys, so a Latin answer starts with it.
KEYS_HIDDEN = Content.from_markup(
    "[b]space[/b] reveal · [b reverse] t [/b reverse] type an answer (or just type Hangul) · "
    "[b]c[/b] notes · [b]q[/b] quit"
)
KEYS_TYPING = Content.from_markup(
    "typing: [b]Enter[/b] check and reveal · [b]Esc[/b] leave the box (keys work again)"
)
KEYS_REVEALED = Content.from_markup(
    "[b]1[/b] Again · [b]2[/b] Hard · [b]3[/b]/[b]space[/b] Good · [b]4[/b] Easy · [b]u[/b] undo"
)

GRADE_WORDS = {Grade.AGAIN: "Again", Grade.HARD: "Hard", Grade.GOOD: "Good", Grade.EASY: "Easy"}


def grade_keys(intervals: Mapping[Grade, dt.timedelta]) -> Content:
    """The grade keys with when the card comes back after each:
    ``1 Again 10m · 2 Hard 2d · 3/space Good 4d · 4 Easy 9d · u undo``
    (Space grades Good once the answer shows)."""
    parts: list[str | tuple[str, str]] = []
    for grade, word in GRADE_WORDS.items():
        parts.append((str(int(grade)), "bold"))
        if grade is Grade.GOOD:
            parts += ["/", ("space", "bold")]
        parts.append(f" {word}")
        if grade in intervals:
            parts += [" ", (format_interval(intervals[grade]), "$accent")]
        parts.append(" · ")
    parts += [("u", "bold"), " undo"]
    return Content.assemble(*parts)


#: How the key part compared with is named in the hint.
KEY_SOURCES = {"bold": "the answer's bold part", "first line": "the answer's first line"}


def typed_diff(found: Comparison) -> Content:
    """The typed answer against the key part, as styled text: the percentage,
    then the key part's words: green when typed, yellow ``typed→key`` when
    near, red underlined when missing; extra typed words dim and struck out.

    Note text (both the answer and what was typed) only ever becomes a
    Content's text, never markup.
    """
    source = KEY_SOURCES.get(found.source, "the answer")
    parts: list[str | tuple[str, str]] = [
        (f"Your answer is {round(found.similarity * 100)}% like {source}", "bold"),
        "\n",
    ]
    for n, word in enumerate(found.words):
        if n:
            parts.append(" ")
        if word.match is Match.SAME:
            parts.append((word.key, "$success"))
        elif word.match is Match.NEAR:
            parts += [(word.typed, "$warning strike"), "→", (word.key, "$warning bold")]
        elif word.match is Match.MISSING:
            parts.append((word.key, "$error underline"))
        else:
            parts.append((word.typed, "$foreground-muted strike"))
    return Content.assemble(*parts)


def quiz_title(session: Session) -> str:
    """The head line: the note, its subject and what the session counts for.

    A drill spans notes and has no subject or stage: it says what it is.
    """
    if not isinstance(session, NoteSession):
        return f"{session.title} · {cards(len(session.cards))} · practice"
    note = session.note
    due = session.stage_due
    stage = (
        stage_review(due.stage)
        if due
        else ("first study" if note.first_studied is None else "practice")
    )
    return f"{note.title} · {note.subject or 'no subject'} · {stage}"


def cards(n: int) -> str:
    """``1 card``, ``5 cards``."""
    return plural(n, "card")


class KeysLine(Widget):
    """The one line saying which keys apply now.

    A ``Static.update`` asks for a layout of the whole screen; this line is
    always one row high, so changing it only repaints it.
    """

    keys: reactive[Content] = reactive(KEYS_HIDDEN, layout=False)

    def render(self) -> Content:
        return self.keys


class QuizScreen(AppScreen):
    """One note's cards, one at a time."""

    #: Keys of the quiz. The footer shows them all and never changes (a
    #: footer rebuild per card cost more than the card); the line under the
    #: question says which apply right now.
    BINDINGS = [
        # Space reveals, and once the answer shows grades Good (as in Anki).
        Binding("space", "reveal", "Show/Good"),
        # One footer entry for the four grades, so the footer fits 80 columns.
        Binding("1", "grade(1)", "Grade", key_display="1-4", tooltip="Again"),
        Binding("2", "grade(2)", "Hard", show=False),
        Binding("3", "grade(3)", "Good", show=False),
        Binding("4", "grade(4)", "Easy", show=False),
        Binding("t", "type_answer", "Type"),
        Binding("escape", "leave_input", "Leave the answer box", show=False),
        Binding("u", "undo", "Undo"),
        Binding("c", "context", "Notes"),
        Binding("l", "links", "Links in the answer", show=False),
        Binding("e", "edit", "Edit"),
        Binding("q", "leave", "Quit"),
    ]

    #: A ``var``, not a ``reactive``: a reactive on the screen repaints the
    #: whole screen when it changes, which was most of a reveal's cost.
    revealed: var[bool] = var(False)

    def __init__(self, session: Session, *, place: tuple[int, int] | None = None) -> None:
        super().__init__()
        self.session = session
        #: Which note of a run of several this is: ``(2, 5)`` shows "note 2 of 5".
        self.place = place
        self.shown_at = time.monotonic()
        self.typed = ""
        #: The card whose answer the (hidden) answer widget holds.
        self._prepared: str | None = None
        #: The grade keys with the current card's intervals, and for which
        #: showing of which card (a card may come back in the session).
        self._grade_keys = KEYS_REVEALED
        self._keys_for: tuple[int, str] | None = None

    def compose(self) -> ComposeResult:
        with Horizontal(id="quiz-head"):
            yield Static(id="quiz-title")
            yield Static(id="quiz-count")
        yield ProgressBar(id="quiz-progress", show_eta=False, show_percentage=False)
        with VerticalScroll(id="quiz-body"):
            yield Static(id="question")
            yield Input(
                placeholder="press t to type your answer (optional) · Enter checks · Esc leaves",
                id="typed",
                # Back in the box after Esc, typing goes on (not over it).
                select_on_focus=False,
            )
            yield Static(id="hint")
            yield AnswerView(id="answer")
            yield Static(id="answer-from")
        yield KeysLine(id="keys-now")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#quiz-title", Static).update(title(quiz_title(self.session)))
        self.show_card()

    # -- display ---------------------------------------------------------

    def show_card(self) -> None:
        """Put the current card on screen, answer hidden."""
        session = self.session
        card = session.current
        bar = self.query_one("#quiz-progress", ProgressBar)
        bar.update(total=len(session.cards), progress=session.position)
        if card is None:
            self.finish()
            return
        self.query_one("#quiz-count", Static).update(plain(self.count_text()))
        self.query_one("#question", Static).update(inline_text(card.question))
        typed = self.query_one("#typed", Input)
        typed.value = ""
        typed.disabled = False
        self.typed = ""
        self.query_one("#hint", Static).update("")
        self.revealed = False
        self.call_after_refresh(self._prepare_answer)
        self.shown_at = time.monotonic()
        self.query_one("#quiz-body").scroll_home(animate=False)
        # Focus the scrolling body, not nothing: a long answer (the sample's
        # JSON policy at 80x24) must scroll with the arrow and page keys.
        self.query_one("#quiz-body").focus()

    def count_text(self) -> str:
        """Where the learner is: ``3/7``, ``again · 2 left`` once the missed
        cards come back, and ``note 2 of 5 · 3/7`` in a run."""
        queue = self.session.queue
        if queue.relearning:
            count = f"again · {queue.left} left"
        else:
            count = f"{queue.first_pass + 1}/{len(queue.deck)}"
        if self.place is None:
            return count
        return f"note {self.place[0]} of {self.place[1]} · {count}"

    def _prepare_answer(self) -> None:
        # Built once the new question is on screen, while the learner thinks,
        # so Space only has to show it.
        card = self.session.current
        if card is not None and self._keys_for != (self.session.position, card.id):
            # The intervals once per card shown, from its memory state now.
            self._keys_for = (self.session.position, card.id)
            self._grade_keys = grade_keys(self.session.intervals())
        if card is not None and self._prepared != card.id:
            self._prepared = card.id
            self.query_one("#answer", AnswerView).show(card.answer)
            # Where a bare cue's answer was found in the note: note text,
            # shown as plain text (a heading may hold brackets).
            where = self.query_one("#answer-from", Static)
            where.update(plain(f"answer from {card.answer_from}" if card.answer_from else ""))
            where.display = self.revealed and bool(card.answer_from)

    def watch_revealed(self, revealed: bool) -> None:
        answer = self.query_one("#answer", AnswerView)
        if revealed:
            self._prepare_answer()
        answer.display = revealed
        card = self.session.current
        shown = revealed and card is not None and bool(card.answer_from)
        self.query_one("#answer-from", Static).display = shown
        self.query_one("#keys-now", KeysLine).keys = self._grade_keys if revealed else KEYS_HIDDEN

    # -- actions ---------------------------------------------------------

    def action_reveal(self) -> None:
        """Show the answer (and the similarity of a typed answer); once
        shown, grade Good."""
        if self.session.current is None:
            return
        if self.revealed:
            self.action_grade(int(Grade.GOOD))
            return
        typed = self.query_one("#typed", Input)
        self.typed = typed.value
        typed.disabled = True
        card = self.session.current
        found = compare(self.typed, card.answer) if card and self.typed.strip() else None
        if found is not None:
            self.query_one("#hint", Static).update(typed_diff(found))
        self.revealed = True
        self.query_one("#quiz-body").focus()

    @on(Input.Submitted, "#typed")
    def _typed(self) -> None:
        self.action_reveal()

    def action_type_answer(self) -> None:
        """Focus the typed-answer box."""
        if not self.revealed:
            self.query_one("#typed", Input).focus()

    def action_leave_input(self) -> None:
        """Esc: leave the answer box (what was typed stays); keys work again."""
        box = self.query_one("#typed", Input)
        if box.has_focus:
            self.query_one("#quiz-body").focus()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        # While the answer box has the focus, the keys line says how to leave it.
        if event.widget.id == "typed" and not self.revealed:
            self.query_one("#keys-now", KeysLine).keys = KEYS_TYPING

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        if event.widget.id == "typed" and not self.revealed:
            self.query_one("#keys-now", KeysLine).keys = KEYS_HIDDEN

    def on_key(self, event: events.Key) -> None:
        """A letter no key is bound to (Hangul, any non-ASCII character) starts
        the typed answer with that letter, while the question is shown.

        ASCII letters stay keys (``c``, ``e``, ``q`` ...): an answer starting
        with ``e`` must not open the editor, so Latin answers start with ``t``.
        """
        char = event.character
        if self.revealed or not char or char.isascii() or not char.isprintable():
            return
        box = self.query_one("#typed", Input)
        if box.has_focus or box.disabled:
            return
        event.stop()
        event.prevent_default()
        box.focus()
        box.insert_text_at_cursor(char)

    def action_grade(self, value: int) -> None:
        """Grade the current card and move on."""
        if not self.revealed or self.session.current is None:
            return
        elapsed = int((time.monotonic() - self.shown_at) * 1000)
        self.session.grade(Grade(value), self.typed or None, elapsed)
        self.show_card()

    def action_undo(self) -> None:
        """Take back the last grade and show its card again."""
        card = self.session.undo()
        if card is not None:
            self.notify("Undid the last grade", timeout=2)
            self.show_card()

    def action_context(self) -> None:
        """Show the note's notes section."""
        from quiz.tui.dialogs import TextScreen

        text = self.session.sections.get("notes") or "_This note has no notes section._"
        self.app.push_screen(TextScreen(f"{self.session.title} · notes", text))

    def action_links(self) -> None:
        """Pick a link of the shown answer to follow, from the keyboard."""
        from quiz.tui.dialogs import LinksScreen

        links = self.query_one("#answer", AnswerView).links() if self.revealed else []
        if not links:
            self.notify("No links in the shown answer.", timeout=2)
            return

        def follow(href: str | None) -> None:
            if href is not None:
                self.quiz_app.follow_link(href)

        self.app.push_screen(LinksScreen(links), follow)

    def action_edit(self) -> None:
        """Open the note in the editor at the card's line, then re-read it.

        The answer stays as it was: shown if it was shown.
        """
        card = self.session.current
        if card is None:
            return
        editor = editor_command()
        if editor is None:
            self.notify(
                "No editor found: set $EDITOR (or install nano or vi).",
                severity="warning",
                markup=False,
            )
            return
        command, takes_line = editor
        line = [f"+{card.line}"] if takes_line else []
        was_revealed, typed = self.revealed, self.typed
        with self.app.suspend():
            subprocess.run([*command, *line, str(self.session.file_of(card))], check=False)
        problem = self.session.reload()
        self._prepared = None  # the answer may have been edited
        if problem:
            self.notify(safe_text(problem), severity="warning", markup=False)
        self.show_card()
        if was_revealed and self.session.current is not None:
            self.query_one("#typed", Input).value = typed
            self.action_reveal()

    def action_leave(self) -> None:
        """Leave the note; what was graded is kept."""
        self.quiz_app.queue.clear()
        self.finish()

    def finish(self) -> None:
        """Judge the session and show the summary."""
        from quiz.tui.summary import SummaryScreen

        result = self.session.finish()
        more = bool(self.quiz_app.queue)
        summary = SummaryScreen(result, more=more, session=self.session, place=self.place)
        self.app.switch_screen(summary)


#: Editors tried, in order, when neither $VISUAL nor $EDITOR is set; each
#: takes ``+LINE`` before the file. Debian's ``editor`` is the system's choice.
FALLBACK_EDITORS = ("editor", "nano", "vi")
#: Last resorts that open a file but know no ``+LINE`` (Windows).
FALLBACK_OPENERS = ("notepad",)


def editor_command() -> tuple[list[str], bool] | None:
    """The editor to run and whether it takes ``+LINE``; ``None`` when there is none."""
    for variable in ("VISUAL", "EDITOR"):
        value = os.environ.get(variable, "").strip()
        if value:
            return shlex.split(value), True
    for name in FALLBACK_EDITORS:
        found = shutil.which(name)
        if found:
            return [found], True
    for name in FALLBACK_OPENERS:
        found = shutil.which(name)
        if found:
            return [found], False
    return None
