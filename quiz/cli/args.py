"""Argument types and options shared by every command (``quiz.cli``)."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path


def vault_dir(value: str) -> Path:
    """A VAULT argument: an existing folder."""
    path = Path(value).expanduser()
    if not path.is_dir():
        raise argparse.ArgumentTypeError(f"{value}: not a folder")
    return path


def iso_date(value: str) -> dt.date:
    """A ``YYYY-MM-DD`` argument."""
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value}: not a date (use YYYY-MM-DD)") from None


def db_option(cmd: argparse.ArgumentParser) -> None:
    """``--db PATH``: the index file, instead of the per-vault default."""
    cmd.add_argument("--db", type=Path, metavar="PATH", help="database file (default: per vault)")


def today_option(cmd: argparse.ArgumentParser) -> None:
    """``--today YYYY-MM-DD``: the day to act as today."""
    cmd.add_argument(
        "--today",
        type=iso_date,
        metavar="YYYY-MM-DD",
        help="the day to act as today (default: today)",
    )
