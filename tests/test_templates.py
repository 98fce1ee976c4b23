"""Template notes give no cards, and their cues are placeholders elsewhere."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pytest

from quiz.cli import main
from quiz.config import Settings
from quiz.notes.templates import (
    Placeholders,
    find_templates,
    is_builtin_placeholder,
    template_folder,
)
from quiz.session import NoteSession, SessionError
from quiz.store.index import scan

from .conftest import NewDb

TEMPLATE = (
    "---\n❕과목: \n---\n"
    "## 단서 질문\n\n- 오늘의 핵심 개념은?\n- **이 단원의 요점**\n\n"
    "## 핵심 필기\n\n## 핵심 요약\n"
)
#: A learner's note made from the template: one cue kept as it was.
NOTE = (
    "## 단서 질문\n\n"
    "- 오늘의 핵심 개념은?\n    (지우지 않은 자리표시)\n"
    "- **이 단원의 요점**\n    교착상태.\n"
    "- 교착상태의 네 조건은?\n    상호 배제, 점유 대기, 비선점, 순환 대기.\n"
)
ENGLISH_TEMPLATE = "## Cues\n\n- Place question here\n- Key term 1\n\n## Notes\n"
ENGLISH_NOTE = "## Cues\n\n- Key term 1\n    left as in the template\n- What is ATP?\n    Energy.\n"


def write(root: Path, rel: str, text: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def questions(vault: Path, capsys: pytest.CaptureFixture[str]) -> list[tuple[str, str]]:
    assert main(["cards", str(vault), "--json"]) == 0
    out, _ = capsys.readouterr()
    return [(c["note"], c["question"]) for c in json.loads(out)]


def test_templates_folder_named_by_obsidian_config(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = tmp_path / "vault"
    write(vault, ".obsidian/templates.json", json.dumps({"folder": "99 Meta/틀"}))
    write(vault, "99 Meta/틀/코넬 노트.md", TEMPLATE)
    write(vault, "운영체제/교착상태.md", NOTE)
    assert template_folder(vault) == "99 Meta/틀"
    assert questions(vault, capsys) == [("운영체제/교착상태.md", "교착상태의 네 조건은?")]


def test_templates_folder_by_name_in_any_case(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = tmp_path / "vault"
    write(vault, "templates/Cornell.md", ENGLISH_TEMPLATE)
    write(vault, "bio/cells.md", ENGLISH_NOTE)
    assert template_folder(vault) == "templates"
    assert questions(vault, capsys) == [("bio/cells.md", "What is ATP?")]


@pytest.mark.parametrize(
    "config",
    [
        "{not json",
        json.dumps(["folder"]),
        json.dumps({"folder": 3}),
        json.dumps({"folder": ""}),
        json.dumps({"folder": "../outside"}),
        json.dumps({"folder": "No Such Folder"}),
    ],
)
def test_a_useless_config_falls_back_to_a_template_folder(tmp_path: Path, config: str) -> None:
    vault = tmp_path / "vault"
    (tmp_path / "outside").mkdir()
    write(vault, ".obsidian/templates.json", config)
    write(vault, "Template/t.md", ENGLISH_TEMPLATE)
    assert template_folder(vault) == "Template"


def test_no_templates_at_all(tmp_path: Path) -> None:
    write(tmp_path, "a.md", ENGLISH_NOTE)
    write(tmp_path, "Templates.md", ENGLISH_TEMPLATE)  # a file, not a folder
    assert template_folder(tmp_path) is None
    found = find_templates(tmp_path)
    assert found.files == () and not found.is_template("Templates.md")


@pytest.mark.parametrize(
    "cue",
    ["질문1", "**질문 2**", "단서3", "Item", "item 3", "Place question here", "ㅇㅇ", "", "  ",
     "Question", "Question 1:", "Cue", "...", "?", "질문을 입력하세요", "Put your question here"],
)  # fmt: skip
def test_builtin_placeholders(cue: str) -> None:
    assert is_builtin_placeholder(cue)
    assert cue in Placeholders()


@pytest.mark.parametrize(
    "cue",
    [
        "TCP란?",
        "What is a cue?",
        "질문의 의도는?",
        "Item response theory?",
        "Q-learning이란?",
        "q?",
        "질문?",  # a dummy question in many a test vault; only 질문1, 질문 2... are placeholders
    ],
)
def test_real_cues_that_look_alike_are_cards(cue: str) -> None:
    assert not is_builtin_placeholder(cue)


def test_builtin_placeholders_are_never_cards(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(
        tmp_path,
        "n.md",
        "## 단서 질문\n\n- 질문1\n    답1\n- Item\n    x\n- ㅇㅇ\n    y\n"
        "- 진짜 질문?\n    진짜 답.\n",
    )
    assert questions(tmp_path, capsys) == [("n.md", "진짜 질문?")]


def test_scan_skips_templates_and_rereads_notes_when_a_template_changes(
    tmp_path: Path, new_db: NewDb
) -> None:
    vault = tmp_path / "vault"
    write(vault, "Templates/Cornell.md", ENGLISH_TEMPLATE)
    write(vault, "bio/cells.md", ENGLISH_NOTE)
    db = new_db()
    report = scan(vault, db, Settings())
    assert (report.notes, report.templates, report.cards) == (1, 1, 1)
    paths = [r[0] for r in db.execute("SELECT path FROM notes")]
    assert paths == ["bio/cells.md"]
    assert scan(vault, db, Settings()).read == 0
    # The learner's template no longer has "Key term 1": the unchanged note
    # is read again and its cue is a card now.
    template = vault / "Templates/Cornell.md"
    template.write_text(ENGLISH_TEMPLATE.replace("- Key term 1\n", ""), encoding="utf-8")
    os.utime(template, ns=(1, 1))
    again = scan(vault, db, Settings())
    assert again.read == 1 and again.cards == 2


def test_a_session_drops_placeholders_too(tmp_path: Path, new_db: NewDb) -> None:
    vault = tmp_path / "vault"
    write(vault, "Templates/Cornell.md", ENGLISH_TEMPLATE)
    write(vault, "bio/cells.md", ENGLISH_NOTE)
    db = new_db()
    scan(vault, db, Settings())
    session = NoteSession(db, vault, "bio/cells.md", Settings(), today=dt.date(2026, 11, 25))
    assert [c.question for c in session.cards] == ["What is ATP?"]


def test_a_config_pointing_out_of_the_vault_through_a_link_is_ignored(tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    write(tmp_path, "elsewhere/t.md", ENGLISH_TEMPLATE)
    vault.mkdir()
    (vault / "linked").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    write(vault, ".obsidian/templates.json", json.dumps({"folder": "linked"}))
    assert template_folder(vault) is None
    write(vault, ".obsidian/templates.json", "[" * 100_000)  # deeply nested garbage
    assert template_folder(vault) is None


def test_a_note_not_indexed_yet_drops_placeholders_and_a_template_is_not_indexed(
    tmp_path: Path, new_db: NewDb
) -> None:
    vault = tmp_path / "vault"
    write(vault, "Templates/Cornell.md", ENGLISH_TEMPLATE)
    db = new_db()
    scan(vault, db, Settings())
    write(vault, "bio/cells.md", ENGLISH_NOTE)  # after the scan: indexed by the session
    session = NoteSession(db, vault, "bio/cells.md", Settings(), today=dt.date(2026, 11, 25))
    assert [c.question for c in session.cards] == ["What is ATP?"]
    with pytest.raises(SessionError, match="no cards"):
        NoteSession(db, vault, "Templates/Cornell.md", Settings(), today=dt.date(2026, 11, 25))
    paths = [r[0] for r in db.execute("SELECT path FROM notes")]
    assert paths == ["bio/cells.md"]
