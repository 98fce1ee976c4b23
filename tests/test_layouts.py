"""Every Cornell layout is a card source (issue #10, SPEC "Cornell layouts in the wild").

The fixture notes in ``tests/fixtures/layouts/`` are written for these tests,
one per layout and language (Korean, English, German), plus mixed notes.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from quiz.config import Settings
from quiz.notes.ids import card_id, note_key
from quiz.notes.reader import parse_note, read_note

from .conftest import SAMPLE_NOTES

LAYOUTS = Path(__file__).parent / "fixtures" / "layouts"


@pytest.fixture
def settings() -> Settings:
    return Settings()


def cards_of(
    name: str, settings: Settings, *, cues_only: bool = False
) -> list[tuple[str, str, str]]:
    note = read_note(LAYOUTS / name, name, settings, cues_only=cues_only)
    return [(c.question, c.answer, c.answer_source) for c in note.cards]


KO_TCP = "TCP는 연결을 맺고 순서와 재전송을 보장한다. UDP는 연결 없이 보낸다."
EN_MITO = "It turns nutrients into ATP, the cell's energy currency."
EN_OSMO = "Water moving through a membrane towards the higher solute concentration."
DE_TAUT = "Eine Aussage, die immer wahr ist, egal wie ihre Teile belegt sind."
DE_MP = "Aus A und A → B folgt B."


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "ko-nested.md",
            [
                ("**TCP와 UDP의 차이는?**", KO_TCP, "nested"),
                ("**3-way handshake의 순서는?**", "1. SYN\n2. SYN-ACK\n3. ACK", "nested"),
            ],
        ),
        (
            "en-nested.md",
            [
                ("What does the mitochondrion do?", EN_MITO, "nested"),
                ("**Osmosis**", EN_OSMO, "nested"),
            ],
        ),
        (
            "de-nested.md",
            [
                ("**Was ist eine Tautologie?**", DE_TAUT, "nested"),
                ("Was besagt der Modus ponens?", DE_MP, "nested"),
            ],
        ),
    ],
)
def test_layout_1_nested_answers(
    name: str, expected: list[tuple[str, str, str]], settings: Settings
) -> None:
    assert cards_of(name, settings) == expected


def test_layout_2_bare_cues_answered_from_notes(settings: Settings) -> None:
    note = read_note(LAYOUTS / "en-bare.md", "en-bare.md", settings)
    assert [c.question for c in note.cards] == [
        "What does the mitochondrion do?",
        "What is osmosis?",
    ]
    for card in note.cards:
        assert card.answer_source == "notes"
        assert card.answer_from == "Notes"
        assert "turns nutrients into ATP" in card.answer
    assert note.warnings == ()


def test_layout_2_korean_bare_cues_get_their_notes_subsection(settings: Settings) -> None:
    note = read_note(LAYOUTS / "ko-bare.md", "ko-bare.md", settings)
    assert [(c.answer, c.answer_source, c.answer_from) for c in note.cards] == [
        (KO_TCP, "notes", "핵심 필기 › TCP와 UDP"),
        ("SYN, SYN-ACK, ACK 순서로 연결을 맺는다.", "notes", "핵심 필기 › 3-way handshake"),
    ]


def test_layout_2_in_german(settings: Settings) -> None:
    note = read_note(LAYOUTS / "de-bare.md", "de-bare.md", settings)
    assert len(note.cards) == 2
    assert {c.answer_source for c in note.cards} == {"notes"}
    assert {c.answer_from for c in note.cards} == {"Notizen"}
    assert all(c.answer for c in note.cards)


def test_bare_cue_answered_from_summary_without_notes(settings: Settings) -> None:
    raw = "## 단서 질문\n- 왜 쓰는가?\n\n## 핵심 요약\n- 변경 없이 미리 본다.\n".encode()
    note = parse_note(raw, "s.md", settings)
    assert [(c.question, c.answer, c.answer_source, c.answer_from) for c in note.cards] == [
        ("왜 쓰는가?", "- 변경 없이 미리 본다.", "summary", "핵심 요약")
    ]


def test_bare_cue_without_notes_or_summary_is_dropped_with_a_warning(settings: Settings) -> None:
    note = parse_note(b"# Cues\n- Lonely question?\n", "lonely.md", settings)
    assert note.cards == ()
    assert note.has_cues
    assert note.warnings == (
        "line 2: cue question 'Lonely question?' could not be answered: "
        "no notes or summary section; not a card",
    )


def test_bare_cues_found_by_the_lean_index_read(settings: Settings) -> None:
    # The index reads only the cue section; bare cues need the notes too.
    assert cards_of("en-bare.md", settings, cues_only=True) == cards_of("en-bare.md", settings)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "ko-headings.md",
            [
                ("TCP와 UDP의 차이는?", KO_TCP, "heading"),
                ("3-way handshake의 순서는?", "1. SYN\n2. SYN-ACK\n3. ACK", "heading"),
            ],
        ),
        (
            "en-headings.md",
            [
                ("What does the mitochondrion do?", EN_MITO, "heading"),
                (
                    "What is osmosis?",
                    EN_OSMO + "\n\n```text\n#### not a question: inside a code block\n```",
                    "heading",
                ),
            ],
        ),
        (
            "de-headings.md",
            [
                ("Was ist eine Tautologie?", DE_TAUT, "heading"),
                ("Was besagt der Modus ponens?", DE_MP, "heading"),
            ],
        ),
    ],
)
def test_layout_3_questions_as_headings(
    name: str, expected: list[tuple[str, str, str]], settings: Settings
) -> None:
    assert cards_of(name, settings) == expected


def test_thematic_break_inside_a_cue_section_does_not_end_it(settings: Settings) -> None:
    raw = (
        b"## Cues\n- First?\n    one\n\n---\n\n- Second?\n    two\n---\n"
        b"### Q3: Third?\nthree\n\n---\n\n"
        b"#### deeper heading\nstill three\n## Notes\nnotes text\n"
    )
    note = parse_note(raw, "hr.md", settings)
    assert [(c.question, c.answer) for c in note.cards] == [
        ("First?", "one"),
        ("Second?", "two"),
        ("Third?", "three\n\n---\n\n#### deeper heading\nstill three"),
    ]


def test_heading_over_a_list_groups_cues(settings: Settings) -> None:
    raw = (
        "## 단서 질문\n### 1장\n- 질문 하나\n    답 하나\n### 2장\n- 질문 둘\n    답 둘\n".encode()
    )
    note = parse_note(raw, "g.md", settings)
    assert [(c.question, c.answer, c.answer_source) for c in note.cards] == [
        ("질문 하나", "답 하나", "nested"),
        ("질문 둘", "답 둘", "nested"),
    ]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "ko-callouts.md",
            [
                ("TCP와 UDP의 차이는?", KO_TCP, "callout", "the text after the cue"),
                (
                    "포트 번호",
                    "한 호스트 안에서 프로세스를 구분하는 16비트 번호.",
                    "definition",
                    "",
                ),
                (
                    "3-way handshake의 순서는?",
                    "SYN, SYN-ACK, ACK 순서로 연결을 맺는다.",
                    "callout",
                    "",
                ),
            ],
        ),
        (
            "en-callouts.md",
            [
                (
                    "What does the mitochondrion do?",
                    "They turn nutrients into ATP, the cell's energy currency.",
                    "callout",
                    "Mitochondria",
                ),
                ("*Osmosis*", EN_OSMO[0].lower() + EN_OSMO[1:], "definition", ""),
                (
                    "**Diffusion**",
                    "particles spreading from high to low concentration.",
                    "definition",
                    "",
                ),
            ],
        ),
        (
            "de-callouts.md",
            [
                ("**Was ist eine Tautologie?**", DE_TAUT, "callout", "the text after the cue"),
                ("Was besagt der Modus ponens?", DE_MP, "callout", ""),
                ("Kontradiktion", "eine Aussage, die immer falsch ist.", "definition", ""),
            ],
        ),
    ],
)
def test_layout_4_callouts(
    name: str, expected: list[tuple[str, str, str, str]], settings: Settings
) -> None:
    note = read_note(LAYOUTS / name, name, settings)
    assert [(c.question, c.answer, c.answer_source, c.answer_from) for c in note.cards] == expected


def test_summary_callout_is_the_summary(settings: Settings) -> None:
    note = read_note(LAYOUTS / "ko-callouts.md", "ko-callouts.md", settings)
    assert note.sections["summary"] == "TCP는 신뢰성, UDP는 속도."


def test_callouts_in_code_blocks_and_other_callouts_are_not_cues(settings: Settings) -> None:
    raw = b"# T\n```\n> [!cue]\n> Not this?\n```\n\n> [!tip]\n> Nor this: tip\n"
    note = parse_note(raw, "t.md", settings)
    assert note.cards == ()
    assert not note.has_cues


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "ko-asides.md",
            [
                ("TCP와 UDP", KO_TCP),
                ("3-way handshake의 순서는?", "SYN, SYN-ACK, ACK 순서로 연결을 맺는다."),
            ],
        ),
        (
            "en-asides.md",
            [
                (
                    "Mitochondrion",
                    "Turns nutrients into ATP, the cell's energy currency."
                    "\n\nFound in almost every cell.",
                ),
                ("Osmosis", EN_OSMO),
            ],
        ),
        (
            "de-asides.md",
            [("Tautologie", DE_TAUT), ("Modus ponens", DE_MP)],
        ),
    ],
)
def test_layout_5_margin_cues(
    name: str, expected: list[tuple[str, str]], settings: Settings
) -> None:
    note = read_note(LAYOUTS / name, name, settings)
    assert [(c.question, c.answer) for c in note.cards] == expected
    assert {c.answer_source for c in note.cards} == {"aside"}


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "ko-table.md",
            [
                (
                    "TCP와 UDP의 차이는?",
                    "TCP는 연결을 맺고 순서와 재전송을 보장한다.\nUDP는 연결 없이 보낸다.",
                ),
                ("3-way handshake의 순서는?", "SYN, SYN-ACK, ACK\n세 번 오가서 연결을 맺는다."),
            ],
        ),
        (
            "en-table.md",
            [
                ("What does the mitochondrion do?", "It turns nutrients into ATP."),
                ("What is osmosis?", "Water moving through a membrane."),
            ],
        ),
        (
            "de-table.md",
            [
                ("**Was ist eine Tautologie?**", "Eine Aussage, die immer wahr ist."),
                ("Was besagt der Modus ponens?", DE_MP),
                ("A | B", "A oder B"),
            ],
        ),
    ],
)
def test_layout_6_tables(name: str, expected: list[tuple[str, str]], settings: Settings) -> None:
    note = read_note(LAYOUTS / name, name, settings)
    assert [(c.question, c.answer) for c in note.cards] == expected
    assert {c.answer_source for c in note.cards} == {"table"}


def test_mixed_korean_note(settings: Settings) -> None:
    note = read_note(LAYOUTS / "ko-mixed.md", "ko-mixed.md", settings)
    assert [(c.question, c.answer_source, c.line) for c in note.cards] == [
        ("**TCP와 UDP의 차이는?**", "nested", 5),
        ("**흐름 제어는 왜 필요한가?**", "notes", 7),
        ("혼잡 제어란?", "heading", 11),
        ("윈도 크기", "aside", 18),
        ("RTT", "table", 23),
        ("슬로 스타트", "definition", 26),
    ]
    assert [c.ordinal for c in note.cards] == list(range(6))
    assert note.cards[3].answer == "받는 쪽이 한 번에 받을 수 있는 양."


def test_mixed_german_note(settings: Settings) -> None:
    note = read_note(LAYOUTS / "de-mixed.md", "de-mixed.md", settings)
    assert [(c.question, c.answer, c.answer_source) for c in note.cards] == [
        ("**Was ist eine Tautologie?**", "Eine Aussage, die immer wahr ist.", "nested"),
        ("Was besagt der Modus ponens?", DE_MP, "heading"),
        ("Kontradiktion", "Eine Aussage, die immer falsch ist.", "aside"),
        (
            "Was ist eine Kontingenz?",
            "Eine Aussage, die je nach Belegung wahr oder falsch ist.",
            "callout",
        ),
    ]


def test_every_fixture_note_has_cues_and_no_empty_answer(settings: Settings) -> None:
    for path in sorted(LAYOUTS.glob("*.md")):
        note = read_note(path, path.name, settings)
        assert note.has_cues, path.name
        assert note.cards, path.name
        assert all(c.answer.strip() for c in note.cards), path.name
        assert note.warnings == (), path.name


def test_more_heading_names_by_default(settings: Settings) -> None:
    for heading in (
        "Cues / Questions",
        "Questions/Cues",
        "❓ Cue",
        "단서",
        "Questions & Cues",
        "질문",
    ):
        raw = f"## {heading}\n- Q?\n    A.\n".encode()
        assert [c.question for c in parse_note(raw, "h.md", settings).cards] == ["Q?"], heading


def test_heading_names_stay_configurable() -> None:
    custom = Settings(sections={"cues": ("Prüfungsfragen",), "notes": ("Mitschrift",)})
    raw = "## Prüfungsfragen\n- Frage?\n\n## Mitschrift\nAntwort.\n## Cues\n- not this\n    x\n"
    raw = raw.encode()
    note = parse_note(raw, "c.md", custom)
    assert [(c.question, c.answer, c.answer_from) for c in note.cards] == [
        ("Frage?", "Antwort.", "Mitschrift")
    ]


# -- ids ---------------------------------------------------------------------


def test_id_stays_when_a_bare_cue_gets_a_nested_answer(settings: Settings) -> None:
    bare = read_note(LAYOUTS / "ko-bare.md", "네트워크.md", settings)
    nested = read_note(LAYOUTS / "ko-nested.md", "네트워크.md", settings)
    assert [c.id for c in bare.cards] == [c.id for c in nested.cards]
    # The id is the note key and question only, as before this change.
    assert bare.cards[0].id == card_id(note_key("네트워크"), "**TCP와 UDP의 차이는?**")


def test_id_stays_when_the_answer_passage_changes(settings: Settings) -> None:
    before = parse_note(b"## Cues\n- Why?\n## Notes\nBecause.\n", "n.md", settings)
    after = parse_note(b"## Cues\n- Why?\n## Notes\nFor another reason.\n", "n.md", settings)
    assert before.cards[0].id == after.cards[0].id
    assert before.cards[0].answer != after.cards[0].answer


@pytest.mark.parametrize("name", ["de-headings.md", "de-table.md", "de-callouts.md"])
def test_same_question_same_id_in_every_layout(name: str, settings: Settings) -> None:
    nested = {
        c.question.strip("*"): c.id
        for c in read_note(LAYOUTS / "de-nested.md", "Logik.md", settings).cards
    }
    other = read_note(LAYOUTS / name, "Logik.md", settings).cards
    shared = [c for c in other if c.question == "Was besagt der Modus ponens?"]
    assert shared
    assert shared[0].id == nested["Was besagt der Modus ponens?"]


def test_numbering_of_heading_questions_is_not_part_of_the_question(settings: Settings) -> None:
    one = parse_note(b"## Cues\n### Q1: What is X?\nx\n", "x.md", settings).cards[0]
    two = parse_note(b"## Cues\n#### 7. What is X?\nx\n", "x.md", settings).cards[0]
    three = parse_note(b"## Cues\n- What is X?\n    x\n", "x.md", settings).cards[0]
    assert one.question == two.question == three.question == "What is X?"
    assert one.id == two.id == three.id


# -- has_cues and cheap paths -----------------------------------------------------


def test_tables_that_are_not_cue_tables_are_ignored(settings: Settings) -> None:
    raw = b"# T\n| Port | Service |\n|---|---|\n| 80 | HTTP |\n"
    note = parse_note(raw, "t.md", settings)
    assert note.cards == ()
    assert not note.has_cues


def test_notion_callout_aside_is_not_a_cue(settings: Settings) -> None:
    raw = "# T\n<aside>\n💡 Remember to revise chapter 4.\n</aside>\n\nText.\n".encode()
    note = parse_note(raw, "t.md", settings)
    assert note.cards == ()


def test_cards_json_has_answer_source(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from quiz.cli import main

    for name in ("ko-mixed.md", "en-table.md"):
        (tmp_path / name).write_bytes((LAYOUTS / name).read_bytes())
    assert main(["cards", str(tmp_path), "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    by_question = {r["question"]: r for r in rows}
    assert by_question["RTT"]["answer_source"] == "table"
    assert by_question["**흐름 제어는 왜 필요한가?**"]["answer_source"] == "notes"
    assert by_question["**흐름 제어는 왜 필요한가?**"]["answer_from"] == "핵심 필기 › 흐름 제어"
    assert by_question["**TCP와 UDP의 차이는?**"]["answer_from"] == ""


# -- shown to the learner -----------------------------------------------------------


def test_plain_says_where_a_borrowed_answer_came_from(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    import io
    import sys

    from quiz.cli import main

    vault = tmp_path / "vault"
    vault.mkdir()
    (vault / "mixed.md").write_bytes((LAYOUTS / "ko-mixed.md").read_bytes())
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n3\n" * 6))
    db = str(tmp_path / "db.sqlite3")
    args = ["study", str(vault), "--plain", "--note", "mixed.md", "--no-write", "--db", db]
    assert main(args) == 0
    out = capsys.readouterr().out
    shown = out.split("Q: **흐름 제어는 왜 필요한가?**", 1)[1].split("grade [", 1)[0]
    assert "   (answer from 핵심 필기 › 흐름 제어)" in shown
    # A card with an answer of its own says nothing about where it came from.
    own = out.split("Q: RTT", 1)[1].split("grade [", 1)[0]
    assert "answer from" not in own


def test_index_keeps_answer_source_and_from(tmp_path: Path, settings: Settings) -> None:
    from quiz.store import open_db
    from quiz.store.index import scan

    vault = tmp_path / "vault"
    vault.mkdir()
    (vault / "mixed.md").write_bytes((LAYOUTS / "ko-mixed.md").read_bytes())
    db = open_db(tmp_path / "db.sqlite3")
    try:
        scan(vault, db, settings)
        rows = db.execute(
            "SELECT question, answer_source, answer_from FROM cards ORDER BY ordinal"
        ).fetchall()
    finally:
        db.close()
    assert rows == [
        ("**TCP와 UDP의 차이는?**", "nested", ""),
        ("**흐름 제어는 왜 필요한가?**", "notes", "핵심 필기 › 흐름 제어"),
        ("혼잡 제어란?", "heading", ""),
        ("윈도 크기", "aside", ""),
        ("RTT", "table", ""),
        ("슬로 스타트", "definition", ""),
    ]


def test_schema_v1_index_gains_the_columns_and_rescans(tmp_path: Path, settings: Settings) -> None:
    import sqlite3

    from sqlite_utils import Database

    from quiz.store import open_db
    from quiz.store.index import scan
    from quiz.store.schema import SCHEMA_VERSION, _create_v1

    vault = tmp_path / "vault"
    vault.mkdir()
    (vault / "bare.md").write_bytes((LAYOUTS / "en-bare.md").read_bytes())
    path = tmp_path / "old.sqlite3"
    # An index written by the previous version: schema 1, the note already
    # scanned (when its bare cues were no cards).
    legacy = Database(path)
    _create_v1(legacy)
    legacy["meta"].insert({"key": "schema_version", "value": "1"}, pk="key")
    stat = (vault / "bare.md").stat()
    legacy["notes"].insert(
        {"path": "bare.md", "title": "bare", "note_key": "bare", "card_count": 0,
         "size": stat.st_size, "mtime_ns": stat.st_mtime_ns, "warnings": "[]"}
    )  # fmt: skip
    legacy.close()
    db = open_db(path)
    try:
        scan(vault, db, settings)
        sources = [r[0] for r in db.execute("SELECT answer_source FROM cards")]
    finally:
        db.close()
    assert sources == ["notes", "notes"]
    with sqlite3.connect(path) as conn:
        # Migrated all the way (v4 answer sources, v5 mirrors, v6 write-back state, v7 no copies).
        version = conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
        assert version == (str(SCHEMA_VERSION),) and SCHEMA_VERSION >= 7
    conn.close()


# -- the sample vault and the benchmark vault -----------------------------------------

ROOT = Path(__file__).resolve().parents[1]


def test_sample_vault_has_the_new_layouts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from quiz.cli import main

    assert main(["cards", str(SAMPLE_NOTES), "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert all(r["answer"].strip() for r in rows)
    sources: dict[str, list[str]] = {}
    for row in rows:
        sources.setdefault(row["note"], []).append(row["answer_source"])
    assert sources["운영체제/CPU 스케줄링.md"] == ["notes"] * 3
    assert sources["운영체제/동기화.md"] == ["heading"] * 3
    assert sources["AWS/CloudFormation.md"] == ["callout", "definition", "definition", "callout"]
    assert sources["AWS/EC2 인스턴스 유형.md"] == ["aside"] * 4
    assert sources["English/Vocabulary/Word Power - Lesson 4.md"] == ["table"] * 4
    assert sources["운영체제/교착상태.md"].count("notes") == 1


def test_benchmark_vault_writes_every_layout_with_answers(tmp_path: Path) -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "make_vault", ROOT / "benchmarks" / "make_vault.py"
    )
    assert spec is not None and spec.loader is not None
    make_vault = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_vault)
    settings = Settings()
    seen: set[str] = set()
    for index in range(60):
        rel, text = make_vault.make_note(0, index)
        note = parse_note(text.encode(), rel, settings, cues_only=True)
        assert note.cards and note.warnings == (), rel
        assert all(card.answer.strip() for card in note.cards), rel
        seen |= {card.answer_source for card in note.cards}
        # The seed layout alone writes the notes generator 1 wrote.
        plain_rel, plain = make_vault.make_note(0, index, layouts=False)
        if {card.answer_source for card in note.cards} == {"nested"}:
            assert (plain_rel, plain) == (rel, text)
    assert seen == {"nested", "notes", "heading", "callout", "definition", "aside", "table"}
