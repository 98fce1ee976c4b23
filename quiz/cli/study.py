"""The study commands: cards, scan, due, stats and study itself."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from quiz.cli.args import db_option, today_option, vault_dir
from quiz.cli.common import no_cue_line, refresh, warn
from quiz.config import Settings
from quiz.text import one_line, safe_json, safe_text
from quiz.wording import due_phrase, stage_name

if TYPE_CHECKING:
    from sqlite_utils import Database

Handler = Callable[[argparse.Namespace, Settings], int]


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> dict[str, Handler]:
    """Add ``cards``, ``scan``, ``study``, ``due`` and ``stats`` to ``sub``; their handlers."""
    cards = sub.add_parser("cards", help="list the cards of a vault")
    cards.add_argument("vault", type=vault_dir, metavar="VAULT")
    db_option(cards)
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
    return {
        "cards": cmd_cards,
        "scan": cmd_scan,
        "study": cmd_study,
        "due": cmd_due,
        "stats": cmd_stats,
    }


def cmd_cards(args: argparse.Namespace, settings: Settings) -> int:
    """``quiz cards VAULT [--json]``: read every note, print its cards.

    The ids are the index's: the reader alone cannot tell which of two
    same-named notes keeps the plain ids (that rule needs the history), so
    the index is brought up to date first (unreadable notes and folders are
    reported once, by that scan) and each card takes the id it has there.
    """
    from quiz.notes.reader import NoteError
    from quiz.store.cards import live_cards
    from quiz.store.index import read_notes, vault_notes

    db = refresh(args, settings, verbose=False, write=False)
    indexed: dict[tuple[str, int], str] = {
        (path, ordinal): cid for cid, path, ordinal, _, _ in live_cards(db)
    }
    out: list[dict[str, object]] = []
    files, templates = vault_notes(args.vault, lambda folder, exc: None)
    placeholders = templates.placeholders(settings)
    no_cues = 0
    for _, result in read_notes(files, settings, placeholders=placeholders):
        if isinstance(result, NoteError):
            continue
        no_cues += not result.has_cues
        for w in result.warnings:
            warn(one_line(f"{result.path}: {w}"))
        for card in result.cards:
            out.append(
                {
                    "id": indexed.get((result.path, card.ordinal), card.id),
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
        # A pass not written into the note yet: still due, and why it is.
        mark = f"  {r.note.pending.mark}" if r.note.pending else ""
        print(
            f"{stage_name(r.stage):<11} {r.day.isoformat()}  {due_phrase(r.overdue):<16} "
            f"{r.note.cards:>3} cards  [{one_line(r.note.subject)}] {one_line(r.note.path)}" + mark
        )
    return 0


def cmd_stats(args: argparse.Namespace, settings: Settings) -> int:
    """``quiz stats VAULT [--json]``: mastery per subject and textbook, and the habit."""
    from quiz.clock import utc_now
    from quiz.store.habits import habits
    from quiz.store.queries import live_notes, mastery, mastery_json
    from quiz.store.writebacks import pending_writes

    db = refresh(args, settings, verbose=False)
    # Recall is measured at this time of day on --today, so it agrees with
    # the accuracy windows when --today is not the real day.
    now = utc_now()
    notes = live_notes(db)
    rows = mastery(db, settings, args.today, dt.datetime.combine(args.today, now.timetz()), notes)
    habit = habits(db, settings, args.today, notes)
    if args.json:
        print(
            safe_json(
                {
                    "today": args.today.isoformat(),
                    "subjects": mastery_json(rows),
                    **habit.to_json(),
                    "pending_writebacks": [p.to_json() for p in pending_writes(db).values()],
                }
            )
        )
        return 0
    from quiz.report import print_mastery

    print_mastery(rows, habit)
    return 0


def cmd_study(args: argparse.Namespace, settings: Settings) -> int:
    """``quiz study [VAULT]``: the TUI, or ``--plain`` line mode."""
    from quiz.study import Study
    from quiz.vault import NotePathError, note_key

    if args.note is not None:
        # Refused before anything is read or indexed (SPEC "Paths and exit codes").
        try:
            args.note = note_key(args.vault, args.note)
        except NotePathError as exc:
            warn(one_line(f"quiz: --note {exc}"))  # names vault files
            return 2
    if args.plain:
        from quiz.plain import run_plain

        db = refresh(args, settings, verbose=False, write=not args.no_write)
        study = Study(db, args.vault, settings, args.today, write=not args.no_write)
        return run_plain(study, note=args.note)
    return _run_app(args, settings)


def _run_app(args: argparse.Namespace, settings: Settings) -> int:
    """The app, painted from the index as it is; the scan runs in its worker.

    Loading sqlite-utils and scanning the vault (``refresh``) come after the
    first paint of Today, which reads the index through a plain read-only
    connection (none on a first run: Today says it is scanning). What the
    scan would have printed on stderr is shown in the app and printed when
    it ends.
    """
    import sqlite3
    from typing import cast

    from quiz.cli.common import refresh_quietly
    from quiz.cli.store import index_path
    from quiz.store.schema import open_reader
    from quiz.study import Study
    from quiz.tui.app import Opening, QuizApp

    reader = open_reader(index_path(args))
    # Until the worker has opened the store, the study reads through the
    # plain connection (the app starts no session before; see Opening).
    first = reader if reader is not None else sqlite3.connect(":memory:")
    study = Study(
        cast("Database", first), args.vault, settings, args.today, write=not args.no_write
    )
    # What became of pending write-backs is shown as notifications.
    opening = Opening(
        lambda: refresh_quietly(args, settings, write=not args.no_write),
        has_index=reader is not None,
    )
    app = QuizApp(study, note=args.note, opening=opening)
    try:
        app.run()
    finally:
        first.close()
    for line in app.scan_problems:
        warn(line)
    if app.open_failure is not None:
        raise app.open_failure  # the index could not be used: one line (run_command)
    # Textual prints the traceback of a crash and sets return_code 1; it is
    # never a success (SPEC "Paths and exit codes").
    return 1 if app.return_code else 0
