"""The end of a note: score, stage outcome, missed cards, the note's summary."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from quiz.schedule.stages import Kind, progress_bar
from quiz.session import NoteSession, Session, SessionResult
from quiz.startup import collect_fully
from quiz.text import one_line, safe_text
from quiz.tui.bars import KeyBar
from quiz.tui.base import AppScreen
from quiz.tui.obsidian import ObsidianMarkdown
from quiz.wording import plural, score_line


def outcome_words(result: SessionResult) -> str:
    """The stage outcome in the learner's words."""
    outcome = result.outcome
    if not result.complete:
        return "Not finished: the graded cards are kept; no stage changed."
    if outcome is None and result.drill:
        graded = plural(len(result.first), "card")
        return f"Drill finished: {graded} graded; the memory model has them."
    if outcome is None:
        # Complete, but the note's stages are unknown (its frontmatter did not parse).
        return "Done: practice only; no stage changed."
    return outcome.describe()


def head_line(result: SessionResult) -> str:
    """The report's title: the note and its subject, or what a drill was."""
    note = result.note
    if note is None:
        return f"{result.title} · {plural(result.total, 'card')}"
    return f"{note.title} · {note.subject or 'no subject'}"


#: The style of a heading in the report (the stylesheet's ``.heading``).
HEADING = "bold $accent"


class SummaryScreen(AppScreen):
    """Shown after each note."""

    #: Keys of the summary.
    BINDINGS = [
        Binding("enter", "next", "Continue"),
        Binding("escape", "today", "Today"),
        Binding("r", "redrill", "Re-drill"),
        Binding("u", "undo", "Undo"),
        Binding("m", "app.mastery", "Mastery"),
        Binding("q", "today", "Back", show=False),
    ]

    def __init__(
        self,
        result: SessionResult,
        *,
        more: bool = False,
        session: Session | None = None,
        place: tuple[int, int] | None = None,
    ) -> None:
        super().__init__()
        self.result = result
        self.more = more
        #: The session reported, for undo and re-drill (``None``: neither).
        self.session = session
        #: "note 2 of 5" of the quiz this ends, kept for an undo.
        self.place = place
        r = result
        #: The report's lines by name, as plain text (note text cleaned).
        self.lines: dict[str, str] = {
            "title": one_line(head_line(r)),
            "score": score_line(r.correct, len(r.first), r.total),
            "outcome": safe_text(outcome_words(r)),
        }
        next_line, progress = r.next_line(), r.progress()
        if next_line is not None and progress is not None:
            self.lines["next"] = next_line
            self.lines["bar"] = progress_bar(progress)
        self.lines["write"] = safe_text(r.write_message)
        if r.log_problem:
            self.lines["log"] = safe_text(r.log_problem)
        if r.missed:
            self.lines["missed"] = safe_text("\n".join(f"• {c.question}" for c in r.missed))
        kind = r.outcome.kind if r.outcome else None
        #: ``passed`` or ``failed`` when the session decided a stage.
        self.mood = {Kind.STAGE_PASSED: "passed", Kind.FAILED: "failed"}.get(kind) if kind else None

    def report(self) -> Content:
        """Everything above the note's summary, as one piece of styled text.

        One widget, not one per line: the Summary is painted as part of the
        last grade of a note, and every widget mounted there costs that key.
        Styles name theme colours, so light and dark both work.
        """
        lines = self.lines
        colour = {"passed": "$success", "failed": "$error"}.get(self.mood or "", "")
        written = "$foreground-muted" if self.result.written else "$warning"
        parts: list[str | tuple[str, str]] = [
            (lines["title"], "bold $primary"),
            "\n",
            (lines["score"], "bold"),
            "\n",
            (lines["outcome"], colour),
        ]
        if "next" in lines:
            parts += ["\n", (lines["next"], "bold")]
        if "bar" in lines:
            parts += ["\n", lines["bar"]]
        parts += ["\n", (lines["write"], written)]
        if "log" in lines:
            parts += ["\n", (lines["log"], "$warning")]
        if "missed" in lines:
            parts += ["\n\n", ("Missed", HEADING), "\n", lines["missed"]]
        if self.result.sections.get("summary"):
            parts += ["\n\n", ("Summary of the note", HEADING)]
        return Content.assemble(*parts)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="summary"):
            yield Static(self.report(), id="report")
            summary = self.result.sections.get("summary")
            if summary:
                # One Rich renderable, not a Markdown widget tree: building
                # the tree for a long summary made the last grade of a note
                # take half a second. No hyperlinks, so no OSC 8 sequences.
                yield Static(
                    ObsidianMarkdown(safe_text(summary), hyperlinks=False), id="note-summary"
                )
        yield KeyBar()

    def on_mount(self) -> None:
        # Read before the next key: where a full collection goes unseen.
        self.call_after_refresh(collect_fully)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Off (and "not now" in the help) when there is nothing to act on.
        if action == "redrill":
            return isinstance(self.session, NoteSession) and bool(self.result.missed)
        if action == "undo":
            return self.session is not None and bool(self.result.graded)
        return True

    def action_redrill(self) -> None:
        """Drill the cards missed here once more: practice, no stage moves."""
        if not isinstance(self.session, NoteSession) or not self.result.missed:
            return
        self.quiz_app.show_quiz(self.session.redrill(), self.place)

    def action_undo(self) -> None:
        """Take back the last grade and show its card again.

        A stage the session passed is taken back with it, and the note's
        bytes as they were before (only over the bytes quiz wrote).
        """
        from quiz.session import UndoRefused

        if self.session is None:
            return
        try:
            card = self.session.undo()
        except UndoRefused as exc:
            self.notify(safe_text(str(exc)), title="Not undone", severity="error", markup=False)
            return
        if card is not None:
            self.notify("Undid the last grade", timeout=2)
            self.quiz_app.show_quiz(self.session, self.place)

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
