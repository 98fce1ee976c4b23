"""A deterministic ``QuizApp`` for pilot and snapshot tests.

Everything that could differ between two runs is fixed here: the day
(2026-11-25, the day ``sample_notes/`` was written for), the clock, the
database (a fresh file next to the vault) and the vault's folder name (the
Today screen shows it in its subtitle, so it is always ``vault``).

Run it by hand to look at the app on a throw-away copy of the sample vault::

    python tests/tui_snapshot_app.py
"""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import io
import shutil
import tempfile
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

from rich.console import Console
from sqlite_utils import Database
from textual.app import App
from textual.pilot import Pilot

from quiz.config import Settings
from quiz.store.index import scan
from quiz.store.schema import open_db
from quiz.study import Study
from quiz.tui.app import QuizApp
from tests.pristine import sample_notes

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_NOTES = sample_notes()

#: The day the sample vault's stage flags were written for.
TODAY = dt.date(2026, 11, 25)
#: What the app's clock always says (reviews, memory model, mastery recall).
NOW = dt.datetime(2026, 11, 25, 9, 30, tzinfo=dt.UTC)


def fixed_clock() -> dt.datetime:
    """The frozen clock of every test app."""
    return NOW


def copy_vault(root: Path, source: Path = SAMPLE_NOTES, name: str = "vault") -> Path:
    """Copy ``source`` to ``root/name`` (the name is fixed: it shows on screen)."""
    vault = root / name
    shutil.copytree(source, vault)
    return vault


#: Indexes opened here; conftest closes them when each test ends (the app
#: leaves its index to whoever opened it, as the command line does).
OPENED: list[Database] = []


def close_opened() -> None:
    """Close every index ``indexed_db`` opened."""
    while OPENED:
        OPENED.pop().close()


def indexed_db(root: Path, vault: Path) -> Database:
    """A new database at ``root/db.sqlite3`` holding the scanned ``vault``."""
    db = open_db(root / "db.sqlite3")
    OPENED.append(db)
    scan(vault, db, Settings())
    return db


def make_app(
    root: Path,
    *,
    source: Path = SAMPLE_NOTES,
    today: dt.date = TODAY,
    write: bool = True,
) -> QuizApp:
    """A ``QuizApp`` over a fresh copy of ``source`` under ``root``."""
    vault = copy_vault(root, source)
    db = indexed_db(root, vault)
    return QuizApp(Study(db, vault, Settings(), today, write=write, clock=fixed_clock))


def synchronous(test: Callable[..., Coroutine[Any, Any, None]]) -> Callable[..., None]:
    """Run an ``async`` test in its own event loop (no pytest async plugin needed)."""

    @functools.wraps(test)
    def run(*args: Any, **kwargs: Any) -> None:
        asyncio.run(test(*args, **kwargs))

    return run


async def study_highlighted(pilot: Pilot[Any], grades: str) -> None:
    """From Today, study the highlighted note with these grades (``"34231"``),
    then pass the cards graded Again when they come back.

    All but the last card are graded in the session core and only the last by
    key: each key costs the app a full re-render, and where the summary or the
    mastery after it is what a test looks at, the path there does not matter.
    """
    from quiz.schedule.stages import Grade
    from quiz.tui.quiz import QuizScreen

    await pilot.press("enter")
    screen = pilot.app.screen
    assert isinstance(screen, QuizScreen)
    assert len(grades) == len(screen.session.cards)
    for grade in grades[:-1]:
        screen.session.grade(Grade(int(grade)))
    await pilot.press("space", grades[-1])
    # Cards graded Again come back: each is passed (Good) on its second showing.
    while pilot.app.screen is screen and screen.session.current is not None:
        await pilot.press("space", "3")


def _render(app: App[object]):  # type: ignore[no-untyped-def]
    # The same full-screen render that ``App.export_screenshot`` uses.
    return app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)


def screen_lines(app: App[object]) -> list[str]:
    """The text of every line of the screen as the terminal would show it."""
    return ["".join(seg.text for strip in line for seg in strip) for line in _render(app).strips]


def screen_text(app: App[object]) -> str:
    """The whole screen as one string, lines joined by newlines."""
    return "\n".join(screen_lines(app))


def terminal_bytes(app: App[object]) -> str:
    """What the app would write to a real terminal for a full repaint."""
    width, height = app.size
    console = Console(
        width=width,
        height=height,
        file=io.StringIO(),
        force_terminal=True,
        color_system="truecolor",
        legacy_windows=False,
    )
    return _render(app).render_segments(console)


if __name__ == "__main__":  # pragma: no cover - manual use only
    with tempfile.TemporaryDirectory(prefix="quiz-tui-") as tmp:
        make_app(Path(tmp)).run()


async def mastery_filled(pilot: Pilot[Any]) -> None:
    """Wait until the Mastery screen shows its figures (made in a worker
    after the screen's first paint)."""
    from quiz.tui.mastery import MasteryScreen

    for _ in range(1000):
        screen = pilot.app.screen
        if isinstance(screen, MasteryScreen) and screen.filled:
            await pilot.pause()
            return
        await pilot.pause(0.01)
    raise AssertionError("the Mastery screen never showed its figures")
