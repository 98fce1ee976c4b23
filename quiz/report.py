"""Terminal tables for ``quiz stats`` (Rich; every cell is plain text)."""

from __future__ import annotations

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from quiz.charts import forecast_chart, habit_line, heatmap
from quiz.store.habits import Habits
from quiz.store.queries import Mastery
from quiz.text import safe_text


def pct(value: float | None) -> str:
    """``83%``, or ``–`` when there is no data."""
    return "–" if value is None else f"{round(value * 100)}%"


def rate_bar(rate: float | None, width: int = 5) -> str:
    """A learning-rate bar of single-width squares (they align in any table)."""
    if rate is None:
        return "–"
    green = round(rate * width)
    return "■" * green + "□" * (width - green)


def print_mastery(rows: list[Mastery], habit: Habits) -> None:
    """Print one row per subject and textbook, then the habit charts."""
    console = Console()
    table = Table(
        title="Mastery",
        title_justify="left",
        box=box.SIMPLE_HEAD,
        show_edge=False,
        padding=(0, 1),
        pad_edge=False,
        collapse_padding=True,
    )
    widths = {"notes": 5, "cards": 5, "rate": 10, "LT": 2, "due": 3, "7d": 4, "30d": 4, "recall": 6}
    # The figures take their widths plus a cell of padding each side, and the
    # name's own padding one more; the name gives way first (by display width,
    # so Korean counts double).
    figures = sum(widths.values()) + 2 * len(widths) + 1
    table.add_column(
        "subject / textbook",
        no_wrap=True,
        overflow="ellipsis",
        max_width=max(12, console.width - figures),
    )
    for name, width in widths.items():
        table.add_column(name, justify="right", no_wrap=True, min_width=width, max_width=width)
    for row in rows:
        for depth, item in [(0, row), *[(1, t) for t in row.textbooks]]:
            label = Text(("  " * depth) + safe_text(item.name), style="bold" if depth == 0 else "")
            table.add_row(
                label,
                str(item.notes),
                str(item.cards),
                f"{rate_bar(item.learning_rate)} {pct(item.learning_rate):>4}",
                str(item.long_term),
                str(item.due),
                pct(item.accuracy_7d),
                pct(item.accuracy_30d),
                pct(item.retrievability),
            )
    console.print(table)
    console.print("LT: notes in long-term memory · 7d/30d: share of grades Hard or better")
    console.print()
    console.print(Text(habit_line(habit)))
    console.print()
    charts = (heatmap(habit.per_day), forecast_chart(habit.forecast))
    # Side by side where they fit (about 76 cells), else one under the other.
    if console.width >= 80:
        grid = Table.grid(padding=(0, 4))
        grid.add_column(no_wrap=True)
        grid.add_column(no_wrap=True)
        grid.add_row(*charts)
        console.print(grid)
    else:
        console.print(charts[0])
        console.print()
        console.print(charts[1])
