"""``quiz export csv``: every card as a CSV or TSV row.

Named ``table`` rather than ``csv`` so that ``import csv`` next to it can only
ever mean the standard library, for readers and tools alike.

The file is UTF-8 with a BOM: Excel reads a CSV without one in the
computer's ANSI code page and shows Korean as mojibake; Anki, Quizlet,
LibreOffice and Google Sheets all skip the BOM.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from quiz.export import ExportCard, export_cards, write_atomic
from quiz.schedule.stages import Grade, next_stage
from quiz.store.reviews import latest_grades
from quiz.text import safe_text

if TYPE_CHECKING:
    from sqlite_utils import Database

COLUMNS = ("question", "answer", "subject", "note", "stage", "last_grade")
DONE = "long-term done"


def last_grades(db: Database) -> dict[str, str]:
    """Each reviewed card's latest grade as ``again``/``hard``/``good``/``easy``.

    Latest by ``reviewed_at``; the row id breaks ties (two grades stamped in
    the same second: the later insert is the later grade).
    """
    latest: dict[str, str] = {}
    for card_id, grade in latest_grades(db):
        try:
            latest[card_id] = Grade(int(grade)).name.lower()
        except ValueError:
            continue  # not a grade we know; leave the last good one
    return latest


def stage_text(card: ExportCard) -> str:
    """The next stage to pass, or ``long-term done``."""
    stage = next_stage(card.note.state)
    return DONE if stage is None else stage.label


def spreadsheet_safe(value: str) -> str:
    """Keep a spreadsheet from running a cell as a formula.

    Note text is untrusted and Excel, LibreOffice and Sheets evaluate a cell
    that starts with ``=``, ``+``, ``-`` or ``@`` (CSV injection). Such cells
    get a leading apostrophe, the spreadsheets' own "this is text" mark.
    A Markdown list item (``- item``, ``+ item``) or rule (``---``) is left
    alone: answers start that way all the time and Anki/Quizlet would show
    the apostrophe.
    """
    if not value:
        return value
    first, rest = value[0], value[1:2]
    if first in "=@\t\r" or (first in "+-" and rest not in (" ", "\t", "\n", "-", "")):
        return "'" + value
    return value


def card_rows(db: Database) -> list[tuple[str, ...]]:
    """One row per live card, columns as in ``COLUMNS``."""
    grades = last_grades(db)
    return [
        (
            card.question,
            card.answer,
            card.note.subject,
            card.note.path,
            stage_text(card),
            grades.get(card.id, ""),
        )
        for card in export_cards(db)
    ]


def render(rows: Iterable[Sequence[str]], *, tsv: bool = False) -> bytes:
    """The document: header row, then ``rows``; CRLF rows, fields quoted as needed.

    Multi-line answers stay in one quoted field (RFC 4180), which Excel,
    Sheets and Anki read back as one cell.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter="\t" if tsv else ",", lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([spreadsheet_safe(safe_text(cell)) for cell in row])
    return buffer.getvalue().encode("utf-8-sig")


def is_tsv(path: Path, flag: bool) -> bool:
    """Tab-separated when asked for or when the file name ends in ``.tsv``."""
    return flag or path.suffix.casefold() == ".tsv"


def write_table(db: Database, path: Path, *, tsv: bool = False) -> int:
    """Write the cards of ``db`` to ``path`` atomically; return the row count."""
    rows = card_rows(db)
    write_atomic(path, render(rows, tsv=tsv))
    return len(rows)
