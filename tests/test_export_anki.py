"""``quiz export anki``: the .apkg is opened as a zip and its SQLite read back."""

from __future__ import annotations

import json
import shutil
import sqlite3
import zipfile
from pathlib import Path

import genanki
import pytest

from quiz.cli import main
from quiz.export.anki import MODEL_ID, Media, tag, to_html

from .conftest import SAMPLE_NOTES

PNG = b"\x89PNG\r\n\x1a\n" + b"not really an image" * 3

LAMBDA_NOTE = """\
---
❕첫 학습날: 2026-11-20
❕과목: AWS
❕교재: AWS Lambda in Action
---
## 단서 질문

- Lambda의 실행 모델은?
    ![[lambda-model.png|300]]

    이벤트가 오면 **함수**가 실행된다. <script>alert(1)</script>
- 콜드 스타트란?
    ![[missing-diagram.png]] 처음 호출할 때의 지연. [[AWS Lambda|람다]] 참고.
"""


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    """The sample vault plus a note whose answers embed images."""
    target = tmp_path / "vault"
    shutil.copytree(SAMPLE_NOTES, target)
    (target / "AWS" / "AWS Lambda.md").write_text(LAMBDA_NOTE, encoding="utf-8")
    (target / "attachments").mkdir()
    (target / "attachments" / "lambda-model.png").write_bytes(PNG)
    return target


def export(capsys: pytest.CaptureFixture[str], vault: Path, out: Path) -> tuple[int, str, str]:
    code = main(["export", "anki", str(vault), str(out), "--db", str(vault.parent / "i.db")])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


class Package:
    """What an .apkg holds, read the way Anki would."""

    def __init__(self, path: Path, scratch: Path) -> None:
        with zipfile.ZipFile(path) as z:
            self.names = set(z.namelist())
            self.media: dict[str, str] = json.loads(z.read("media"))
            self.files = {name: z.read(name) for name in self.media}
            z.extract("collection.anki2", scratch)
        conn = sqlite3.connect(scratch / "collection.anki2")
        try:
            decks, models = conn.execute("SELECT decks, models FROM col").fetchone()
            self.decks = {int(k): v["name"] for k, v in json.loads(decks).items()}
            self.models = {int(k): v for k, v in json.loads(models).items()}
            self.notes = [
                (guid, mid, flds.split("\x1f"), tags.split())
                for guid, mid, flds, tags in conn.execute("SELECT guid, mid, flds, tags FROM notes")
            ]
            self.card_decks = dict(
                conn.execute("SELECT n.guid, c.did FROM cards c JOIN notes n ON n.id = c.nid")
            )
        finally:
            conn.close()

    def note(self, question_part: str) -> tuple[str, int, list[str], list[str]]:
        (found,) = [n for n in self.notes if question_part in n[2][0]]
        return found


def test_decks_notes_fields_tags_and_media(
    capsys: pytest.CaptureFixture[str], vault: Path, tmp_path: Path
) -> None:
    out = tmp_path / "deck.apkg"
    code, stdout, err = export(capsys, vault, out)
    assert code == 0, err
    assert "76 cards in 3 decks, 1 media files" in stdout
    pkg = Package(out, tmp_path / "x")
    assert {"collection.anki2", "media", "0"} <= pkg.names

    assert {"AWS", "운영체제", "English"} <= set(pkg.decks.values())
    assert len(pkg.notes) == 76
    assert set(pkg.models) == {MODEL_ID}
    fields = [f["name"] for f in pkg.models[MODEL_ID]["flds"]]
    assert fields == ["Question", "Answer", "Subject", "Note", "CardId"]

    guid, mid, (question, answer, subject, title, card_id), tags = pkg.note("실행 모델")
    assert mid == MODEL_ID and question == "Lambda의 실행 모델은?"
    assert (subject, title) == ("AWS", "AWS Lambda")
    assert guid == genanki.guid_for(card_id)
    assert pkg.decks[pkg.card_decks[guid]] == "AWS"
    assert '<img src="lambda-model.png" width="300">' in answer
    assert "<strong>함수</strong>" in answer
    assert "<script>" not in answer and "&lt;script&gt;" in answer
    assert sorted(tags) == ["note::AWS_Lambda", "textbook::AWS_Lambda_in_Action"]
    assert pkg.media == {"0": "lambda-model.png"} and pkg.files["0"] == PNG

    *_, (_, cold, *_), _ = pkg.note("콜드 스타트")
    assert "missing-diagram.png" in cold and "<img" not in cold and "람다 참고" in cold
    assert "missing-diagram.png" in err  # reported, not fatal

    *_, os_tags = pkg.note("네 가지 필요조건")
    assert "textbook::Operating_System_Concepts_10판" in os_tags and "note::교착상태" in os_tags


def test_reexport_keeps_guids_and_deck_ids(
    capsys: pytest.CaptureFixture[str], vault: Path, tmp_path: Path
) -> None:
    first, second = tmp_path / "a.apkg", tmp_path / "b.apkg"
    assert export(capsys, vault, first)[0] == 0
    (vault / "Moved").mkdir()
    shutil.move(vault / "AWS" / "IAM 정책.md", vault / "Moved" / "IAM 정책.md")
    assert export(capsys, vault, second)[0] == 0
    a, b = Package(first, tmp_path / "a"), Package(second, tmp_path / "b")
    assert {n[0] for n in a.notes} == {n[0] for n in b.notes}
    assert a.decks == b.decks
    assert a.card_decks == b.card_decks


def test_guids_are_the_card_ids(
    capsys: pytest.CaptureFixture[str], vault: Path, tmp_path: Path
) -> None:
    out = tmp_path / "deck.apkg"
    assert export(capsys, vault, out)[0] == 0
    assert main(["cards", str(vault), "--json"]) == 0
    ids = {c["id"] for c in json.loads(capsys.readouterr().out)}
    pkg = Package(out, tmp_path / "x")
    assert {flds[4] for _, _, flds, _ in pkg.notes} == ids
    assert {guid for guid, *_ in pkg.notes} == {genanki.guid_for(i) for i in ids}


def test_missing_output_folder_is_a_clear_error(
    capsys: pytest.CaptureFixture[str], vault: Path, tmp_path: Path
) -> None:
    code, _, err = export(capsys, vault, tmp_path / "nope" / "deck.apkg")
    assert code == 1 and "cannot write" in err and "does not exist" in err


def test_media_lookup_by_name_path_and_never_outside_the_vault(tmp_path: Path) -> None:
    vault = tmp_path / "v"
    (vault / "a").mkdir(parents=True)
    (vault / "b" / "sub").mkdir(parents=True)
    (vault / ".trash").mkdir()
    (vault / "a" / "x.png").write_bytes(b"shallow")
    (vault / "b" / "sub" / "x.png").write_bytes(b"deep")
    (vault / ".trash" / "gone.png").write_bytes(b"trash")
    (tmp_path / "outside.png").write_bytes(b"secret")
    media = Media(vault)
    html = to_html(
        "![[x.png]] ![[b/sub/x.png]] ![[X.PNG]] ![[gone.png]]\n\n![p](../../outside.png)",
        media,
        "b/note.md",
    )
    assert media.used["x.png"] == (vault / "a" / "x.png").resolve()
    other = next(n for n in media.used if n != "x.png")
    assert other.startswith("x-") and media.used[other].read_bytes() == b"deep"
    assert html.count('src="x.png"') == 2 and f'src="{other}"' in html
    assert not any("outside" in str(p) or "gone" in str(p) for p in media.used.values())
    assert len(media.missing) == 2


def test_wikilinks_in_code_stay_as_written() -> None:
    html = to_html("`[[ -f x ]]`\n\n```sh\n[[ -d y ]] && ls\n```", None, "n.md")
    assert "[[ -f x ]]" in html and "[[ -d y ]] &amp;&amp; ls" in html


def test_tags_have_no_spaces() -> None:
    assert tag("note", "Word Power -\u00a0Lesson 3") == "note::Word_Power_-_Lesson_3"
