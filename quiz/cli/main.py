"""``quiz``: the one entry point; parses the command line, sets the day once, runs a command.

See SPEC "Command line" for the contract.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from quiz import clock
from quiz.cli import export, store, study
from quiz.cli.common import warn
from quiz.cli.store import run_command
from quiz.config import SettingsError, load_settings
from quiz.startup import collect_again, pause_collector, restore_collector


def build_parser() -> argparse.ArgumentParser:
    """The command-line grammar."""
    parser = argparse.ArgumentParser(
        prog="quiz", description="Flashcards from the cue questions of your Cornell notes."
    )
    from quiz import __version__

    parser.add_argument("--version", action="version", version=f"quiz {__version__}")
    # Not required: ``quiz`` alone opens the default vault or prints QUICK_START.
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    handlers = {**study.add_commands(sub), **store.add_commands(sub), **export.add_commands(sub)}
    parser.set_defaults(handlers=handlers)
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
    pause_collector()  # until the app's first paint, or the command's start
    try:
        return _main(argv)
    finally:
        restore_collector()


def _main(argv: Sequence[str] | None) -> int:
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
    # The one place the day is decided: every command acts on args.today.
    if getattr(args, "today", "unset") is None:
        args.today = clock.local_today()
    handler = args.handlers[args.command]
    if args.command != "study" or args.plain:
        collect_again()  # the app does it once Today is on screen
    try:
        return run_command(handler, args, settings)
    except KeyboardInterrupt:
        warn("quiz: interrupted")
        return 130
    except BrokenPipeError:
        return 0
