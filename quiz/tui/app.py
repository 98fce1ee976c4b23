"""The quiz app: Today, Quiz, Summary and Mastery screens over the session core."""

from __future__ import annotations

import contextlib
import dataclasses
import importlib
import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.theme import Theme

from quiz.startup import collect_again, collect_fully, collect_fully_when_asked
from quiz.study import Study
from quiz.text import one_line, safe_text
from quiz.wording import plural

if TYPE_CHECKING:
    from sqlite_utils import Database

    from quiz.session import Session


#: Modules a session loads when it opens its first note (fsrs: the grade
#: keys' intervals), and Mastery's.
SESSION_MODULES = (
    "fsrs",
    "quiz.session",
    "quiz.notes.reader",
    "quiz.writeback.plan",
    "quiz.tui.quiz",
    "quiz.tui.mastery",
)


@dataclasses.dataclass(frozen=True, slots=True)
class Opening:
    """How the app brings its index up to date after the first paint.

    ``open`` runs in a worker thread: it opens the store (loading
    sqlite-utils), scans the vault, imports the review logs and writes the
    pending write-backs it can, and returns the store, the lines ``quiz
    study`` used to print on stderr, and what became of those write-backs
    (shown as notices). Until it
    is done the study's ``db`` is a plain read-only connection to the index
    as it was (``has_index``) or an empty one: Today reads it, and anything
    that needs the store (a session, Mastery) waits for the scan.
    """

    open: Callable[[], tuple[Database, list[str], list[str]]]
    has_index: bool


class QuizApp(App[int]):
    """Flashcards from the learner's Cornell notes."""

    CSS_PATH = "quiz.tcss"
    TITLE = "quiz"
    #: App-wide keys; each screen adds its own.
    BINDINGS = [
        Binding("ctrl+t", "toggle_theme", "Theme", show=False),
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("o", "open_link", "Open link", show=False),
    ]

    def __init__(
        self,
        study: Study,
        *,
        note: str | None = None,
        notices: Iterable[str] = (),
        opening: Opening | None = None,
    ) -> None:
        super().__init__()
        #: Lines to show once Today is up (pending write-backs written or dropped).
        self.notices = list(notices)
        #: The index, vault, settings, day and write-back switch of this run.
        self.study = study
        #: Set while the index is opened and scanned in a worker (see Opening).
        self.opening = opening
        #: What the scan found wrong (unreadable notes, a torn log line, ...):
        #: shown once, and printed on stderr when the app ends.
        self.scan_problems: list[str] = []
        #: Why the index could not be opened; raised again when the app ends.
        self.open_failure: Exception | None = None
        #: What the learner asked for while the scan ran, done when it ends.
        self._after_scan: Callable[[], None] | None = None
        self.start_note = note
        self.queue: list[str] = []
        #: Notes in the current run (``a``: all due), for "note 2 of 5".
        self.run_size = 0
        #: A web link the learner clicked, opened only when they press ``o``.
        self.pending_url: str | None = None
        #: An embedded file (``![[image.png]]``) chosen, opened on ``o``.
        self.pending_file: Path | None = None

    def on_mount(self) -> None:
        from quiz.tui.prefs import load_prefs
        from quiz.tui.today import TodayScreen

        theme = load_prefs().get("theme")
        if isinstance(theme, str) and theme in self.available_themes:
            self.theme = theme
        # Every change (ctrl+t, the palette's theme picker) is remembered.
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        self.push_screen(TodayScreen())
        self._show_notices(self.notices)
        # After Today's first paint has reached the terminal (its writer
        # thread): the collector (off since start-up, see quiz.startup) and
        # the scan must not delay it.
        self.call_after_refresh(self.set_timer, 0.1, self._after_first_paint)
        if self.start_note is not None:
            # Once Today is composed: a note that cannot start reloads it.
            self.call_after_refresh(self.start_notes, [self.start_note])

    # -- the index, brought up to date in a worker --------------------------

    @property
    def scanning(self) -> bool:
        """Whether the index is still being opened and scanned."""
        return self.opening is not None

    def _after_first_paint(self) -> None:
        if collect_again():  # started as `quiz study` starts (quiz.startup)
            collect_fully_when_asked()
        self._start_scan()

    def _start_scan(self) -> None:
        opening = self.opening
        if opening is not None:
            self.run_worker(
                lambda: self._scan(opening), thread=True, name="scan", exit_on_error=False
            )

    def _scan(self, opening: Opening) -> None:
        """In the worker thread: open and scan; hand the store to the UI thread."""
        try:
            db, problems, notices = opening.open()
        except Exception as exc:
            self.open_failure = exc
            self._from_worker(self.exit, 1)
            return
        # What opening the first note needs (the note reader, Markdown, YAML,
        # the quiz screen: 0.1-0.2 s), loaded here rather than on the UI
        # thread when the learner presses Enter.
        for module in SESSION_MODULES:
            importlib.import_module(module)
        # Kept here too: printed after the app ends even if it ends first.
        self.scan_problems = problems
        self._from_worker(self._scanned, db, notices)

    def _from_worker(self, callback: Callable[..., object], *args: object) -> None:
        # RuntimeError: the app has ended meanwhile.
        with contextlib.suppress(RuntimeError):
            self.call_from_thread(callback, *args)

    def _show_notices(self, notices: Iterable[str]) -> None:
        for line in notices:
            # The line names a note: plain text, never markup.
            self.notify(safe_text(line), title="Pending write-back", markup=False, timeout=10)

    def _scanned(self, db: Database, notices: list[str]) -> None:
        """On the UI thread: the store is ready; Today shows the scanned notes."""
        self.study = dataclasses.replace(self.study, db=db)
        self.opening = None
        self.notices.extend(notices)
        self._show_notices(notices)
        if self.scan_problems:
            self.notify(
                safe_text("\n".join(self.scan_problems[:5])),
                title=f"{plural(len(self.scan_problems), 'problem')} in the vault"
                + (" (all listed when you quit)" if len(self.scan_problems) > 5 else ""),
                severity="warning",
                timeout=10,
                markup=False,
            )
        self.refresh_today()
        after, self._after_scan = self._after_scan, None
        if after is not None:
            after()

    def _wait_for_scan(self, then: Callable[[], None]) -> bool:
        """While scanning: do ``then`` when the scan is done and say so; else False."""
        if not self.scanning:
            return False
        self._after_scan = then
        self.notify("Scanning the vault: this opens when the scan is done.", markup=False)
        return True

    # -- sessions --------------------------------------------------------

    def start_notes(self, paths: Iterable[str]) -> None:
        """Quiz these notes one after another."""
        paths = list(paths)
        if self._wait_for_scan(lambda: self.start_notes(paths)):
            return
        self.queue = paths
        self.run_size = len(self.queue)
        self.next_note()

    def next_note(self) -> None:
        """Open the next note of the queue, skipping ones that cannot start.

        A note whose session was left unfinished today is offered to resume
        at its first ungraded card (SPEC: what was graded is kept).
        """
        from quiz.tui.dialogs import ResumeScreen

        if not self.queue:
            self.refresh_today()
            return
        path = self.queue.pop(0)
        left = self.study.unfinished(path)
        if left is None:
            self._open(path, resume=False)
            return

        def chosen(resume: bool | None) -> None:
            self._open(path, resume=bool(resume))

        self.push_screen(ResumeScreen(left), chosen)

    def _open(self, path: str, *, resume: bool) -> None:
        """Quiz one note of the queue, or say why not and go on with the next."""
        # The session's modules come with the first session, not with Today.
        from quiz.session import SessionError
        from quiz.tui.quiz import QuizScreen

        try:
            session = self.study.open(path, resume=resume)
        except SessionError as exc:
            # The message holds the note's path: a file name may hold controls.
            self.notify(
                safe_text(str(exc)),
                title="Cannot quiz this note",
                severity="error",
                markup=False,
            )
            self.next_note()
            return
        # Notes that could not start still count: "note 3 of 5" stays the
        # third of the list the learner was shown.
        number = self.run_size - len(self.queue)
        place = (number, self.run_size) if self.run_size > 1 else None
        self.push_screen(QuizScreen(session, place=place))

    def show_quiz(self, session: Session, place: tuple[int, int] | None) -> None:
        """Quiz ``session`` in place of the current screen (a Summary's undo
        or re-drill)."""
        from quiz.tui.quiz import QuizScreen

        self.switch_screen(QuizScreen(session, place=place))

    def refresh_today(self) -> None:
        """Reload Today's lists from the store (after the scan, after a session)."""
        from quiz.tui.mastery import prefetch
        from quiz.tui.today import TodayScreen

        notes = None
        for screen in self.screen_stack:
            if isinstance(screen, TodayScreen):
                screen.reload()
                notes = screen.notes
        self.call_after_refresh(collect_fully)  # Today painted: a pause unseen
        if not self.scanning:
            # Mastery's figures for the index as it now is, made in a thread
            # once Today is painted (from the notes Today has just read):
            # the next visit finds them ready.
            self.call_after_refresh(prefetch, self, notes)

    def _remember_theme(self, theme: Theme) -> None:
        from quiz.tui.prefs import save_pref

        problem = save_pref("theme", theme.name)
        if problem:
            self.notify(
                safe_text(f"The theme is not remembered: {problem}"),
                severity="warning",
                markup=False,
            )

    def deliver_screenshot(
        self,
        filename: str | None = None,
        path: str | None = None,
        time_format: str | None = None,
    ) -> str | None:
        """Save an SVG of the screen to the current (or the configured) folder.

        Textual's own saves to ``~/Downloads`` and fails when it is missing.
        """
        folder = Path(path) if path else self.study.settings.screenshots
        try:
            folder = folder or Path.cwd()
            saved = self.save_screenshot(filename, str(folder), time_format)
        except OSError as exc:
            self.notify(
                safe_text(f"Not saved in {folder}: {exc.strerror or exc}"),
                title="Screenshot",
                severity="error",
                markup=False,
            )
            return None
        self.notify(safe_text(f"Saved {saved}"), title="Screenshot", markup=False)
        return saved

    # -- actions and commands ---------------------------------------------

    def action_toggle_theme(self) -> None:
        """Switch between the light and the dark theme."""
        self.theme = "textual-light" if self.current_theme.dark else "textual-dark"

    def action_help(self) -> None:
        """Show every key of the current screen."""
        from quiz.tui.dialogs import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def action_mastery(self) -> None:
        """Open the mastery view."""
        from quiz.tui.mastery import MasteryScreen

        if self._wait_for_scan(self.action_mastery):
            return
        if not isinstance(self.screen, MasteryScreen):
            self.push_screen(MasteryScreen())

    def action_due(self) -> None:
        """Start every due note, most overdue first."""
        from quiz.store.queries import due_notes

        if self._wait_for_scan(self.action_due):
            return
        study = self.study
        paths = [d.note.path for d in due_notes(study.db, study.settings, study.today)]
        if paths:
            self.start_notes(paths)
        else:
            self.notify("Nothing is due today.")

    def follow_link(self, href: str) -> None:
        """A clicked link in a note: other notes open here; the web only on a key.

        A web link is offered on ``o``; other schemes are ignored.
        """
        href = safe_text(href).strip()
        if href.startswith("embed:"):
            self.offer_embed(unquote(href.removeprefix("embed:")))
            return
        if href.startswith("wikilink:"):
            self.open_wikilink(unquote(href.removeprefix("wikilink:")))
            return
        if re.match(r"[a-z][a-z0-9+.-]*:", href, re.IGNORECASE):
            if href.lower().startswith(("http://", "https://")):
                self.pending_url, self.pending_file = href, None
                self.notify(one_line(f"Press o to open {href}"), title="Web link", markup=False)
            return
        self.open_note_text(unquote(href.split("#", 1)[0]))

    def open_wikilink(self, title: str) -> None:
        """Open ``[[title]]`` as Obsidian does: the note of that name anywhere."""
        from quiz.notes.ids import note_key

        name = title.rsplit("/", 1)[-1].removesuffix(".md")
        from quiz.store.cards import note_named

        path = note_named(self.study.db, note_key(name))
        if path is None:
            self.notify(f"No note named {name} in this vault", severity="warning", markup=False)
            return
        self.open_note_text(path)

    def open_note_text(self, target: str) -> None:
        """Show another note of the vault (a relative link) as text."""
        from quiz.tui.dialogs import TextScreen

        if not target:
            return
        root = self.study.vault.resolve()
        path = (root / target).resolve()
        if not path.suffix:
            path = path.with_suffix(".md")
        # Only notes: an image link in an answer must not be shown as text.
        if not path.is_relative_to(root) or path.suffix.lower() != ".md" or not path.is_file():
            self.notify(f"No note {target} in this vault", severity="warning", markup=False)
            return
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError as exc:
            self.notify(safe_text(f"{target}: {exc}"), severity="error", markup=False)
            return
        self.push_screen(TextScreen(path.stem, text))

    def action_open_link(self) -> None:
        """Open the web link or file offered last; else the shown embeds.

        With nothing offered, ``o`` opens the one ``![[file]]`` of the shown
        answer or notes, or lists them when there are several.
        """
        if self.pending_file is not None:
            self.open_file(self.pending_file)
            self.pending_file = None
            return
        if self.pending_url:
            self.open_url(self.pending_url)
            self.pending_url = None
            return
        from quiz.tui.answer import AnswerView
        from quiz.tui.dialogs import LinksScreen

        embeds = [
            e for view in self.screen.query(AnswerView) if view.display for e in view.embeds()
        ]
        if len(embeds) == 1:
            self.open_embed(unquote(embeds[0].removeprefix("embed:")))
        elif embeds:

            def chosen(href: str | None) -> None:
                if href is not None:
                    self.open_embed(unquote(href.removeprefix("embed:")))

            self.push_screen(LinksScreen(embeds), chosen)

    def _embed_path(self, target: str) -> Path | None:
        """The vault file an embed names, or ``None`` with a message."""
        from quiz.render.embeds import resolve_embed

        near = None
        for screen in reversed(self.screen_stack):
            session = getattr(screen, "session", None)
            if session is not None:
                # The file of the card on screen (a drill's cards span notes).
                card = session.current or (session.cards[-1] if session.cards else None)
                near = session.file_of(card) if card is not None else None
                break
        path = resolve_embed(self.study.vault, target, near)
        if path is None:
            self.notify(
                one_line(f"No file {target} in this vault"), severity="warning", markup=False
            )
        return path

    def offer_embed(self, target: str) -> None:
        """A clicked ``![[file]]``: offered, opened only when ``o`` is pressed."""
        path = self._embed_path(target)
        if path is not None:
            self.pending_file, self.pending_url = path, None
            self.notify(
                one_line(f"Press o to open {path.name}"), title="Embedded file", markup=False
            )

    def open_embed(self, target: str) -> None:
        """Open the vault file an embed names with the system's viewer."""
        path = self._embed_path(target)
        if path is not None:
            self.open_file(path)

    def open_file(self, path: Path) -> None:
        """Open ``path`` (a file inside the vault) with the system's viewer."""
        if sys.platform == "win32":  # pragma: no cover - not tested on Windows
            os.startfile(path)  # type: ignore[attr-defined]
            return
        command = ["open" if sys.platform == "darwin" else "xdg-open", str(path)]
        try:
            subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
        except OSError as exc:
            self.notify(
                safe_text(f"Cannot open {path.name}: {exc}"), severity="error", markup=False
            )

    def action_weakest(self) -> None:
        """Drill the vault's weakest cards (practice; no note changes)."""
        from quiz.session import SessionError
        from quiz.tui.quiz import QuizScreen

        if self._wait_for_scan(self.action_weakest):
            return
        try:
            session = self.study.weakest()
        except SessionError as exc:
            self.notify(safe_text(str(exc)), title="No drill yet", severity="warning", markup=False)
            return
        self.queue = []
        self.push_screen(QuizScreen(session))

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Study all due notes", "Quiz every due note in order", self.action_due)
        yield SystemCommand(
            "Drill the weakest cards", "Practise the cards you recall least", self.action_weakest
        )
        yield SystemCommand("Mastery", "Mastery per subject and textbook", self.action_mastery)
        yield SystemCommand("Toggle light/dark", "Switch the theme", self.action_toggle_theme)
        yield SystemCommand("Help", "Keys of this screen", self.action_help)
