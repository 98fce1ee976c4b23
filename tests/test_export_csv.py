"""``quiz export csv``: read back with the csv module, as a spreadsheet would."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from sqlite_utils import Database

from quiz.cli import main
from quiz.export.table import COLUMNS, spreadsheet_safe

from .conftest import SAMPLE_NOTES


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One index of the sample vault for the module: later scans are no-ops."""
    return tmp_path_factory.mktemp("csv") / "index.db"


def export(
    capsys: pytest.CaptureFixture[str], out: Path, db: Path, *extra: str
) -> tuple[int, str, str]:
    code = main(["export", "csv", str(SAMPLE_NOTES), str(out), "--db", str(db), *extra])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def read(path: Path, delimiter: str = ",") -> list[dict[str, str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "Excel needs the BOM to read UTF-8"
    text = raw.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter))


def test_csv_columns_rows_and_stages(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, sample_db: Path
) -> None:
    code, stdout, _ = export(capsys, tmp_path / "cards.csv", sample_db)
    out = tmp_path / "cards.csv"
    assert code == 0 and "74 cards written" in stdout
    rows = read(out)
    assert len(rows) == 74 and tuple(rows[0]) == COLUMNS
    by_note = {r["note"]: r for r in rows}
    assert by_note["AWS/IAM 정책.md"]["stage"] == "day 7"
    assert by_note["AWS/SQS와 SNS.md"]["stage"] == "long-term done"
    assert by_note["AWS/VPC 기초.md"]["stage"] == "day 1"  # new: day 1 comes first
    assert by_note["운영체제/교착상태.md"]["subject"] == "운영체제"
    assert all(r["last_grade"] == "" for r in rows)
    # A multi-line answer stays one field.
    iam = next(r for r in rows if r["question"] == "IAM 정책 문서(JSON)의 기본 구조는?")
    assert iam["answer"].startswith("```json\n{\n") and '"Version": "2012-10-17"' in iam["answer"]


def test_last_grade_is_the_latest_review(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out, db_path = tmp_path / "cards.csv", tmp_path / "i.db"
    assert export(capsys, out, db_path)[0] == 0
    db = Database(db_path)
    (card_id, note), (other, _) = db.execute(
        "SELECT id, note_path FROM cards WHERE note_path = 'AWS/IAM 정책.md' ORDER BY ordinal"
    ).fetchall()[:2]
    db["sessions"].insert({"id": 1, "note_path": note, "day": "2026-11-25", "started_at": "x"})
    # Inserted out of time order: the latest by reviewed_at wins, not the last row.
    for grade, at in ((3, "2026-11-25T10:05:00"), (1, "2026-11-25T10:00:00")):
        db["reviews"].insert(
            {"session_id": 1, "card_id": card_id, "grade": grade, "reviewed_at": at, "day": "d"}
        )
    db["reviews"].insert(
        {"session_id": 1, "card_id": other, "grade": 4, "reviewed_at": "2026-11-24", "day": "d"}
    )
    db.conn.commit()
    db.close()
    assert export(capsys, out, db_path)[0] == 0
    grades = {r["question"]: r["last_grade"] for r in read(out)}
    assert grades["IAM 정책 문서(JSON)의 기본 구조는?"] == "good"
    assert grades["명시적 Deny와 Allow가 충돌하면 어떻게 되는가?"] == "easy"
    assert sum(1 for g in grades.values() if g) == 2


@pytest.mark.parametrize(("name", "extra"), [("cards.tsv", ()), ("cards.txt", ("--tsv",))])
def test_tsv_by_extension_or_flag(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    sample_db: Path,
    name: str,
    extra: tuple[str, ...],
) -> None:
    out = tmp_path / name
    code, stdout, _ = export(capsys, out, sample_db, *extra)
    assert code == 0 and "TSV" in stdout
    assert out.read_bytes().split(b"\r\n")[0] == (
        b"\xef\xbb\xbfquestion\tanswer\tsubject\tnote\tstage\tlast_grade"
    )
    rows = read(out, delimiter="\t")
    assert len(rows) == 74 and all(set(r) == set(COLUMNS) for r in rows)


def test_missing_output_folder_is_a_clear_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, sample_db: Path
) -> None:
    code, _, err = export(capsys, tmp_path / "missing" / "cards.csv", sample_db)
    assert code == 1 and "cannot write" in err and "missing" in err


def test_refuses_to_overwrite_a_note(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as exit_:
        export(capsys, tmp_path / "note.md", tmp_path / "i.db")
    assert exit_.value.code == 2


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("- a Markdown list item", "- a Markdown list item"),
        ("---", "---"),
        ("plain", "plain"),
        ("", ""),
    ],
)
def test_spreadsheet_formulas_are_neutralised(cell: str, expected: str) -> None:
    assert spreadsheet_safe(cell) == expected
