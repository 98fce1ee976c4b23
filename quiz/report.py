"""Terminal tables for ``quiz stats`` (Rich; every cell is plain text)."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from quiz.store.queries import Mastery
from quiz.text import safe_text


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{round(value * 100)}%"


def rate_bar(rate: float | None, width: int = 10) -> str:
    """A learning-rate bar in the learner's squares."""
    if rate is None:
        return "–"
    green = round(rate * width)
    return "🟩" * green + "⬜" * (width - green)


def print_mastery(rows: list[Mastery], per_day: list[tuple[str, int]]) -> None:
    """Print one row per subject and textbook, then reviews per day."""
    table = Table(title="Mastery")
    for name in (
        "subject / textbook",
        "notes",
        "cards",
        "learning rate",
        "long-term",
        "due",
        "7d acc",
        "30d acc",
        "recall",
    ):
        table.add_column(name, justify="left" if name.startswith("subject") else "right")
    for row in rows:
        for depth, item in [(0, row), *[(1, t) for t in row.textbooks]]:
            label = Text(("  " * depth) + safe_text(item.name), style="bold" if depth == 0 else "")
            table.add_row(
                label,
                str(item.notes),
                str(item.cards),
                Text(f"{rate_bar(item.learning_rate)} {_pct(item.learning_rate)}"),
                str(item.long_term),
                str(item.due),
                _pct(item.accuracy_7d),
                _pct(item.accuracy_30d),
                _pct(item.retrievability),
            )
    console = Console()
    console.print(table)
    counts = [n for _, n in per_day]
    if any(counts):
        ticks = " ▁▂▃▄▅▆▇█"
        top = max(counts)
        spark = "".join(ticks[round(n / top * 8)] for n in counts)
        console.print(Text(f"Reviews, last {len(counts)} days: {spark}  ({sum(counts)} in all)"))
