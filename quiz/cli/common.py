"""What every command shares: one line on stderr, and the index brought up to date."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from quiz.cli.store import open_store
from quiz.config import Settings
from quiz.text import one_line, safe_text
from quiz.wording import plural

if TYPE_CHECKING:
    from sqlite_utils import Database

    from quiz.store.index import ScanReport


def warn(message: str) -> None:
    """One line on stderr, note text made safe for the terminal."""
    print(safe_text(message), file=sys.stderr)


def no_cue_line(count: int) -> str:
    """The scan report's one line about notes that are not Cornell notes."""
    have = "note has" if count == 1 else "notes have"
    return f"{count} {have} no cue section (not Cornell notes)"


def refresh_quietly(
    args: argparse.Namespace, settings: Settings, *, write: bool = True
) -> tuple[Database, list[str], list[str]]:
    """``refresh`` printing nothing: the store, the lines it would print on
    stderr, and what became of the pending write-backs (``write``: written now).

    For ``quiz study``'s app, which runs it in a worker thread while the
    terminal is its own: the lines are shown there and printed after it ends.
    """
    lines: list[str] = []
    db = open_store(args, notice=lambda line: lines.append(f"quiz: {line}"))
    problems, _ = _update(db, args, settings, None)
    notices = _write_pending(db, args, settings) if write else []
    return db, [*lines, *problems], notices


def _write_pending(db: Database, args: argparse.Namespace, settings: Settings) -> list[str]:
    """Write the pending write-backs that can be written now; one line for each."""
    from quiz.catchup import write_pending

    return [one_line(line) for line in write_pending(db, args.vault, settings)]


def _update(
    db: Database,
    args: argparse.Namespace,
    settings: Settings,
    progress: Callable[[int, int], None] | None,
    *,
    verbose: bool = False,
) -> tuple[list[str], ScanReport]:
    """Scan the vault and import the review logs into ``db``; the lines to warn with."""
    from quiz.store.index import scan

    report = scan(args.vault, db, settings, progress)
    lines = report.problems if not verbose else [*report.problems, *report.warnings]
    # The index is a cache of the notes and the review logs in the vault.
    from quiz.store.log import import_logs

    lines = [*lines, *import_logs(db, args.vault, settings).warnings]
    return [one_line(line) for line in lines], report  # a name with a newline must not add a line


def refresh(
    args: argparse.Namespace,
    settings: Settings,
    *,
    verbose: bool,
    listing: bool = False,
    write: bool = True,
    notices: list[str] | None = None,
) -> Database:
    """Open the store and bring it up to date with the vault (incremental).

    ``verbose`` prints the scan report (``quiz scan``); ``listing`` also
    lists the notes without a cue section (``quiz scan --verbose``). Then the
    pending write-backs that can be written now are written (unless ``write``
    is off: ``--no-write``), each said in one line on stderr, or added to
    ``notices`` (the app shows them).
    """
    db = open_store(args)
    with _progress("Scanning notes") as progress:
        lines, report = _update(db, args, settings, progress, verbose=verbose)
    for line in lines:
        warn(line)
    if write:
        for line in _write_pending(db, args, settings):
            if notices is None:
                warn(line)
            else:
                notices.append(line)
    if verbose:
        print(
            f"{report.notes} notes: {report.read} read, {report.unchanged} unchanged, "
            f"{report.gone} gone; {report.cards} cards; "
            f"{len(report.problems)} unreadable, {len(report.warnings)} warnings"
        )
        if report.templates:
            print(f"{plural(report.templates, 'template note')} skipped (they give no cards)")
        if report.no_cues:
            more = "" if listing else "; --verbose lists them"
            print(no_cue_line(len(report.no_cues)) + more)
        if listing:
            for path in report.no_cues:
                print(safe_text(f"  {path}"))
    return db


class _progress:
    """A Rich progress bar on stderr, shown only on a terminal and long scans."""

    def __init__(self, label: str) -> None:
        self.label = label
        self._bar: object | None = None
        self._task: object | None = None

    def __enter__(self) -> _progress:
        return self

    def __call__(self, done: int, total: int) -> None:
        if self._bar is None:
            if total < 200 or not sys.stderr.isatty():
                return
            from rich.console import Console
            from rich.progress import Progress

            bar = Progress(console=Console(stderr=True), transient=True)
            bar.start()
            self._bar, self._task = bar, bar.add_task(self.label, total=total)
        self._bar.update(self._task, completed=done)  # type: ignore[attr-defined]

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()  # type: ignore[attr-defined]
