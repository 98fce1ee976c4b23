"""Thin commands over the core. See SPEC "Command line" for the contract."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from quiz.cli_args import db_option, today_option, vault_dir
from quiz.cli_export import add_commands as add_export_commands
from quiz.cli_store import add_doctor, cmd_doctor, open_store, run_command
from quiz.config import Settings, SettingsError, load_settings
from quiz.text import one_line, plural, safe_json, safe_text

if TYPE_CHECKING:
    from sqlite_utils import Database


#: Handlers of commands defined in other modules (calendar, notify, export).
_EXTRA_HANDLERS: dict[str, Callable[[argparse.Namespace, Settings], int]] = {}


def warn(message: str) -> None:
    """One line on stderr, note text made safe for the terminal."""
    print(safe_text(message), file=sys.stderr)


def build_parser() -> argparse.ArgumentParser:
    """The command-line grammar."""
    parser = argparse.ArgumentParser(
        prog="quiz", description="Flashcards from the cue questions of your Cornell notes."
    )
    from quiz import __version__

    parser.add_argument("--version", action="version", version=f"quiz {__version__}")
    # Not required: ``quiz`` alone opens the default vault or prints QUICK_START.
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    cards = sub.add_parser("cards", help="list the cards of a vault")
    cards.add_argument("vault", type=vault_dir, metavar="VAULT")
    cards.add_argument("--json", action="store_true", help="one JSON document on stdout")

    scan = sub.add_parser("scan", help="index a vault's notes and cards")
    scan.add_argument("vault", type=vault_dir, metavar="VAULT")
    db_option(scan)
    scan.add_argument(
        "--verbose", action="store_true", help="also list the notes without a cue section"
    )

    study = sub.add_parser("study", help="quiz yourself on due notes (or one note)")
    study.add_argument("vault", type=vault_dir, metavar="VAULT", nargs="?")
    study.add_argument("--note", metavar="REL_PATH", help="quiz this note (path inside VAULT)")
    today_option(study)
    db_option(study)
    study.add_argument("--no-write", action="store_true", help="never write to the notes")
    study.add_argument(
        "--plain", action="store_true", help="line-based, no TUI (scripts, screen readers)"
    )

    due = sub.add_parser("due", help="notes with a review due, most overdue first")
    due.add_argument("vault", type=vault_dir, metavar="VAULT")
    today_option(due)
    db_option(due)
    due.add_argument("--json", action="store_true", help="one JSON document on stdout")

    stats = sub.add_parser("stats", help="mastery per subject and textbook")
    stats.add_argument("vault", type=vault_dir, metavar="VAULT")
    today_option(stats)
    db_option(stats)
    stats.add_argument("--json", action="store_true", help="one JSON document on stdout")
    add_doctor(sub)
    _EXTRA_HANDLERS.update(add_export_commands(sub))
    return parser


QUICK_START = """\
quiz: flashcards from the cue questions of your Cornell notes.

Quick start:
  quiz study VAULT               quiz yourself on what is due (the app)
  quiz study VAULT --note PATH   one note, by its path inside VAULT
  quiz study VAULT --plain       line by line, for scripts and screen readers
  quiz due VAULT                 what is due, most overdue first
  quiz --help                    every command

With [vault] default = "~/Notes" in {settings}
`quiz` alone opens that vault.
"""


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``quiz`` console script.

    Exit codes: 0 done, 1 a runtime failure, 2 a usage error (bad arguments,
    ``--note``, date or settings).
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        settings = load_settings(getattr(args, "vault", None))
        if args.command is None:
            if settings.default_vault is None:
                from quiz.config import user_settings_path

                print(QUICK_START.format(settings=user_settings_path()), end="")
                return 0
            args = parser.parse_args(["study"])
        if args.command == "study" and args.vault is None:
            if settings.default_vault is None:
                parser.error("study: no VAULT given and no [vault] default in quiz.toml")
            if not settings.default_vault.is_dir():
                raise SettingsError(
                    f"{settings.source}: vault.default: {settings.default_vault}: not a folder"
                )
            args.vault = settings.default_vault
            settings = load_settings(args.vault)
    except SettingsError as exc:
        warn(f"quiz: {exc}")
        return 2
    if getattr(args, "today", "unset") is None:
        args.today = dt.date.today()
    handler = {
        "cards": cmd_cards,
        "scan": cmd_scan,
        "study": cmd_study,
        "due": cmd_due,
        "stats": cmd_stats,
        "doctor": cmd_doctor,
        **_EXTRA_HANDLERS,
    }[args.command]
    try:
        return run_command(handler, args, settings)
    except KeyboardInterrupt:
        warn("quiz: interrupted")
        return 130
    except BrokenPipeError:
        return 0


def cmd_cards(args: argparse.Namespace, settings: Settings) -> int:
    """``quiz cards VAULT [--json]``: read every note, print its cards."""
    from quiz.notes.reader import NoteError
    from quiz.store.index import read_notes, vault_notes
    from quiz.vault import unreadable_folder

    out: list[dict[str, object]] = []
    files, templates = vault_notes(
        args.vault, lambda folder, exc: warn(one_line(unreadable_folder(folder, exc)))
    )
    placeholders = templates.placeholders(settings)
    no_cues = 0
    for _, result in read_notes(files, settings, placeholders=placeholders):
        if isinstance(result, NoteError):
            warn(one_line(f"{result} (skipped)"))
            continue
        no_cues += not result.has_cues
        for w in result.warnings:
            warn(one_line(f"{result.path}: {w}"))
        for card in result.cards:
            out.append(
                {
                    "id": card.id,
                    "note": card.note,
                    "title": result.title,
                    "subject": result.subject,
                    "question": card.question,
                    "answer": card.answer,
                    "answer_source": card.answer_source,
                    "answer_from": card.answer_from,
                    "line": card.line,
                    "repaired": result.repaired,
                }
            )
    if no_cues:
        print(no_cue_line(no_cues), file=sys.stderr)
    if args.json:
        print(safe_json(out))
        return 0
    for row in out:
        print(one_line(f"{row['note']}:{row['line']}  [{row['id']}]"))
        print("  Q: " + one_line(str(row["question"])))
        answer = str(row["answer"]).replace("\n", "\n     ")
        print(safe_text(f"  A: {answer}"))
        if row["answer_from"]:
            print(safe_text(f"     (answer from {row['answer_from']})"))
        print()
    notes = len({row["note"] for row in out})
    print(f"{len(out)} cards in {notes} notes", file=sys.stderr)
    return 0


def no_cue_line(count: int) -> str:
    """The scan report's one line about notes that are not Cornell notes."""
    have = "note has" if count == 1 else "notes have"
    return f"{count} {have} no cue section (not Cornell notes)"


def refresh(
    args: argparse.Namespace, settings: Settings, *, verbose: bool, listing: bool = False
) -> Database:
    """Open the store and bring it up to date with the vault (incremental).

    ``verbose`` prints the scan report (``quiz scan``); ``listing`` also
    lists the notes without a cue section (``quiz scan --verbose``).
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


def cmd_scan(args: argparse.Namespace, settings: Settings) -> int:
    """``quiz scan VAULT [--db PATH] [--verbose]``: bring the index up to date."""
    refresh(args, settings, verbose=True, listing=args.verbose)
    return 0


def cmd_due(args: argparse.Namespace, settings: Settings) -> int:
    """``quiz due VAULT [--today D] [--json]``: notes with a due stage."""
    from quiz.store.queries import due_notes

    db = refresh(args, settings, verbose=False)
    rows = due_notes(db, settings, args.today)
    if args.json:
        print(safe_json([r.to_json() for r in rows]))
        return 0
    if not rows:
        print(f"Nothing is due on {args.today.isoformat()}.")
        return 0
    for r in rows:
        late = (
            f"{r.overdue} day{'s' if r.overdue > 1 else ''} overdue" if r.overdue else "due today"
        )
        print(
            f"{r.stage.emoji} {r.stage.label:<9} {r.day.isoformat()}  {late:<16} "
            f"{r.note.cards:>3} cards  [{one_line(r.note.subject)}] {one_line(r.note.path)}"
        )
    return 0


def cmd_stats(args: argparse.Namespace, settings: Settings) -> int:
    """``quiz stats VAULT [--json]``: mastery per subject and textbook."""
    from quiz.session import utc_now
    from quiz.store.queries import mastery, mastery_json, reviews_per_day

    db = refresh(args, settings, verbose=False)
    # Recall is measured at this time of day on --today, so it agrees with
    # the accuracy windows when --today is not the real day.
    now = utc_now()
    rows = mastery(db, settings, args.today, dt.datetime.combine(args.today, now.timetz()))
    if args.json:
        print(
            safe_json(
                {
                    "today": args.today.isoformat(),
                    "subjects": mastery_json(rows),
                    "reviews_per_day": [
                        {"day": d, "reviews": n} for d, n in reviews_per_day(db, args.today)
                    ],
                }
            )
        )
        return 0
    from quiz.report import print_mastery

    print_mastery(rows, reviews_per_day(db, args.today))
    return 0


def cmd_study(args: argparse.Namespace, settings: Settings) -> int:
    """``quiz study [VAULT]``: the TUI, or ``--plain`` line mode."""
    from quiz.session import Study
    from quiz.vault import NotePathError, note_key

    if args.note is not None:
        # Refused before anything is read or indexed (SPEC "Paths and exit codes").
        try:
            args.note = note_key(args.vault, args.note)
        except NotePathError as exc:
            warn(one_line(f"quiz: --note {exc}"))  # names vault files
            return 2
    db = refresh(args, settings, verbose=False)
    study = Study(db, args.vault, settings, args.today, write=not args.no_write)
    if args.plain:
        from quiz.plain import run_plain

        return run_plain(study, note=args.note)
    from quiz.tui.app import QuizApp

    app = QuizApp(study, note=args.note)
    app.run()
    # Textual prints the traceback of a crash and sets return_code 1; it is
    # never a success (SPEC "Paths and exit codes").
    return 1 if app.return_code else 0


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
