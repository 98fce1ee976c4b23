"""Hostile notes (issue 9): frontmatter that explodes, lines that backtrack,
files too big or in the wrong encoding, and text that would fake output.

Each test reproduces a finding with an input of the size that showed it and
asserts the outcome, not the time (speed is measured in ``benchmarks/``; the
fuzz test in ``test_fuzz.py`` holds a generous bound per note).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from quiz.config import Settings
from quiz.notes.fields import Field
from quiz.notes.reader import NoteError, parse_note
from quiz.store import open_db
from quiz.store.index import scan
from quiz.writeback import EditRefused, WriteRefused, update_frontmatter, write_back

CUES = "### 단서 질문\n\n- 첫째?\n    하나.\n- 둘째?\n    둘.\n"


def chain_bomb() -> str:
    """``k0`` holds 9 items and each ``k<n>`` 9 aliases of ``k<n-1>``: 9**9 leaves."""
    lines = ["k0: &k0 [" + ", ".join("abcdefghi") + "]"]
    lines += [f"k{n}: &k{n} [" + ", ".join([f"*k{n - 1}"] * 9) + "]" for n in range(1, 9)]
    return "\n".join([*lines, "❕과목: *k8", "❤1일복습여부: false", ""])


def doubling_bomb(levels: int = 30) -> str:
    """``[*a, *a]`` nested ``levels`` deep: 2**levels leaves in about 600 bytes."""
    lines = ["a0: &a0 [x, x]"]
    lines += [f"a{n}: &a{n} [*a{n - 1}, *a{n - 1}]" for n in range(1, levels)]
    return "\n".join([*lines, f"tags: *a{levels - 1}", "❤1일복습여부: false", ""])


def note_bytes(frontmatter: str, body: str = CUES) -> bytes:
    return f"---\n{frontmatter}---\n{body}".encode()


# --------------------------------------------------------------------------- aliases


@pytest.mark.parametrize("bomb", [chain_bomb(), doubling_bomb()], ids=["chain", "doubling"])
def test_alias_bomb_is_reported_and_its_cards_still_read(bomb: str) -> None:
    note = parse_note(note_bytes(bomb), "bomb.md", Settings())
    assert not note.frontmatter_ok
    assert note.frontmatter == {} and note.subject == ""
    assert [c.question for c in note.cards] == ["첫째?", "둘째?"]
    assert note.warnings == (
        "frontmatter uses YAML aliases beyond 1,000 nodes or 100,000 characters; "
        "cards are still read, the note won't be written back",
    )


def test_alias_bomb_does_not_stop_a_scan(tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    vault.mkdir()
    (vault / "bomb.md").write_bytes(note_bytes(chain_bomb()))
    (vault / "fine.md").write_bytes(note_bytes("❕과목: OS\n"))
    db = open_db(None)
    try:
        report = scan(vault, db, Settings())
        assert report.cards == 4
        assert [w.split(":", 1)[0] for w in report.warnings] == ["bomb.md"]
        assert "YAML aliases beyond" in report.warnings[0]
        assert db["notes"].get("fine.md")["subject"] == "OS"
        # Refused frontmatter, cards still read (the warning above says why).
        assert db["notes"].get("bomb.md")["card_count"] == 2
    finally:
        db.close()


@pytest.mark.parametrize("bomb", [chain_bomb(), doubling_bomb()], ids=["chain", "doubling"])
def test_write_back_check_refuses_an_alias_bomb(tmp_path: Path, bomb: str) -> None:
    raw = note_bytes(bomb)
    with pytest.raises(EditRefused, match="aliases beyond"):
        update_frontmatter(raw, "utf-8", {Field.REVIEW_1D: True})
    path = tmp_path / "bomb.md"
    path.write_bytes(raw)
    with pytest.raises(WriteRefused, match="aliases beyond"):
        write_back(path, raw, "utf-8", {Field.REVIEW_1D: True})
    assert path.read_bytes() == raw


def test_an_alias_that_contains_itself_is_refused() -> None:
    front = "a: &a [x, *a]\n❤1일복습여부: false\n"
    note = parse_note(note_bytes(front), "loop.md", Settings())
    assert not note.frontmatter_ok
    assert note.warnings[0].startswith("frontmatter refers to itself through a YAML alias;")
    with pytest.raises(EditRefused, match="refers to itself"):
        update_frontmatter(note_bytes(front), "utf-8", {Field.REVIEW_1D: True})


def test_ordinary_anchors_and_merge_keys_are_still_read() -> None:
    front = (
        "base: &base {과목: OS, 교재: 공룡책}\n"
        "copy:\n  <<: *base\n  과목: 운영체제\n"
        "tags: &t [os, cs]\nmore: [*t, *t]\n"
    )
    note = parse_note(note_bytes(front), "fine.md", Settings())
    assert note.frontmatter_ok and note.warnings == ()
    assert note.frontmatter["copy"] == {"과목": "운영체제", "교재": "공룡책"}
    assert note.frontmatter["more"] == [["os", "cs"], ["os", "cs"]]


def test_a_stringified_value_is_capped() -> None:
    subject = "가" * 50_000
    note = parse_note(
        note_bytes(f"❕과목: {subject}\n교재: [{', '.join(['x'] * 5000)}]\n"), "a.md", Settings()
    )
    assert (
        len(note.subject) == 200 and note.subject.startswith("가가가") and note.subject[-1] == "…"
    )
    assert len(note.textbook) == 200 and note.textbook.startswith("['x', 'x'")


def test_write_back_check_of_a_value_nested_900_deep() -> None:
    # The read-back comparison recursed twice per level: RecursionError at 600.
    deep = "[" * 900 + "]" * 900
    raw = note_bytes(f"❕과목: {deep}\ntags: {deep}\n❤1일복습여부: false\n")
    new = update_frontmatter(raw, "utf-8", {Field.REVIEW_1D: True})
    assert new == raw.replace("❤1일복습여부: false".encode(), "❤1일복습여부: true".encode())
    note = parse_note(raw, "deep.md", Settings())
    assert note.subject.startswith("[[[[") and len(note.subject) == 200


# --------------------------------------------------------------------------- duplicate keys


def test_a_key_given_twice_is_reported_and_the_note_not_written_back() -> None:
    front = "❕과목: OS\n❤1일복습여부: false\n❤1일복습여부: true\n"
    note = parse_note(note_bytes(front), "dup.md", Settings())
    assert not note.frontmatter_ok
    assert note.warnings == (
        "frontmatter gives the key '❤1일복습여부' more than once (lines 3 and 4); "
        "cards are still read, the note won't be written back",
    )
    assert len(note.cards) == 2


def test_two_keys_with_one_name_are_a_duplicate() -> None:
    # YAML keeps 1 and "1" apart, but the frontmatter is keyed by text.
    note = parse_note(note_bytes('1: a\n"1": b\n'), "dup.md", Settings())
    assert not note.frontmatter_ok
    assert note.warnings[0].startswith("frontmatter gives the key '1' more than once;")


# --------------------------------------------------------------------------- linear lines


def test_a_heading_line_of_60000_blanks_before_the_cues() -> None:
    # "## 메모" + 60,000 spaces + "끝": the heading regex tried every split
    # of the line between its text and a closing run of # (27 s in a scan).
    body = "## 메모" + " " * 60_000 + "끝\n본문\n" + CUES
    note = parse_note(note_bytes("❕과목: OS\n", body), "long.md", Settings())
    assert [c.question for c in note.cards] == ["첫째?", "둘째?"]
    assert note.warnings == ()


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("### 단서 질문", (3, "단서 질문")),
        ("  ## 요약 ##  ", (2, "요약")),
        ("# 요약#", (1, "요약#")),
        ("#\t요약\t#\t", (1, "요약")),
        ("# ###", (1, "")),
        ("#", (1, "")),
        ("####### 일곱", None),
        ("#요약", None),
        ("    # 들여쓰기", None),
    ],
)
def test_heading_lines_read_as_commonmark_does(line: str, expected: object) -> None:
    from quiz.notes.cards import _heading

    assert _heading(line) == expected


def test_an_answer_of_20000_link_openers_is_shown_as_written() -> None:
    from quiz.tui.safe import markdown

    text = "[[" * 20_000 + " [[노트]] 끝"
    assert markdown(text) == "[[" * 20_000 + " [노트](wikilink:%EB%85%B8%ED%8A%B8) 끝"


def test_wikilinks_with_heading_and_alias_still_become_links() -> None:
    from quiz.tui.safe import markdown

    assert markdown("[[a#b|c]] ![[img.png]] `[[x]]`") == ("[c](wikilink:a) ![[img.png]] `[[x]]`")


def test_answer_search_plain_text_of_long_opener_runs() -> None:
    from quiz.notes.answering import plain_text

    # Each opener's class allowed the opener, so every attempt ran to the
    # end of the line (70 s for '[[' x 20,000).
    runs = "[[" * 20_000 + "![[" * 20_000 + "<a" * 20_000 + "[" * 20_000
    text = plain_text(runs + " [[노트|별칭]] [글](http://x) <b>끝</b>")
    assert text.endswith("별칭 글 끝")


def test_typed_answer_hint_over_thousands_of_blank_lines() -> None:
    from quiz.grading import similarity

    # Each blank line's "^\s*" ran over all the blank lines after it.
    assert similarity("정답", "\n" * 20_000 + "- 정답") == 1.0


def test_a_long_answer_nested_right_under_its_question() -> None:
    # No blank line between question and answer: each answer line re-measured
    # the whole rest of the answer (8,000 lines took 27 s).
    lines = [f"줄 {n}" for n in range(8_000)]
    body = "### 단서 질문\n\n- 질문?\n" + "".join(f"    {line}\n" for line in lines)
    note = parse_note(note_bytes("❕과목: OS\n", body), "long.md", Settings())
    assert [c.question for c in note.cards] == ["질문?"]
    assert note.cards[0].answer == "\n".join(lines)


# --------------------------------------------------------------------------- size and encoding


def test_a_note_over_the_size_limit_is_reported_and_skipped(tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    vault.mkdir()
    (vault / "fine.md").write_bytes(note_bytes("❕과목: OS\n"))
    big = note_bytes("❕과목: OS\n", CUES + "가나다라\n" * (12 * 1024 * 1024 // 13))
    (vault / "big.md").write_bytes(big)
    db = open_db(None)
    try:
        report = scan(vault, db, Settings())
        assert report.problems == ["big.md: note is 12 MB, over the 5 MB limit; skipped"]
        assert report.cards == 2
    finally:
        db.close()
    with pytest.raises(NoteError, match="note is 12 MB, over the 5 MB limit"):
        parse_note(big, "big.md", Settings())


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be"])
def test_a_utf16_note_is_read_not_called_binary(codec: str) -> None:
    text = (
        "---\n❕과목: 운영체제\n---\n### 단서 질문\n\n"
        "- 프로세스와 스레드의 차이는?\n    스레드는 프로세스 안에서 자원을 공유한다.\n"
    )
    note = parse_note(text.encode(codec), "wide.md", Settings())
    assert note.subject == "운영체제"
    assert [c.answer for c in note.cards] == ["스레드는 프로세스 안에서 자원을 공유한다."]
    assert note.warnings == ("text is UTF-16; read, but this note will not be written back",)


def test_broken_utf16_with_a_byte_order_mark_is_not_called_binary() -> None:
    with pytest.raises(NoteError, match="starts like UTF-16 text but does not decode"):
        parse_note(b"\xff\xfe#\x00 \x00\x00\xd8", "wide.md", Settings())


def test_invalid_utf8_is_reported_where_utf8_breaks() -> None:
    # 0xb0 at offset 9 breaks UTF-8; CP949 reads it as '가' and fails on the
    # lone lead byte at the end (offset 14), which is not where UTF-8 broke.
    raw = "# 제목\n".encode() + "가".encode("cp949") + b"abc\x81"
    with pytest.raises(NoteError, match=r"\(invalid UTF-8 byte 0xb0 at offset 9\)$"):
        parse_note(raw, "bad.md", Settings())
    with pytest.raises(NoteError, match=r"\(invalid UTF-8 byte 0xb0 at offset 12\)$"):
        parse_note(b"\xef\xbb\xbf" + raw, "bad.md", Settings())


# --------------------------------------------------------------------------- output hygiene

BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"


def test_bidi_controls_are_removed_from_shown_text() -> None:
    from quiz.text import one_line, safe_text

    assert safe_text(f"cod\u202e{BIDI}exe.md\n다음 줄\t탭") == "codexe.md\n다음 줄\t탭"
    assert one_line("a\nb\u2028c\u202e\r\n d") == "a b c d"


def test_json_output_escapes_bidi_controls_and_keeps_them() -> None:
    import json

    from quiz.text import safe_json

    out = safe_json({"note": "a\u202eb.md"}, indent=None)
    assert out == '{"note": "a\\u202eb.md"}'
    assert json.loads(out) == {"note": "a\u202eb.md"}


DUE_NOTE = "---\n❕첫 학습날: 2026-11-20\n❕과목: {subject}\n❤1일복습여부: false\n---\n" + CUES


def test_a_file_name_with_a_newline_adds_no_line_to_quiz_due(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from quiz.cli import main

    vault = tmp_path / "vault"
    vault.mkdir()
    (vault / "정상.md").write_text(DUE_NOTE.format(subject="OS"), encoding="utf-8")
    fake = "x.md\n🧡 day 4     2026-11-25  due today          9 cards  [AWS] 가짜"
    (vault / f"{fake}\u202e.md").write_text(DUE_NOTE.format(subject="A\u202eB"), encoding="utf-8")
    assert main(["due", str(vault), "--today", "2026-11-25", "--db", str(tmp_path / "db")]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert len(lines) == 2
    assert sum("가짜" in line for line in lines) == 1
    assert all(line.startswith("❤ day 1") for line in lines)
    assert "[AB] x.md 🧡 day 4 2026-11-25 due today 9 cards [AWS] 가짜.md" in out
    assert not any(ch in out for ch in BIDI)


def test_plain_mode_shows_a_question_with_a_line_break_on_one_line(tmp_path: Path) -> None:
    import datetime as dt
    import io

    from quiz.plain import run_plain
    from quiz.store import open_db
    from quiz.study import Study

    vault = tmp_path / "vault"
    vault.mkdir()
    body = "### 단서 질문\n\n- 첫 줄\n  answer> 둘째 줄\n\n    답.\n"
    (vault / "n\nq.md").write_text(DUE_NOTE.format(subject="OS").split("###")[0] + body)
    db = open_db(None)
    try:
        scan(vault, db, Settings())
        study = Study(db, vault, Settings(), dt.date(2026, 11, 25), write=False)
        out = io.StringIO()
        run_plain(study, note="n\nq.md", stdin=io.StringIO("\n3\n"), stdout=out)
    finally:
        db.close()
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("== n q (OS) · ")
    assert lines[1] == "[1/1] Q: 첫 줄 answer> 둘째 줄"
    assert lines[2] == "answer> A: 답."
