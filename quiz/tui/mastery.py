"""Mastery per subject and textbook, reviews per day, and a subject's notes."""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import sqlite3
import threading
from collections.abc import Iterator
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, cast

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Static
from textual.worker import Worker, WorkerState

from quiz.charts import forecast_chart, habit_line, heatmap
from quiz.config import Settings
from quiz.report import pct, rate_bar
from quiz.schedule.stages import Stage, next_words
from quiz.store.habits import Habits, habits
from quiz.store.queries import Mastery, NoteStatus, live_notes, mastery, reviewed_live_cards
from quiz.text import safe_text
from quiz.tui.bars import KeyBar, TitleBar
from quiz.tui.base import AppScreen
from quiz.tui.safe import cell, plain

if TYPE_CHECKING:
    from sqlite_utils import Database

    from quiz.tui.app import QuizApp

#: Shown where the habit line goes while the figures are made.
COMPUTING = "Computing the figures…"


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """No garbage collection while the figures are made.

    They are some 100,000 short-lived objects (a state per note, a row per
    reviewed card) without cycles; in the app's large heap the collector's
    passes over them took about a quarter of Mastery's time on 10k notes.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


@dataclass(frozen=True, slots=True)
class Figures:
    """What the Mastery screen shows: the table's rows and the habit charts."""

    rows: list[Mastery]
    habits: Habits


def index_file(db: Database) -> Path | None:
    """The file behind the index connection, or ``None`` (an in-memory index)."""
    for _seq, name, file in db.execute("PRAGMA database_list"):
        if name == "main":
            return Path(file) if file else None
    return None


def figures(
    db: Database,
    settings: Settings,
    today: dt.date,
    now: dt.datetime,
    notes: list[NoteStatus] | None = None,
) -> Figures:
    """Mastery's table and charts, the notes read once for both (``notes``:
    the live notes read already, from the index in the same state)."""
    with _collector_paused():
        if notes is None:
            notes = live_notes(db)
        cards = reviewed_live_cards(db)
        return Figures(
            mastery(db, settings, today, now, notes, cards),
            habits(db, settings, today, notes, cards),
        )


def figures_of_file(
    path: Path,
    settings: Settings,
    today: dt.date,
    now: dt.datetime,
    notes: list[NoteStatus] | None = None,
) -> Figures:
    """``figures`` through a read-only connection of its own (for a worker thread).

    Read in one transaction: a session or a scan writing meanwhile shows in
    all of the figures or in none.
    """
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=5.0)
    try:
        conn.execute("BEGIN")
        return figures(cast("Database", conn), settings, today, now, notes)
    finally:
        conn.close()


#: How long figures made earlier are shown again while the index has not
#: changed: recall drifts with the clock, slowly.
KEEP = dt.timedelta(minutes=5)

#: What makes a visit's figures those of an earlier one: the index file, the
#: learner's day, and the index's state as one connection sees it (see
#: ``index_state``).
CacheKey = tuple[Path, dt.date, int, int, int]

#: The figures of the latest visit, with when they were made.
_made: dict[CacheKey, tuple[dt.datetime, Figures]] = {}


def index_state(db: Database) -> tuple[int, int, int]:
    """Numbers that change with every write to the index, as seen by this
    connection (its id: both counters are its own): SQLite's
    ``data_version`` (commits by other connections: another quiz, the
    scan's) and the connection's ``total_changes`` (its own writes)."""
    conn = cast("sqlite3.Connection", getattr(db, "conn", db))
    (version,) = conn.execute("PRAGMA data_version").fetchone()
    return id(conn), int(version), conn.total_changes


def kept_figures(key: CacheKey, now: dt.datetime) -> Figures | None:
    """Figures made for ``key`` less than ``KEEP`` ago, if any."""
    found = _made.get(key)
    if found is None or not dt.timedelta(0) <= now - found[0] < KEEP:
        return None
    return found[1]


def keep_figures(key: CacheKey, now: dt.datetime, made: Figures) -> None:
    """Remember the latest visit's figures (only those: one vault at a time)."""
    _made.clear()
    _made[key] = (now, made)


#: Figures being made in a thread of their own, by key: a visit that finds
#: its key here waits for them rather than making them a second time.
_making: dict[CacheKey, Future[Figures]] = {}
_making_lock = threading.Lock()


def start_figures(
    key: CacheKey,
    path: Path,
    settings: Settings,
    today: dt.date,
    now: dt.datetime,
    notes: list[NoteStatus] | None = None,
) -> Future[Figures]:
    """The figures of the index ``path`` for ``key``, made once.

    Those kept for ``key`` (done already); else those a thread is making
    for it (the prefetch after the start-up scan, or an earlier visit);
    else made from now in a thread of their own on a connection of their
    own (``figures_of_file``; ``notes``: the live notes of the index in
    the state ``key`` names, read already), and kept when done.
    """
    with _making_lock:
        kept = kept_figures(key, now)
        if kept is not None:
            done: Future[Figures] = Future()
            done.set_result(kept)
            return done
        making = _making.get(key)
        if making is None:
            making = _making[key] = Future()
            args = (making, key, path, settings, today, now, notes)
            threading.Thread(target=_make, args=args, name="mastery-figures", daemon=True).start()
        return making


def _make(
    made: Future[Figures],
    key: CacheKey,
    path: Path,
    settings: Settings,
    today: dt.date,
    now: dt.datetime,
    notes: list[NoteStatus] | None,
) -> None:
    """In the figures' thread: make, keep and hand over (``start_figures``)."""
    try:
        figures = figures_of_file(path, settings, today, now, notes)
    except BaseException as exc:  # handed to whoever waits
        with _making_lock:
            del _making[key]
        made.set_exception(exc)
        return
    with _making_lock:
        keep_figures(key, now, figures)
        del _making[key]
    made.set_result(figures)


def prefetch(app: QuizApp, notes: list[NoteStatus] | None = None) -> None:
    """Start making Mastery's figures for the index as it is now (``notes``:
    its live notes, as Today has just read them: half the figures' work).

    Called once the start-up scan is done and after each session (when
    Today is reloaded), so a visit to Mastery finds them made (or being
    made: it waits for them, briefly). They are kept
    under the index's state as the app's connection sees it now, so a
    write before that visit (a session) has them made again.
    """
    study = app.study
    path = index_file(study.db)
    if path is None:
        return  # an index in memory has no second connection
    key: CacheKey = (path, study.today, *index_state(study.db))
    if notes is not None:
        # For a visit after these figures have expired: the index unchanged,
        # the notes need not be read again (``notes_read_for``).
        global _notes_read
        _notes_read = (key, notes)
    start_figures(key, path, study.settings, study.today, study.clock(), notes)


#: The live notes Today read last, and the index state it read them in.
_notes_read: tuple[CacheKey, list[NoteStatus]] | None = None


def notes_read_for(key: CacheKey) -> list[NoteStatus] | None:
    """The live notes of the index in the state ``key`` names, if Today has
    read them (``prefetch``); ``None`` if the index has changed since."""
    read = _notes_read
    return read[1] if read is not None and read[0] == key else None


#: How long a visit waits for figures being made before it paints without
#: them (made in about 0.3 s on 10,000 notes): within the 300 ms a visit may
#: take, and short enough that the UI thread, blocked meanwhile, stays
#: responsive (keys pressed then are handled after).
WAIT = dt.timedelta(milliseconds=250)


class MasteryScreen(AppScreen):
    """One row per subject and textbook."""

    #: Keys of the mastery view.
    BINDINGS = [
        Binding("enter", "drill", "Notes of subject"),
        Binding("escape", "app.pop_screen", "Back"),
        Binding("q", "app.pop_screen", "Back", show=False),
    ]

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with Vertical(id="mastery"):
            yield DataTable(id="mastery-table", cursor_type="row")
            # The habit charts: today's work and streak, twelve weeks of
            # reviews, thirty days ahead.
            with Vertical(id="habits"):
                yield Static(id="habit-line")
                with Horizontal(id="charts"):
                    yield Static(id="heatmap")
                    yield Static(id="forecast")
        yield KeyBar()

    def on_mount(self) -> None:
        self.sub_title = "Mastery"
        # Row key -> (subject, textbook or None for the subject's own row).
        self.targets: dict[str, tuple[str, str | None]] = {}
        table = self.query_one("#mastery-table", DataTable)
        table.add_columns(
            "Subject / textbook",
            "Notes",
            "Cards",
            "Learning rate",
            "LT",
            "Due",
            "7d",
            "30d",
            "Recall",
        )
        table.focus()

    #: Whether the table and charts show the figures of the latest visit
    #: (they are made in a worker after the screen's first paint).
    filled = False

    def on_screen_resume(self) -> None:
        # Made each time the screen comes back, so a session started from
        # a subject's notes shows in the figures on the way back.
        self.filled = False
        study = self.quiz_app.study
        path = index_file(study.db)
        if path is None:
            # An index in memory has no second connection: made here.
            self._fill(figures(study.db, study.settings, study.today, study.clock()))
            return
        now = study.clock()
        key: CacheKey = (path, study.today, *index_state(study.db))
        kept = kept_figures(key, now)
        if kept is not None:
            # Nothing was written since the last visit: its figures.
            self._fill(kept)
            return
        ready = start_figures(key, path, study.settings, study.today, now, notes_read_for(key))
        made: Figures | None
        try:
            # The UI thread waits (briefly) rather than paint meanwhile: the
            # figures' thread has the interpreter to itself, and the screen
            # paints once, filled.
            made = ready.result(timeout=WAIT.total_seconds())
        except TimeoutError:
            made = None
        except Exception:
            made = self._made_here()
        if made is not None:
            self._fill(made)
            return
        # Slower than that (a loaded machine, a larger vault): the screen
        # paints first and a worker fills the figures in when they are made.
        self.query_one("#habit-line", Static).update(COMPUTING)
        self.run_worker(
            ready.result,
            thread=True,
            exclusive=True,
            group="mastery-figures",
            exit_on_error=False,
        )

    @on(Worker.StateChanged)
    def _figures_made(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if worker.group != "mastery-figures":
            return
        if worker.state == WorkerState.SUCCESS and isinstance(worker.result, Figures):
            self._fill(worker.result)
        elif worker.state == WorkerState.ERROR:
            self._fill(self._made_here())

    def _made_here(self) -> Figures:
        """The figures made on the UI thread, through the app's connection:
        for when the index could not be read on a connection of their own
        (locked, gone), where an error reaches the learner as any other would."""
        study = self.quiz_app.study
        return figures(study.db, study.settings, study.today, study.clock())

    def _fill(self, made: Figures) -> None:
        """Show the figures in the table and the charts."""
        table = self.query_one("#mastery-table", DataTable)
        row = table.cursor_row
        table.clear()
        self.targets.clear()
        for m in made.rows:
            self._add(table, m, 0, m.name)
            for book in m.textbooks:
                self._add(table, book, 1, m.name)
        table.move_cursor(row=row)
        self._show_habits(made.habits)
        self.filled = True

    def _show_habits(self, h: Habits) -> None:
        """Fill the charts area (dates and counts only: no note text)."""
        self.query_one("#habit-line", Static).update(plain(habit_line(h)))
        self.query_one("#heatmap", Static).update(heatmap(h.per_day))
        self.query_one("#forecast", Static).update(forecast_chart(h.forecast))

    def _add(self, table: DataTable[object], m: Mastery, depth: int, subject: str) -> None:
        # Keys are row numbers, not names: a name may hold any character, and a
        # textbook may be called like its subject.
        key = str(len(self.targets))
        self.targets[key] = (subject, m.name if depth else None)
        # The other columns take about 58 cells; long textbook titles give way
        # (by display width, so Korean counts double) to keep 80 columns.
        name = cell(("  " * depth) + m.name, "bold" if depth == 0 else "")
        width = max(14, self.app.size.width - 60)
        if name.cell_len > width:
            # Cropped then ellipsised: Rich's "ellipsis" pads a cut wide
            # character with a space ("바로 쓰 …").
            name.truncate(width - 1)
            name.rstrip()
            name.append("…")
        table.add_row(
            name,
            cell(str(m.notes)),
            cell(str(m.cards)),
            cell(f"{rate_bar(m.learning_rate)} {pct(m.learning_rate)}"),
            cell(str(m.long_term)),
            cell(str(m.due)),
            cell(pct(m.accuracy_7d)),
            cell(pct(m.accuracy_30d)),
            cell(pct(m.retrievability)),
            key=key,
        )

    @on(DataTable.RowSelected, "#mastery-table")
    def _selected(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value in self.targets:
            self.app.push_screen(SubjectScreen(*self.targets[event.row_key.value]))

    def action_drill(self) -> None:
        """Open the highlighted subject's notes."""
        table = self.query_one("#mastery-table", DataTable)
        if table.row_count:
            table.action_select_cursor()


class SubjectScreen(AppScreen):
    """A subject's (or textbook's) notes with their stage flags."""

    #: Keys of the subject view.
    BINDINGS = [
        Binding("enter", "start", "Study note"),
        Binding("escape", "app.pop_screen", "Back"),
        Binding("q", "app.pop_screen", "Back", show=False),
    ]

    def __init__(self, subject: str, textbook: str | None) -> None:
        super().__init__()
        self.subject = subject
        self.textbook = textbook

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield DataTable(id="subject-notes", cursor_type="row", zebra_stripes=True)
        yield KeyBar()

    def on_mount(self) -> None:
        # The title bar shows titles as text, never markup; controls removed here.
        self.sub_title = safe_text(self.subject + (f" · {self.textbook}" if self.textbook else ""))
        table = self.query_one("#subject-notes", DataTable)
        table.add_columns("Note", *(s.emoji for s in Stage), "Next")
        table.focus()

    def on_screen_resume(self) -> None:
        # Filled each time the screen comes back: after studying one of these
        # notes its flags have changed.
        study = self.quiz_app.study
        table = self.query_one("#subject-notes", DataTable)
        row = table.cursor_row
        table.clear()
        for n in live_notes(study.db):
            subject, textbook = n.shelf
            if subject != self.subject or self.textbook not in (None, textbook):
                continue
            flags = [cell("✔" if done else "·") for done in n.state.done]
            # The next stage and its day: "💚 day 14 · 12-02", "💛 day 7 · today".
            nxt = next_words(n.state, study.today, study.settings.offsets)
            table.add_row(cell(n.title), *flags, cell(nxt), key=n.path)
        table.move_cursor(row=row)

    @on(DataTable.RowSelected, "#subject-notes")
    def _selected(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is not None:
            self.quiz_app.start_notes([event.row_key.value])

    def action_start(self) -> None:
        """Study the highlighted note."""
        table = self.query_one("#subject-notes", DataTable)
        if table.row_count:
            table.action_select_cursor()
