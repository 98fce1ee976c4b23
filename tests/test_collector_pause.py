"""``quiz`` starts with the cyclic garbage collector off (``quiz.startup``).

Start-up makes objects that live as long as the process; collecting while
they are made cost about 80 ms before Today was painted. The app turns the
collector back on once Today is on screen, every other command before it runs.
"""

from __future__ import annotations

import gc
import importlib
from pathlib import Path
from typing import Any

import pytest

from quiz.startup import collect_again, collect_fully
from quiz.tui.notetable import NoteTable
from quiz.tui.summary import SummaryScreen

from .tui_snapshot_app import make_app, study_highlighted, synchronous


@pytest.fixture
def collector_paused() -> Any:
    """The collector off as ``quiz`` starts; restored after the test."""
    frozen = gc.get_freeze_count()
    thresholds = gc.get_threshold()
    gc.disable()
    yield
    gc.enable()
    gc.set_threshold(*thresholds)
    if gc.get_freeze_count() > frozen:
        gc.unfreeze()


@synchronous
async def test_the_app_collects_again_once_today_is_painted(
    tmp_path: Path, collector_paused: None
) -> None:
    app = make_app(tmp_path)
    assert not gc.isenabled()
    async with app.run_test(size=(100, 30)) as pilot:
        for _ in range(100):
            if gc.isenabled():
                break
            await pilot.pause(0.01)
        assert gc.isenabled()
        assert gc.get_freeze_count() > 0  # what start-up made is out of its sight


def test_collect_again_leaves_a_running_collector_alone() -> None:
    assert gc.isenabled()
    frozen = gc.get_freeze_count()
    collect_again()
    assert gc.isenabled() and gc.get_freeze_count() == frozen


def test_every_other_command_collects_before_it_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, collector_paused: None
) -> None:
    cli_main = importlib.import_module("quiz.cli.main")  # the module, not the function
    seen: list[bool] = []

    def record(handler: Any, args: Any, settings: Any) -> int:
        seen.append(gc.isenabled())
        return 0

    monkeypatch.setattr(cli_main, "run_command", record)
    vault = tmp_path / "vault"
    vault.mkdir()
    assert cli_main.main(["due", str(vault)]) == 0
    assert seen == [True]


@synchronous
async def test_the_app_collects_fully_where_a_pause_goes_unseen(
    tmp_path: Path, collector_paused: None
) -> None:
    """Full collections walk everything the app keeps (20-80 ms on 10,000
    notes): the app runs them when a Summary or Today has been painted, not
    when a grade key's frame is due."""
    full: list[int] = []

    def count(phase: str, info: dict[str, int]) -> None:
        if phase == "stop" and info["generation"] == 2:
            full.append(1)

    app = make_app(tmp_path)
    gc.callbacks.append(count)
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            for _ in range(100):
                if gc.isenabled():
                    break
                await pilot.pause(0.01)
            assert gc.get_threshold()[2] > 10**9  # never by itself
            before = len(full)
            table = app.screen.query_one("#due", NoteTable)
            cards = int(table.row(table.cursor_key or "")[4])
            await study_highlighted(pilot, "3" * cards)
            assert isinstance(app.screen, SummaryScreen)
            await pilot.pause()
            assert len(full) > before  # one full collection, the Summary painted
    finally:
        gc.callbacks.remove(count)


def test_collect_fully_leaves_a_collector_of_its_own_alone() -> None:
    """Without the app's start (tests, other commands) nothing changes."""
    full: list[int] = []

    def count(phase: str, info: dict[str, int]) -> None:
        if phase == "stop" and info["generation"] == 2:
            full.append(1)

    gc.callbacks.append(count)
    try:
        collect_fully()
    finally:
        gc.callbacks.remove(count)
    assert full == [] and gc.get_threshold()[2] < 10**9


def test_quiz_main_gives_back_the_collector_as_it_found_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The app leaves full collections to itself; whoever called quiz's main
    (a test, another program) gets the collector back as it was."""
    from quiz.cli import main
    from quiz.tui.app import QuizApp

    def run(self: QuizApp) -> None:
        self._after_first_paint()  # what the app does once Today is painted
        assert gc.isenabled() and gc.get_threshold()[2] > 10**9

    monkeypatch.setattr(QuizApp, "run", run)
    monkeypatch.setattr(QuizApp, "_start_scan", lambda self: None)
    before = gc.get_threshold()
    vault = tmp_path / "vault"
    vault.mkdir()
    assert main(["study", str(vault), "--db", str(tmp_path / "db.sqlite3")]) == 0
    assert gc.isenabled() and gc.get_threshold() == before
