"""Every SQLite connection is closed by whoever opened it, not by the garbage collector.

The commands close the index they open when they end (``quiz.cli.store.run_command``);
the app leaves its index to whoever opened it (the command, or a test's helper).

Python 3.13 warns (``ResourceWarning: unclosed database``) about each
connection the collector finds open, and the suite turns warnings into
errors wherever the collector happens to run. These tests hold on any Python:
they record every connection opened and check each is closed.
"""

from __future__ import annotations

import argparse
import io
import shutil
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from quiz.cli import main
from quiz.cli.store import open_store, run_command
from quiz.config import Settings

from .conftest import SAMPLE_NOTES


def is_closed(conn: sqlite3.Connection) -> bool:
    try:
        conn.execute("SELECT 1")
    except sqlite3.ProgrammingError:  # "Cannot operate on a closed database."
        return True
    return False


@pytest.fixture
def connections(monkeypatch: pytest.MonkeyPatch) -> list[sqlite3.Connection]:
    """Every connection opened through ``sqlite3.connect`` from now on."""
    opened: list[sqlite3.Connection] = []
    real: Callable[..., sqlite3.Connection] = sqlite3.connect

    def connect(*args: object, **kwargs: object) -> sqlite3.Connection:
        conn = real(*args, **kwargs)
        opened.append(conn)
        return conn

    monkeypatch.setattr(sqlite3, "connect", connect)
    return opened


@pytest.mark.parametrize(
    "command",
    [
        ["scan", "{vault}"],
        ["due", "{vault}", "--today", "2026-11-25"],
        ["stats", "{vault}", "--today", "2026-11-25"],
        ["doctor", "{vault}"],
        ["export", "csv", "{vault}", "{tmp}/out.csv"],
        ["export", "anki", "{vault}", "{tmp}/out.apkg"],
        ["calendar", "{vault}", "{tmp}/out.ics"],
        ["study", "{vault}", "--plain", "--note", "AWS/IAM 정책.md", "--today", "2026-11-25"],
    ],
    ids=["scan", "due", "stats", "doctor", "csv", "anki", "calendar", "study"],
)
def test_every_command_closes_what_it_opens(
    command: list[str],
    connections: list[sqlite3.Connection],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n3\n" * 5))  # study: five cards, Good
    vault = tmp_path / "vault"
    shutil.copytree(SAMPLE_NOTES, vault)
    db = tmp_path / "db.sqlite3"
    if command[0] == "doctor":  # doctor opens an index, never makes one
        assert main(["scan", str(vault), "--db", str(db)]) == 0
        connections.clear()
    args = [a.format(vault=vault, tmp=tmp_path) for a in command]
    assert main([*args, "--db", str(db)]) == 0
    capsys.readouterr()
    assert connections, "the command opened no connection: the test sees nothing"
    assert [is_closed(c) for c in connections] == [True] * len(connections)


def test_a_command_that_fails_closes_the_index_too(
    connections: list[sqlite3.Connection], tmp_path: Path
) -> None:
    vault = tmp_path / "vault"
    shutil.copytree(SAMPLE_NOTES, vault)

    def failing(args: argparse.Namespace, settings: Settings) -> int:
        open_store(args)
        raise RuntimeError("a bug mid-command")

    args = argparse.Namespace(vault=vault, db=tmp_path / "db.sqlite3")
    with pytest.raises(RuntimeError, match="a bug mid-command"):
        run_command(failing, args, Settings())
    assert connections and all(is_closed(c) for c in connections)
