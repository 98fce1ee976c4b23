"""The end of a note: score, stage outcome, missed cards, the note's summary."""

from __future__ import annotations

from rich.markdown import Markdown as RichMarkdown
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Footer, Static

from quiz.schedule.stages import Kind, progress_bar
from quiz.session import SessionResult
from quiz.text import safe_text
from quiz.tui.base import AppScreen
from quiz.tui.safe import plain


def outcome_words(result: SessionResult) -> str:
    """The stage outcome in the learner's words."""
    outcome = result.outcome
    if outcome is None:
        return "Not finished: the graded cards are kept; no stage changed."
    return outcome.describe()


class SummaryScreen(AppScreen):
    """Shown after each note."""

    #: Keys of the summary.
    BINDINGS = [
        Binding("enter", "next", "Next note / Today"),
        Binding("escape", "today", "Today"),
        Binding("m", "app.mastery", "Mastery"),
        Binding("q", "today", "Back", show=False),
    ]

    def __init__(self, result: SessionResult, *, more: bool = False) -> None:
        super().__init__()
        self.result = result
        self.more = more

    def compose(self) -> ComposeResult:
        r = self.result
        with VerticalScroll(id="summary"):
            yield Static(
                plain(f"{r.note.title} · {r.note.subject or 'no subject'}"), id="summary-title"
            )
            yield Static(
                plain(f"Score {r.correct}/{len(r.graded)}  (of {r.total} cards)"), id="score"
            )
            kind = r.outcome.kind if r.outcome else None
            mood = {Kind.STAGE_PASSED: "passed", Kind.FAILED: "failed"}.get(kind) if kind else None
            yield Static(plain(outcome_words(r)), id="outcome", classes=mood or "")
            if r.outcome is not None:
                yield Static(plain(progress_bar(r.outcome.rate_after)), id="bar")
            style = "written" if r.written else "not-written"
            yield Static(plain(r.write_message), id="write", classes=style)
            if r.missed:
                yield Static(plain("Missed"), classes="heading")
                yield Static(plain("\n".join(f"• {c.question}" for c in r.missed)), id="missed")
            summary = r.note.sections.get("summary")
            if summary:
                yield Static(plain("Summary of the note"), classes="heading")
                # One Rich renderable, not a Markdown widget tree: building
                # the tree for a long summary made the last grade of a note
                # take half a second. No hyperlinks, so no OSC 8 sequences.
                yield Static(RichMarkdown(safe_text(summary), hyperlinks=False), id="note-summary")
        yield Footer()

    def action_next(self) -> None:
        """The next note of the queue, or back to Today."""
        self.app.pop_screen()
        if self.more:
            self.quiz_app.next_note()
        else:
            self.quiz_app.refresh_today()

    def action_today(self) -> None:
        """Back to Today, dropping the rest of the queue."""
        self.quiz_app.queue.clear()
        self.app.pop_screen()
        self.quiz_app.refresh_today()
