"""Today: the due notes by subject, new notes apart, practice on an empty day."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Static

from quiz.store.queries import DueNote, NoteStatus, due_notes, live_notes
from quiz.text import safe_text
from quiz.tui.bars import KeyBar, TitleBar
from quiz.tui.base import AppScreen
from quiz.tui.notetable import NoteTable, Row
from quiz.tui.safe import plain
from quiz.wording import plural, stage_name, when_due

#: Today's cells drawn bold: the subject, and how overdue a note is.
SUBJECT_BOLD = frozenset({0})
OVERDUE_BOLD = frozenset({0, 3})

#: Rows per table: a table of thousands of rows took a second to lay out, and
#: nobody scrolls that far; the filter reaches the rest, ``a`` studies all.
MAX_ROWS = 200


def stage_cell(due: DueNote) -> str:
    """``💛 day 7`` the learner's way; with a pass not written yet,
    ``💛 day 7 · ⏳ not written: file changed``."""
    stage = stage_name(due.stage)
    return f"{stage} · {due.note.pending.mark}" if due.note.pending else stage


def title_cell(note: NoteStatus) -> str:
    """The note's title, and a new note's first study not written yet."""
    return f"{note.title} · {note.pending.mark}" if note.pending else note.title


def overdue_cell(due: DueNote) -> str:
    """``today`` or ``3 days overdue``."""
    return when_due(due.overdue)


class TodayScreen(AppScreen):
    """The first screen: what to review today."""

    #: Keys of the Today screen (the footer shows them).
    BINDINGS = [
        Binding("enter", "start", "Start note", show=True, priority=False),
        Binding("a", "app.due", "All due"),
        Binding("w", "app.weakest", "Weakest"),
        Binding("m", "app.mastery", "Mastery"),
        Binding("slash", "filter", "Filter", key_display="/"),
        Binding("escape", "clear_filter", "Clear filter", show=False),
        Binding("q", "app.quit", "Quit"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.filter_text = ""
        self._notes: list[NoteStatus] | None = None
        self._due: list[DueNote] = []
        self._empty: str | None = None  # why the vault gives no card, if it gives none

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with Vertical(id="today"):
            yield Static(id="today-title")
            yield NoteTable(("Subject", "Note", "Stage", "Due", "Cards"), id="due")
            yield Static(id="new-title")
            yield NoteTable(("Subject", "Note", "Cards"), id="new")
        yield KeyBar()

    def on_mount(self) -> None:
        self.reload()

    @property
    def notes(self) -> list[NoteStatus] | None:
        """The live notes as last read from the index (``None`` before)."""
        return self._notes

    def reload(self, *, focus: bool = True, refetch: bool = True) -> None:
        """Fill both tables, honouring the filter; ``refetch`` reads the store."""
        app = self.quiz_app
        study = app.study
        scanning = " · scanning…" if app.scanning else ""
        app.sub_title = safe_text(f"{study.today.isoformat()} · {study.vault.name}{scanning}")
        if app.opening is not None and not app.opening.has_index:
            # A first run: nothing to show until the scan has read the notes.
            self._notes, self._due = [], []
            self._empty = f"Scanning the notes of {study.vault}…"
        elif refetch or self._notes is None:
            # While scanning, the index as it was (the scan refreshes it).
            self._notes = live_notes(study.db)
            self._due = due_notes(study.db, study.settings, study.today, notes=self._notes)
            self._empty = None
            if not self._notes:
                self._empty = (
                    f"Scanning the notes of {study.vault}…"
                    if app.scanning
                    else study.why_no_cards()
                )
        due = [d for d in self._due if self._match(d.note)]
        notes = [n for n in self._notes if self._match(n)]
        fresh = [n for n in notes if n.state.first_studied is None]
        table = self.query_one("#due", NoteTable)
        rows: list[Row] = []
        title = self.query_one("#today-title", Static)
        if due:
            cards = sum(d.note.cards for d in due)
            shown = due[:MAX_ROWS]  # most overdue first
            more = len(due) - len(shown)
            title.update(
                plain(
                    f"Due today: {plural(len(due), 'note')}, {plural(cards, 'card')}"
                    " · Enter starts one, a all"
                    + (f" (the {MAX_ROWS} most overdue below; / filters)" if more else "")
                )
            )
            # Grouped by subject; within a subject, most overdue first.
            shown.sort(key=lambda d: (d.note.subject.casefold(), -d.overdue, d.note.title))
            last_subject = None
            for d in shown:
                subject = d.note.shelf[0]
                rows.append(
                    Row(
                        d.note.path,
                        (
                            subject if subject != last_subject else "",
                            d.note.title,
                            stage_cell(d),
                            overdue_cell(d),
                            str(d.note.cards),
                        ),
                        OVERDUE_BOLD if d.overdue else SUBJECT_BOLD,
                    )
                )
                last_subject = subject
        elif self._empty is not None:
            # No card in the whole vault: "nothing is due" would mislead.
            title.update(plain(self._empty))
        else:
            # An empty day offers every studied note for practice instead.
            title.update(
                plain(f"Nothing is due on {study.today.isoformat()}. Practise any note below.")
            )
            studied = [n for n in notes if n.state.first_studied is not None]
            rows = [
                Row(n.path, (n.shelf[0], n.title, "practice", "", str(n.cards)), SUBJECT_BOLD)
                for n in studied[:MAX_ROWS]
            ]
        table.set_rows(rows)
        new = self.query_one("#new", NoteTable)
        fresh.sort(key=lambda n: (n.subject.casefold(), n.title))
        new.set_rows(
            Row(n.path, (n.shelf[0], title_cell(n), str(n.cards))) for n in fresh[:MAX_ROWS]
        )
        self.query_one("#new-title", Static).update(plain(f"New notes: {len(fresh)}"))
        self.query_one("#new-title").display = bool(fresh)
        new.display = bool(fresh)
        if not focus:
            return
        if table.row_count:
            table.focus()
        elif new.row_count:
            new.focus()

    def _match(self, note: NoteStatus) -> bool:
        needle = self.filter_text.casefold()
        return not needle or needle in f"{note.title} {note.subject} {note.path}".casefold()

    @on(NoteTable.Chosen)
    def _start_row(self, event: NoteTable.Chosen) -> None:
        self.quiz_app.start_notes([event.key])

    def action_start(self) -> None:
        """Start the highlighted note."""
        table = (
            self.focused
            if isinstance(self.focused, NoteTable)
            else self.query_one("#due", NoteTable)
        )
        key = table.cursor_key
        if key is not None:
            self.quiz_app.start_notes([key])

    async def action_filter(self) -> None:
        """Show the filter box (made the first time: Today paints without it)."""
        found = self.query("#filter").results(Input)
        box = next(found, None)
        if box is None:
            box = Input(placeholder="Filter notes by title or subject", id="filter")
            await self.mount(box, before="#today")
        box.display = True
        box.focus()

    def action_clear_filter(self) -> None:
        """Hide the filter box and show everything."""
        for box in self.query("#filter").results(Input):
            box.value = ""
            box.display = False
        self.filter_text = ""
        self.reload()

    @on(Input.Changed, "#filter")
    def _filter(self, event: Input.Changed) -> None:
        self.filter_text = event.value
        self.reload(focus=False, refetch=False)

    @on(Input.Submitted, "#filter")
    def _filter_done(self) -> None:
        table = self.query_one("#due", NoteTable)
        (table if table.row_count else self.query_one("#new", NoteTable)).focus()
