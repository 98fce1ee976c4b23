"""Thin commands over the core. See SPEC "Command line" for the contract."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from quiz.config import Settings, SettingsError, load_settings
from quiz.text import safe_json, safe_text

if TYPE_CHECKING:
    from sqlite_utils import Database


def warn(message: str) -> None:
    """One line on stderr, note text made safe for the terminal."""
    print(safe_text(message), file=sys.stderr)


def _vault(value: str) -> Path:
    path = Path(value).expanduser()
    if not path.is_dir():
        raise argparse.ArgumentTypeError(f"{value}: not a folder")
    return path


def build_parser() -> argparse.ArgumentParser:
    """The command-line grammar."""
    parser = argparse.ArgumentParser(
        prog="quiz", description="Flashcards from the cue questions of your Cornell notes."
    )
    from quiz import __version__

    parser.add_argument("--version", action="version", version=f"quiz {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    cards = sub.add_parser("cards", help="list the cards of a vault")
    cards.add_argument("vault", type=_vault, metavar="VAULT")
    cards.add_argument("--json", action="store_true", help="one JSON document on stdout")

    scan = sub.add_parser("scan", help="index a vault's notes and cards")
    scan.add_argument("vault", type=_vault, metavar="VAULT")
    scan.add_argument("--db", type=Path, metavar="PATH", help="database file (default: per vault)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``quiz`` console script."""
    args = build_parser().parse_args(argv)
    try:
        settings = load_settings(getattr(args, "vault", None))
    except SettingsError as exc:
        warn(f"quiz: {exc}")
        return 2
    handler = {"cards": cmd_cards, "scan": cmd_scan}[args.command]
    try:
        return handler(args, settings)
    except KeyboardInterrupt:
        warn("quiz: interrupted")
        return 130
    except BrokenPipeError:
        return 0


def open_store(args: argparse.Namespace) -> Database:
    """The database for ``args.vault`` (``--db`` wins over the default)."""
    from quiz.store import default_db_path, open_db

    return open_db(args.db or default_db_path(args.vault))


def cmd_cards(args: argparse.Namespace, settings: Settings) -> int:
    """``quiz cards VAULT [--json]``: read every note, print its cards."""
    from quiz.store.index import read_notes
    from quiz.vault import walk

    from quiz.notes.reader import NoteError

    out: list[dict[str, object]] = []
    for _, result in read_notes(list(walk(args.vault)), settings):
        if isinstance(result, NoteError):
            warn(f"{result} (skipped)")
            continue
        for w in result.warnings:
            warn(f"{result.path}: {w}")
        for card in result.cards:
            out.append(
                {
                    "id": card.id,
                    "note": card.note,
                    "title": result.title,
                    "subject": result.subject,
                    "question": card.question,
                    "answer": card.answer,
                    "line": card.line,
                    "repaired": result.repaired,
                }
            )
    if args.json:
        print(safe_json(out))
        return 0
    for row in out:
        print(safe_text(f"{row['note']}:{row['line']}  [{row['id']}]"))
        print(safe_text(f"  Q: {row['question']}"))
        answer = str(row["answer"]).replace("\n", "\n     ")
        print(safe_text(f"  A: {answer}"))
        print()
    notes = len({row["note"] for row in out})
    print(f"{len(out)} cards in {notes} notes", file=sys.stderr)
    return 0


def cmd_scan(args: argparse.Namespace, settings: Settings) -> int:
    """``quiz scan VAULT [--db PATH]``: bring the index up to date."""
    from quiz.store.index import scan

    db = open_store(args)
    with _progress("Scanning notes") as progress:
        report = scan(args.vault, db, settings, progress)
    for line in [*report.problems, *report.warnings]:
        warn(line)
    print(
        f"{report.notes} notes: {report.read} read, {report.unchanged} unchanged, "
        f"{report.gone} gone; {report.cards} cards; "
        f"{len(report.problems)} unreadable, {len(report.warnings)} warnings"
    )
    return 0


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
