"""Commands that get the schedule and the deck out: calendar, notify, export.

``add_commands`` adds them to ``quiz``'s parser (see ``quiz.cli.main``).
Heavy imports (icalendar, genanki) wait until a command runs, so ``quiz
--help`` stays quick.

Every command refreshes the index first, so bad notes are reported and
skipped as everywhere else; a file that cannot be written, or a push that
cannot be delivered, is one clear line on stderr and exit status 1.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path

from quiz.cli.args import db_option, today_option, vault_dir
from quiz.config import Settings

Handler = Callable[[argparse.Namespace, Settings], int]


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"{value}: must be a whole number of at least 1")
    return number


def _clock(value: str) -> dt.timedelta:
    try:
        at = dt.time.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value}: not a time of day (use HH:MM)") from None
    return dt.timedelta(hours=at.hour, minutes=at.minute)


def _out(value: str) -> Path:
    path = Path(value).expanduser()
    # The output often sits in the vault; never let a typo replace a note.
    if path.suffix.casefold() == ".md":
        raise argparse.ArgumentTypeError(f"{value}: will not overwrite a Markdown file")
    return path


def _ntfy_url(value: str) -> str:
    from quiz.export.notify import check_url

    try:
        return check_url(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _common(cmd: argparse.ArgumentParser, *, today: bool = False) -> None:
    cmd.add_argument("vault", type=vault_dir, metavar="VAULT")
    if today:
        today_option(cmd)
    db_option(cmd)


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> dict[str, Handler]:
    """Add ``calendar``, ``notify`` and ``export`` to ``sub``; return their handlers."""
    cal = sub.add_parser("calendar", help="write the review days as an iCalendar (.ics) file")
    _common(cal, today=True)
    cal.add_argument("out", type=_out, metavar="OUT.ics", help="the file to write")
    cal.add_argument(
        "--days", type=_positive, default=60, metavar="N", help="days ahead to include (60)"
    )
    cal.add_argument(
        "--alarm",
        type=_clock,
        default=dt.timedelta(hours=9),
        metavar="HH:MM",
        help="reminder time on the day, local time (09:00)",
    )
    cal.add_argument("--no-alarm", action="store_true", help="events without a reminder")
    cal.add_argument("--name", metavar="TEXT", help="calendar name (default: from the vault)")

    push = sub.add_parser("notify", help="push today's due list to an ntfy topic")
    _common(push, today=True)
    push.add_argument(
        "--ntfy",
        type=_ntfy_url,
        required=True,
        metavar="URL",
        help="ntfy topic URL, e.g. https://ntfy.sh/my-secret-topic",
    )
    push.add_argument(
        "--dry-run", action="store_true", help="print what would be sent; send nothing"
    )
    push.add_argument("--always", action="store_true", help="send even when nothing is due")
    push.add_argument(
        "--limit", type=_positive, default=5, metavar="N", help="notes listed by name (5)"
    )
    push.add_argument(
        "--priority",
        choices=("min", "low", "default", "high", "max"),
        default="default",
        help="ntfy priority (default)",
    )
    push.add_argument(
        "--timeout", type=float, default=10.0, metavar="SECONDS", help="give up after (10)"
    )

    export = sub.add_parser("export", help="export the cards: Anki package or CSV/TSV")
    formats = export.add_subparsers(dest="export_format", required=True, metavar="FORMAT")
    anki = formats.add_parser("anki", help="an Anki package (.apkg), one deck per subject")
    _common(anki)
    anki.add_argument("out", type=_out, metavar="OUT.apkg", help="the file to write")
    table = formats.add_parser("csv", help="a CSV (or TSV) file, one row per card")
    _common(table)
    table.add_argument("out", type=_out, metavar="OUT.csv", help="the file to write")
    table.add_argument("--tsv", action="store_true", help="tab-separated (also for OUT.tsv)")
    return {"calendar": cmd_calendar, "notify": cmd_notify, "export": cmd_export}


def cmd_calendar(args: argparse.Namespace, settings: Settings) -> int:
    """``quiz calendar VAULT OUT.ics [--days N] [--today D]``."""
    from quiz.cli.common import refresh, warn
    from quiz.clock import utc_now
    from quiz.export import ExportError
    from quiz.export.calendar import write_calendar
    from quiz.store.queries import live_notes

    db = refresh(args, settings, verbose=False)
    today = args.today
    notes = live_notes(db)
    name = args.name or f"Reviews · {args.vault.resolve().name}"
    try:
        events = write_calendar(
            args.out,
            notes,
            today,
            args.days,
            settings.offsets,
            name=name,
            now=utc_now(),
            alarm=None if args.no_alarm else args.alarm,
        )
    except ExportError as exc:
        warn(f"quiz: {exc}")
        return 1
    last = today + dt.timedelta(days=args.days - 1)
    print(
        f"{len(events)} reviews of {len({e.note.path for e in events})} notes, "
        f"{today.isoformat()} to {last.isoformat()}, written to {args.out}"
    )
    new = sum(n.state.first_studied is None for n in notes)
    if new:
        what = "note not studied yet has" if new == 1 else "notes not studied yet have"
        print(f"{new} {what} no review days", file=sys.stderr)
    return 0


def cmd_notify(args: argparse.Namespace, settings: Settings) -> int:
    """``quiz notify VAULT --ntfy URL [--today D] [--dry-run] [--always]``."""
    from quiz.cli.common import refresh, warn
    from quiz.export.notify import NotifyError, build_push, redact, send
    from quiz.store.queries import due_notes
    from quiz.text import safe_text

    db = refresh(args, settings, verbose=False)
    today = args.today
    rows = due_notes(db, settings, today)
    if not rows and not args.always:
        print(f"Nothing is due on {today.isoformat()}: nothing sent (--always sends anyway).")
        return 0
    push = build_push(rows, today, args.ntfy, limit=args.limit, priority=args.priority)
    if args.dry_run:
        print(safe_text(push.describe()))
        return 0
    try:
        status = send(push, timeout=args.timeout)
    except NotifyError as exc:
        warn(f"quiz: {exc}")
        return 1
    print(f"Sent {len(rows)} due notes to {redact(push.url)} ({status}).")
    return 0


def cmd_export(args: argparse.Namespace, settings: Settings) -> int:
    """``quiz export anki|csv VAULT OUT``."""
    from quiz.cli.common import refresh, warn
    from quiz.export import ExportError, export_cards

    db = refresh(args, settings, verbose=False)
    try:
        if args.export_format == "anki":
            from quiz.export.anki import export_anki

            decks, notes, media = export_anki(export_cards(db), args.vault, args.out, warn)
            print(f"{notes} cards in {decks} decks, {media} media files, written to {args.out}")
        else:
            from quiz.export.table import is_tsv, write_table

            tsv = is_tsv(args.out, args.tsv)
            rows = write_table(db, args.out, tsv=tsv)
            print(f"{rows} cards written to {args.out} ({'TSV' if tsv else 'CSV'}, UTF-8)")
    except ExportError as exc:
        warn(f"quiz: {exc}")
        return 1
    return 0
