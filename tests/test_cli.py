"""The command line as a user runs it: cards and scan."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from quiz.cli import main

from .conftest import FIXTURES


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_cards_json_on_the_seed_notes(capsys: pytest.CaptureFixture[str], seed_notes: Path) -> None:
    code, out, err = run(capsys, "cards", str(seed_notes), "--json")
    assert code == 0
    cards = json.loads(out)
    clean = [c for c in cards if c["note"] == "aws-lambda.md"]
    mangled = [c for c in cards if c["note"] == "aws-lambda.mojibake.md"]
    assert len(clean) == 9 and len(mangled) == 9
    assert {"note", "question", "answer", "id"} <= set(clean[0])
    assert all(c["repaired"] for c in mangled) and not any(c["repaired"] for c in clean)
    same = sum(a["question"] == b["question"] for a, b in zip(clean, mangled, strict=True))
    assert same >= 8
    assert "aws-lambda.mojibake.md: text was mojibake" in err


def test_cards_reports_bad_files_and_goes_on(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    for name in ("binary.md", "tabs.md", "not_utf8_nor_cp949.md", "empty_answer.md"):
        shutil.copy(FIXTURES / name, tmp_path / name)
    code, out, err = run(capsys, "cards", str(tmp_path), "--json")
    assert code == 0
    assert {c["note"] for c in json.loads(out)} == {"tabs.md", "empty_answer.md"}
    assert "binary.md: binary file" in err
    assert "not_utf8_nor_cp949.md: not UTF-8 and not CP949" in err
    assert "empty_answer.md: line 8: cue question '답이 없는 질문' could not be answered" in err


def test_cards_text_output_has_no_escape_sequences(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    shutil.copy(FIXTURES / "markup.md", tmp_path / "markup.md")
    code, out, _ = run(capsys, "cards", str(tmp_path))
    assert code == 0
    assert "\x1b" not in out and "\x07" not in out
    assert "[bold]x[/bold] and [@click=app.quit]click[/]" in out
    code, out, _ = run(capsys, "cards", str(tmp_path), "--json")
    assert "\x1b" not in out and json.loads(out)[0]["answer"].startswith("\x1b]52;")


def test_scan_then_rescan(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    vault = tmp_path / "v"
    vault.mkdir()
    shutil.copy(FIXTURES / "tabs.md", vault / "tabs.md")
    db = tmp_path / "index.db"
    code, out, _ = run(capsys, "scan", str(vault), "--db", str(db))
    assert code == 0 and "1 notes: 1 read, 0 unchanged, 0 gone; 2 cards" in out
    code, out, _ = run(capsys, "scan", str(vault), "--db", str(db))
    assert "1 notes: 0 read, 1 unchanged" in out


@pytest.mark.skipif(sys.platform != "linux", reason="the XDG data directory is Linux's")
def test_scan_default_db_is_per_vault_under_user_data(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        assert run(capsys, "scan", str(tmp_path / name))[0] == 0
    # conftest points XDG_DATA_HOME at a fresh folder: the two indexes, and
    # nothing else, are there, one per vault, named after it.
    indexes = Path(os.environ["XDG_DATA_HOME"]) / "quiz" / "vaults"
    names = sorted(p.name for p in indexes.glob("*.sqlite3"))
    assert len(names) == 2
    assert re.fullmatch(r"a-[0-9a-f]{12}\.sqlite3", names[0])
    assert re.fullmatch(r"b-[0-9a-f]{12}\.sqlite3", names[1])


def test_bad_settings_file_is_a_clear_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "quiz.toml").write_text("[stages]\npass_ratio = 7\n", encoding="utf-8")
    code, _, err = run(capsys, "cards", str(tmp_path))
    assert code == 2 and "stages.pass_ratio" in err


def test_missing_vault_is_a_usage_error(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as info:
        main(["cards", str(tmp_path / "nope")])
    assert info.value.code == 2
    assert "not a folder" in capsys.readouterr().err


def test_python_dash_m_entry_point(tmp_path: Path) -> None:
    shutil.copy(FIXTURES / "tabs.md", tmp_path / "tabs.md")
    done = subprocess.run(
        [sys.executable, "-m", "quiz", "cards", str(tmp_path), "--json"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=True,
    )
    assert json.loads(done.stdout)[1]["question"] == "Ribosome?"
