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

from quiz.startup import collect_again

from .tui_snapshot_app import make_app, synchronous


@pytest.fixture
def collector_paused() -> Any:
    """The collector off as ``quiz`` starts; restored after the test."""
    frozen = gc.get_freeze_count()
    gc.disable()
    yield
    gc.enable()
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
