"""The note reader: decoding, frontmatter, sections and cards, per SPEC."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from quiz.config import Settings
from quiz.notes.fields import Field
from quiz.notes.reader import NoteError, parse_note, read_note

from .conftest import FIXTURES


def read(name: str, settings: Settings | None = None) -> object:
    return read_note(FIXTURES / name, name, settings or Settings())


def test_seed_note_has_nine_cards_read_as_written(seed_notes: Path, settings: Settings) -> None:
    note = read_note(seed_notes / "aws-lambda.md", "aws-lambda.md", settings)
    assert len(note.cards) == 9
    assert note.subject == "AWS"
    assert note.first_studied == dt.date(2024, 9, 28)
    assert note.stages_done == (True, True, True, True, False)
    assert not note.repaired and note.frontmatter_ok and note.warnings == ()
    first = note.cards[0]
    assert first.question == "EC2 vs Lambda"
    # A numbered sub-list is kept as Markdown, dedented.
    assert first.answer.splitlines()[0].startswith("1. EC는 지속적으로")
    assert first.answer.splitlines()[2] == "3. Lambda는 오토스케일링이 자동으로 된다."
    dynamo = next(c for c in note.cards if c.question == "DynamoDB란?")
    # Two paragraphs, bold kept, the non-breaking space kept as written.
    assert dynamo.answer.startswith("**DynamoDB**는 AWS에서 제공하는\u00a0**서버리스")
    assert "\n\n**DynamoDB**를 사용하면" in dynamo.answer
    last = note.cards[-1]
    assert last.answer.endswith(
        "2. **Provisioned Concurrency 설정을 통해 미리 Lambda를 예약해놓는다.**"
    )
    # Line numbers point at the question in the file (for $EDITOR).
    lines = (seed_notes / "aws-lambda.md").read_text(encoding="utf-8").splitlines()
    assert all(lines[c.line - 1] == f"- {c.question}" for c in note.cards)
    assert note.sections["summary"].startswith("- 핵심 요약 접기")
    assert "Lambda - Overview" in note.sections["notes"]
    assert "자동으로 핸드폰에 알림" in note.sections["reminders"]


def test_crlf_with_bom(settings: Settings) -> None:
    note = read_note(FIXTURES / "crlf_bom.md", "crlf_bom.md", settings)
    assert note.encoding == "utf-8-sig"
    assert note.fields[Field.SUBJECT] == "운영체제"
    assert [c.question for c in note.cards] == ["프로세스란?", "스레드란?"]
    assert note.cards[0].answer == "실행 중인 프로그램입니다."
    assert all("\r" not in c.answer for c in note.cards)
    assert note.sections["summary"] == "요약 내용"


def test_cp949_is_read_as_korean(settings: Settings) -> None:
    note = read_note(FIXTURES / "cp949.md", "cp949.md", settings)
    assert note.encoding == "cp949"
    assert note.subject == "운영체제"
    assert note.cards[1].answer == "프로세스 안의 실행 흐름입니다."
    assert note.fields[Field.FIRST_STUDIED] == dt.date(2026, 11, 20)


def test_tab_indentation_and_english_headings(settings: Settings) -> None:
    note = read_note(FIXTURES / "tabs.md", "tabs.md", settings)
    assert [c.question for c in note.cards] == ["What does the mitochondrion do?", "Ribosome?"]
    assert note.cards[0].answer == (
        "It makes ATP by cellular respiration.\n\n1. glycolysis\n2. **Krebs cycle**"
    )
    assert note.cards[1].answer == "Builds proteins."


def test_whitespace_only_blank_lines(settings: Settings) -> None:
    note = read_note(FIXTURES / "whitespace_blank_lines.md", "w.md", settings)
    assert [c.question for c in note.cards] == ["질문 하나", "질문 둘"]
    assert note.cards[0].answer == "첫 문단\n\n둘째 문단"
    assert note.cards[1].answer == "답 둘"


def test_broken_yaml_is_a_warning_and_cards_are_still_read(settings: Settings) -> None:
    note = read_note(FIXTURES / "broken_yaml.md", "broken_yaml.md", settings)
    assert not note.frontmatter_ok
    assert note.fields == {}
    assert [c.question for c in note.cards] == ["S3란?"]
    assert any("not valid YAML" in w for w in note.warnings)


def test_unclosed_frontmatter_is_reported(settings: Settings) -> None:
    note = parse_note(b"---\nsubject: x\n### Cues\n\n- q\n    a\n", "u.md", settings)
    assert not note.frontmatter_ok
    assert any("never closed" in w for w in note.warnings)
    assert [c.question for c in note.cards] == ["q"]


@pytest.mark.parametrize(
    ("name", "reason"),
    [("binary.md", "binary file"), ("not_utf8_nor_cp949.md", "not UTF-8 and not CP949")],
)
def test_bad_files_raise_with_path_and_reason(name: str, reason: str, settings: Settings) -> None:
    with pytest.raises(NoteError) as info:
        read_note(FIXTURES / name, name, settings)
    assert str(info.value).startswith(f"{name}: ")
    assert reason in str(info.value)


def test_unreadable_file_is_reported(tmp_path: Path, settings: Settings) -> None:
    with pytest.raises(NoteError, match=r"gone\.md: cannot read"):
        read_note(tmp_path / "gone.md", "gone.md", settings)


def test_bare_cue_without_notes_is_warned_not_carded(settings: Settings) -> None:
    note = read_note(FIXTURES / "empty_answer.md", "empty_answer.md", settings)
    assert [c.question for c in note.cards] == ["답이 있는 질문", "마지막 질문"]
    assert note.cards[1].answer == "마지막 답."
    warnings = " | ".join(note.warnings)
    assert (
        "line 8: cue question '답이 없는 질문' could not be answered: no notes or summary section"
        in warnings
    )
    assert "line 9: cue item is empty" in warnings


def test_markup_like_text_is_kept_literally(settings: Settings) -> None:
    note = read_note(FIXTURES / "markup.md", "markup.md", settings)
    assert note.subject == "[bold red]x[/bold red]"
    card = note.cards[0]
    assert card.question == "[bold]x[/bold] and [@click=app.quit]click[/]"
    # The reader keeps the bytes; making them safe is the display's job.
    assert "\x1b]52;c;" in card.answer and "[link=https://evil]" in card.answer


def test_english_alias_keys(settings: Settings) -> None:
    note = read_note(FIXTURES / "english_aliases.md", "e.md", settings)
    assert note.fields[Field.LEARNING_RATE] == "0.4"
    assert note.stages_done == (True, True, False, False, False)
    assert note.first_studied == dt.date(2026, 11, 18)
    assert note.textbook == "Word Power Made Easy"
    assert note.sections["notes"] == "Words about talking."


def test_configured_section_names(settings: Settings) -> None:
    custom = Settings(sections={**settings.sections, "cues": ("질문 목록",)})
    raw = "## 질문 목록\n\n- 하나?\n    둘.\n\n## 단서 질문\n\n- 무시?\n    됨.\n".encode()
    note = parse_note(raw, "c.md", custom)
    assert [c.question for c in note.cards] == ["하나?"]


def test_cue_section_runs_until_a_heading_of_its_level(settings: Settings) -> None:
    raw = "## 단서 질문\n\n#### 1장\n\n- 하나?\n    1.\n\n## 핵심 필기\n\n- 필기?\n    x\n".encode()
    note = parse_note(raw, "l.md", settings)
    assert [c.question for c in note.cards] == ["하나?"]
    assert note.sections["notes"] == "- 필기?\n    x"


def test_answer_right_under_question_without_blank_line(settings: Settings) -> None:
    raw = b"### Cues\n\n- a question that\n  wraps\n    and the answer\n    goes on\n"
    note = parse_note(raw, "n.md", settings)
    assert note.cards[0].question == "a question that wraps"
    assert note.cards[0].answer == "and the answer\ngoes on"


def test_heading_inside_code_fence_is_not_a_section(settings: Settings) -> None:
    raw = (
        "### 단서 질문\n\n- 코드?\n    ```\n    ### 핵심 요약\n    ```\n\n### 핵심 요약\n\n진짜\n"
    ).encode()
    note = parse_note(raw, "f.md", settings)
    assert note.cards[0].answer == "```\n### 핵심 요약\n```"
    assert note.sections["summary"] == "진짜"


def test_note_without_cue_section_is_not_a_cornell_note_and_no_problem(
    settings: Settings,
) -> None:
    note = parse_note(b"# Just a note\n\ntext\n", "plain.md", settings)
    assert note.cards == ()
    assert note.has_cues is False
    assert note.warnings == ()
    cornell = parse_note("### 단서 질문\n\n- 왜?\n    그래서.\n".encode(), "c.md", settings)
    assert cornell.has_cues is True
