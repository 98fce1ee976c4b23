"""The scan report a learner reads: notes that are not Cornell notes are one
line, not a warning each; the count holds on a warm scan; an empty vault says why."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest
from sqlite_utils import Database
from textual.widgets import Static

from quiz.cli import main
from quiz.config import Settings
from quiz.plain import run_plain
from quiz.store import open_db, schema
from quiz.store.index import scan
from quiz.study import Study
from quiz.tui.today import TodayScreen

from .conftest import NewDb
from .tui_snapshot_app import make_app, screen_text, synchronous

CORNELL = "### 단서 질문\n\n- 교착상태의 네 조건은?\n    상호 배제, 점유 대기, 비선점, 순환 대기.\n"
DAILY = "# 2026-11-20\n\n- 장보기\n- 운동\n"
TAGS = "#운영체제 #복습\n\n[[교착상태]] [[가상 메모리]]\n"


def write(root: Path, rel: str, text: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    root = tmp_path / "vault"
    write(root, "os/교착상태.md", CORNELL)
    write(root, "daily/2026-11-20.md", DAILY)
    write(root, "tags.md", TAGS)
    return root


def test_notes_without_cue_section_are_counted_not_warned(vault: Path, new_db: NewDb) -> None:
    report = scan(vault, new_db(), Settings())
    assert report.no_cues == ["daily/2026-11-20.md", "tags.md"]
    assert report.warnings == []
    assert (report.notes, report.cards) == (3, 1)


def test_the_count_holds_on_a_warm_scan_and_follows_changes(vault: Path, new_db: NewDb) -> None:
    db = new_db()
    scan(vault, db, Settings())
    warm = scan(vault, db, Settings())
    assert warm.read == 0
    assert warm.no_cues == ["daily/2026-11-20.md", "tags.md"]
    # The daily note becomes a Cornell note, the tag page goes away.
    write(vault, "daily/2026-11-20.md", CORNELL.replace("교착상태", "기아 상태"))
    (vault / "tags.md").unlink()
    later = scan(vault, db, Settings())
    assert later.read == 1 and later.gone == 1
    assert later.no_cues == []


def test_an_index_from_before_has_cues_gets_it_from_the_old_warning(tmp_path: Path) -> None:
    # A version-1 index, as the reader that warned about each such note left it.
    path = tmp_path / "old.sqlite3"
    old = Database(path)
    schema._create_v1(old)
    old.execute("INSERT INTO meta VALUES ('schema_version', '1')")
    warned = json.dumps(["no cue-question section (e.g. '### 단서 질문'); no cards"])
    old.execute(
        "INSERT INTO notes (path, title, note_key, warnings, card_count, size, mtime_ns) "
        "VALUES ('a.md', 'a', 'a', ?, 0, 1, 1), ('b.md', 'b', 'b', '[]', 2, 1, 1)",
        [warned],
    )
    old.conn.commit()
    old.close()
    db = open_db(path)
    rows = dict(db.execute("SELECT path, has_cues FROM notes ORDER BY path").fetchall())
    assert rows == {"a.md": 0, "b.md": 1}
    db.close()


def test_quiz_scan_prints_one_line_and_lists_with_verbose(
    capsys: pytest.CaptureFixture[str], vault: Path, tmp_path: Path
) -> None:
    db = str(tmp_path / "index.db")
    assert main(["scan", str(vault), "--db", db]) == 0
    out, err = capsys.readouterr()
    assert "2 notes have no cue section (not Cornell notes); --verbose lists them" in out
    assert "tags.md" not in out and err == ""
    assert main(["scan", str(vault), "--db", db, "--verbose"]) == 0
    out, _ = capsys.readouterr()
    lines = out.splitlines()
    at = lines.index("2 notes have no cue section (not Cornell notes)")
    assert lines[at + 1 :] == ["  daily/2026-11-20.md", "  tags.md"]


def test_quiz_cards_counts_them_on_stderr(capsys: pytest.CaptureFixture[str], vault: Path) -> None:
    assert main(["cards", str(vault), "--json"]) == 0
    out, err = capsys.readouterr()
    assert [c["note"] for c in json.loads(out)] == ["os/교착상태.md"]
    assert err.splitlines() == ["2 notes have no cue section (not Cornell notes)"]


def study(new_db: NewDb, vault: Path, settings: Settings | None = None) -> Study:
    settings = settings or Settings()
    db = new_db()
    scan(vault, db, settings)
    return Study(db, vault, settings, dt.date(2026, 11, 25), write=False)


def test_why_no_cards(tmp_path: Path, new_db: NewDb) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    assert study(new_db, empty).why_no_cards() == (
        f"No notes found in {empty}: quiz reads the Markdown (.md) files "
        "of this folder and its subfolders."
    )
    plain = tmp_path / "plain"
    write(plain, "daily.md", DAILY)
    settings = Settings(sections={**Settings().sections, "cues": ("단서 질문", "Cues")})
    assert study(new_db, plain, settings).why_no_cards() == (
        "No cue sections found in 1 note, so there are no cards. quiz looked for the cue "
        "questions under a heading named '단서 질문', 'Cues' (set [sections] cues in quiz.toml "
        "to name yours)."
    )
    blank = tmp_path / "blank"
    write(blank, "t.md", "## Cues\n\n- 질문1\n- \n")
    assert study(new_db, blank).why_no_cards() == (
        "1 note with a cue section, but none of their cues is a card yet: the cue items "
        "are empty or template placeholders."
    )
    write(blank, "real.md", CORNELL)
    assert study(new_db, blank).why_no_cards() is None


def test_plain_says_why_instead_of_nothing_due(tmp_path: Path, new_db: NewDb) -> None:
    write(tmp_path / "v", "daily.md", DAILY)
    out = io.StringIO()
    assert run_plain(study(new_db, tmp_path / "v"), stdin=io.StringIO(""), stdout=out) == 0
    assert out.getvalue().startswith("No cue sections found in 1 note, so there are no cards.")
    assert "Nothing is due" not in out.getvalue()


@synchronous
async def test_today_says_why_there_are_no_cards(tmp_path: Path) -> None:
    source = tmp_path / "source"
    write(source, "daily/2026-11-20.md", DAILY)
    write(source, "tags.md", TAGS)
    app = make_app(tmp_path, source=source)
    async with app.run_test(size=(100, 24)):
        assert isinstance(app.screen, TodayScreen)
        title = str(app.screen.query_one("#today-title", Static).render())
        assert title.startswith("No cue sections found in 2 notes, so there are no cards.")
        assert "'단서 질문', 'Cue Questions'" in title
        text = " ".join(screen_text(app).split())
        assert "Nothing is due" not in text
        assert "No cue sections found in 2 notes" in text
