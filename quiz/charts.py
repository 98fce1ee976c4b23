"""The habit charts as Rich text: a reviews-per-day heatmap and the forecast.

Shared by Mastery (``quiz.tui.mastery``) and ``quiz stats`` (``quiz.report``).
Everything drawn here is dates and counts: no note text reaches a chart.
Cells are single-width characters, so the charts line up in any terminal
font; shades (``░▒▓█``) carry the level, colour only helps.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence

from rich.text import Text

from quiz.store.habits import ForecastDay, Habits
from quiz.wording import plural

#: Heatmap shades for one to four quarters of the busiest day; ``·`` is none.
SHADES = "░▒▓█"
#: Bar tops in eighths of a cell.
TICKS = " ▁▂▃▄▅▆▇█"
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_WEEKDAYS = ("Mon", "", "Wed", "", "Fri", "", "Sun")
_GREEN = "green"


def short(day: dt.date) -> str:
    """``11-25``: month and day, as the charts label them."""
    return f"{day.month:02d}-{day.day:02d}"


def level(count: int, top: int) -> int:
    """0 for no review, else 1-4: the quarter of the busiest day it reaches."""
    if count <= 0 or top <= 0:
        return 0
    return min(4, math.ceil(4 * count / top))


def heatmap(per_day: Sequence[tuple[dt.date, int]]) -> Text:
    """Reviews per day as weeks (columns, Monday first) by weekdays (rows).

    Month names stand over the week in which each month begins, as on
    GitHub; a title gives the first and last day and the busiest day's count.
    """
    text = Text()
    if not per_day:
        return text
    first, last = per_day[0][0], per_day[-1][0]
    counts = dict(per_day)
    top = max(counts.values())
    monday = first - dt.timedelta(days=first.weekday())
    weeks = (last - monday).days // 7 + 1
    text.append("Reviews per day", style="bold")
    text.append(f"  {short(first)} – {short(last)}\n", style="dim")
    months = [" "] * (4 + 2 * weeks)
    free = 0  # the first column a month name may start in
    for week in range(weeks):
        days = [monday + dt.timedelta(days=7 * week + k) for k in range(7)]
        starts = [d for d in days if d.day == 1 and first <= d <= last]
        day = starts[0] if starts else (first if week == 0 else None)
        col = 4 + 2 * week
        if day is not None and col >= free:
            name = _MONTHS[day.month - 1]
            months[col : col + 3] = name
            free = col + 4
    text.append("".join(months[: 4 + 2 * weeks]).rstrip() + "\n", style="dim")
    for weekday in range(7):
        text.append(f"{_WEEKDAYS[weekday]:<4}", style="dim")
        for week in range(weeks):
            day = monday + dt.timedelta(days=7 * week + weekday)
            if day not in counts:
                text.append("  ")
                continue
            n = level(counts[day], top)
            if n:
                text.append(SHADES[n - 1], style=_GREEN)
            else:
                text.append("·", style="dim")
            text.append(" ")
        text.rstrip()
        text.append("\n")
    text.append("    less · ", style="dim")
    for k, shade in enumerate(SHADES):
        text.append(shade, style=_GREEN)
        text.append(" " if k < len(SHADES) - 1 else "", style="dim")
    text.append(f" more · max {top}", style="dim")
    return text


def bars(values: Sequence[int], height: int) -> list[str]:
    """Column bars, one cell wide, ``height`` rows from the top row down.

    Scaled so the largest value fills the height; any value above zero shows
    at least its lowest eighth.
    """
    top = max(values, default=0)
    eighths = [0 if v <= 0 or top <= 0 else max(1, round(v / top * height * 8)) for v in values]
    rows = []
    for row in range(height - 1, -1, -1):
        rows.append("".join(TICKS[max(0, min(8, e - 8 * row))] for e in eighths))
    return rows


def forecast_chart(days: Sequence[ForecastDay], height: int = 3) -> Text:
    """Notes and cards due on each of the coming days, as two bar charts.

    Each series is scaled to its own largest day, written at its top right;
    the first day (today) also holds everything overdue.
    """
    text = Text()
    if not days:
        return text
    notes, cards = sum(d.notes for d in days), sum(d.cards for d in days)
    text.append(f"Due in {len(days)} days", style="bold")
    text.append(f"  {plural(notes, 'note')} · {plural(cards, 'card')}\n", style="dim")
    for name, values in (
        ("notes", [d.notes for d in days]),
        ("cards", [d.cards for d in days]),
    ):
        rows = bars(values, height)
        for k, row in enumerate(rows):
            label = name if k == height - 1 else ""
            text.append(f"{label:<6}", style="dim")
            text.append(row, style="cyan" if name == "notes" else "magenta")
            if k == 0:
                text.append(f" max {max(values)}", style="dim")
            text.rstrip()
            text.append("\n")
    axis = [" "] * (6 + len(days))
    for i in range(0, len(days) - 4, 10):
        axis[6 + i : 6 + i + 5] = "today" if i == 0 else short(days[i].day)
    text.append("".join(axis).rstrip(), style="dim")
    return text


def habit_line(h: Habits) -> str:
    """Today's work and the streak, on one line."""
    w, s = h.work, h.streaks
    parts = [plural(w.reviews, "review")]
    if w.reviews:
        parts.append(f"{w.minutes} min")
    if w.sessions_started:
        parts.append(f"{w.sessions_finished} of {plural(w.sessions_started, 'session')} finished")
    streak = plural(s.current, "day")
    if s.current and not s.studied_today:
        streak += ", study today to keep it"
    return f"Today: {', '.join(parts)} · Streak: {streak} (longest {s.longest})"
