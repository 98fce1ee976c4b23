"""Today's light widgets: the note table, the title bar and the key bar.

They replace Textual's DataTable, Header and Footer on the first screen (a
fifth of start-up each); these tests hold them to what the learner used of
the originals: the cursor keys, Enter and clicks, the title and sub-title,
keys that can be clicked, and untrusted text shown as text.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.command import CommandPalette

from quiz.tui.bars import KeyBar, TitleBar
from quiz.tui.mastery import MasteryScreen
from quiz.tui.notetable import MAX_CELL, NoteTable, Row

from .tui_snapshot_app import make_app, screen_lines, synchronous


class TableApp(App[None]):
    """One note table of ``rows`` rows under a title bar, above a key bar."""

    TITLE = "table"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("x", "mark('x')", "Mark"),
        Binding("y", "mark('y')", "Hidden", show=False),
    ]

    def __init__(self, rows: list[Row]) -> None:
        super().__init__()
        self.rows = rows
        self.chosen: list[str] = []
        self.marks: list[str] = []

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield NoteTable(("Subject", "Note"), id="table")
        yield KeyBar()

    def on_mount(self) -> None:
        table = self.query_one(NoteTable)
        table.set_rows(self.rows)
        table.focus()

    def on_note_table_chosen(self, event: NoteTable.Chosen) -> None:
        self.chosen.append(event.key)

    def action_mark(self, what: str) -> None:
        self.marks.append(what)


def numbered(count: int) -> list[Row]:
    return [Row(f"n{i}.md", ("AWS", f"note {i}")) for i in range(count)]


def table_of(app: App[Any]) -> NoteTable:
    return app.query_one(NoteTable)


# -- the note table ----------------------------------------------------------------


@synchronous
async def test_cursor_keys_move_and_stop_at_the_ends() -> None:
    app = TableApp(numbered(50))
    async with app.run_test(size=(60, 12)) as pilot:
        table = table_of(app)
        assert table.cursor_key == "n0.md"
        await pilot.press("down", "down")
        assert table.cursor_key == "n2.md"
        await pilot.press("up", "up", "up")  # stops at the first row
        assert table.cursor_key == "n0.md"
        await pilot.press("end")
        assert table.cursor_key == "n49.md"
        await pilot.press("down")  # and at the last
        assert table.cursor_key == "n49.md"
        await pilot.press("home", "pagedown")
        # A page is the lines on screen less the header: 12 - title - keys - header.
        assert table.cursor_row == 9
        await pilot.press("pageup")
        assert table.cursor_row == 0


@synchronous
async def test_the_cursor_row_stays_on_screen_below_the_header() -> None:
    app = TableApp(numbered(50))
    async with app.run_test(size=(60, 12)) as pilot:
        await pilot.press("end")
        await pilot.pause()
        lines = screen_lines(app)
        # The header keeps the table's first line; the last row is the last line.
        assert lines[1].split() == ["Subject", "Note"]
        assert lines[10].split() == ["AWS", "note", "49"]
        await pilot.press("home")
        await pilot.pause()
        assert screen_lines(app)[2].split() == ["AWS", "note", "0"]


@synchronous
async def test_enter_and_a_click_on_the_highlighted_row_choose_it() -> None:
    app = TableApp(numbered(5))
    async with app.run_test(size=(60, 12)) as pilot:
        await pilot.press("down", "enter")
        assert app.chosen == ["n1.md"]
        # A click on another row only moves the cursor there (line 0 is the
        # title bar, 1 the table's header, 2 its first row).
        await pilot.click(NoteTable, offset=(3, 4))
        assert table_of(app).cursor_key == "n3.md" and app.chosen == ["n1.md"]
        await pilot.click(NoteTable, offset=(3, 4))
        assert app.chosen == ["n1.md", "n3.md"]
        await pilot.click(NoteTable, offset=(3, 0))  # the header chooses nothing
        assert app.chosen == ["n1.md", "n3.md"]


@synchronous
async def test_set_rows_sizes_columns_to_the_rows_and_puts_the_cursor_on_top() -> None:
    app = TableApp(numbered(5))
    async with app.run_test(size=(60, 12)) as pilot:
        table = table_of(app)
        await pilot.press("down", "down")
        table.set_rows([Row("k.md", ("운영체제", "가상 메모리"))])
        assert table.cursor_key == "k.md" and table.row_count == 1
        # Two cells a Hangul syllable: 운영체제 is 8 wide, 가상 메모리 11.
        assert table.column_widths == (8, 11)
        table.set_rows([])
        assert table.cursor_key is None and table.row_count == 0
        await pilot.press("enter")
        assert app.chosen == []


@synchronous
async def test_cells_are_text_never_markup_or_escapes() -> None:
    hostile = "[bold red]x[/] \x1b[2J\x1b]52;c;aGk=\x07 tab\there\nline"
    app = TableApp([Row("h.md", (hostile, "y" * 500))])
    async with app.run_test(size=(200, 12)) as pilot:
        await pilot.pause()
        subject, note = table_of(app).row("h.md")
        assert subject == "[bold red]x[/] [2J]52;c;aGk= tab here line"
        assert "\x1b" not in subject and "\x07" not in subject
        assert note == "y" * (MAX_CELL - 1) + "…"
        assert "[bold red]x[/]" in screen_lines(app)[2]


# -- the title bar and the key bar --------------------------------------------------


@synchronous
async def test_the_title_bar_shows_title_and_sub_title_as_text() -> None:
    app = TableApp(numbered(1))
    async with app.run_test(size=(60, 12)) as pilot:
        assert screen_lines(app)[0].split() == ["⭘", "table"]
        app.sub_title = "[b]2026-11-25[/b] · vault"
        await pilot.pause()
        assert screen_lines(app)[0].split() == [
            "⭘",
            "table",
            "—",
            "[b]2026-11-25[/b]",
            "·",
            "vault",
        ]
        app.sub_title = "x" * 200  # cut, never wrapped
        await pilot.pause()
        assert screen_lines(app)[0].rstrip().endswith("…")


@synchronous
async def test_a_click_on_the_title_bars_icon_opens_the_command_palette() -> None:
    app = TableApp(numbered(1))
    async with app.run_test(size=(60, 12)) as pilot:
        await pilot.click(TitleBar, offset=(5, 0))  # not the icon
        assert not isinstance(app.screen, CommandPalette)
        await pilot.click(TitleBar, offset=(1, 0))
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)


@synchronous
async def test_the_key_bar_shows_the_shown_keys_and_a_click_presses_one() -> None:
    app = TableApp(numbered(1))
    async with app.run_test(size=(60, 12)) as pilot:
        line = screen_lines(app)[-1]
        assert line.split()[:2] == ["x", "Mark"] and "Hidden" not in line
        assert line.rstrip().endswith("▏^p palette")
        await pilot.click(KeyBar, offset=(3, 0))  # on "Mark"
        assert app.marks == ["x"]
        await pilot.click(KeyBar, offset=(30, 0))  # on no key
        assert app.marks == ["x"]


@synchronous
async def test_todays_key_bar_opens_mastery_on_a_click(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 30)) as pilot:
        line = screen_lines(app)[-1]
        column = line.index("Mastery")
        await pilot.click(KeyBar, offset=(column, 0))
        await pilot.pause()
        assert isinstance(app.screen, MasteryScreen)
