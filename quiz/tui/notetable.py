"""A table of notes, one line a note, drawn line by line: Today's lists.

Textual's ``DataTable`` renders every cell through Rich and measures every
row before the first paint: on Today's 200 rows that was 0.15 s of every
start. A row of Today is a few short strings, so this table keeps them as
strings, sizes its columns with ``cell_len`` and draws only the lines on
screen, each a handful of segments.

Cells are plain text: never markup, controls removed, one line (see
``quiz.tui.safe.cell_text``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size, Spacing
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from quiz.tui.safe import cell_text

#: The widest a cell is drawn (terminal cells); longer text ends with ``…``.
MAX_CELL = 80
#: Blank cells on each side of a cell, as ``DataTable`` draws them.
PADDING = 1


def clip(text: str, width: int) -> str:
    """``text`` cut to ``width`` terminal cells, ``…`` marking a cut."""
    if cell_len(text) <= width:
        return text
    return set_cell_size(text, width - 1).rstrip() + "…"


@dataclass(frozen=True, slots=True)
class Row:
    """One line of the table: the note's key (its path) and its cells.

    ``bold``: the indexes of the cells drawn bold.
    """

    key: str
    cells: tuple[str, ...]
    bold: frozenset[int] = frozenset()


class NoteTable(ScrollView, can_focus=True):
    """Rows of notes under a fixed header, with a row cursor.

    Enter, or a click on the highlighted row, posts ``Chosen`` with the
    row's key; a click on another row moves the cursor there.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "choose", "Choose", show=False),
        Binding("up", "cursor_up", "Cursor up", show=False),
        Binding("down", "cursor_down", "Cursor down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("home,ctrl+home", "first", "First", show=False),
        Binding("end,ctrl+end", "last", "Last", show=False),
        Binding("left", "scroll_left", "Scroll left", show=False),
        Binding("right", "scroll_right", "Scroll right", show=False),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "note-table--header",
        "note-table--cursor",
        "note-table--even-row",
    }

    # The look of Textual's DataTable, which Today used before.
    DEFAULT_CSS = """
    NoteTable {
        background: $surface;
        color: $foreground;
        height: auto;
        max-height: 100%;
        &:focus {
            background-tint: $foreground 5%;
            & > .note-table--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
            & > .note-table--header {
                background-tint: $foreground 5%;
            }
        }
        &:dark > .note-table--even-row {
            background: $surface-darken-1 40%;
        }
        & > .note-table--header {
            text-style: bold;
            background: $panel;
            color: $foreground;
        }
        &:ansi > .note-table--header {
            background: ansi_bright_blue;
            color: ansi_default;
        }
        & > .note-table--even-row {
            background: $surface-lighten-1 50%;
        }
        & > .note-table--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
    }
    """

    class Chosen(Message):
        """The learner chose a row (Enter, or a click on the highlighted row)."""

        def __init__(self, table: NoteTable, key: str) -> None:
            super().__init__()
            self.table = table
            #: The chosen row's key.
            self.key = key

        @property
        def control(self) -> NoteTable:
            """The table (so that ``@on(NoteTable.Chosen, "#due")`` works)."""
            return self.table

    #: The highlighted row (an index into the rows).
    cursor_row: reactive[int] = reactive(0, always_update=True)

    def __init__(
        self, columns: Sequence[str], *, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(id=id, classes=classes)
        self._labels = tuple(cell_text(c) for c in columns)
        self._rows: list[Row] = []
        self._index: dict[str, int] = {}
        self._widths: tuple[int, ...] = ()
        self._measure()

    # -- contents ------------------------------------------------------------

    def set_rows(self, rows: Iterable[Row]) -> None:
        """Show these rows (their cells cleaned and clipped), the cursor on the first."""
        self._rows = [
            Row(r.key, tuple(clip(cell_text(c), MAX_CELL) for c in r.cells), r.bold) for r in rows
        ]
        self._index = {r.key: i for i, r in enumerate(self._rows)}
        self._measure()
        self.scroll_to(0, 0, animate=False, immediate=True)
        self.cursor_row = 0
        self.refresh(layout=True)

    def _measure(self) -> None:
        # Each column as wide as its widest cell: a row filtered out gives
        # its width back.
        widths = [cell_len(label) for label in self._labels]
        for row in self._rows:
            for i, text in enumerate(row.cells[: len(widths)]):
                widths[i] = max(widths[i], cell_len(text))
        self._widths = tuple(w + 2 * PADDING for w in widths)
        self.virtual_size = Size(sum(self._widths), len(self._rows) + 1)

    @property
    def row_count(self) -> int:
        """How many rows the table holds."""
        return len(self._rows)

    @property
    def keys(self) -> list[str]:
        """The rows' keys, top to bottom."""
        return [r.key for r in self._rows]

    @property
    def column_widths(self) -> tuple[int, ...]:
        """Each column's width in cells, padding left out."""
        return tuple(w - 2 * PADDING for w in self._widths)

    def row(self, key: str) -> tuple[str, ...]:
        """The cells of the row with this key, as drawn (``KeyError`` if none)."""
        return self._rows[self._index[key]].cells

    def index_of(self, key: str) -> int:
        """The position of the row with this key (``KeyError`` if none)."""
        return self._index[key]

    @property
    def cursor_key(self) -> str | None:
        """The highlighted row's key; ``None`` when the table is empty."""
        return self._rows[self.cursor_row].key if self._rows else None

    def move_cursor(self, row: int) -> None:
        """Highlight the row at this position (kept inside the table)."""
        self.cursor_row = row

    # -- the cursor ----------------------------------------------------------

    def validate_cursor_row(self, row: int) -> int:
        return max(0, min(row, len(self._rows) - 1))

    def watch_cursor_row(self, old: int, new: int) -> None:
        self.refresh()
        if self._rows and self.is_mounted:
            # The header covers the first line of the scrolled region.
            self.scroll_to_region(
                Region(0, new + 1, 1, 1),
                spacing=Spacing(1, 0, 0, 0),
                animate=False,
                x_axis=False,
                immediate=True,
            )

    def _page(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    def action_cursor_up(self) -> None:
        self.cursor_row -= 1

    def action_cursor_down(self) -> None:
        self.cursor_row += 1

    def action_page_up(self) -> None:
        self.cursor_row -= self._page()

    def action_page_down(self) -> None:
        self.cursor_row += self._page()

    def action_first(self) -> None:
        self.cursor_row = 0

    def action_last(self) -> None:
        self.cursor_row = len(self._rows) - 1

    def action_choose(self) -> None:
        """Post ``Chosen`` for the highlighted row."""
        key = self.cursor_key
        if key is not None:
            self.post_message(self.Chosen(self, key))

    async def _on_click(self, event: events.Click) -> None:
        if event.y < 1:  # the header
            return
        row = event.y - 1 + self.scroll_offset.y
        if row >= len(self._rows):
            return
        event.stop()
        if row == self.cursor_row:
            self.action_choose()
        else:
            self.cursor_row = row

    # -- drawing -------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base = self.rich_style
        if y == 0:
            style = base + self.get_component_rich_style("note-table--header")
            strip = self._line(self._labels, style, frozenset())
        else:
            index = y - 1 + self.scroll_offset.y
            if index >= len(self._rows):
                return Strip.blank(width, base)
            row = self._rows[index]
            style = base
            if index % 2:
                style += self.get_component_rich_style("note-table--even-row")
            if index == self.cursor_row:
                style += self.get_component_rich_style("note-table--cursor")
            strip = self._line(row.cells, style, row.bold)
        x = self.scroll_offset.x
        # Stripes, the cursor and the header run the whole width, as in a DataTable.
        return strip.crop(x, x + width).extend_cell_length(width, style)

    def _line(self, cells: Sequence[str], style: Style, bold: frozenset[int]) -> Strip:
        segments = []
        pad = " " * PADDING
        for i, width in enumerate(self._widths):
            text = cells[i] if i < len(cells) else ""
            # Each cell styled apart (its column in the style's meta), so that
            # no two cells merge into one run of text: where a terminal (or an
            # SVG screenshot) draws an emoji narrower than Unicode says, the
            # next column still starts where it should.
            cell_style = style + Style.from_meta({"column": i})
            if i in bold:
                cell_style += Style(bold=True)
            gap = " " * (width - 2 * PADDING - cell_len(text))
            segments.append(Segment(f"{pad}{text}{gap}{pad}", cell_style))
        return Strip(segments, sum(self._widths))
