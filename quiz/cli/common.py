"""What every command shares: one line on stderr, and the index brought up to date."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from quiz.cli.store import open_store
from quiz.config import Settings
from quiz.text import one_line, safe_text
from quiz.wording import plural

if TYPE_CHECKING:
    from sqlite_utils import Database


def warn(message: str) -> None:
    """One line on stderr, note text made safe for the terminal."""
    print(safe_text(message), file=sys.stderr)


def no_cue_line(count: int) -> str:
    """The scan report's one line about notes that are not Cornell notes."""
    have = "note has" if count == 1 else "notes have"
    return f"{count} {have} no cue section (not Cornell notes)"


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
    from quiz.store.index import scan

    db = open_store(args)
    with _progress("Scanning notes") as progress:
        report = scan(args.vault, db, settings, progress)
    for line in report.problems if not verbose else [*report.problems, *report.warnings]:
        warn(one_line(line))  # a name with a newline must not add a line
    # The index is a cache of the notes and the review logs in the vault.
    from quiz.store.log import import_logs

    for line in import_logs(db, args.vault, settings).warnings:
        warn(one_line(line))
    if write:
        from quiz.catchup import write_pending

        for line in write_pending(db, args.vault, settings):
            if notices is None:
                warn(one_line(line))
            else:
                notices.append(one_line(line))
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
