"""Note text is untrusted (SPEC "Showing note text"): shown literally, never run.

A vault of two hostile notes is walked Today → Quiz → reveal → Summary →
Mastery → the subject's notes. On every screen the markup in the notes must
appear as the literal text the learner wrote, clicking it must not run its
``@click`` action, and no escape or C1 control character may reach the
terminal: neither in the text of the rendered screen nor in the bytes a full
repaint would write, apart from the colour and cursor sequences Textual itself
emits around them.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

from rich.cells import cell_len
from textual.pilot import Pilot
from textual.widgets import DataTable, Static

from quiz.tui.answer import AnswerView
from quiz.tui.app import QuizApp
from quiz.tui.dialogs import TextScreen
from quiz.tui.mastery import MasteryScreen, SubjectScreen
from quiz.tui.notetable import NoteTable
from quiz.tui.quiz import QuizScreen
from quiz.tui.summary import SummaryScreen
from quiz.tui.today import TodayScreen

from .conftest import FIXTURES
from .tui_snapshot_app import (
    make_app,
    mastery_filled,
    screen_lines,
    synchronous,
    terminal_bytes,
)

CLICK = "[@click=app.quit]"
EVIL = f"{CLICK}evil.md"

#: Frontmatter escapes (``\e``, ``\x9b``, ``\a``, ``\x1f``) put raw control
#: characters in the subject and textbook: YAML refuses them written raw.
HOSTILE = (
    "---\n"
    f'subject: "{CLICK}Evil \\e[31mred\\x9b31m \\e]52;c;SGVsbG8=\\a [bold red]x[/bold red]\\x1f"\n'
    f'textbook: "{CLICK}book \\e]8;;https://evil.example\\e\\\\link\\e]8;;\\e\\\\"\n'
    "first_studied: 2026-11-24\n"
    "review_1d: false\n"
    "---\n"
    "# Cue Questions\n"
    "\n"
    f"- {CLICK}Click me[/] and [bold red]x[/bold red] and [link=https://evil]l[/link]"
    " osc52 \x1b]52;c;SGVsbG8=\x07 osc8 \x1b]8;;https://evil\x1b\\link\x1b]8;;\x1b\\"
    " csi \x1b[2J c1 \x9b31m \x9d52;c;eA==\x9c end\n"
    f"    Answer {CLICK}quit[/] \x1b[31mred\x1b[0m and [link=https://evil]l[/link] \x9b2J done\n"
    "- Second [b]q[/b] $q ${q}\n"
    f"    second {CLICK}answer[/]\n"
    "\n"
    "# Notes\n"
    "\n"
    f"{CLICK}notes \x1b]52;c;SGVsbG8=\x07 [reverse]r[/reverse]\n"
    "\n"
    "# Summary\n"
    "\n"
    f"{CLICK}summary \x1b[31m [bold]b[/bold]\n"
)

#: What Textual itself writes: SGR colours and absolute cursor moves.
_OWN_SEQUENCES = re.compile(r"\x1b\[[0-9;]*[mH]")
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def check_screen(app: QuizApp, *literals: str) -> str:
    """Assert the screen shows ``literals`` verbatim and leaks no control."""
    lines = screen_lines(app)
    text = "\n".join(lines)
    for line in lines:
        assert not _CONTROLS.search(line), f"control character on screen: {line!r}"
    raw = terminal_bytes(app)
    for bad in ("\x1b]52", "\x1b]8;;https://evil", "\x1b[2J", "\x1b[31mred"):
        assert bad not in raw, f"{bad!r} reaches the terminal"
    leftover = _OWN_SEQUENCES.sub("", raw)
    assert not _CONTROLS.search(leftover.replace("\n", "")), repr(
        _CONTROLS.search(leftover.replace("\n", ""))
    )
    flat = text.replace("\n", "")
    for literal in literals:
        # Wrapped text may split a literal over lines; compare without breaks.
        assert literal in flat or literal in text, f"{literal!r} not shown literally"
    return text


async def click_on(pilot: Pilot[Any], app: QuizApp, needle: str) -> None:
    """Click on the first cell where ``needle`` is drawn; the app must survive."""
    for y, line in enumerate(screen_lines(app)):
        x = line.find(needle)
        if x >= 0:
            # Korean and emoji take two cells: count cells, not characters.
            await pilot.click(offset=(cell_len(line[:x]) + 1, y))
            await pilot.pause()
            assert app.is_running and app.return_code is None
            return
    raise AssertionError(f"{needle!r} is not on screen")


def hostile_vault(root: Path) -> Path:
    source = root / "source"
    source.mkdir()
    shutil.copy(FIXTURES / "markup.md", source / "markup.md")
    (source / EVIL).write_text(HOSTILE, encoding="utf-8")
    return source


@synchronous
async def test_hostile_notes_render_literally_and_clicks_run_nothing(tmp_path: Path) -> None:
    app = make_app(tmp_path, source=hostile_vault(tmp_path))
    async with app.run_test(size=(100, 30)) as pilot:
        # Today: the hostile note is due (day 1), markup.md is new.
        assert isinstance(app.screen, TodayScreen)
        check_screen(app, f"{CLICK}evil", f"{CLICK}Evil", "markup")
        await click_on(pilot, app, CLICK)  # a click on a row opens that note, no more

        # Quiz: question, then the answer.
        assert isinstance(app.screen, QuizScreen)
        assert app.screen.session.note.path == EVIL
        check_screen(app, f"{CLICK}Click me[/] and [bold red]x[/bold red]", "osc52", "c1")
        await click_on(pilot, app, "Click me")
        await click_on(pilot, app, f"{CLICK}evil ·")  # the title line
        await pilot.press("space")
        check_screen(app, f"Answer {CLICK}quit[/]", "[link=https://evil]l[/link]")
        await click_on(pilot, app, "quit[/]")

        # The notes section in its dialog.
        await pilot.press("c")
        assert isinstance(app.screen, TextScreen)
        check_screen(app, f"{CLICK}notes", "[reverse]r[/reverse]")
        await click_on(pilot, app, "notes ")
        await pilot.press("escape")

        # Grade: Again on the first card, so it is listed under "Missed"
        # (it comes back once the second is graded, and is passed then).
        await pilot.press("1", "space", "3", "space", "3")
        assert isinstance(app.screen, SummaryScreen)
        check_screen(
            app,
            f"{CLICK}evil · {CLICK}Evil [31mred31m ]52;c;SGVsbG8= [bold red]x[/bold red]",
            f"• {CLICK}Click me[/]",
            f"{CLICK}summary",
        )
        await click_on(pilot, app, "Click me")
        await click_on(pilot, app, f"{CLICK}summary")

        # Mastery and the subject's notes (its name is the screen's subtitle).
        await pilot.press("m")
        await mastery_filled(pilot)
        assert isinstance(app.screen, MasteryScreen)
        check_screen(app, f"{CLICK}Evil", f"{CLICK}book")
        table = app.screen.query_one("#mastery-table", DataTable)
        labels = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        table.move_cursor(row=labels.index(next(x for x in labels if x.startswith(CLICK))))
        await pilot.press("enter")
        assert isinstance(app.screen, SubjectScreen)
        check_screen(app, f"{CLICK}Evil", f"{CLICK}evil")
        await click_on(pilot, app, f"{CLICK}evil")
        assert app.is_running


@synchronous
async def test_markup_fixture_note_from_the_new_table(tmp_path: Path) -> None:
    app = make_app(tmp_path, source=hostile_vault(tmp_path))
    async with app.run_test(size=(100, 30)) as pilot:
        new = app.screen.query_one("#new", NoteTable)
        new.focus()
        await pilot.press("enter")
        assert isinstance(app.screen, QuizScreen)
        assert app.screen.session.note.path == "markup.md"
        check_screen(app, "[bold]x[/bold] and [@click=app.quit]click[/]", "markup")
        question = app.screen.query_one("#question", Static)
        await pilot.click(question)
        await pilot.press("space")
        check_screen(app, "answer with [link=https://evil]link[/link] and [31mred[0m")
        await pilot.click(app.screen.query_one("#answer", AnswerView))
        await pilot.press("3")
        assert isinstance(app.screen, SummaryScreen)
        check_screen(app, "markup · [bold red]x[/bold red]")
        assert app.is_running


@synchronous
async def test_a_hostile_file_name_in_an_error_toast_is_cleaned(tmp_path: Path) -> None:
    source = tmp_path / "source"
    source.mkdir()
    name = "esc\x1b]52;c;SGVsbG8=\x07 [@click=app.quit]x.md"
    (source / name).write_text(
        "---\nfirst_studied: 2026-11-24\n---\n# Cues\n\n- q?\n    a\n", encoding="utf-8"
    )
    app = make_app(tmp_path, source=source)
    # The note loses its cards after the scan: the session cannot start.
    (app.study.vault / name).write_text("# Cues\n", encoding="utf-8")
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.press("enter")
        assert isinstance(app.screen, TodayScreen)
        await pilot.wait_for_scheduled_animations()
        text = check_screen(app, "Cannot quiz this note", "esc]52;c;SGVsbG8= [@click=app.quit]x.md")
        assert "has no cards" in text
